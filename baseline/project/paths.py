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


def file_sha256(path: Path) -> str | None:
    """SHA-256 of a regular file, never through a symlink; None when it is absent or not a file."""
    data = read_regular(path)
    return None if data is None else hashlib.sha256(data).hexdigest()


def read_regular(path: Path) -> bytes | None:
    """The bytes of a regular file, never through a symlink; None when it is not one."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None
        return handle.read()
