"""bandit: the tests it knows, runs over many cores, and its JSON parsed into findings.

The files are handed out in chunks to every free core slot, and give one JSON. bandit has no
parallel option and analyzes each file on its own, so chunks give the same
per-file results as one run. The chunks' JSON is split per file and merged back into one
document with a fixed order (results by file, line, column and test; errors by file) and
`_totals` summed over the files, which is what a single run reports.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from baseline import toolrun
from baseline.cores import Cores
from baseline.errors import ToolError
from baseline.models import Finding, Severity, Suppression
from baseline.toolrun import Completed, argument_bytes, run_tool
from baseline.tools.output import PerFile, Snippet, load_json

# Below this many bytes (about half a second of bandit) another bandit process costs more
# than it saves: each one spends ~0.15 s starting.
MIN_CHUNK_BYTES = 256 * 1024
# A chunk is the bytes left over this many times the slots: 2 balances few starts (the first
# chunks are large) against an even finish (the last ones are small).
CHUNKS_PER_SLOT = 2
_TEST_ID = re.compile(r"^\s+(B\d{3})\s", re.MULTILINE)
_SEVERITY = {"HIGH": Severity.HIGH, "MEDIUM": Severity.MEDIUM, "LOW": Severity.LOW}


def _clean(path: str) -> str:
    while path.startswith("./"):
        path = path[2:]
    return path


def _size(root: Path, rel: str) -> int:
    try:
        # Only a size (to balance chunks): the walk found `rel` without following links.
        return os.lstat(root / rel).st_size
    except (OSError, ValueError):
        return 0


class Chunks:
    """The files still to scan, handed out in chunks that shrink as the work runs out.

    Each chunk is a share of the bytes left (guided scheduling): large chunks first, so few
    bandit processes start, then small ones, so the slots finish close together. Largest files
    go first, so no big file is left for the end.
    """

    def __init__(self, root: Path, targets: Sequence[str], slots: int) -> None:
        sizes = {rel: _size(root, rel) for rel in targets}
        self._left = sorted(targets, key=lambda r: (sizes[r], r))  # popped from the end
        self._sizes = sizes
        self._bytes_left = sum(sizes.values())
        self._slots = max(1, slots)
        self._stopped = False
        self._lock = threading.Lock()

    def take(self) -> list[str] | None:
        """The next chunk (sorted), or None when every file is handed out or the work stopped."""
        with self._lock:
            if self._stopped or not self._left:
                return None
            share = max(MIN_CHUNK_BYTES, self._bytes_left // (CHUNKS_PER_SLOT * self._slots))
            part: list[str] = []
            taken = arguments = 0
            while self._left:
                rel = self._left[-1]
                # Bounded by bytes to scan and by the command line's length (many small files).
                full = taken >= share or arguments + argument_bytes(rel) > toolrun.ARGV_BUDGET
                if part and full:
                    break
                part.append(self._left.pop())
                taken += self._sizes[rel]
                arguments += argument_bytes(rel)
            self._bytes_left -= taken
            return sorted(part)

    def stop(self) -> None:
        """Hand out nothing more (a chunk failed: the scan's result is an error anyway)."""
        with self._lock:
            self._stopped = True


def _document(done: Completed) -> Mapping[str, Any]:
    document = load_json(done.stdout)
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
    root: Path,
    args: Sequence[str],
    targets: Sequence[str],
    *,
    jobs: int,
    cores: Cores,
    timeout: float,
    version: str,
) -> dict[str, PerFile]:
    """Per-file results of bandit over `targets` (paths under `root`), in chunks run on every
    free slot of `cores` by up to `jobs` workers."""
    chunks = Chunks(root, targets, jobs)
    out: dict[str, PerFile] = {}
    out_lock = threading.Lock()

    def worker() -> None:
        try:
            while True:
                # The slot first, then the chunk: its size is a share of what is left when it
                # can actually start, not when this worker began waiting.
                with cores.slot():
                    part = chunks.take()
                    if part is None:
                        return
                    done = run_tool(
                        "bandit", [*args, "--", *part], cwd=root, timeout=timeout,
                        version=version,
                    )  # fmt: skip
                found = split(_document(done), part)
                with out_lock:
                    out.update(found)
        except BaseException:
            chunks.stop()
            raise

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        running = [pool.submit(worker) for _ in range(max(1, jobs))]
        for future in running:
            future.result()
    return out


@functools.cache
def known_tests(timeout: float) -> tuple[str, ...]:
    """The test ids the installed bandit lists in its help (what `rules` and `skip` may name)."""
    done = run_tool("bandit", ["-h"], cwd=Path.cwd(), timeout=timeout)
    found = tuple(sorted(set(_TEST_ID.findall(done.stdout.decode("utf-8", "replace")))))
    if not found:
        raise ToolError("bandit", "`bandit -h` lists no tests", "reinstall bandit")
    return found


def _finding(item: Mapping[str, Any], snippet: Snippet) -> tuple[Finding, str]:
    path = _clean(str(item["filename"]))
    line = int(item["line_number"])
    cwe = item.get("issue_cwe") or {}
    confidence = str(item.get("issue_confidence", "UNDEFINED")).lower()
    return Finding(
        rule=str(item["test_id"]),
        message=f"{item['issue_text']} [{item.get('test_name', '')}, confidence {confidence}]",
        severity=_SEVERITY.get(str(item["issue_severity"]).upper(), Severity.INFO),
        path=path,
        line=line,
        tool="bandit",
        cwe=(f"CWE-{cwe['id']}",) if isinstance(cwe, dict) and cwe.get("id") else (),
        snippet=snippet(path, line),
        confidence=confidence if confidence in ("high", "medium", "low") else "",
    ), confidence


def parse(
    document: Mapping[str, Any], snippet: Snippet
) -> tuple[list[tuple[Finding, str]], list[Suppression]]:
    """Each finding with bandit's confidence in it (lower case), and a `parse-error`
    suppression for each file bandit could not parse; ToolError if the shape is not bandit's."""
    results, errors = document.get("results"), document.get("errors")
    if not isinstance(results, list) or not isinstance(errors, list):
        raise ToolError("bandit", "its JSON has no `results`/`errors` lists", "reinstall bandit")
    try:
        findings = [_finding(item, snippet) for item in results]
    except (KeyError, TypeError, ValueError) as exc:
        raise ToolError(
            "bandit", f"unexpected result shape ({exc!r})", "reinstall bandit"
        ) from None
    unparsed = [
        Suppression(
            "parse-error", _clean(str(e.get("filename", ""))), None, str(e.get("reason", ""))
        )
        for e in errors
        if isinstance(e, dict)
    ]
    return findings, unparsed
