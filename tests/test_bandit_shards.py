"""bandit in shards: balanced by size, and the merged result equals one bandit run's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support import EXAMPLES

from baseline.checks import bandit, bandit_shards
from baseline.context import RunOptions, build_context
from baseline.models import Evidence


def _evidence(target: Path, jobs: int) -> Evidence:
    ctx = build_context(target, "app", RunOptions(jobs=jobs))
    return bandit.BANDIT.run(ctx, bandit.BANDIT.resolve({}))


def test_shards_balance_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sizes = {"a.py": 900, "b.py": 500, "c.py": 400, "d.py": 300, "e.py": 100, "f.py": 0}
    for name, size in sizes.items():
        (tmp_path / name).write_text("#" * size)
    ctx = build_context(tmp_path, "t", RunOptions(jobs=2))
    monkeypatch.setattr(bandit_shards, "MIN_SHARD_BYTES", 1)
    parts = bandit_shards.shard(ctx, sorted(sizes), 2)
    loads = sorted(sum(sizes[f] for f in part) for part in parts)
    assert loads == [1000, 1200] and sorted(f for p in parts for f in p) == sorted(sizes)
    assert bandit_shards.shard(ctx, sorted(sizes), 8) != parts  # more jobs, more shards
    monkeypatch.setattr(bandit_shards, "MIN_SHARD_BYTES", 10_000)
    assert bandit_shards.shard(ctx, sorted(sizes), 8) == [sorted(sizes)]  # too small to split


def test_merge_sums_totals_and_orders_results() -> None:
    def part(name: str, line: int, loc: int) -> dict[str, object]:
        result = {"filename": f"./{name}", "line_number": line, "test_id": "B101"}
        return {
            "results": [result],
            "errors": [],
            "metrics": {"name": f"./{name}", "values": {"loc": loc, "nosec": 1}},
        }

    merged = bandit_shards.merge({"b.py": part("b.py", 3, 10), "a.py": part("a.py", 9, 5)})
    assert [r["filename"] for r in merged["results"]] == ["./a.py", "./b.py"]
    assert merged["metrics"]["_totals"] == {"loc": 15, "nosec": 2}
    assert list(merged["metrics"]) == ["./a.py", "./b.py", "_totals"]


@pytest.mark.slow
def test_sharded_bandit_equals_one_run(monkeypatch: pytest.MonkeyPatch) -> None:
    target = EXAMPLES / "insecure-app"
    single = _evidence(target, 1)
    monkeypatch.setattr(bandit_shards, "MIN_SHARD_BYTES", 1)  # shard even this small app
    calls: list[list[str]] = []
    real = bandit_shards.run_tool

    def spy(name: str, args: list[str], **kwargs: Any) -> Any:
        calls.append(args[args.index("--") + 1 :])
        return real(name, args, **kwargs)

    monkeypatch.setattr(bandit_shards, "run_tool", spy)
    sharded = _evidence(target, 4)  # 3 shards: a core is left to semgrep
    assert len(calls) == 3 and sorted(f for c in calls for f in c) == sorted(
        sharded.tool_runs[0].command[5:]
    )
    assert single.findings and single == sharded
    assert single.artifacts[0].content == sharded.artifacts[0].content
    document = json.loads(single.artifacts[0].content)
    assert document["metrics"]["_totals"]["loc"] == sum(
        v["loc"] for k, v in document["metrics"].items() if k != "_totals"
    )
