"""The control status rule, over every combination of check outcomes, attestations and waivers."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from baseline.evaluate import attestation_problems, evaluate
from baseline.models import (
    Attestation,
    AttestationLevel,
    CheckOutcome,
    CheckSpec,
    Control,
    ControlStatus,
    Evidence,
    EvidenceFile,
    Waiver,
)

TODAY = dt.date(2026, 6, 1)
Outcome = CheckOutcome


def control(level: AttestationLevel = AttestationLevel.OPTIONAL, na: str | None = None) -> Control:
    return Control(
        id="PW.7.2", title="t", summary="s", group="PW", practice="PW.7", attestation=level,
        remediation="r", checks=(CheckSpec("a"), CheckSpec("b")), not_applicable=na,
    )  # fmt: skip


def evidence(*outcomes: CheckOutcome) -> list[Evidence]:
    return [Evidence(f"check{i}", o, f"outcome {o.value}") for i, o in enumerate(outcomes)]


def attestation(**changes: object) -> Attestation:
    base: dict[str, object] = {
        "control": "PW.7.2", "statement": "We review every change.", "by": "CISO",
        "date": dt.date(2026, 1, 1), "expires": dt.date(2027, 1, 1),
        "evidence_files": (EvidenceFile("docs/review.md", "ab" * 32, "ab" * 32),),
    }  # fmt: skip
    base.update(changes)
    return Attestation(**base)  # type: ignore[arg-type]


VALID_WAIVER = Waiver("PW.7.2", "legacy", "WAF", "owner", "approver", dt.date(2026, 12, 31))
EXPIRED_WAIVER = Waiver("PW.7.2", "legacy", "WAF", "owner", "approver", dt.date(2026, 5, 31))


def expected(outcomes: tuple[CheckOutcome, ...], level: AttestationLevel, attested: bool,
             waiver: Waiver | None) -> ControlStatus:  # fmt: skip
    """The rule restated independently, as a table an auditor could check by hand."""
    if Outcome.FAIL in outcomes:
        return ControlStatus.WAIVED if waiver is VALID_WAIVER else ControlStatus.FAIL
    if Outcome.ERROR in outcomes:
        return ControlStatus.ERROR
    if level is AttestationLevel.REQUIRED and not attested:
        return ControlStatus.NEEDS_REVIEW
    if Outcome.NEEDS_REVIEW in outcomes:
        return ControlStatus.ATTESTED if attested else ControlStatus.NEEDS_REVIEW
    if Outcome.PASS not in outcomes:
        return ControlStatus.ATTESTED if attested else ControlStatus.NEEDS_REVIEW
    return ControlStatus.PASS


@pytest.mark.parametrize("level", list(AttestationLevel))
@pytest.mark.parametrize("attested", [False, True])
@pytest.mark.parametrize("waiver", [None, VALID_WAIVER, EXPIRED_WAIVER])
def test_every_combination(level: AttestationLevel, attested: bool, waiver: Waiver | None) -> None:
    for size in range(3):
        for outcomes in itertools.product(list(CheckOutcome), repeat=size):
            result = evaluate(
                control(level), evidence(*outcomes), attestation() if attested else None,
                waiver, TODAY,
            )  # fmt: skip
            assert result.status is expected(outcomes, level, attested, waiver), (outcomes, result)
            if result.status is ControlStatus.PASS:
                assert any(e.outcome is Outcome.PASS for e in result.evidence)
            if result.status is ControlStatus.WAIVED:
                assert any(e.outcome is Outcome.FAIL for e in result.evidence)
            assert result.reason


def test_not_applicable_wins_over_everything() -> None:
    result = evaluate(
        control(na="no web UI"), evidence(Outcome.FAIL, Outcome.ERROR), None, None, TODAY
    )
    assert result.status is ControlStatus.NOT_APPLICABLE
    assert "no web UI" in result.reason


def test_expired_waiver_is_reported() -> None:
    result = evaluate(control(), evidence(Outcome.FAIL), None, EXPIRED_WAIVER, TODAY)
    assert result.status is ControlStatus.FAIL
    assert result.waiver_problems == ("expired on 2026-05-31",)
    assert "expired" in result.reason


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"date": dt.date(2026, 6, 2)}, "in the future"),
        ({"expires": dt.date(2026, 5, 1)}, "expired on 2026-05-01"),
        ({"evidence_files": (EvidenceFile("x.md", None, None),)}, "x.md is missing"),
        ({"evidence_files": (EvidenceFile("x.md", "aa" * 32, "bb" * 32),)}, "x.md changed"),
        ({"evidence_files": ()}, "no evidence given"),
    ],
)
def test_invalid_attestations_do_not_count(changes: dict[str, object], problem: str) -> None:
    bad = attestation(**changes)
    assert any(problem in p for p in attestation_problems(bad, TODAY))
    result = evaluate(control(AttestationLevel.REQUIRED), evidence(Outcome.PASS), bad, None, TODAY)
    assert result.status is ControlStatus.NEEDS_REVIEW
    assert any(problem in p for p in result.attestation_problems)


def test_attestation_with_url_only_does_not_count() -> None:
    by_url = attestation(evidence_files=(), urls=("https://example.org/policy",))
    assert attestation_problems(by_url, TODAY) == (
        "evidence is a URL without a digest: cannot be verified "
        "(add the document as an evidence file with its sha256)",
    )
