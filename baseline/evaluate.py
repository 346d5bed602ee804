"""The control status rule: pure functions, no I/O (see DESIGN.md, "Control status rule")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from baseline.models import (
    Attestation,
    AttestationLevel,
    CheckOutcome,
    Control,
    ControlStatus,
    Evidence,
    Result,
    Waiver,
)


def attestation_problems(attestation: Attestation, today: dt.date) -> tuple[str, ...]:
    """Every reason this attestation does not count today; empty when it is valid."""
    problems: list[str] = []
    if attestation.date > today:
        problems.append(f"dated {attestation.date.isoformat()}, in the future")
    if attestation.expires is not None and attestation.expires < today:
        problems.append(f"expired on {attestation.expires.isoformat()}")
    if not attestation.evidence_files and attestation.urls:
        # Nothing an assessor can check: a URL serves whatever it serves today. Only a file
        # with a recorded digest is evidence (DESIGN.md: "evidence present, digest matching").
        problems.append(
            "evidence is a URL without a digest: cannot be verified "
            "(add the document as an evidence file with its sha256)"
        )
    elif not attestation.evidence_files:
        problems.append("no evidence given (an evidence file with its sha256 is required)")
    for item in attestation.evidence_files:
        if item.actual_sha256 is None:
            problems.append(f"evidence file {item.path} is missing")
        elif item.declared_sha256 and item.declared_sha256 != item.actual_sha256:
            problems.append(
                f"evidence file {item.path} changed: sha256 {item.actual_sha256[:12]}... "
                f"does not match the recorded {item.declared_sha256[:12]}..."
            )
    return tuple(problems)


def waiver_problems(waiver: Waiver, today: dt.date) -> tuple[str, ...]:
    """Every reason this waiver does not waive today; empty when it is in force."""
    if waiver.expires < today:
        return (f"expired on {waiver.expires.isoformat()}",)
    return ()


def _outcomes(evidence: Sequence[Evidence], outcome: CheckOutcome) -> list[str]:
    return [e.check for e in evidence if e.outcome is outcome]


def evaluate(
    control: Control,
    evidence: Sequence[Evidence],
    attestation: Attestation | None,
    waiver: Waiver | None,
    today: dt.date,
) -> Result:
    """Apply the control status rule, in order, and say why."""
    att_problems = attestation_problems(attestation, today) if attestation else ()
    wvr_problems = waiver_problems(waiver, today) if waiver else ()
    attested = attestation is not None and not att_problems

    def result(status: ControlStatus, reason: str) -> Result:
        return Result(
            control=control,
            status=status,
            reason=reason,
            evidence=tuple(evidence),
            attestation=attestation,
            attestation_problems=att_problems,
            waiver=waiver,
            waiver_problems=wvr_problems,
        )

    if control.not_applicable is not None:
        return result(
            ControlStatus.NOT_APPLICABLE, f"declared not applicable: {control.not_applicable}"
        )

    failed = _outcomes(evidence, CheckOutcome.FAIL)
    if failed:
        names = ", ".join(failed)
        if waiver is not None and not wvr_problems:
            return result(
                ControlStatus.WAIVED,
                f"check {names} failed; waived until {waiver.expires.isoformat()}",
            )
        if waiver is not None:
            return result(ControlStatus.FAIL, f"check {names} failed; waiver {wvr_problems[0]}")
        return result(ControlStatus.FAIL, f"check {names} failed")

    errored = _outcomes(evidence, CheckOutcome.ERROR)
    if errored:
        return result(ControlStatus.ERROR, f"check {', '.join(errored)} could not complete")

    if control.attestation is AttestationLevel.REQUIRED and not attested:
        why = f"attestation {att_problems[0]}" if att_problems else "no attestation recorded"
        support = _outcomes(evidence, CheckOutcome.PASS)
        also = f"; check {', '.join(support)} passed as supporting evidence" if support else ""
        return result(ControlStatus.NEEDS_REVIEW, f"a person must attest to this task: {why}{also}")

    review = _outcomes(evidence, CheckOutcome.NEEDS_REVIEW)
    if review:
        if attested:
            return result(
                ControlStatus.ATTESTED,
                f"check {', '.join(review)} needs a person's judgement; attested by "
                f"{attestation.by if attestation else ''}",
            )
        return result(
            ControlStatus.NEEDS_REVIEW, f"check {', '.join(review)} needs a person's review"
        )

    passed = _outcomes(evidence, CheckOutcome.PASS)
    if not passed:
        if attested:
            return result(ControlStatus.ATTESTED, "no automated evidence; attested by a person")
        if att_problems:
            return result(
                ControlStatus.NEEDS_REVIEW,
                f"no automated evidence and the attestation does not count: {att_problems[0]}",
            )
        return result(ControlStatus.NEEDS_REVIEW, "no automated evidence and no attestation")

    return result(ControlStatus.PASS, f"check {', '.join(passed)} passed")
