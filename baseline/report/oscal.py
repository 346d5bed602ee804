"""OSCAL 1.1 assessment results (JSON) and the assessment plan they import.

One result per run. Each check run (a check with one set of parameters) is one observation,
whichever tasks it serves: its subjects are the assessed commit and repository, its origin the
tools that ran (actors of type tool, with their versions among the plan's assessment assets),
and its relevant evidence the tool commands, the evidence files' SHA-256 digests and every
finding at `path:line` (with a link to that line at the commit where the repository's host
is known). An attestation is an observation by a party. Each task is one finding that lists its
observations, the task's own outcome of every check it rests on, and a target status whose
`reason` is our status (`fail`, `error`, `needs_review`, `waived`, ... explained in its remarks),
so "not satisfied" always says why. Control ids are NIST's (`PO.1.1`, as its published OSCAL
catalog writes them); see oscal_parts and oscal_plan for the catalog and plan references.

UUIDs are version-5 UUIDs of stable keys (target, commit, catalog digest, time, object), so
reruns are byte-identical.
"""

from __future__ import annotations

from baseline.jsontext import pretty
from baseline.report.form_view import ATTESTABLE_STATUSES
from baseline.report.interface import Rendered
from baseline.report.oscal_observations import (
    attestation_observation,
    party_uuid,
    run_key,
    run_observation,
)
from baseline.report.oscal_parts import (
    OSCAL_VERSION,
    PLAN_FILENAME,
    Ids,
    Json,
    catalog_resource,
    control_target,
    one_line,
    prop,
)
from baseline.report.oscal_plan import plan_document
from baseline.report.task_view import TaskView
from baseline.report.view import ReportView

FILENAME = "oscal-assessment-results.json"

STATUS_REASONS = {
    "pass": "Every automated check behind the task passed.",
    "fail": "A check failed: the evidence shows the task is not met.",
    "error": (
        "A check could not conclude (a tool missing, crashed, timed out or gave unreadable "
        "output): no verdict either way, so the task cannot count as satisfied."
    ),
    "needs_review": (
        "No automated check can decide the task, or it needs an attestation and no valid one "
        "was recorded: a person has to review it."
    ),
    "attested": "Met on a person's recorded attestation with evidence.",
    "waived": (
        "A check failed; an unexpired waiver accepts the failure for now, with a plan. "
        "The failure stands."
    ),
    "not_applicable": "Declared not applicable, with a reason.",
}
"""Why a task has its status: the remarks of the finding's target status."""


def _finding(ids: Ids, view: ReportView, t: TaskView, observations: list[str]) -> Json:
    met = t.status in ATTESTABLE_STATUSES
    remarks = [f"Status: {t.status}."]
    if t.waiver:
        remarks.append("Waiver: " + "; ".join(f"{k}: {v}" for k, v in t.waiver) + ".")
    remarks += [f"Waiver not in force: {p}." for p in t.waiver_problems]
    remarks += sorted(
        {
            f"Accepted finding {f.fingerprint} ({f.rule} at {f.location}) "
            f"{'accepted' if f.acceptance == 'accepted' else 'expired, counts again'}: "
            + "; ".join(f"{k}: {v}" for k, v in f.accepted)
            + "."
            for e in t.evidence
            for f in e.findings
            if f.acceptance
        }
    )
    remarks += [
        f"Rests on the repository's own configuration: {label} at {where}: {detail}."
        for label, where, detail in t.config_claims
    ]
    props = [prop("status", t.status)]
    # A check run serves several tasks; what it concluded for this task is the task's own.
    props += [prop("check-outcome", f"{e.check}: {e.outcome}") for e in t.evidence]
    if t.config_claims:
        props.append(prop("repository-config-claims", str(len(t.config_claims))))
    finding: Json = {
        "uuid": ids("finding", t.id),
        "title": one_line(f"{t.id} {t.title}"),
        "description": t.reason or STATUS_REASONS.get(t.status, t.status),
        "props": props,
        "target": control_target(view, t.id)
        | {
            "status": {
                "state": "satisfied" if met else "not-satisfied",
                "reason": t.status,
                "remarks": STATUS_REASONS.get(t.status, t.status),
            },
        },
        "remarks": " ".join(remarks),
    }
    if observations:
        finding["related-observations"] = [{"observation-uuid": o} for o in observations]
    return finding


def _observations_and_findings(ids: Ids, view: ReportView) -> tuple[list[Json], list[Json]]:
    runs: dict[str, Json] = {}
    observations: list[Json] = []
    findings: list[Json] = []
    for t in view.tasks:
        mine: list[str] = []
        for e in t.evidence:
            key = run_key(e)
            if key not in runs:
                runs[key] = run_observation(ids, view, key, e)
                observations.append(runs[key])
            if runs[key]["uuid"] not in mine:
                mine.append(runs[key]["uuid"])
        if t.attestation:
            observations.append(attestation_observation(ids, t, view.generated_at))
            mine.append(observations[-1]["uuid"])
        findings.append(_finding(ids, view, t, mine))
    return observations, findings


def _result_props(view: ReportView) -> list[Json]:
    r = view.repository
    props = [prop("commit", view.commit or "none"), prop("catalog", view.catalog_id)]
    if r is not None:
        props += [
            prop("repository-url", r.url or "(not recorded)"),
            prop("branch", r.branch or "(detached)"),
            prop("dirty", str(bool(r.changed)).lower()),
        ]
    if view.as_of:
        props.append(prop("as-of", view.as_of))
    return props


def _parties(ids: Ids, view: ReportView) -> list[Json]:
    names = sorted({dict(t.attestation)["By"] for t in view.tasks if t.attestation})
    return [{"uuid": party_uuid(ids, n), "type": "person", "name": one_line(n)} for n in names]


def oscal_document(view: ReportView) -> Json:
    """The assessment-results document as a dictionary."""
    ids = Ids(view)
    observations, findings = _observations_and_findings(ids, view)
    catalog = catalog_resource(ids, view)
    result: Json = {
        "uuid": ids("result"),
        "title": one_line(f"{view.catalog_id} assessment of {view.target}"),
        "description": f"Automated checks and attestations against {view.catalog_title}.",
        "start": view.generated_at,
        "props": _result_props(view),
        "links": [{"href": f"#{catalog['uuid']}", "rel": "reference"}],
        "reviewed-controls": {
            "control-selections": [{"include-controls": [{"control-id": t.id} for t in view.tasks]}]
        },
        "findings": findings,
        "remarks": view.config_line or "No repository configuration was used.",
    }
    if observations:
        result["observations"] = observations
    metadata: Json = {
        "title": one_line(f"SSDF assessment results: {view.target}"),
        "last-modified": view.generated_at,
        "version": view.generator_version or "0",
        "oscal-version": OSCAL_VERSION,
    }
    parties = _parties(ids, view)
    if parties:
        metadata["parties"] = parties
    return {
        "assessment-results": {
            "uuid": ids("document"),
            "metadata": metadata,
            "import-ap": {
                "href": PLAN_FILENAME,
                "remarks": "The plan written beside these results, in the same folder.",
            },
            "results": [result],
            "back-matter": {"resources": [catalog]},
        }
    }


def render_oscal(view: ReportView) -> Rendered:
    """`oscal-assessment-results.json` and the `oscal-assessment-plan.json` it imports."""
    return {
        FILENAME: pretty(oscal_document(view)) + "\n",
        PLAN_FILENAME: pretty(plan_document(view)) + "\n",
    }
