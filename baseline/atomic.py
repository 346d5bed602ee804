"""Write files so that a reader (or an interrupted run) never sees half of one.

The work is done by baseline.outdir, which opens every folder on the way without following
links; these names stay for the callers that write one file (diff, init, keygen)."""

from __future__ import annotations

from pathlib import Path

from baseline.outdir import write_file


def write_bytes_atomic(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it into place.

    No folder on the way may be a symbolic link (InputError); a write that fails (full disk,
    read-only folder) is an InputError naming the path and leaves the old file as it was."""
    write_file(path, data, mode=mode)


def write_text_atomic(path: Path, text: str) -> None:
    """UTF-8 text, atomically; characters that cannot be encoded are backslash-escaped."""
    write_bytes_atomic(path, text.encode("utf-8", "backslashreplace"))
