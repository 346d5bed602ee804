"""bandit over many cores: the files split into size-balanced shards run at once, one JSON.

bandit has no parallel option and analyzes each file on its own, so shards give the same
per-file results as one run. The shards' JSON is split per file and merged back into one
document with a fixed order (results by file, line, column and test; errors by file) and
`_totals` summed over the files, which is what a single run reports.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from baseline.checks import sast
from baseline.checks.sast_cache import PerFile
from baseline.context import Context
from baseline.errors import ToolError
from baseline.toolrun import Completed, run_tool

# Below this many bytes per shard another bandit process costs more than it saves (~0.2 s).
MIN_SHARD_BYTES = 256 * 1024


def _clean(path: str) -> str:
    while path.startswith("./"):
        path = path[2:]
    return path


def _size(ctx: Context, rel: str) -> int:
    try:
        return os.lstat(ctx.path(rel)).st_size
    except (OSError, ValueError):
        return 0


def shard(ctx: Context, targets: Sequence[str], jobs: int) -> list[list[str]]:
    """Targets in at most `jobs` shards of about equal bytes (largest file first, greedy)."""
    sizes = {rel: _size(ctx, rel) for rel in targets}
    count = max(1, min(jobs, sum(sizes.values()) // MIN_SHARD_BYTES, len(targets)))
    heap = [(0, index) for index in range(count)]
    shards: list[list[str]] = [[] for _ in range(count)]
    for rel in sorted(targets, key=lambda r: (-sizes[r], r)):
        load, index = heapq.heappop(heap)
        shards[index].append(rel)
        heapq.heappush(heap, (load + sizes[rel], index))
    return [sorted(part) for part in shards if part]


def _document(done: Completed) -> Mapping[str, Any]:
    document = sast.load_json(done.stdout)
    if document is None or done.run.exit_code not in (0, 1):
        tail = done.stderr.decode("utf-8", "replace").strip()[-300:]
        raise ToolError(
            "bandit",
            f"exited {done.run.exit_code} without a valid JSON report ({tail or 'no message'})",
            "run the command shown in the evidence by hand to see what bandit reports",
        )
    results, errors = document.get("results"), document.get("errors")
    if not isinstance(results, list) or not isinstance(errors, list):
        raise ToolError("bandit", "its JSON has no `results`/`errors` lists", "reinstall bandit")
    return document


def _empty() -> PerFile:
    return {"results": [], "errors": [], "metrics": None}


def split(document: Mapping[str, Any], offered: Sequence[str]) -> dict[str, PerFile]:
    """What the document says about each offered file (an empty entry when nothing)."""
    out: dict[str, PerFile] = {rel: _empty() for rel in offered}
    metrics = document.get("metrics")
    for name, values in (metrics if isinstance(metrics, dict) else {}).items():
        if _clean(str(name)) in out:
            out[_clean(str(name))]["metrics"] = {"name": name, "values": values}
    for field in ("results", "errors"):
        for item in document[field]:
            name = _clean(str(item.get("filename", ""))) if isinstance(item, dict) else ""
            out.setdefault(name, _empty())[field].append(item)
    return out


def _result_order(item: Any) -> tuple[str, int, int, str, str]:
    if not isinstance(item, dict):
        return ("", 0, 0, "", repr(item))
    return (
        _clean(str(item.get("filename", ""))),
        int(item.get("line_number") or 0),
        int(item.get("col_offset") or 0),
        str(item.get("test_id", "")),
        str(item.get("issue_text", "")),
    )


def merge(per_file: Mapping[str, PerFile]) -> dict[str, Any]:
    """One bandit document from per-file parts, in a fixed order, with `_totals` summed."""
    results = [item for part in per_file.values() for item in part["results"]]
    errors = [item for part in per_file.values() for item in part["errors"]]
    metrics: dict[str, Any] = {}
    totals: dict[str, int] = {}
    for rel in sorted(per_file):
        entry = per_file[rel]["metrics"]
        if not isinstance(entry, dict) or not isinstance(entry.get("values"), dict):
            continue
        metrics[str(entry["name"])] = entry["values"]
        for name, value in entry["values"].items():
            if isinstance(value, int):
                totals[name] = totals.get(name, 0) + value
    metrics["_totals"] = dict(sorted(totals.items()))
    return {
        "errors": sorted(errors, key=lambda e: (str(e.get("filename", "")), str(e))),
        "metrics": metrics,
        "results": sorted(results, key=_result_order),
    }


def run_sharded(
    ctx: Context, args: Sequence[str], targets: Sequence[str], *, timeout: float, version: str
) -> dict[str, PerFile]:
    """Per-file results of bandit over `targets`, in shards run at the same time."""
    # One core is left to semgrep, which runs at the same time: on 2 cores a second bandit
    # shard slowed semgrep, the longer of the two, more than it sped bandit up (pip: 16.5-17.4 s
    # for the whole assessment with one shard, 19.0-19.5 s with two).
    parts = shard(ctx, targets, max(1, ctx.options.jobs - 1))

    def one(part: list[str]) -> dict[str, PerFile]:
        done = run_tool(
            "bandit", [*args, "--", *part], cwd=ctx.root, timeout=timeout, version=version
        )
        return split(_document(done), part)

    if len(parts) == 1:
        return one(parts[0])
    out: dict[str, PerFile] = {}
    with ThreadPoolExecutor(max_workers=len(parts)) as pool:
        for found in pool.map(one, parts):
            out.update(found)
    return out
