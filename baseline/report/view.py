"""The one view model every renderer reads: built once from an Assessment, plain frozen data.

Everything a template needs is computed here (counts, sort orders, chart geometry, escaped-free
plain text); templates only lay it out, and each format escapes for its own syntax.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from baseline.models import Assessment, AttestationLevel, ControlStatus, RepositoryFacts, Result
from baseline.report import json_record
from baseline.report.accepted_view import AcceptedRow, accepted_rows
from baseline.report.charts import Chart, bar_chart
from baseline.report.config_claims import nothing_assessed, summary_line
from baseline.report.coverage_view import CoverageRow, coverage_rows
from baseline.report.evidence_view import evidence_view
from baseline.report.form_view import FormView, build_form
from baseline.report.json_record import run_key, status_counts
from baseline.report.poam_view import PoamEntry, build_poam
from baseline.report.run_view import CheckRunView, check_runs, run_of
from baseline.report.summary_view import SummaryView, build_summary
from baseline.report.task_view import TaskView

STATUS_ORDER: tuple[str, ...] = tuple(s.value for s in ControlStatus)
"""Statuses in the order every table and chart lists them."""

STATUS_LABELS: Mapping[str, str] = {
    "pass": "Pass",
    "fail": "Fail",
    "error": "Error",
    "needs_review": "Needs review",
    "attested": "Attested",
    "waived": "Waived",
    "not_applicable": "Not applicable",
}


CLAIM_LABELS: Mapping[str, str] = {
    "attestation": "Attestation",
    "waiver": "Waiver",
    "not_applicable": "Not applicable",
    "param": "Parameter override",
    "exclude": "Exclusion",
    "catalog": "Catalog",
    "scope": "Scope",
    "rules": "Added semgrep rules",
}


SUPPORTING = "supporting evidence: an attestation is required"
"""The label of checks that support a task but cannot by themselves make it pass."""


@dataclass(frozen=True)
class GroupView:
    """A practice group and its practices, each with status counts."""

    id: str
    title: str
    counts: tuple[tuple[str, int], ...]
    practices: tuple[tuple[str, str, tuple[tuple[str, int], ...]], ...]
    """(practice id, title, counts) in catalog order."""


@dataclass(frozen=True)
class ReportView:
    """Everything every renderer needs, computed once."""

    target: str
    commit: str
    generated_at: str
    generator_version: str
    catalog_id: str
    catalog_title: str
    catalog_version: str
    catalog_status: str
    catalog_digest: str
    catalog_source: str
    tools: tuple[tuple[str, str], ...]
    counts: tuple[tuple[str, int], ...]
    total: int
    groups: tuple[GroupView, ...]
    tasks: tuple[TaskView, ...]
    form: FormView | None
    poam: tuple[PoamEntry, ...]
    group_chart: Chart
    form_chart: Chart | None
    config_line: str = ""
    """"N of 42 task statuses rest on the repository's own configuration (...)"."""
    config_warning: bool = False
    """True when the config declares every task not applicable (nothing was assessed)."""
    as_of: str = ""
    """The day expiry was judged on."""
    coverage: tuple[CoverageRow, ...] = ()
    """Code-analysis coverage per language of the product code (empty: no SAST check ran)."""
    accepted: tuple[AcceptedRow, ...] = ()
    """The config's accepted findings: in force, expired or unmatched."""
    repository: RepositoryFacts | None = None
    """What git says about the target: URL, branch, subfolder, dirty and shallow (None: not a
    git repository, or a record that did not keep it)."""
    summary: SummaryView | None = None
    """The opening summary (None only for views built by hand)."""
    runs: tuple[CheckRunView, ...] = ()
    """Every check run once, with its evidence (the HTML report's evidence section)."""
    evidence_runs: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Task id -> the anchor of each of its evidence's check run, in evidence order."""


def is_web_url(text: str) -> bool:
    """Only plain http(s) URLs become links (never `javascript:` or `data:`)."""
    lowered = text.strip().lower()
    return lowered.startswith(("https://", "http://")) and not any(c.isspace() for c in text)


def anchor(task_id: str) -> str:
    """A fragment id for a task, safe in HTML ids and Markdown links."""
    return "task-" + "".join(c if c.isalnum() else "-" for c in task_id.lower())


def _counts(results: tuple[Result, ...]) -> tuple[tuple[str, int], ...]:
    return tuple(status_counts(results).items())


