"""OSCAL 1.1 assessment results (JSON): one result, an observation per piece of evidence,
a finding per task. UUIDs are version-5 UUIDs of stable inputs, so reruns are byte-identical.

There is no OSCAL assessment plan behind a run; `import-ap` points at a back-matter resource
that says so and names the catalog (and its digest) the assessment followed instead.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from baseline.jsontext import pretty
from baseline.report.evidence_view import EvidenceView
from baseline.report.form_view import ATTESTABLE_STATUSES
from baseline.report.interface import Rendered
from baseline.report.task_view import TaskView
from baseline.report.view import ReportView, is_web_url

FILENAME = "oscal-assessment-results.json"
OSCAL_VERSION = "1.1.2"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:ssdf-baseline:oscal")
PROP_NS = "urn:ssdf-baseline"

Json = dict[str, Any]


class _Ids:
    """Deterministic UUIDs scoped to one assessment (target, commit, catalog digest, time)."""

    def __init__(self, view: ReportView) -> None:
        self._seed = "\x1f".join((view.target, view.commit, view.catalog_digest, view.generated_at))

    def __call__(self, *parts: str) -> str:
        return str(uuid.uuid5(NAMESPACE, "\x1f".join((self._seed, *parts))))


def _prop(name: str, value: str) -> Json:
    return {"name": name, "ns": PROP_NS, "value": value}


def _evidence_items(e: EvidenceView) -> Iterator[Json]:
    for r in e.tool_runs:
        yield {"description": f"tool {r.tool} {r.version}: {r.command} (exit {r.exit_code})"}
    for name, digest in e.digests:
        yield {"description": f"sha256 {digest} of {name}"}
    for f in e.findings:
        cwe = f" ({', '.join(f.cwe)})" if f.cwe else ""
        origin = f" (rule {f.origin})" if f.origin else ""
        yield {"description": f"{f.location}: [{f.rule}]{origin} {f.message}{cwe}"}
    for kind, where, detail in e.suppressions:
        yield {"description": f"suppression ({kind}) at {where}: {detail}"}


def _check_observation(ids: _Ids, t: TaskView, e: EvidenceView, when: str, nth: int) -> Json:
    # A task may run one check twice with different parameters (sast.semgrep for code and for
    # secrets): the second and later runs get their position into the seed, so UUIDs stay unique.
    obs: Json = {
        "uuid": ids("observation", t.id, e.check, *([str(nth)] if nth else [])),
        "title": f"{t.id}: check {e.check}",
        "description": e.summary + (f" Error: {e.error}" if e.error else ""),
        "props": [
            _prop("check", e.check),
            _prop("outcome", e.outcome),
            *(_prop("cwe", c) for c in sorted({c for f in e.findings for c in f.cwe})),
        ],
        "methods": ["TEST"],
        "types": ["finding" if e.outcome == "fail" else "control-objective"],
        "collected": when,
    }
    evidence = list(_evidence_items(e))
    if evidence:
        obs["relevant-evidence"] = evidence
    return obs


def _attestation_observation(ids: _Ids, t: TaskView, when: str) -> Json:
    rows = dict(t.attestation)
    evidence: list[Json] = [
        {"description": f"evidence file {path}: sha256 {actual} (recorded {declared or 'none'})"}
        for path, declared, actual in t.attestation_files
    ]
    evidence += [
        {"href": url, "description": "evidence URL"} for _, url in t.attestation if is_web_url(url)
    ]
    obs: Json = {
        "uuid": ids("attestation", t.id),
        "title": f"{t.id}: attestation by {rows.get('By', '')}",
        "description": rows.get("Statement", ""),
        "props": [_prop("attested-on", rows.get("Date", ""))],
        "methods": ["EXAMINE"],
        "types": ["control-objective"],
        "collected": when,
    }
    if t.attestation_problems:
        obs["remarks"] = "Does not count: " + "; ".join(t.attestation_problems)
    if evidence:
        obs["relevant-evidence"] = evidence
    return obs


def _observations(ids: _Ids, t: TaskView, when: str) -> list[Json]:
    observations = [
        _check_observation(ids, t, e, when, sum(p.check == e.check for p in t.evidence[:at]))
        for at, e in enumerate(t.evidence)
    ]
    if t.attestation:
        observations.append(_attestation_observation(ids, t, when))
    return observations


def _finding(ids: _Ids, t: TaskView, observations: list[Json]) -> Json:
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
    props = [_prop("status", t.status)]
    if t.config_claims:
        props.append(_prop("repository-config-claims", str(len(t.config_claims))))
    finding: Json = {
        "uuid": ids("finding", t.id),
        "title": f"{t.id} {t.title}",
        "description": t.reason,
        "props": props,
        "target": {
            "type": "objective-id",
            "target-id": t.id,
            "status": {"state": "satisfied" if met else "not-satisfied"},
        },
        "remarks": " ".join(remarks),
    }
    if observations:
        finding["related-observations"] = [{"observation-uuid": o["uuid"]} for o in observations]
    return finding


def oscal_document(view: ReportView) -> Json:
    """The assessment-results document as a dictionary."""
    ids = _Ids(view)
    when = view.generated_at
    observations: list[Json] = []
    findings: list[Json] = []
    for t in view.tasks:
        mine = _observations(ids, t, when)
        observations += mine
        findings.append(_finding(ids, t, mine))
    resource = ids("resource", "catalog")
    result: Json = {
        "uuid": ids("result"),
        "title": f"{view.catalog_id} assessment of {view.target}",
        "description": f"Automated checks and attestations against {view.catalog_title}.",
        "start": when,
        "props": [_prop("commit", view.commit or "none"), _prop("catalog", view.catalog_id)],
        "reviewed-controls": {
            "control-selections": [{"include-controls": [{"control-id": t.id} for t in view.tasks]}]
        },
        "findings": findings,
        "remarks": view.config_line or "No repository configuration was used.",
    }
    if view.as_of:
        result["props"].append(_prop("as-of", view.as_of))
    if observations:
        result["observations"] = observations
    return {
        "assessment-results": {
            "uuid": ids("document"),
            "metadata": {
                "title": f"SSDF assessment results: {view.target}",
                "last-modified": when,
                "version": view.generator_version or "0",
                "oscal-version": OSCAL_VERSION,
            },
            "import-ap": {"href": f"#{resource}"},
            "results": [result],
            "back-matter": {
                "resources": [
                    {
                        "uuid": resource,
                        "title": f"Catalog {view.catalog_id} {view.catalog_version}",
                        "description": (
                            "No OSCAL assessment plan was used: the assessment followed this "
                            f"catalog (sha256 {view.catalog_digest})."
                        ),
                    }
                ]
            },
        }
    }


def render_oscal(view: ReportView) -> Rendered:
    """`oscal-assessment-results.json`."""
    text = pretty(oscal_document(view))
    return {FILENAME: text + "\n"}
