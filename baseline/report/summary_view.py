"""The summary every report opens with: what was assessed, the verdict, and what fails it.

Built once (HTML and Markdown both read it): product and producer when configured, where the
code comes from (repository URL, commit, dirty and shallow flags), the catalog, the policy
verdict with its failing gates, how many CISA form items can be attested, and one table of the
findings that cause failure, de-duplicated across check runs and tasks, most severe first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from baseline.models import Assessment
from baseline.report.evidence_view import FindingRow
from baseline.report.failing import SCOPE_NOTES
from baseline.report.form_view import FormView, form_producer
from baseline.report.run_view import CheckRunView, severity_key


@dataclass(frozen=True)
class FailingFinding:
    """One finding that causes failure, with every task and check run it appears in."""

    finding: FindingRow
    scope_note: str
    """`in a test fixture`, `in test code`, ...; empty for the product itself."""
    tasks: tuple[tuple[str, str], ...]
    """(task id, anchor) of the tasks the failing check runs evidence."""
    runs: tuple[tuple[str, str], ...]
    """(run id, anchor) of the check runs that counted it."""


@dataclass(frozen=True)
class SummaryView:
    """The opening summary of every report."""

    title: str
    """The product name when configured, else the repository URL, else the path."""
    product: str
    producer: str
    path: str
    repository_url: str
    """The repository's own `remote.origin.url` (its claim; empty when unknown)."""
    branch: str
    subdir: str
    commit: str
    dirty: bool | None
    """None: not a git repository, or a record that did not keep it."""
    changed: tuple[str, ...]
    changed_count: int
    shallow: bool | None
    catalog: str
    verdict: str
    """`met`, `not met`, or empty when the run was not judged against a policy."""
    gates: tuple[str, ...]
    """Every unmet gate, one line each."""
    attestable: int | None
    """Form items attestable on this evidence (None: the catalog has no CISA crosswalk)."""
    form_items: int
    findings: tuple[FailingFinding, ...]


def _failing(runs: Sequence[CheckRunView]) -> tuple[FailingFinding, ...]:
    merged: dict[tuple[str, str, int, str], tuple[FindingRow, list[Any], list[Any]]] = {}
    for run in runs:
        for f in run.failing:
            # The same hit from two runs of a check (two parameter sets) is one finding.
            key = (f.rule, f.path, f.line or 0, f.fingerprint or f.message)
            row, tasks, seen_in = merged.setdefault(key, (f, [], []))
            tasks.extend(t for t in run.tasks if t not in tasks)
            seen_in.append((run.id, run.anchor))
    rows = sorted(merged.values(), key=lambda m: (*severity_key(m[0]), m[0].rule))
    return tuple(
        FailingFinding(row, SCOPE_NOTES.get(row.scope, row.scope), tuple(tasks), tuple(seen_in))
        for row, tasks, seen_in in rows
    )


def build_summary(
    assessment: Assessment,
    producer: Mapping[str, Any],
    form: FormView | None,
    runs: Sequence[CheckRunView],
) -> SummaryView:
    """The summary of an assessment whose check runs are already built."""
    values = form_producer(producer)
    repo, gate, catalog = assessment.repository, assessment.gate, assessment.catalog
    url = (repo.url if repo else None) or ""
    product = values.get("product_name", "")
    return SummaryView(
        title=product or url or assessment.target,
        product=product,
        producer=values.get("company_name", ""),
        path=assessment.target,
        repository_url=url,
        branch=(repo.branch if repo else None) or "",
        subdir=repo.subdir if repo else "",
        commit=assessment.commit or "",
        dirty=bool(repo.changed) if repo else None,
        changed=repo.changed if repo else (),
        changed_count=len(repo.changed) if repo else 0,
        shallow=repo.shallow if repo else None,
        catalog=f"{catalog.title} ({catalog.id}, version {catalog.version})",
        verdict=("not met" if gate.failures else "met") if gate else "",
        gates=gate.failures if gate else (),
        attestable=form.attestable_count if form else None,
        form_items=len(form.items) if form else 0,
        findings=_failing(runs),
    )
