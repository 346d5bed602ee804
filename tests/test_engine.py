"""The engine: error isolation, deduplicated check runs, determinism."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import EXAMPLES

from baseline import engine
from baseline.catalog.loader import load_catalog
from baseline.checks import registry
from baseline.checks.interface import Check
from baseline.context import RunOptions
from baseline.models import CheckOutcome, ControlStatus
from baseline.report.json_record import dumps, from_record, to_record


def _explode(ctx: object, params: object) -> object:
    raise RuntimeError("boom")


@pytest.mark.slow
def test_a_check_that_raises_is_an_error_for_its_controls_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broken = Check(id="repo.has_license", question="?", run=_explode)  # type: ignore[arg-type]
    monkeypatch.setitem(registry.CHECKS, "repo.has_license", broken)  # type: ignore[index]
    catalog = load_catalog("ssdf-1.1")
    clean = engine.assess(EXAMPLES / "well-kept-app", catalog, RunOptions(jobs=2), quiet=True)
    by_id = {r.control.id: r for r in clean.results}
    license_controls = {
        c.id for c in catalog.controls if any(s.check == "repo.has_license" for s in c.checks)
    }
    assert license_controls == {"PW.4.2"}
    assert by_id["PW.4.2"].status is ControlStatus.ERROR
    evidence = by_id["PW.4.2"].evidence[0]
    assert evidence.outcome is CheckOutcome.ERROR and "RuntimeError: boom" in (evidence.error or "")
    assert by_id["RV.1.3"].status is not ControlStatus.ERROR
    assert sum(r.status is ControlStatus.ERROR for r in clean.results) == 1


def test_each_distinct_check_runs_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = registry.CHECKS["repo.has_security_policy"]

    def counting(ctx, params):  # type: ignore[no-untyped-def]
        calls.append("run")
        return original.run(ctx, params)

    monkeypatch.setitem(
        registry.CHECKS, "repo.has_security_policy",  # type: ignore[index]
        Check(id=original.id, question=original.question, run=counting),
    )  # fmt: skip
    engine.assess(
        EXAMPLES / "insecure-app", load_catalog("ssdf-1.1"), RunOptions(jobs=2), quiet=True
    )
    assert calls == ["run"]  # used by RV.1.1 and RV.1.3


def test_same_input_same_record(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    catalog = load_catalog("ssdf-1.1")
    first = engine.assess(
        EXAMPLES / "insecure-app", catalog, RunOptions(jobs=2), display="x", quiet=True
    )
    second = engine.assess(
        EXAMPLES / "insecure-app", catalog, RunOptions(jobs=1), display="x", quiet=True
    )
    assert dumps(to_record(first)) == dumps(to_record(second))
    assert first.generated_at == "2026-01-01T00:00:00Z"


def test_record_round_trip() -> None:
    assessment = engine.assess(
        EXAMPLES / "well-kept-app", load_catalog("ssdf-1.1"), RunOptions(), quiet=True
    )
    record = to_record(assessment)
    assert to_record(from_record(record)) == record


def test_bad_source_date_epoch(monkeypatch: pytest.MonkeyPatch, run_cli, tmp_path: Path) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    code, _, err = run_cli(
        "assess", str(EXAMPLES / "well-kept-app"), "--out", str(tmp_path), "--quiet"
    )
    assert code == 2 and "SOURCE_DATE_EPOCH" in err
