"""OpenVEX (v0.2.0) for the accepted vulnerabilities of dependencies: `vex.openvex.json`.

One statement per accepted finding of the dependency-vulnerability check that is in force, with
the entry's VEX status (an accepted risk without one is `affected`, its reason the action
statement). Deterministic: the timestamp is the record's, the document's `@id` a digest of
what it states. Written only when there is something to state.

Hand-written JSON: the OpenVEX projects' libraries are Go (go-vex) and the document is a few
keys (https://github.com/openvex/spec/blob/main/OPENVEX-SPEC.md).
"""

from __future__ import annotations

import hashlib
from typing import Any

from baseline.jsontext import pretty
from baseline.models import Acceptance, Assessment, Finding

FILENAME = "vex.openvex.json"
CONTEXT = "https://openvex.dev/ns/v0.2.0"
DEPENDENCY_CHECKS = frozenset({"deps.no_known_vulnerabilities"})
"""The checks whose findings are vulnerabilities of dependencies (OSV data or pip-audit)."""

Json = dict[str, Any]


def product_id(assessment: Assessment) -> str:
    """The assessed product: the repository (its URL when git knows one) at the commit."""
    facts = assessment.repository
    base = f"git+{facts.url}" if facts is not None and facts.url else assessment.target
    if facts is not None and facts.url and facts.subdir:
        base += f"#{facts.subdir}"
    return f"{base}@{assessment.commit}" if assessment.commit else base


def _accepted(assessment: Assessment) -> list[tuple[Finding, Acceptance]]:
    found: dict[str, tuple[Finding, Acceptance]] = {}
    for result in assessment.results:
        for e in result.evidence:
            if e.check not in DEPENDENCY_CHECKS:
                continue
            for f in e.findings:
                if f.accepted is not None and not f.acceptance_expired:
                    found.setdefault(f.fingerprint, (f, f.accepted))
    return [found[k] for k in sorted(found)]


def _statement(f: Finding, a: Acceptance, product: str) -> Json:
    status = a.vex_status or "affected"
    subject: Json = {"@id": product}
    if f.component:
        subject["subcomponents"] = [{"@id": f.component}]
    statement: Json = {
        "vulnerability": {"name": f.rule},
        "products": [subject],
        "status": status,
    }
    if status == "not_affected":
        if a.justification:
            statement["justification"] = a.justification
        # The spec wants a justification or an impact statement: the reason is the latter.
        statement["impact_statement"] = a.impact_statement or a.reason
    elif status == "affected":
        statement["action_statement"] = (
            f"Accepted until {a.expires.isoformat()} by {a.approver} (owner {a.owner}): {a.reason}"
        )
    elif a.impact_statement:
        statement["status_notes"] = a.impact_statement
    return statement


def vex_document(assessment: Assessment) -> Json | None:
    """The OpenVEX document, or None when no dependency finding is accepted."""
    findings = _accepted(assessment)
    if not findings:
        return None
    product = product_id(assessment)
    statements = [_statement(f, a, product) for f, a in findings]
    digest = hashlib.sha256(pretty({"p": product, "s": statements}).encode("utf-8")).hexdigest()
    author = str(assessment.producer.get("name") or "the assessed repository's project config")
    return {
        "@context": CONTEXT,
        "@id": f"https://openvex.dev/docs/public/vex-{digest}",
        "author": author,
        "role": "Document Creator",
        "timestamp": assessment.generated_at,
        "version": 1,
        "tooling": f"ssdf-baseline {assessment.tool_version}".strip(),
        "statements": statements,
    }


def render_vex(assessment: Assessment) -> dict[str, str]:
    """`vex.openvex.json` when there is something to state; nothing otherwise."""
    document = vex_document(assessment)
    return {FILENAME: pretty(document) + "\n"} if document is not None else {}
