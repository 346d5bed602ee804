"""The portfolio view: repositories and tasks ordered worst first, built once for every format."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from baseline.aggregate.load import CatalogRef, Row
from baseline.models import ControlStatus

STATUSES: tuple[str, ...] = tuple(s.value for s in ControlStatus)
"""Every status, in the model's order (columns of every count table)."""

# What ranks a gap: a failure is worse than an error, which is worse than an unanswered review.
_GAP_ORDER = ("fail", "error", "needs_review")


@dataclass(frozen=True)
class RepoView:
    """One repository: its counts and its status for each task (in the portfolio's task order)."""

    target: str
    commit: str | None
    counts: dict[str, int]
    cells: tuple[tuple[str, str], ...]
    """(task id, status) in the order of Portfolio.tasks."""


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


def build_portfolio(rows: Sequence[Row]) -> Portfolio:
    """Order tasks by how many repositories fail them, repositories by how much they fail."""
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
        repo_counts = {s: row.summary.get(s, 0) for s in STATUSES}
        cells = tuple((t, status_of[t]) for t in order)
        repos.append(RepoView(row.target, row.commit, repo_counts, cells))
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
                "counts": r.counts,
                "statuses": dict(r.cells),
            }
            for r in portfolio.repositories
        ],
    }
