"""Keep the scan cache private to the user and its entries authenticated.

A cache that someone else can write can turn failing evidence into a pass: a finding list edited
to empty would be replayed as this run's result. So the cache folder is created 0700 and the
database 0600; a folder or file that is a symbolic link, owned by another user, or writable by
group or others is refused (the run goes on without a cache and says so). Every stored entry
carries an HMAC-SHA256 under a random key kept in a 0600 file in that folder; an entry whose
MAC does not match is a miss (rescanned), never used.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import stat
from pathlib import Path

KEY_NAME = "cache.key"
_KEY_BYTES = 32
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _unsafe(info: os.stat_result, kind: str, want_dir: bool) -> str | None:
    if stat.S_ISLNK(info.st_mode):
        return f"{kind} is a symbolic link"
    if want_dir != stat.S_ISDIR(info.st_mode) or (not want_dir and not stat.S_ISREG(info.st_mode)):
        return f"{kind} is not a {'folder' if want_dir else 'regular file'}"
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        return f"{kind} is owned by another user (uid {info.st_uid})"
    if info.st_mode & 0o022:
        return f"{kind} is writable by group or others (mode {stat.S_IMODE(info.st_mode):04o})"
    return None


def private_folder(folder: Path) -> str | None:
    """Create `folder` 0700 when missing; why it cannot hold a private cache, or None."""
    with contextlib.suppress(FileExistsError):
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir(mode=0o700)
    return _unsafe(os.lstat(folder), f"cache folder {folder}", want_dir=True)


def private_file(path: Path) -> str | None:
    """Create `path` empty and 0600 when missing; why it cannot be a private cache, or None.

    SQLite gives its `-wal` and `-shm` files the database's mode; existing ones are checked too.
    """
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600))
    for suffix in ("", "-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        try:
            info = os.lstat(side)
        except FileNotFoundError:
            continue
        why = _unsafe(info, f"cache file {side}", want_dir=False)
        if why is not None:
            return why
    return None


def _read_key(path: Path) -> bytes | str:
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        why = _unsafe(info, f"cache key {path}", want_dir=False)
        if why is None and info.st_mode & 0o077:
            why = f"cache key {path} is readable by group or others"
        if why is not None:
            return why
        data = os.read(fd, _KEY_BYTES + 1)
    finally:
        os.close(fd)
    return data if len(data) == _KEY_BYTES else f"cache key {path} is not {_KEY_BYTES} bytes"


def load_key(folder: Path) -> bytes | str:
    """The folder's MAC key (made on first use), or why it cannot be used.

    A new key is written to a temporary file opened with O_EXCL and linked into place, so two
    runs starting at once agree on one complete key.
    """
    path = folder / KEY_NAME
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    temporary = folder / f".{KEY_NAME}.{secrets.token_hex(8)}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    try:
        os.write(fd, secrets.token_bytes(_KEY_BYTES))
        os.fsync(fd)
        os.close(fd)
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return _read_key(path)


def seal(key: bytes, *parts: str) -> str:
    """The HMAC-SHA256 of an entry's fields (unambiguous: a JSON list, non-ASCII escaped)."""
    message = json.dumps(parts, ensure_ascii=True).encode("ascii")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def sealed(key: bytes, mac: object, *parts: str) -> bool:
    """Whether `mac` is the entry's HMAC (compared in constant time)."""
    return isinstance(mac, str) and hmac.compare_digest(mac, seal(key, *parts))
