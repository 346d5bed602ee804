"""Huge file lists are split so no tool call exceeds the command-line limit (ARG_MAX)."""

from __future__ import annotations

from typing import Any

import pytest
from support import EXAMPLES, check_evidence, record_file_lists

from baseline import toolrun
from baseline.models import Evidence
from baseline.toolrun import argument_bytes, argv_batches
from baseline.tools import bandit as bandit_tool
from baseline.tools import semgrep as semgrep_tool


def test_batches_keep_the_order_and_stay_under_the_budget() -> None:
    paths = [f"src/module_{n:03}.py" for n in range(100)] + ["x" * 500]
    batches = argv_batches(paths, budget=200)
    assert [p for batch in batches for p in batch] == paths
    assert all(sum(map(argument_bytes, b)) <= 200 for b in batches[:-1])
    assert batches[-1] == ["x" * 500]  # longer than the budget: alone, never dropped
    assert argv_batches(paths) == [paths]  # the default budget holds them all
    assert argv_batches([]) == []


def test_non_ascii_names_count_in_bytes() -> None:
    assert argument_bytes("é.py") == len("é.py".encode()) + 1


def _evidence(check: str) -> Evidence:
    return check_evidence(EXAMPLES / "insecure-app", check, jobs=2, cache=None)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("check", "module"), [("sast.semgrep", semgrep_tool), ("sast.bandit", bandit_tool)]
)
def test_a_small_budget_means_more_calls_and_the_same_evidence(
    check: str, module: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = _evidence(check)
    calls = record_file_lists(monkeypatch, module)
    monkeypatch.setattr(toolrun, "ARGV_BUDGET", 20)  # one to three paths per call
    split = _evidence(check)
    assert len(calls) > 2 and all(sum(map(argument_bytes, c)) <= 20 or len(c) == 1 for c in calls)
    command = split.tool_runs[0].command
    assert sorted(p for c in calls for p in c) == sorted(command[command.index("--") + 1 :])
    assert whole.findings and split == whole
    assert [a.content for a in split.artifacts] == [a.content for a in whole.artifacts]
