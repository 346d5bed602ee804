"""Incremental scans: per-file tool results from the cache, only changed files to the tool.

A scan's results are split per file (what the tool said about each offered file), so that a
file whose content, tool, rules and per-file settings are unchanged need not be scanned again.
This is valid because both tools analyze each file on its own: bandit always does, and the
shipped semgrep rule pack has no cross-file (`interfile`) rules; the pack's digest is part of
the key, so editing a rule invalidates every entry.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from baseline.context import Context
from baseline.scancache import ScanCache, note
from baseline.toolrun import find_tool, tool_version
from baseline.tools.output import PerFile

FORMAT = 2  # bump when a payload's shape changes (2: findings carry confidence)


def executable_state(name: str) -> str:
    """The tool's executable as found on PATH: resolved path, size, mtime and inode.

    A reinstall or upgrade rewrites the entry point, so facts remembered under this key
    (its version, its list of tests) are looked up again.
    """
    real = os.path.realpath(find_tool(name))
    info = os.stat(real)
    return f"{name}:{real}:{info.st_size}:{info.st_mtime_ns}:{info.st_ino}"


def remembered(cache: ScanCache | None, key: str, compute: Callable[[], str]) -> str:
    """`compute()`, kept in the cache under `key` (recomputed when the cache has no answer)."""
    value = cache.get_meta(key) if cache is not None else None
    if value is None:
        value = compute()
        if cache is not None:
            cache.put_meta(key, value)
    return value


def cached_version(
    cache: ScanCache | None, name: str, timeout: float, args: tuple[str, ...] = ("--version",)
) -> str:
    """The tool's version (`name args`); asked once per executable state when a cache is open.

    (semgrep's Python `--version` alone takes about 1.4 s, as long as a small scan.)
    """
    if cache is None:
        return tool_version(name, args, timeout=timeout)
    return remembered(
        cache,
        f"version:{executable_state(name)}",
        lambda: tool_version(name, args, timeout=timeout),
    )


def scan_key(parts: Mapping[str, Any]) -> str:
    """The digest of everything that can change a file's results besides its content."""
    text = json.dumps({"format": FORMAT, **parts}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest_files(paths: Iterable[Path]) -> str:
    """SHA-256 over the names and contents of files (a rule pack)."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        with path.open("rb") as handle:  # in blocks, and the size from the open file
            digest.update(f"{path.name}\0{os.fstat(handle.fileno()).st_size}\0".encode())
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _sha(ctx: Context, rel: str, fresh: bool = False) -> str:
    try:
        return ctx.sha256(rel, fresh=fresh)
    except (OSError, ValueError):
        return ""  # unreadable now: scanned, never cached


def incremental(
    ctx: Context,
    cache: ScanCache | None,
    key: str,
    targets: Sequence[str],
    scan: Callable[[list[str]], dict[str, PerFile]],
    keep: Callable[[PerFile], bool] = lambda _: True,
    label: str = "",
) -> dict[str, PerFile]:
    """Per-file results for every target: cached ones, and `scan(changed files)` for the rest.

    Fresh results are stored only for files `keep` accepts (never a transient failure).
    """
    if cache is None:
        return scan(list(targets)) if targets else {}
    digests = {rel: sha for rel in targets if (sha := _sha(ctx, rel))}
    cached = cache.lookup(key, digests)
    todo = [rel for rel in targets if rel not in cached]
    fresh = scan(todo) if todo else {}
    cache.store(
        key,
        (
            (rel, digests[rel], fresh[rel])
            for rel in todo
            # Re-hashed: a file edited while the tool read it is not stored under either content.
            if rel in digests
            and rel in fresh
            and keep(fresh[rel])
            and _sha(ctx, rel, fresh=True) == digests[rel]
        ),
    )
    note(f"{label}: {len(cached)} of {len(targets)} files from the cache, {len(todo)} scanned")
    return {**cached, **fresh}
