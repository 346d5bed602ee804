"""Nightly backups: an online SQLite copy, then compression with zstd.

The external tool is resolved to an absolute path and called with an argument
list (no shell), so file names are never interpreted by a shell.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from wellkept.store import InventoryStore


class BackupError(RuntimeError):
    """Raised when a backup cannot be written or compressed."""


def _zstd_path() -> str:
    found = shutil.which("zstd")
    if found is None:
        raise BackupError("zstd is not installed")
    return found


def compress(path: Path, *, timeout: float = 300.0) -> Path:
    """Compress ``path`` to ``path.zst`` and remove the original."""
    argv = [_zstd_path(), "--quiet", "--rm", "-19", "--", str(path)]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    if result.returncode != 0:
        raise BackupError(f"zstd failed ({result.returncode}): {result.stderr.strip()}")
    return path.with_name(path.name + ".zst")


def run_backup(store: InventoryStore, backup_dir: Path, *, now: datetime | None = None) -> Path:
    """Write a timestamped, compressed copy of the store into ``backup_dir``."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    backup_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = backup_dir / f"inventory-{stamp}.sqlite3"
    store.backup_to(target)
    return compress(target)
