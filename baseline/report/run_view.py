"""Check runs as the HTML report shows them: each run's evidence once, tasks link to it.

A run (a check with one set of parameters) often evidences several tasks; showing its findings,
commands and exclusions under every task made pip's report 1.5 MB. Here each run is one entry
with the tasks that cite it, its findings split into those that cause failure (shown) and the
rest (counted, expandable), and commands shortened for reading (the record keeps them whole).
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass

from baseline.models import CheckOutcome, Evidence, Result
from baseline.report.evidence_view import FindingRow, ToolRunRow, evidence_view
from baseline.report.failing import causes_failure
from baseline.report.json_record import run_ids, run_key

SHOWN_ARGUMENTS = 8
"""Command-line arguments shown before the rest are counted (a scanner lists every file)."""


@dataclass(frozen=True)
class FindingGroup:
    """Findings a run saw but did not count, one row per rule: a scanner's hundreds of
    low-severity hits read as a count and their locations (each one's text is in the record)."""

    rule: str
    tool: str
    severity: str
    message: str
    """The first finding's message (bandit and semgrep word one rule's findings alike)."""
    scopes: str
    """`3 test, 1 fixture` for locations outside the product; empty when all are product."""
    locations: tuple[str, ...]


@dataclass(frozen=True)
class SuppressionGroup:
    """Suppressions and exclusions of one kind with the same detail, and where they apply."""

    kind: str
    detail: str
    locations: tuple[str, ...]


@dataclass(frozen=True)
class CheckRunView:
    """One check run: what it gathered, once, and the tasks it evidences."""

    id: str
    """The run's id in the record (`check_runs[].id`)."""
    anchor: str
    check: str
    question: str
    outcome: str
    summary: str
    error: str
    tasks: tuple[tuple[str, str], ...]
    """(task id, task anchor) of every task citing the run, in catalog order."""
    failing: tuple[FindingRow, ...]
    """Findings that made the check fail, most severe first."""
    other: tuple[FindingGroup, ...]
    """Findings seen but not counted (below the threshold, outside the product scope)."""
    other_count: int
    tool_runs: tuple[ToolRunRow, ...]
    """Commands shortened to `SHOWN_ARGUMENTS` arguments (see `short_command`)."""
    files: tuple[str, ...]
    digests: tuple[tuple[str, str], ...]
    suppressions: tuple[SuppressionGroup, ...]
    suppression_count: int
    suppression_kinds: tuple[tuple[str, int], ...]
    """(kind, count) of the suppressions and exclusions, by kind."""
    params: tuple[tuple[str, str], ...]


def run_anchor(run_id: str) -> str:
    """A fragment id for a check run, safe in HTML ids."""
    return "run-" + "".join(c if c.isalnum() else "-" for c in run_id.lower())


def short_command(command: Sequence[str]) -> str:
    """The command shell-quoted; a long one keeps its options (up to `--`, which scanners put
    before the file list) and counts the rest: `bandit -f json -q -- ... +1,070 paths`."""
    if len(command) <= SHOWN_ARGUMENTS + 1:
        return shlex.join(command)
    split = command.index("--") + 1 if "--" in command else 0
    if split and split <= SHOWN_ARGUMENTS * 2:
        return f"{shlex.join(command[:split])} ... +{len(command) - split:,} paths"
    rest = len(command) - SHOWN_ARGUMENTS
    return f"{shlex.join(command[:SHOWN_ARGUMENTS])} ... +{rest:,} arguments"


def _finding_groups(rows: Sequence[FindingRow]) -> tuple[FindingGroup, ...]:
    groups: dict[tuple[str, str, str], list[FindingRow]] = {}
    for row in rows:
        groups.setdefault((row.severity, row.rule, row.tool), []).append(row)
    out = []
    for (severity, rule, tool), members in groups.items():
        scopes: dict[str, int] = {}
        for m in members:
            if m.scope != "product":
                scopes[m.scope] = scopes.get(m.scope, 0) + 1
        out.append(
            FindingGroup(
                rule=rule,
                tool=tool,
                severity=severity,
                message=members[0].message,
                scopes=", ".join(f"{n} {scope}" for scope, n in sorted(scopes.items())),
                locations=tuple(m.location for m in members),
            )
        )
    return tuple(sorted(out, key=lambda g: (-len(g.locations), g.rule, g.severity)))


def _suppression_groups(e: Evidence) -> tuple[SuppressionGroup, ...]:
    groups: dict[tuple[str, str], list[str]] = {}
    for s in e.suppressions:
        where = f"{s.path}:{s.line}" if s.line else s.path
        groups.setdefault((s.kind, s.detail), []).append(where or "(repository)")
    return tuple(SuppressionGroup(k, d, tuple(w)) for (k, d), w in groups.items())


def severity_key(row: FindingRow) -> tuple[int, str, int]:
    """Most severe first, then by path and line."""
    rank = {"high": 0, "medium": 1, "low": 2, "info": 3}.get(row.severity, 4)
    return (rank, row.path, row.line or 0)


def _run(run_id: str, e: Evidence, tasks: tuple[tuple[str, str], ...]) -> CheckRunView:
    rows = evidence_view(e)
    failing = tuple(causes_failure(e, f) for f in e.findings)
    kinds: dict[str, int] = {}
    for s in e.suppressions:
        kinds[s.kind] = kinds.get(s.kind, 0) + 1
    return CheckRunView(
        id=run_id,
        anchor=run_anchor(run_id),
        check=e.check,
        question=e.question,
        outcome=rows.outcome,
        summary=rows.summary,
        error=rows.error,
        tasks=tasks,
        failing=tuple(
            sorted((r for r, f in zip(rows.findings, failing, strict=True) if f), key=severity_key)
        ),
        other=_finding_groups([r for r, f in zip(rows.findings, failing, strict=True) if not f]),
        other_count=failing.count(False),
        tool_runs=tuple(
            ToolRunRow(t.tool, t.version, short_command(t.command), t.exit_code)
            for t in e.tool_runs
        ),
        files=rows.files,
        digests=rows.digests,
        suppressions=_suppression_groups(e),
        suppression_count=len(e.suppressions),
        suppression_kinds=tuple(sorted(kinds.items())),
        params=rows.params,
    )


def check_runs(results: Sequence[Result], anchors: dict[str, str]) -> tuple[CheckRunView, ...]:
    """Every check run once, sorted by id as in the record; `anchors` maps task id to anchor.

    A run's evidence is the first task's copy (as in the record); when another task saw it fail
    (an online check settling an offline one reads differently per task) that copy is used.
    """
    ids = run_ids(results)
    chosen: dict[str, Evidence] = {}
    cited: dict[str, list[tuple[str, str]]] = {}
    for r in results:
        for e in r.evidence:
            key = run_key(e)
            failed_here = e.outcome is CheckOutcome.FAIL
            if key not in chosen or (failed_here and chosen[key].outcome is not CheckOutcome.FAIL):
                chosen[key] = e
            citing = cited.setdefault(key, [])
            if r.control.id not in (t for t, _ in citing):
                citing.append((r.control.id, anchors[r.control.id]))
    return tuple(
        sorted(
            (_run(ids[k], e, tuple(cited[k])) for k, e in chosen.items()),
            key=lambda run: run.id,
        )
    )


def run_of(results: Sequence[Result]) -> dict[str, str]:
    """Run key -> run anchor, for tasks to link each evidence to its run."""
    return {key: run_anchor(run_id) for key, run_id in run_ids(results).items()}
