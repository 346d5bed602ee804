"""The plan of action and milestones (POA&M): one entry per weakness, not per form item.

A weakness is what keeps a form item from being attestable, counted once however many items
it touches: a waiver (its task, with the producer's mitigation, owner, approver, expiry and
milestones), or, for a blocking task without a waiver, a failing, erroring or needs-review
check run (one entry for all the tasks it blocks), or a task that still needs a person's
attestation. A finding the project config accepts (`[[accepted_findings]]`) is an entry of its
own, whether or not it blocks an item: a risk accepted until a date, by an approver, with an
owner (its scheduled completion is the expiry). The form asks a producer that cannot attest
to "identify the practices to which they cannot attest, document practices they have in place
to mitigate associated risks, and submit a plan of actions and milestones"; a weakness without
a waiver says that its plan is still to be written by the producer, never that none is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from baseline.report.accepted_view import AcceptedRow
from baseline.report.evidence_view import EvidenceView
from baseline.report.form_view import FormView, TaskRef
from baseline.report.task_view import TaskView

PLAN_TO_BE_WRITTEN = "plan to be written by the producer"
RISK_RATINGS = {"high": "High", "medium": "Moderate", "low": "Low"}
"""Finding severity -> the FedRAMP POA&M risk rating words (info findings rate nothing)."""
_KIND_ORDER = ("check failed", "check error", "check needs review", "attestation missing",
               "waiver", "accepted finding")  # fmt: skip
_NOT_MET = {"fail": "check failed", "error": "check error", "needs_review": "check needs review"}


@dataclass(frozen=True)
class PoamEntry:
    """One weakness: what it is, what it blocks, and the plan recorded for it (if any)."""

    id: str
    """Stable across runs: `check:<check>`, `error:<check>`, `review:<check>`, `attest:<task>`
    or `waiver:<task>` (a check run with parameters adds them)."""
    kind: str
    """One of `_KIND_ORDER`."""
    name: str
    description: str
    detector: str
    """The detection source: the check, and the tools and versions it ran."""
    source_id: str
    """The check run (check id, parameters) or the task the weakness was detected by."""
    tasks: tuple[TaskRef, ...]
    items: tuple[str, ...]
    """The form items it keeps from being attestable, in form order."""
    plan: str
    """The waiver's mitigation, or `PLAN_TO_BE_WRITTEN`."""
    has_plan: bool
    owner: str
    approver: str
    scheduled: str
    """Scheduled completion: the waiver's expiry (YYYY-MM-DD), empty without a waiver."""
    milestones: tuple[tuple[str, str], ...]
    """(date, description), sorted."""
    status: str
    detected: str
    """The date of this assessment: the earliest detection the record knows of."""
    risk: str
    """The highest finding severity as a FedRAMP risk rating; empty without rated findings."""
    reason: str
    """The waiver's reason (its deviation rationale); empty without a waiver."""
    remediation: tuple[str, ...]
    """`task: what the catalog suggests` per affected task."""
    findings: int
    waiver_problems: tuple[str, ...] = ()


def _params(e: EvidenceView) -> str:
    return ", ".join(f"{k}={v}" for k, v in e.params)


def _detector(e: EvidenceView, generator: str) -> str:
    tools = sorted({f"{r.tool} {r.version}".strip() for r in e.tool_runs})
    used = f" ({', '.join(tools)})" if tools else ""
    return f"ssdf-baseline {generator} check {e.check}{used}"


def _risk(findings: Sequence[tuple[str, str]]) -> str:
    ranks = [s for s in ("high", "medium", "low") if any(f[0] == s for f in findings)]
    return RISK_RATINGS[ranks[0]] if ranks else ""


def _finding_summary(e: EvidenceView) -> str:
    """The most severe findings, product code first (the check's summary has the counts)."""
    if not e.findings:
        return ""
    order = ("high", "medium", "low", "info")
    first = sorted(
        e.findings, key=lambda f: (f.scope != "product", order.index(f.severity), f.location)
    )[:3]
    shown = "; ".join(
        f"{f.location} {f.rule} ({f.severity}{'' if f.scope == 'product' else ', ' + f.scope})"
        for f in first
    )
    return f" {len(e.findings)} finding(s); most severe: {shown}."


@dataclass
class _Group:
    kind: str
    evidence: EvidenceView | None
    tasks: list[TaskView]


def _items_of(tasks: Sequence[TaskView], form: FormView) -> tuple[str, ...]:
    ids = {t.id for t in tasks}
    return tuple(i.id for i in form.items if not i.attestable and ids & {r.id for r in i.blocking})


def _refs(tasks: Sequence[TaskView], form: FormView) -> tuple[TaskRef, ...]:
    by_id = {r.id: r for i in form.items for r in i.tasks}
    return tuple(by_id[t.id] for t in tasks)


def _remediation(tasks: Sequence[TaskView]) -> tuple[str, ...]:
    return tuple(f"{t.id}: {t.remediation}" for t in tasks if t.remediation)


def _waiver_entry(t: TaskView, form: FormView, generator: str, date: str) -> PoamEntry:
    w = dict(t.waiver)
    causes = [e for e in t.evidence if e.outcome in _NOT_MET]
    summary = " ".join(f"{e.check}: {e.summary}." for e in causes) or f"{t.reason}."
    findings = [(f.severity, f.location) for e in causes for f in e.findings]
    status = (
        f"open: the waiver is not in force ({'; '.join(t.waiver_problems)})"
        if t.waiver_problems
        else f"risk accepted until {w['Expires']} (waiver)"
    )
    return PoamEntry(
        id=f"waiver:{t.id}",
        kind="waiver",
        name=f"{t.id} {t.title}: waived",
        description=f"{summary} Waiver reason: {w['Reason']}",
        detector="; ".join(_detector(e, generator) for e in causes)
        or f"ssdf-baseline {generator}: {t.reason}",
        source_id=t.id,
        tasks=_refs([t], form),
        items=_items_of([t], form),
        plan=w["Mitigation"],
        has_plan=True,
        owner=w["Owner"],
        approver=w["Approver"],
        scheduled=w["Expires"],
        milestones=tuple(sorted(t.waiver_milestones)),
        status=status,
        detected=date,
        risk=_risk(findings),
        reason=w["Reason"],
        remediation=_remediation([t]),
        findings=len(findings),
        waiver_problems=t.waiver_problems,
    )


