"""semgrep's JSON split per file and merged back, for the incremental cache.

The merged document keeps what the checks and the evidence bundle use: the results, the
per-file errors, the scanned paths and the version, each in a fixed order, so that a run from
the cache and a cold run give the same bytes. Run-level keys (timings, skipped rules) are left
out: they are not facts about the files.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from baseline.tools.output import PerFile

# Error types that depend on the machine's load rather than the file: never cached.
_TRANSIENT = ("timeout", "outofmemory", "out of memory")


def _empty() -> PerFile:
    return {"results": [], "errors": [], "scanned": False}


def split(document: Mapping[str, Any], offered: Sequence[str]) -> dict[str, PerFile]:
    """What the document says about each offered file (an empty entry when nothing)."""
    out = {rel: _empty() for rel in offered}
    paths = document.get("paths")
    scanned = paths.get("scanned") if isinstance(paths, dict) else None
    for rel in scanned if isinstance(scanned, list) else []:
        out.setdefault(str(rel), _empty())["scanned"] = True
    for item in document.get("results") or []:
        if isinstance(item, dict):
            out.setdefault(str(item.get("path", "")), _empty())["results"].append(item)
    for item in document.get("errors") or []:
        if isinstance(item, dict) and item.get("path"):
            out.setdefault(str(item["path"]), _empty())["errors"].append(item)
    return out


def lasting(part: PerFile) -> bool:
    """Whether a file's result can be reused: not when semgrep gave up on it for lack of time
    or memory (another run may finish it)."""
    text = json.dumps([e.get("type") for e in part["errors"]]).lower().replace("_", "")
    return not any(word.replace(" ", "") in text.replace(" ", "") for word in _TRANSIENT)


def _position(item: Mapping[str, Any], end: str) -> tuple[int, int]:
    spot = item.get(end)
    if not isinstance(spot, dict):
        return (0, 0)
    return int(spot.get("line") or 0), int(spot.get("col") or 0)


def _result_order(item: Mapping[str, Any]) -> tuple[Any, ...]:
    return (
        str(item.get("path", "")),
        _position(item, "start"),
        _position(item, "end"),
        str(item.get("check_id", "")),
        json.dumps(item, sort_keys=True),
    )


def merge(per_file: Mapping[str, PerFile], version: str) -> dict[str, Any]:
    """One semgrep document from per-file parts, in a fixed order."""
    results = [item for part in per_file.values() for item in part["results"]]
    errors = [item for part in per_file.values() for item in part["errors"]]
    return {
        "errors": sorted(errors, key=lambda e: (str(e["path"]), json.dumps(e, sort_keys=True))),
        "paths": {"scanned": sorted(rel for rel, part in per_file.items() if part["scanned"])},
        "results": sorted(results, key=_result_order),
        "version": version,
    }
