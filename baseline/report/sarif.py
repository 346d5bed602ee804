"""SARIF 2.1.0 for code scanning: one rule per check, one result per failing finding.

A check that fails without a file (a missing SECURITY.md) still gets a location, the first file
it examined or the repository root, because GitHub rejects results that have none. A waived
failure stays in the file, marked with an accepted external suppression; so does a finding
the project config accepted (`[[accepted_findings]]`), also when its check passes because of it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from baseline.jsontext import pretty
from baseline.report.evidence_view import EvidenceView, FindingRow
from baseline.report.interface import Rendered
from baseline.report.task_view import TaskView
from baseline.report.view import ReportView

FILENAME = "results.sarif"
SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "ssdfBaselineFinding/v1"
ROOT_URI = "."
_LEVELS = {"high": "error", "medium": "warning", "low": "note", "info": "note"}
_REPORTED = ("fail", "waived")

Json = dict[str, Any]


@dataclass(frozen=True)
class _Hit:
    """A failing check's evidence and the tasks whose status it drives."""

    evidence: EvidenceView
    tasks: tuple[TaskView, ...]


def _hits(view: ReportView, failures_only: bool) -> dict[str, _Hit]:
    hits: dict[str, _Hit] = {}
    for task in view.tasks:
        has_accepted = any(f.acceptance == "accepted" for e in task.evidence for f in e.findings)
        if failures_only and task.status not in _REPORTED and not has_accepted:
            continue
        for e in task.evidence:
            accepted = any(f.acceptance == "accepted" for f in e.findings)
            if e.outcome != "fail" and (failures_only or not e.findings) and not accepted:
                continue
            old = hits.get(e.check)
            hits[e.check] = _Hit(e, (old.tasks if old else ()) + (task,))
    return dict(sorted(hits.items()))


def _rule(check: str, hit: _Hit) -> Json:
    question = hit.evidence.question or hit.evidence.summary
    lines = [f"{t.id} {t.title}: {t.remediation}" for t in hit.tasks]
    return {
        "id": check,
        "shortDescription": {"text": question},
        "fullDescription": {"text": " ".join(f"{t.id}: {t.summary}" for t in hit.tasks)},
        "help": {
            "text": "SSDF tasks this check evidences, and what to do:\n" + "\n".join(lines),
            "markdown": "\n".join(f"- **{t.id}** {t.title}: {t.remediation}" for t in hit.tasks),
        },
        "defaultConfiguration": {"level": "error"},
        "properties": {
            # GitHub code scanning reads CWE ids from tags of this form.
            "tags": ["security", "ssdf", *sorted({t.id for t in hit.tasks}), *_cwe_tags(hit)],
            "ssdf_practices": sorted({t.practice for t in hit.tasks}),
        },
    }


def _cwe_tags(hit: _Hit) -> list[str]:
    cwes = {c for f in hit.evidence.findings for c in f.cwe}
    return sorted({f"external/cwe/{c.lower()}" for c in cwes})


def artifact_uri(path: str) -> str:
    """A repository path as a relative URI reference (RFC 3986): every byte but the unreserved
    ones and `/` percent-encoded, so a space, `%`, `#`, `?`, a `:` that would read as a scheme, or
    a control character cannot change what it names; a byte that is not UTF-8 (a surrogate
    escape) is encoded as that byte."""
    return quote(path.encode("utf-8", "surrogateescape"), safe="/")


def _location(f: FindingRow | None, e: EvidenceView) -> Json:
    if f is not None and f.path:
        physical: Json = {"artifactLocation": {"uri": artifact_uri(f.path)}}
        if f.line:
            physical["region"] = {"startLine": f.line}
        return {"physicalLocation": physical}
    uri = artifact_uri(e.files[0]) if e.files else ROOT_URI
    return {
        "physicalLocation": {"artifactLocation": {"uri": uri}, "region": {"startLine": 1}},
        "message": {"text": "repository-level finding: it concerns the repository, not one line"},
    }


def _fingerprint(check: str, f: FindingRow | None, e: EvidenceView) -> str:
    if f is not None and f.fingerprint:
        return f.fingerprint
    parts = (check, f.rule if f else "", f.path if f else "", f.message if f else e.summary)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "backslashreplace")).hexdigest()[:32]


def _results(check: str, index: int, hit: _Hit) -> Iterator[Json]:
    e = hit.evidence
    tasks = sorted({t.id for t in hit.tasks})
    findings: tuple[FindingRow | None, ...] = e.findings or (None,)
    if e.outcome != "fail":  # there only for its accepted findings
        findings = tuple(f for f in e.findings if f.acceptance == "accepted")
    waivers = [t for t in hit.tasks if t.status == "waived"]
    for f in findings:
        text = f"{f.message} [{f.rule}]" if f else e.summary
        result: Json = {
            "ruleId": check,
            "ruleIndex": index,
            "level": _LEVELS[f.severity] if f else "error",
            "message": {"text": f"{text} (SSDF {', '.join(tasks)})"},
            "locations": [_location(f, e)],
            "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(check, f, e)},
            # The scope label (product, test, fixture, ...; a repository-level result is the
            # product's): reports must label findings outside the product.
            "properties": {
                "ssdf_tasks": tasks,
                "tool": f.tool if f else "",
                "outcome": e.outcome,
                "scope": f.scope if f else "product",
            },
        }
        if f is not None and f.cwe:
            result["properties"]["cwe"] = list(f.cwe)
        if f is not None and f.origin:
            result["properties"]["rule_origin"] = f.origin
        claims = sorted(
            {f"{t.id}: {k} at {w}: {d}" for t in hit.tasks for k, w, d in t.config_claims}
        )
        if claims:
            result["properties"]["rests_on_repository_config"] = claims
        if f is not None and f.acceptance == "accepted":
            said = dict(f.accepted)
            result["suppressions"] = [
                {
                    "kind": "external",
                    "status": "accepted",
                    "justification": f"accepted until {said['Expires']} by {said['Approver']} "
                    f"(owner {said['Owner']}): {said['Reason']}",
                }
            ]
        elif waivers and len(waivers) == len(hit.tasks):
            reason = "; ".join(f"{t.id}: {dict(t.waiver).get('Reason', '')}" for t in waivers)
            result["suppressions"] = [
                {"kind": "external", "status": "accepted", "justification": f"waived ({reason})"}
            ]
        yield result


def sarif_document(view: ReportView, failures_only: bool = True) -> Json:
    """The SARIF log as a dictionary; `failures_only=False` adds every finding of every task."""
    hits = _hits(view, failures_only)
    rules = [_rule(check, hit) for check, hit in hits.items()]
    results = [r for i, (check, hit) in enumerate(hits.items()) for r in _results(check, i, hit)]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "ssdf-baseline",
                        "semanticVersion": view.generator_version or "0.0.0",
                        "rules": rules,
                    }
                },
                "automationDetails": {"id": f"ssdf-baseline/{view.catalog_id}/"},
                "results": results,
                "properties": {
                    "target": view.target,
                    "commit": view.commit,
                    "catalog": view.catalog_id,
                    "catalog_digest": view.catalog_digest,
                    "repository_config": view.config_line,
                    **({"as_of": view.as_of} if view.as_of else {}),
                },
            }
        ],
    }


def render_sarif(view: ReportView) -> Rendered:
    """`results.sarif`: failing findings only, as code scanning wants them."""
    text = pretty(sarif_document(view))
    return {FILENAME: text + "\n"}