def _group_entry(
    g: _Group, form: FormView, generator: str, date: str, variants: frozenset[str]
) -> PoamEntry:
    e = g.evidence
    if e is None:
        t = g.tasks[0]
        ident, name, source, risk, findings = (
            f"attest:{t.id}",
            f"{t.id} {t.title}: not attested",
            t.id,
            "",
            0,
        )
        description = (
            f"{t.id}: {t.reason}. No automated check can show this task is met; "
            "it needs a person's attestation with evidence."
        )
        detector = f"ssdf-baseline {generator}: the catalog asks for an attestation of {t.id}"
    else:
        prefix = {"check failed": "check", "check error": "error"}.get(g.kind, "review")
        params = _params(e)
        # Parameters name the run only where one check ran with several (semgrep code, secrets).
        source = f"{e.check} ({params})" if params and e.check in variants else e.check
        what = e.error if g.kind == "check error" and e.error else e.summary
        question = f"{e.question} " if e.question else ""
        ident, name = f"{prefix}:{source}", f"{e.check}: {e.summary}"
        description = f"{question}{g.kind.capitalize()}: {what}.{_finding_summary(e)}"
        detector = _detector(e, generator)
        risk, findings = _risk([(f.severity, f.location) for f in e.findings]), len(e.findings)
    return PoamEntry(
        id=ident, kind=g.kind, name=name, description=description, detector=detector,
        source_id=source, tasks=_refs(g.tasks, form), items=_items_of(g.tasks, form),
        plan=PLAN_TO_BE_WRITTEN, has_plan=False, owner="", approver="", scheduled="",
        milestones=(), status="open", detected=date, risk=risk, reason="",
        remediation=_remediation(g.tasks), findings=findings,
    )  # fmt: skip


def _accepted_entry(
    a: AcceptedRow, tasks: Sequence[TaskView], form: FormView, generator: str, date: str
) -> PoamEntry:
    mine = [t for t in tasks if t.id in a.tasks]
    in_form = {r.id for i in form.items for r in i.tasks}
    status = (
        f"open: the acceptance expired on {a.expires} (the finding counts again)"
        if a.state == "expired"
        else f"risk accepted until {a.expires} (accepted finding)"
    )
    return PoamEntry(
        id=f"accepted:{a.fingerprint}",
        kind="accepted finding",
        name=f"{a.rule} at {a.location}: accepted",
        description=f"{a.message} Accepted: {a.reason}",
        detector=f"ssdf-baseline {generator} check {', '.join(a.checks)}"
        + (f" ({a.tool})" if a.tool else ""),
        source_id=a.fingerprint,
        tasks=_refs([t for t in mine if t.id in in_form], form),
        items=tuple(i.id for i in form.items if set(a.tasks) & {r.id for r in i.tasks}),
        plan=dict(a.details).get("Impact", a.reason),
        has_plan=True,
        owner=a.owner,
        approver=a.approver,
        scheduled=a.expires,
        milestones=(),
        status=status,
        detected=date,
        risk=RISK_RATINGS.get(a.severity, ""),
        reason=a.reason,
        remediation=(),
        findings=1,
        waiver_problems=(f"expired on {a.expires}",) if a.state == "expired" else (),
    )


def _groups(blocking: Sequence[TaskView]) -> list[_Group]:
    groups: dict[tuple[str, str, str], _Group] = {}
    for t in blocking:
        causes = [e for e in t.evidence if e.outcome in _NOT_MET]
        if not causes:
            groups.setdefault(
                ("attestation missing", t.id, ""), _Group("attestation missing", None, [])
            ).tasks.append(t)
        for e in causes:
            key = (_NOT_MET[e.outcome], e.check, _params(e))
            group = groups.setdefault(key, _Group(_NOT_MET[e.outcome], e, []))
            if t not in group.tasks:
                group.tasks.append(t)
    return list(groups.values())


def build_poam(
    form: FormView,
    tasks: Sequence[TaskView],
    generator: str = "",
    date: str = "",
    accepted: Sequence[AcceptedRow] = (),
) -> tuple[PoamEntry, ...]:
    """One entry per weakness behind the items that cannot be attested, and one per accepted
    finding (matched), by kind (failing checks first, waivers and accepted findings last) then
    id: a stable order for the same input."""
    blocking_ids = {r.id for i in form.items if not i.attestable for r in i.blocking}
    blocking = [t for t in tasks if t.id in blocking_ids]
    waived = [t for t in blocking if t.waiver]
    entries = [_waiver_entry(t, form, generator, date) for t in waived]
    rest = [t for t in blocking if not t.waiver]
    groups = _groups(rest)
    checks = [(g.evidence.check, _params(g.evidence)) for g in groups if g.evidence]
    variants = frozenset(c for c, _ in set(checks) if sum(1 for x, _ in set(checks) if x == c) > 1)
    entries += [_group_entry(g, form, generator, date, variants) for g in groups]
    entries += [
        _accepted_entry(a, tasks, form, generator, date) for a in accepted if a.state != "unmatched"
    ]
    return tuple(sorted(entries, key=lambda p: (_KIND_ORDER.index(p.kind), p.id)))
