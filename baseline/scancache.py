"""The incremental scan cache: per-file tool results in one SQLite file.

A row holds what one tool said about one file: keyed by the scan key (tool, version, executable,
rule-pack digest and every setting that changes per-file results), the file's path and the
SHA-256 of its content. Only successful runs are stored, and nothing here can turn a result into
`pass`: every read problem (a locked, unreadable or garbled database, a row that is not JSON, a
row whose HMAC does not match) is a miss, so the file is scanned again. The cache is private to
the user (`cache_guard`): one that others could write is not used at all.

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

from baseline import cache_guard

SCHEMA_VERSION = 2  # 2: every row carries an HMAC
_BUSY_MS = 30_000
_KEEP_DAYS = 30  # rows older than this are dropped when new ones are written (then rescanned)
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS files (scan TEXT NOT NULL, path TEXT NOT NULL, sha TEXT NOT NULL,"
    " payload TEXT NOT NULL, day INTEGER NOT NULL, mac TEXT NOT NULL,"
    " PRIMARY KEY (scan, path, sha)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL,"
    " day INTEGER NOT NULL, mac TEXT NOT NULL) WITHOUT ROWID",
)

_OPEN_ATTEMPTS = 40  # about 40 s of waiting in all


class _Busy(Exception):
    """The cache file is locked by another run for longer than we wait."""


def _is_lock_error(exc: sqlite3.OperationalError) -> bool:
    return any(word in str(exc) for word in ("locked", "busy"))


WITHOUT_CACHE = "running without the cache"
"""Ends every note saying the cache is not used: shown even with --quiet."""

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
    # A cache that cannot be used is noted by every check that tries it: said once.
    return [n for i, n in enumerate(taken) if WITHOUT_CACHE not in n or n not in taken[:i]]


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
        self._key = b""
        self._db = self._open() if self._private() else None

    def _private(self) -> bool:
        """Whether the cache is the user's alone (else it is not used: noted for stderr)."""
        try:
            why = cache_guard.private_folder(self.path.parent) or cache_guard.private_file(
                self.path
            )
            key = cache_guard.load_key(self.path.parent) if why is None else why
        except OSError as exc:
            key = f"cache {self.path} cannot be checked ({exc})"
        if isinstance(key, str):
            note(f"{key}: not private to this user; {WITHOUT_CACHE}")
            return False
        self._key = key
        return True

    def _open(self) -> sqlite3.Connection | None:
        try:
            return self._connect_when_free()
        except _Busy as exc:
            note(f"cache {self.path} is busy ({exc}); {WITHOUT_CACHE}")
            return None
        except (sqlite3.Error, OSError) as exc:
            note(f"cache {self.path} is not usable ({exc}); rebuilding it")
        try:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.replace(f"{self.path}{suffix}", f"{self.path}.corrupt{suffix}")
            if cache_guard.private_file(self.path) is not None:
                raise OSError("the rebuilt file is not private")
            return self._connect()
        except (sqlite3.Error, OSError) as exc:
            note(f"cache {self.path} could not be rebuilt ({exc}); {WITHOUT_CACHE}")
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
                    "SELECT path, sha, payload, mac FROM files WHERE scan = ?", (scan,)
                ).fetchall()
        except sqlite3.Error as exc:
            note(f"cache read failed ({exc}); scanning every file")
            return {}
        found: dict[str, Any] = {}
        for path, sha, payload, mac in rows:
            if wanted.get(path) == sha and cache_guard.sealed(
                self._key, mac, scan, path, sha, payload
            ):
                with contextlib.suppress(ValueError, TypeError):
                    found[path] = json.loads(payload)
        return found

    def store(self, scan: str, entries: Iterable[tuple[str, str, Any]]) -> None:
        """Remember (path, sha, payload) rows for a scan key, in one transaction."""
        if self._db is None:
            return
        rows = [(scan, p, s, json.dumps(v, sort_keys=True)) for p, s, v in entries]
        sealed = [(*row, _today(), cache_guard.seal(self._key, *row)) for row in rows]
        if not sealed:
            return
        try:
            with self._lock, self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)", sealed
                )
                self._db.execute("DELETE FROM files WHERE day < ?", (_today() - _KEEP_DAYS,))
        except sqlite3.Error as exc:
            note(f"cache write failed ({exc}); results kept for this run only")

    def get_meta(self, key: str) -> str | None:
        """A remembered fact (a tool's version for one executable), or None."""
        if self._db is None:
            return None
        try:
            with self._lock:
                row = self._db.execute(
                    "SELECT value, mac FROM meta WHERE key = ?", (key,)
                ).fetchone()
        except sqlite3.Error:
            return None
        if row is None or not cache_guard.sealed(self._key, row[1], "meta", key, str(row[0])):
            return None
        return str(row[0])

    def put_meta(self, key: str, value: str) -> None:
        """Remember a fact under a key."""
        if self._db is None:
            return
        try:
            with self._lock, self._db:
                self._db.execute(
                    "INSERT OR REPLACE INTO meta VALUES (?, ?, ?, ?)",
                    (key, value, _today(), cache_guard.seal(self._key, "meta", key, value)),
                )
        except (sqlite3.Error, UnicodeEncodeError) as exc:
            note(f"cache write failed ({exc})")

    @property
    def usable(self) -> bool:
        """Whether the cache is open (not refused, busy or broken beyond repair)."""
        return self._db is not None

    def close(self) -> None:
        """Close the database (the cache object must not be used afterwards)."""
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None


_open_lock = threading.Lock()


def open_cache(path: Path | None) -> ScanCache | None:
    """Open the cache at `path`; close it when the scan is done. None when caching is off or
    the cache cannot be used (the reason is noted for stderr): the scan runs without it.

    Opening (and rebuilding a corrupt file) is serialized within the process, so two scans of
    one run never move each other's freshly rebuilt file aside.
    """
    if path is None:
        return None
    with _open_lock:
        cache = ScanCache(path)
    return cache if cache.usable else None
