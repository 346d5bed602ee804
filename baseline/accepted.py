"""Accepted findings: the config's `[[accepted_findings]]` laid over the checks' evidence.

Applied once, after the engine ran the checks and before any task is evaluated, so that every
report, the gate and the record agree. Pure: no I/O.

An accepted finding stays in the evidence, marked with its acceptance. A check that failed is
judged again on the findings that are left, with the check's own threshold (`Evidence.failing`:
the fingerprints that failed it; when a check does not say, every finding counts): when none is
left it takes the outcome it has without failing findings (`Evidence.passing_outcome`). An
expired acceptance marks the finding but changes nothing (the finding counts again); an
acceptance that matches no finding is reported and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TypeVar

from baseline.models import (
    Acceptance,
    AcceptanceMatch,
    CheckOutcome,
    ConfigClaim,
    Evidence,
    Finding,
)

K = TypeVar("K")


def _marked(evidence: Evidence, by_print: Mapping[str, Acceptance], as_of: dt.date) -> Evidence:
    findings = tuple(
        replace(
            f,
            accepted=by_print[f.fingerprint],
            acceptance_expired=by_print[f.fingerprint].expires < as_of,
        )
        if f.fingerprint in by_print
        else f
        for f in evidence.findings
    )
    if findings == evidence.findings:
        return evidence
    evidence = replace(evidence, findings=findings)
    in_force = {f.fingerprint for f in findings if f.accepted and not f.acceptance_expired}
    expired = sum(1 for f in findings if f.accepted and f.acceptance_expired)
    notes = []
    if in_force:
        plural = "s" if len(in_force) != 1 else ""
        notes.append(f"{len(in_force)} finding{plural} accepted in the project config")
    if expired:
        notes.append(f"{expired} acceptance{'s' if expired != 1 else ''} expired (counted again)")
    summary = f"{evidence.summary}; {', '.join(notes)}"
    if evidence.outcome is not CheckOutcome.FAIL or not in_force:
        return replace(evidence, summary=summary)
    failing = (
        set(evidence.failing)
        if evidence.failing is not None
        else {f.fingerprint for f in evidence.findings}
    )
    if failing - in_force:
        return replace(evidence, summary=summary)
    return replace(
        evidence,
        outcome=evidence.passing_outcome,
        summary=f"{summary}: no other finding fails",
        failing=(),
    )


def apply(
    evidence: Mapping[K, Evidence], acceptances: Sequence[Acceptance], as_of: dt.date
) -> tuple[dict[K, Evidence], tuple[AcceptanceMatch, ...]]:
    """The evidence with accepted findings marked and re-judged, and what each acceptance
    matched (in the config's order)."""
    by_print = {a.fingerprint: a for a in acceptances}
    if not by_print:
        return dict(evidence), ()
    marked = {key: _marked(e, by_print, as_of) for key, e in evidence.items()}
    checks: dict[str, set[str]] = {}
    for e in marked.values():
        for f in e.findings:
            if f.accepted is not None:
                checks.setdefault(f.fingerprint, set()).add(e.check)
    matches = tuple(
        AcceptanceMatch(a, tuple(sorted(checks.get(a.fingerprint, ()))), a.expires < as_of)
        for a in acceptances
    )
    return marked, matches


def claims(evidence: Iterable[Evidence]) -> tuple[ConfigClaim, ...]:
    """What a task's status rests on from accepted findings in force: one claim each."""
    seen: dict[str, Finding] = {}
    for e in evidence:
        for f in e.findings:
            if f.accepted is not None and not f.acceptance_expired:
                seen.setdefault(f.fingerprint, f)
    return tuple(
        ConfigClaim(
            "accepted_finding",
            f.accepted.source,
            f"finding {f.fingerprint} ({f.rule} at {where(f)}) accepted until "
            f"{f.accepted.expires.isoformat()}, approved by {f.accepted.approver}: "
            f"{f.accepted.reason}",
        )
        for _, f in sorted(seen.items())
        if f.accepted is not None
    )


def where(f: Finding) -> str:
    """`path:line`, `path`, or `the repository` for a repository-level finding."""
    if not f.path:
        return "the repository"
    return f"{f.path}:{f.line}" if f.line else f.path
