"""The incremental scan cache: per-file tool results in one SQLite file.

A row holds what one tool said about one file: keyed by the scan key (tool, version, executable,
rule-pack digest and every setting that changes per-file results), the file's path and the
SHA-256 of its content. Only successful runs are stored, and nothing here can turn a result into
`pass`: every read problem (a locked, unreadable or garbled database, a row that is not JSON) is
a miss, so the file is scanned again.

Concurrent runs share the file safely: WAL journal, a busy timeout, one transaction per write.
A file that is not a usable database is moved aside and rebuilt (reported on stderr).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
_BUSY_MS = 30_000
_KEEP_DAYS = 30  # rows older than this are dropped when new ones are written (then rescanned)
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS files (scan TEXT NOT NULL, path TEXT NOT NULL, sha TEXT NOT NULL,"
    " payload TEXT NOT NULL, day INTEGER NOT NULL, PRIMARY KEY (scan, path, sha)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL,"
    " day INTEGER NOT NULL) WITHOUT ROWID",
)

_OPEN_ATTEMPTS = 40  # about 40 s of waiting in all


class _Busy(Exception):
    """The cache file is locked by another run for longer than we wait."""


def _is_lock_error(exc: sqlite3.OperationalError) -> bool:
    return any(word in str(exc) for word in ("locked", "busy"))


_events: list[str] = []
_events_lock = threading.Lock()


def note(message: str) -> None:
    """Remember a fact about cache use for the run's stderr (never for the record)."""
    with _events_lock:
        _events.append(message)


def drain_notes() -> list[str]:
    """The facts noted since the last call, in order."""
    with _events_lock:
        taken = list(_events)
        _events.clear()
    return taken


def default_path() -> Path:
    """`$XDG_CACHE_HOME/ssdf-baseline/cache.sqlite3`, else under `~/.cache`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ssdf-baseline" / "cache.sqlite3"


def _today() -> int:
    return int(time.time() // 86400)


class ScanCache:
    """One open cache file. Every method swallows database errors: a miss, never a crash."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = self._open()

    def _open(self) -> sqlite3.Connection | None:
        try:
            return self._connect_when_free()
        except _Busy as exc:
            note(f"cache {self.path} is busy ({exc}); running without it")
            return None
        except (sqlite3.Error, OSError) as exc:
            note(f"cache {self.path} is not usable ({exc}); rebuilding it")
        try:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.replace(f"{self.path}{suffix}", f"{self.path}.corrupt{suffix}")
            return self._connect()
        except (sqlite3.Error, OSError) as exc:
            note(f"cache {self.path} could not be rebuilt ({exc}); running without it")
            return None

    def _connect_when_free(self) -> sqlite3.Connection:
        # Another run creating the file or switching it to WAL holds a lock the busy timeout
        # does not always wait for: that is not corruption, so wait and try again instead of
        # moving a healthy shared file aside.
        for attempt in range(_OPEN_ATTEMPTS):
            try:
                return self._connect()
            except sqlite3.OperationalError as exc:  # noqa: PERF203 - a retry loop
                if not _is_lock_error(exc):
                    raise
                if attempt == _OPEN_ATTEMPTS - 1:
                    raise _Busy(str(exc)) from None
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")  # pragma: no cover

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=_BUSY_MS / 1000, check_same_thread=False)
        try:
            db.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                raise sqlite3.DatabaseError(f"schema version {version}, expected {SCHEMA_VERSION}")
            with db:
                for statement in _SCHEMA:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("SELECT count(*) FROM meta").fetchone()
        except BaseException:
            db.close()
            raise
        return db

    def lookup(self, scan: str, wanted: Mapping[str, str]) -> dict[str, Any]:
        """Stored payloads for the files whose (path, sha) is in `wanted` (path -> sha)."""
        if self._db is None or not wanted:
            return {}
        try:
            with self._lock:
                rows = self._db.execute(
                    "SELECT path, sha, payload FROM files WHERE scan = ?", (scan,)
                ).fetchall()
        except sqlite3.Error as exc:
            note(f"cache read failed ({exc}); scanning every file")
            return {}
        found: dict[str, Any] = {}
        for path, sha, payload in rows:
            if wanted.get(path) == sha:
                with contextlib.suppress(ValueError, TypeError):
                    found[path] = json.loads(payload)
        return found

    def store(self, scan: str, entries: Iterable[tuple[str, str, Any]]) -> None:
        """Remember (path, sha, payload) rows for a scan key, in one transaction."""
        rows = [(scan, p, s, json.dumps(v, sort_keys=True), _today()) for p, s, v in entries]
        if self._db is None or not rows:
            return
        try:
            with self._lock, self._db:
                self._db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)", rows)
                self._db.execute("DELETE FROM files WHERE day < ?", (_today() - _KEEP_DAYS,))
        except sqlite3.Error as exc:
            note(f"cache write failed ({exc}); results kept for this run only")

    def get_meta(self, key: str) -> str | None:
        """A remembered fact (a tool's version for one executable), or None."""
        if self._db is None:
            return None
        try:
            with self._lock:
                row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return str(row[0]) if row else None

    def put_meta(self, key: str, value: str) -> None:
        """Remember a fact under a key."""
        if self._db is None:
            return
        try:
            with self._lock, self._db:
                self._db.execute(
                    "INSERT OR REPLACE INTO meta VALUES (?, ?, ?)", (key, value, _today())
                )
        except (sqlite3.Error, UnicodeEncodeError) as exc:
            note(f"cache write failed ({exc})")

    def close(self) -> None:
        """Close the database (the cache object must not be used afterwards)."""
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None


_open_lock = threading.Lock()


def open_cache(path: Path | None) -> ScanCache | None:
    """Open the cache at `path` (None when caching is off); close it when the scan is done.

    Opening (and rebuilding a corrupt file) is serialized within the process, so two scans of
    one run never move each other's freshly rebuilt file aside.
    """
    if path is None:
        return None
    with _open_lock:
        return ScanCache(path)
