"""OSCAL observations: one per check run (its subjects, tool origins and relevant evidence:
commands, digests, findings at file:line with a link to the line where the host is known) and
one per attestation (by a party)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from baseline.report.evidence_view import EvidenceView, FindingRow
from baseline.report.oscal_parts import (
    GENERATOR,
    Ids,
    Json,
    one_line,
    permalink,
    prop,
    subject_refs,
    tool_actors,
)
from baseline.report.task_view import TaskView
from baseline.report.view import ReportView, is_web_url


def run_key(e: EvidenceView) -> str:
    """One check run: the check and its parameters (the record's check_runs, once each)."""
    return json.dumps([e.check, list(e.params)])


def _finding_evidence(view: ReportView, f: FindingRow) -> Json:
    cwe = f" ({', '.join(f.cwe)})" if f.cwe else ""
    origin = f" (rule {f.origin})" if f.origin else ""
    item: Json = {
        "description": f"{f.location}: [{f.rule}]{origin} {f.message}{cwe}",
        "props": [prop("severity", f.severity), prop("scope", f.scope)],
    }
    link = permalink(view, f.path, f.line)
    if link:
        item["href"] = link
    return item


def _evidence_items(view: ReportView, e: EvidenceView) -> Iterator[Json]:
    for r in e.tool_runs:
        yield {
            "description": f"tool {r.tool} {r.version}: {r.command} (exit {r.exit_code})",
            "props": [prop("tool", r.tool), prop("version", r.version or "unknown")],
        }
    for name, digest in e.digests:
        item: Json = {"description": f"sha256 {digest} of {name}"}
        item["props"] = [prop("sha256", digest)]
        link = permalink(view, name, None) if name in e.files else ""
        if link:
            item["href"] = link
        yield item
    for f in e.findings:
        yield _finding_evidence(view, f)
    for kind, where, detail in e.suppressions:
        yield {"description": f"suppression ({kind}) at {where}: {detail}"}


def run_observation(ids: Ids, view: ReportView, key: str, e: EvidenceView) -> Json:
    """The observation of one check run (as the first task listing it shows it)."""
    variant = ", ".join(f"{k}={v}" for k, v in e.params)
    obs: Json = {
        "uuid": ids("observation", key),
        "title": one_line(f"Check {e.check}" + (f" ({variant})" if variant else "")),
        "description": " ".join(
            part for part in (e.question, e.summary, f"Error: {e.error}" if e.error else "") if part
        )
        or f"The automated check {e.check}.",
        "props": [
            prop("check", e.check),
            prop("outcome", e.outcome),
            *(prop("cwe", c) for c in sorted({c for f in e.findings for c in f.cwe})),
        ],
        "methods": ["TEST"],
        "types": ["finding" if e.outcome == "fail" else "control-objective"],
        "origins": [{"actors": tool_actors(ids, {r.tool for r in e.tool_runs} or {GENERATOR})}],
        "subjects": subject_refs(ids, view),
        "collected": view.generated_at,
    }
    evidence = list(_evidence_items(view, e))
    if evidence:
        obs["relevant-evidence"] = evidence
    return obs


def party_uuid(ids: Ids, name: str) -> str:
    """The metadata party of a person who attested."""
    return ids("party", name)


def attestation_observation(ids: Ids, t: TaskView, when: str) -> Json:
    """A task's attestation: an observation by the party who made it."""
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
        "title": one_line(f"{t.id}: attestation by {rows.get('By', '')}"),
        "description": rows.get("Statement", "") or "(no statement)",
        "props": [prop("attested-on", rows.get("Date", ""))],
        "methods": ["EXAMINE"],
        "types": ["control-objective"],
        "origins": [{"actors": [{"type": "party", "actor-uuid": party_uuid(ids, rows["By"])}]}],
        "collected": when,
    }
    if t.attestation_problems:
        obs["remarks"] = "Does not count: " + "; ".join(t.attestation_problems)
    if evidence:
        obs["relevant-evidence"] = evidence
    return obs
