"""The project config's accepted findings as the reports list them: each acceptance, whether it
is in force, expired or unmatched, and the finding and tasks it concerns."""

from __future__ import annotations

from dataclasses import dataclass

from baseline.accepted import where
from baseline.models import Assessment, Finding
from baseline.report.evidence_view import acceptance_rows


@dataclass(frozen=True)
class AcceptedRow:
    """One `[[accepted_findings]]` entry and what it matched."""

    fingerprint: str
    state: str
    """`accepted` (in force), `expired` (the finding counts again) or `unmatched` (no finding
    has the fingerprint: it changed nothing)."""
    checks: tuple[str, ...]
    tasks: tuple[str, ...]
    rule: str
    location: str
    message: str
    tool: str
    severity: str
    """The finding's severity (empty: unmatched)."""
    details: tuple[tuple[str, str], ...]
    """(label, value): reason, owner, approver, expiry, VEX status..."""
    reason: str
    owner: str
    approver: str
    expires: str


def accepted_rows(assessment: Assessment) -> tuple[AcceptedRow, ...]:
    """One row per acceptance, in the config's order."""
    found: dict[str, Finding] = {}
    tasks: dict[str, set[str]] = {}
    for result in assessment.results:
        for e in result.evidence:
            for f in e.findings:
                if f.accepted is not None:
                    found.setdefault(f.fingerprint, f)
                    tasks.setdefault(f.fingerprint, set()).add(result.control.id)
    rows = []
    for m in assessment.acceptances:
        a = m.acceptance
        match = found.get(a.fingerprint)
        state = "unmatched" if not m.checks else "expired" if m.expired else "accepted"
        rows.append(
            AcceptedRow(
                fingerprint=a.fingerprint,
                state=state,
                checks=m.checks,
                tasks=tuple(sorted(tasks.get(a.fingerprint, ()))),
                rule=match.rule if match else "",
                location=where(match) if match else "",
                message=match.message if match else "",
                tool=match.tool if match else "",
                severity=match.severity.value if match else "",
                details=acceptance_rows(a),
                reason=a.reason,
                owner=a.owner,
                approver=a.approver,
                expires=a.expires.isoformat(),
            )
        )
    return tuple(rows)
