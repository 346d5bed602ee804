"""bandit in chunks: shrinking as the work runs out, and the merged result equals one run's."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from support import EXAMPLES, record_file_lists

from baseline.checks import bandit
from baseline.context import RunOptions, build_context
from baseline.errors import ToolError
from baseline.models import Evidence
from baseline.tools import bandit as bandit_tool


def _evidence(target: Path, jobs: int) -> Evidence:
    ctx = build_context(target, "app", RunOptions(jobs=jobs))
    return bandit.BANDIT.run(ctx, bandit.BANDIT.resolve({}))


def test_chunks_shrink_and_hand_out_every_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sizes = {f"f{i:02}.py": 100 * (i + 1) for i in range(20)}
    for name, size in sizes.items():
        (tmp_path / name).write_text("#" * size)
    ctx = build_context(tmp_path, "t", RunOptions(jobs=2))
    monkeypatch.setattr(bandit_tool, "MIN_CHUNK_BYTES", 1)
    chunks = bandit_tool.Chunks(ctx.root, sorted(sizes), 2)
    parts = list(iter(chunks.take, None))
    loads = [sum(sizes[f] for f in part) for part in parts]
    assert sorted(f for part in parts for f in part) == sorted(sizes)
    assert "f19.py" in parts[0] and min(parts[0]) > max(parts[-1])  # the largest files first
    assert loads[0] > loads[-1] and len(parts) > 4  # large chunks first, small ones last
    monkeypatch.setattr(bandit_tool, "MIN_CHUNK_BYTES", 10**6)
    assert list(iter(bandit_tool.Chunks(ctx.root, sorted(sizes), 8).take, None)) == [
        sorted(sizes)
    ]  # too small to split


def test_a_stopped_queue_hands_out_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    chunks = bandit_tool.Chunks(tmp_path, ["a.py"], 2)
    chunks.stop()
    assert chunks.take() is None


def test_merge_sums_totals_and_orders_results() -> None:
    def part(name: str, line: int, loc: int) -> dict[str, object]:
        result = {"filename": f"./{name}", "line_number": line, "test_id": "B101"}
        return {
            "results": [result],
            "errors": [],
            "metrics": {"name": f"./{name}", "values": {"loc": loc, "nosec": 1}},
        }

    merged = bandit_tool.merge({"b.py": part("b.py", 3, 10), "a.py": part("a.py", 9, 5)})
    assert [r["filename"] for r in merged["results"]] == ["./a.py", "./b.py"]
    assert merged["metrics"]["_totals"] == {"loc": 15, "nosec": 2}
    assert list(merged["metrics"]) == ["./a.py", "./b.py", "_totals"]


@pytest.mark.slow
def test_sharded_bandit_equals_one_run(monkeypatch: pytest.MonkeyPatch) -> None:
    target = EXAMPLES / "insecure-app"
    single = _evidence(target, 1)
    monkeypatch.setattr(bandit_tool, "MIN_CHUNK_BYTES", 1)  # split even this small app
    calls = record_file_lists(monkeypatch, bandit_tool)
    sharded = _evidence(target, 4)
    assert len(calls) > 1 and sorted(f for c in calls for f in c) == sorted(
        sharded.tool_runs[0].command[5:]
    )
    assert single.findings and single == sharded
    assert single.artifacts[0].content == sharded.artifacts[0].content
    document = json.loads(single.artifacts[0].content)
    assert document["metrics"]["_totals"]["loc"] == sum(
        v["loc"] for k, v in document["metrics"].items() if k != "_totals"
    )


@pytest.mark.slow
def test_a_failed_chunk_stops_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bandit_tool, "MIN_CHUNK_BYTES", 1)
    calls: list[list[str]] = []
    real = bandit_tool.run_tool
    second_started = threading.Event()

    def first_fails(name: str, args: list[str], **kwargs: Any) -> Any:
        calls.append(args[args.index("--") + 1 :])
        if len(calls) == 1:
            second_started.wait(5)
            raise ToolError("bandit", "killed", "rerun")
        second_started.set()
        time.sleep(0.3)  # the other worker is still busy when the first one fails
        return real(name, args, **kwargs)

    monkeypatch.setattr(bandit_tool, "run_tool", first_fails)
    with pytest.raises(ToolError, match="killed"):  # the engine records it as `error`
        _evidence(EXAMPLES / "insecure-app", 2)
    # the busy worker finished its chunk and took no other: the files left were never scanned
    assert len(calls) == 2 and len({f for c in calls for f in c}) < 6
