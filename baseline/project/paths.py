"""Paths named by a project config: untrusted, so they must stay inside the project."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path, PurePosixPath


def unsafe_reason(rel: str) -> str | None:
    """Why `rel` may not be used as a config-relative path, or None when it may."""
    if not rel.strip():
        return "is empty"
    if "\\" in rel or "\x00" in rel:
        return f"{rel!r} must be a POSIX path without backslashes or NUL"
    pure = PurePosixPath(rel)
    if pure.is_absolute() or rel.startswith("~"):
        return f"{rel!r} must be relative to the config's folder, not absolute"
    if ".." in pure.parts:
        return f"{rel!r} must not leave the config's folder ('..')"
    return None


def locate(base: Path, rel: str) -> tuple[Path | None, str | None]:
    """(path, None) for a safe path under `base` (which may not exist yet), else (None, why).

    Every existing component is checked with lstat: a symlink anywhere on the way is refused,
    because it could point out of the repository.
    """
    why = unsafe_reason(rel)
    if why is not None:
        return None, why
    current = base
    for part in PurePosixPath(rel).parts:
        current = current / part
        try:
            mode = current.lstat().st_mode
        except FileNotFoundError:
            break
        except OSError as exc:
            return None, f"{rel!r} cannot be inspected: {exc.strerror or exc}"
        if stat.S_ISLNK(mode):
            return None, f"{rel!r} goes through a symbolic link; name the real file"
    return base / rel, None


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def kind_of(mode: int) -> str:
    """What a file of this mode is, in words ("a directory", "a named pipe (FIFO)")."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def not_regular_reason(path: Path) -> str | None:
    """Why `path` is not a readable regular file (lstat: links are not followed), else None."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return "does not exist"
    except OSError as exc:
        return f"cannot be inspected: {exc.strerror or exc}"
    return None if stat.S_ISREG(mode) else f"is {kind_of(mode)}, not a regular file"


def open_regular(path: Path) -> int | None:
    """A read-only descriptor of a regular file, or None; never blocks, never follows a link.

    lstat first, so a FIFO or a device is never opened; O_NONBLOCK as well, so one swapped in
    after the lstat cannot block the open either; fstat after, so what was opened is what is
    read.
    """
    if not_regular_reason(path) is not None:
        return None
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    return fd


def file_sha256(path: Path) -> str | None:
    """SHA-256 of a regular file, read in blocks (any size, little memory); None when it is
    absent or not a regular file. Links are never followed."""
    fd = open_regular(path)
    if fd is None:
        return None
    digest = hashlib.sha256()
    with os.fdopen(fd, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_regular(path: Path, limit: int | None = None) -> bytes | None:
    """The bytes of a regular file (at most `limit`), never through a symlink; None when it is
    not one. The one reader for files a repository, a config or a bundle names."""
    fd = open_regular(path)
    if fd is None:
        return None
    with os.fdopen(fd, "rb") as handle:
        return handle.read() if limit is None else handle.read(limit)
