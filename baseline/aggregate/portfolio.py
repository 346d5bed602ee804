"""The portfolio view: repositories and tasks ordered worst first, built once for every format."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from baseline.aggregate.load import CatalogRef, Row
from baseline.models import ControlStatus

STATUSES: tuple[str, ...] = tuple(s.value for s in ControlStatus)
"""Every status, in the model's order (columns of every count table)."""

# What ranks a gap: a failure is worse than an error, which is worse than an unanswered review.
_GAP_ORDER = ("fail", "error", "needs_review")
MET = frozenset({"pass", "attested", "not_applicable"})
"""Statuses that meet a task: their cells need no reason."""


@dataclass(frozen=True)
class RepoView:
    """One repository: its counts and its status for each task (in the portfolio's task order)."""

    target: str
    commit: str | None
    counts: dict[str, int]
    cells: tuple[tuple[str, str], ...]
    """(task id, status) in the order of Portfolio.tasks."""
    reasons: tuple[str, ...] = ()
    """Why each task has its status (shortened to one line), in the order of `cells`."""
    report: str | None = None
    """A relative link to the repository's report.html (None: no report beside the record)."""

    @property
    def gaps(self) -> tuple[tuple[str, str, str], ...]:
        """(task, status, reason) of every task not met, in the order of `cells`."""
        pairs = zip(self.cells, self.reasons, strict=False)
        return tuple((t, s, why) for (t, s), why in pairs if s not in MET)


@dataclass(frozen=True)
class TaskView:
    """One task across the portfolio: how many repositories are in each status."""

    id: str
    title: str
    counts: dict[str, int]


@dataclass(frozen=True)
class Portfolio:
    """Everything the aggregate reports show."""

    catalog: CatalogRef
    repositories: tuple[RepoView, ...]
    tasks: tuple[TaskView, ...]
    totals: dict[str, int]


def _gap_key(counts: dict[str, int]) -> tuple[int, ...]:
    return tuple(-counts[s] for s in _GAP_ORDER)


REASON_LIMIT = 160
"""Characters of a result's reason the heat map shows (the report has it in full)."""


def short_reason(reason: str) -> str:
    """A reason on one line, cut at REASON_LIMIT characters with an ellipsis."""
    text = " ".join(reason.split())
    return text if len(text) <= REASON_LIMIT else text[: REASON_LIMIT - 1].rstrip() + "\u2026"


def build_portfolio(rows: Sequence[Row], reports: Mapping[str, str] | None = None) -> Portfolio:
    """Order tasks by how many repositories fail them, repositories by how much they fail.

    `reports` maps a row's file to the link of its report.html, where there is one."""
    titles = dict(rows[0].titles)
    position = {task: i for i, task in enumerate(titles)}
    counts = {task: dict.fromkeys(STATUSES, 0) for task in titles}
    for row in rows:
        for task, status in row.statuses:
            counts[task][status] += 1
    order = sorted(titles, key=lambda t: (*_gap_key(counts[t]), position[t]))
    tasks = tuple(TaskView(t, titles[t], counts[t]) for t in order)
    repos = []
    for row in rows:
        status_of = dict(row.statuses)
        reason_of = dict(zip((t for t, _ in row.statuses), row.reasons, strict=False))
        repo_counts = {s: row.summary.get(s, 0) for s in STATUSES}
        cells = tuple((t, status_of[t]) for t in order)
        reasons = tuple(short_reason(reason_of.get(t, "")) for t in order)
        link = (reports or {}).get(row.file)
        repos.append(RepoView(row.target, row.commit, repo_counts, cells, reasons, link))
    repos.sort(key=lambda r: (*_gap_key(r.counts), r.target))
    totals = {s: sum(r.counts[s] for r in repos) for s in STATUSES}
    return Portfolio(rows[0].catalog, tuple(repos), tasks, totals)


def portfolio_record(portfolio: Portfolio) -> dict[str, Any]:
    """The machine-readable portfolio (aggregate.json)."""
    cat = portfolio.catalog
    return {
        "kind": "ssdf-baseline-portfolio",
        "catalog": {"id": cat.id, "version": cat.version, "title": cat.title, "digest": cat.digest},
        "repositories_count": len(portfolio.repositories),
        "totals": portfolio.totals,
        "tasks": [{"id": t.id, "title": t.title, "counts": t.counts} for t in portfolio.tasks],
        "repositories": [
            {
                "target": r.target,
                "commit": r.commit,
                "report": r.report,
                "counts": r.counts,
                "statuses": dict(r.cells),
            }
            for r in portfolio.repositories
        ],
    }
