"""Write files so that a reader (or an interrupted run) never sees half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from baseline.errors import InputError


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it into place."""
    if path.parent.is_symlink():
        # A scanned repository may ship the output folder (`baseline-report`) as a link to
        # anywhere: never write through one.
        raise InputError.single(path.parent, "", "the output folder is a symbolic link")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            # mkstemp makes the file private (0600); a report gets the mode a new file would get.
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    # os.umask can only be read by setting it; the value is put straight back.
    current = os.umask(0o022)
    os.umask(current)
    return current


def write_text_atomic(path: Path, text: str) -> None:
    """UTF-8 text, atomically; characters that cannot be encoded are backslash-escaped."""
    write_bytes_atomic(path, text.encode("utf-8", "backslashreplace"))