def _task(r: Result) -> TaskView:
    c, a, w = r.control, r.attestation, r.waiver
    evidence = tuple(evidence_view(e) for e in r.evidence)
    attestation = (
        (("Statement", a.statement), ("By", a.by), ("Date", a.date.isoformat()))
        + ((("Expires", a.expires.isoformat()),) if a.expires else ())
        + tuple(("URL", u) for u in a.urls)
        if a
        else ()
    )
    waiver = (
        (
            ("Reason", w.reason),
            ("Mitigation", w.mitigation),
            ("Owner", w.owner),
            ("Approver", w.approver),
            ("Expires", w.expires.isoformat()),
        )
        if w
        else ()
    )
    return TaskView(
        id=c.id,
        anchor=anchor(c.id),
        title=c.title,
        summary=c.summary,
        group=c.group,
        practice=c.practice,
        status=r.status.value,
        reason=r.reason,
        remediation=c.remediation,
        attestation_level=c.attestation.value,
        form_items=c.form_items,
        references=tuple(u for u in c.references if is_web_url(u)),
        evidence=evidence,
        attestation=attestation,
        attestation_files=tuple(
            (f.path, f.declared_sha256 or "", f.actual_sha256 or "missing")
            for f in (a.evidence_files if a else ())
        ),
        attestation_problems=r.attestation_problems,
        waiver=waiver,
        waiver_milestones=tuple(
            (m.date.isoformat(), m.description) for m in (w.milestones if w else ())
        ),
        waiver_problems=r.waiver_problems,
        findings_count=sum(len(e.findings) for e in evidence),
        suppressions_count=sum(len(e.suppressions) for e in evidence),
        automated=bool(c.checks) and c.not_applicable is None,
        evidence_role=SUPPORTING if c.checks and c.attestation is AttestationLevel.REQUIRED else "",
        config_claims=tuple(
            (CLAIM_LABELS.get(k.kind, k.kind), k.source, k.detail) for k in r.config_claims
        ),
    )


def _groups(assessment: Assessment) -> tuple[GroupView, ...]:
    results = assessment.results
    groups = []
    for g in assessment.catalog.groups:
        practices = tuple(
            (p.id, p.title, _counts(tuple(r for r in results if r.control.practice == p.id)))
            for p in assessment.catalog.practices
            if p.group == g.id
        )
        mine = tuple(r for r in results if r.control.group == g.id)
        groups.append(GroupView(g.id, g.title, _counts(mine), practices))
    return tuple(groups)


def build_view(assessment: Assessment, producer: Mapping[str, Any] | None = None) -> ReportView:
    """The view of an assessment; producer details (by default the assessment's own, from the
    project config) pre-fill the CISA form's producer fields.

    The assessment is taken as its record reads back first (json_record.canonical), so a report
    rendered after a scan equals one re-rendered from the record.
    """
    return view_of_canonical(json_record.canonical(assessment), producer)


def view_of_canonical(
    assessment: Assessment, producer: Mapping[str, Any] | None = None
) -> ReportView:
    """The view of an assessment that is already canonical (json_record.canonical)."""
    catalog = assessment.catalog
    tasks = tuple(_task(r) for r in assessment.results)
    accepted = accepted_rows(assessment)
    groups = _groups(assessment)
    producer = producer if producer is not None else assessment.producer
    form = build_form(assessment, tasks, producer)
    runs = check_runs(assessment.results, {t.id: t.anchor for t in tasks})
    run_anchors = run_of(assessment.results)
    return ReportView(
        target=assessment.target,
        commit=assessment.commit or "",
        generated_at=assessment.generated_at,
        generator_version=assessment.tool_version,
        catalog_id=catalog.id,
        catalog_title=catalog.title,
        catalog_version=catalog.version,
        catalog_status=catalog.status,
        catalog_digest=catalog.digest,
        catalog_source=catalog.source if is_web_url(catalog.source) else "",
        tools=tuple(sorted(assessment.tools.items())),
        counts=_counts(assessment.results),
        total=len(assessment.results),
        groups=groups,
        tasks=tasks,
        form=form,
        poam=build_poam(
            form, tasks, assessment.tool_version, assessment.generated_at[:10], accepted
        )
        if form
        else (),
        group_chart=bar_chart(
            "Task status per practice group", tuple((g.id, g.title, g.counts) for g in groups)
        ),
        form_chart=bar_chart(
            "Task status per CISA form item",
            tuple((i.id, i.title, i.counts) for i in form.items),
        )
        if form
        else None,
        config_line=summary_line(assessment),
        coverage=coverage_rows(e for r in assessment.results for e in r.evidence),
        config_warning=nothing_assessed(assessment),
        as_of=assessment.as_of,
        accepted=accepted,
        repository=assessment.repository,
        summary=build_summary(assessment, producer, form, runs),
        runs=runs,
        evidence_runs={
            r.control.id: tuple(run_anchors[run_key(e)] for e in r.evidence)
            for r in assessment.results
        },
    )
