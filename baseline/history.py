"""One product's assessment records over time (`baseline history`): statuses per task per
release, findings opened and closed between consecutive records, and since when each finding
still open has been open. Findings are matched by fingerprint, as `baseline diff` matches them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from baseline.diff import FindingChange, diff
from baseline.errors import InputError, Problem
from baseline.models import Assessment, ControlStatus
from baseline.report.charts import Chart, bar_chart
from baseline.report.record_io import load_record

STATUSES: tuple[str, ...] = tuple(s.value for s in ControlStatus)


@dataclass(frozen=True)
class Release:
    """One record: which commit, when, and how many tasks are in each status."""

    label: str
    """How columns are headed: the short commit, else the record's date."""
    commit: str | None
    generated_at: str
    counts: dict[str, int]


@dataclass(frozen=True)
class TaskRow:
    """One task's status in each release ("" where that release's catalog lacks the task)."""

    id: str
    title: str
    statuses: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class OpenFinding:
    """A finding of the newest record and the first release it appears in."""

    change: FindingChange
    since: str


@dataclass(frozen=True)
class Step:
    """What changed from one release to the next."""

    old: str
    new: str
    opened: tuple[FindingChange, ...]
    closed: tuple[FindingChange, ...]


@dataclass(frozen=True)
class History:
    """Everything the history reports show, in chronological order."""

    target: str
    releases: tuple[Release, ...]
    tasks: tuple[TaskRow, ...]
    steps: tuple[Step, ...]
    still_open: tuple[OpenFinding, ...]
    chart: Chart


def identity(a: Assessment) -> tuple[str, str]:
    """(key, value) that names the product: its remote URL (and folder), else its path."""
    repo = a.repository
    if repo is not None and repo.url:
        return "target.url", repo.url + (f" {repo.subdir}" if repo.subdir else "")
    return "target.path", a.target


def _same_product(named: Sequence[tuple[str, Assessment]]) -> None:
    """Refuse records of different repositories: their history would mean nothing."""
    first_file, first = named[0]
    key, value = identity(first)
    problems = []
    for file, a in named[1:]:
        other_key, other = identity(a)
        if (other_key, other) != (key, value):
            message = (
                f"another product: {other_key} {other!r} differs from {key} {value!r} in "
                f"{first_file} (history compares records of one repository)"
            )
            problems.append(Problem(file, None, other_key, message))
    if problems:
        raise InputError(problems)


def _label(a: Assessment) -> str:
    return a.commit[:12] if a.commit else a.generated_at[:10]


def _tasks(records: Sequence[Assessment]) -> tuple[TaskRow, ...]:
    """Tasks in the newest catalog's order, then tasks only older records had."""
    order: dict[str, str] = {}
    for a in reversed(records):
        for r in a.results:
            order.setdefault(r.control.id, r.control.title)
    by_release = [{r.control.id: r for r in a.results} for a in records]
    rows = []
    for ident, title in order.items():
        found = [results.get(ident) for results in by_release]
        rows.append(
            TaskRow(
                ident,
                title,
                tuple(r.status.value if r else "" for r in found),
                tuple(r.reason if r else "" for r in found),
            )
        )
    return tuple(rows)


def build_history(named: Sequence[tuple[str, Assessment]]) -> History:
    """The history of records (file name, assessment) of one product, in any order given."""
    if not named:
        raise InputError.single("history", "RECORDS", "no assessment records given")
    _same_product(named)
    ordered = sorted(named, key=lambda fa: (fa[1].generated_at, fa[0]))
    records = [a for _, a in ordered]
    labels: list[str] = []
    seen: dict[str, int] = {}
    for a in records:  # the same commit assessed again: the later records get #2, #3, ...
        label = _label(a)
        seen[label] = seen.get(label, 0) + 1
        labels.append(label if seen[label] == 1 else f"{label} #{seen[label]}")
    releases = tuple(
        Release(
            label,
            a.commit,
            a.generated_at,
            {s: sum(r.status.value == s for r in a.results) for s in STATUSES},
        )
        for label, a in zip(labels, records, strict=True)
    )
    steps = []
    since: dict[str, str] = {}
    for key in _all_findings(records[0]):
        since[key] = releases[0].label
    for index in range(1, len(records)):
        d = diff(records[index - 1], records[index])
        label = releases[index].label
        for change in d.new_findings:
            since[change.key] = label  # reopened findings count from their reappearance
        steps.append(Step(releases[index - 1].label, label, d.new_findings, d.resolved_findings))
    newest = _all_findings(records[-1])
    still_open = tuple(OpenFinding(c, since[k]) for k, c in newest.items())
    rows = tuple(
        (r.label, r.generated_at, tuple((s, r.counts[s]) for s in STATUSES)) for r in releases
    )
    return History(
        target=identity(records[-1])[1],
        releases=releases,
        tasks=_tasks(records),
        steps=tuple(steps),
        still_open=tuple(sorted(still_open, key=lambda o: _order(o.change))),
        # Wide enough for a 12-character commit or an ISO date in the chart's 12 px font.
        chart=bar_chart("Task statuses per release", rows, label_width=96),
    )


def _order(change: FindingChange) -> tuple[Any, ...]:
    f = change.finding
    return (-f.severity.rank, f.path, f.line or 0, f.rule, change.key)


def _all_findings(a: Assessment) -> dict[str, FindingChange]:
    """Every finding of one record by fingerprint (what diff reports as new against nothing)."""
    empty = Assessment(a.target, a.commit, a.catalog, {}, a.generated_at, ())
    return {c.key: c for c in diff(empty, a).new_findings}


def _read(file: str) -> tuple[str, Assessment] | list[Problem]:
    try:
        return file, load_record(Path(file))
    except InputError as exc:
        return exc.problems


def load_history(files: Sequence[str]) -> History:
    """Read and check every record (all problems at once), then build the history."""
    outcomes = [_read(file) for file in files]
    problems = [p for o in outcomes if isinstance(o, list) for p in o]
    if problems:
        raise InputError(problems)
    return build_history([o for o in outcomes if isinstance(o, tuple)])


def history_record(h: History) -> dict[str, Any]:
    """The machine-readable history (history.json)."""

    def finding(change: FindingChange) -> dict[str, Any]:
        f = change.finding
        return {"key": change.key, "controls": list(change.controls), "tool": f.tool,
                "rule": f.rule, "severity": f.severity.value, "path": f.path, "line": f.line,
                "message": f.message}  # fmt: skip

    return {
        "kind": "ssdf-baseline-history",
        "target": h.target,
        "releases": [
            {
                "label": r.label,
                "commit": r.commit,
                "generated_at": r.generated_at,
                "counts": r.counts,
            }  # fmt: skip
            for r in h.releases
        ],
        "tasks": [
            {"id": t.id, "title": t.title, "statuses": [s or None for s in t.statuses]}
            for t in h.tasks
        ],
        "changes": [
            {
                "from": s.old,
                "to": s.new,
                "opened": [finding(c) for c in s.opened],
                "closed": [finding(c) for c in s.closed],
            }  # fmt: skip
            for s in h.steps
        ],
        "open": [finding(o.change) | {"since": o.since} for o in h.still_open],
    }
