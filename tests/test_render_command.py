"""`baseline render` and determinism: the same input writes the same bytes, every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from baseline.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "insecure-app"
ALL_FILES = {
    "assessment.json",
    "report.html",
    "report.md",
    "results.sarif",
    "oscal-assessment-results.json",
    "oscal-assessment-plan.json",
    "cisa-form.md",
    "cisa-form.json",
    "poam.md",
    "poam.csv",
}


def _read(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
        first = tmp_path_factory.mktemp("first")
        second = tmp_path_factory.mktemp("second")
        assert main(["assess", str(EXAMPLE), "--out", str(first), "--quiet"]) == 1
        assert main(["assess", str(EXAMPLE), "--out", str(second), "--quiet", "--jobs", "1"]) == 1
    return first, second


def test_assess_writes_every_format_by_default(two_runs: tuple[Path, Path]) -> None:
    assert set(_read(two_runs[0])) == ALL_FILES


def test_two_runs_are_byte_identical(two_runs: tuple[Path, Path]) -> None:
    first, second = (_read(d) for d in two_runs)
    assert first == second
    assert b"2023-11-14T22:13:20Z" in first["report.html"]


def test_render_reproduces_every_file_without_rescanning(
    two_runs: tuple[Path, Path], tmp_path: Path
) -> None:
    out = tmp_path / "again"
    assert main(["render", str(two_runs[0] / "assessment.json"), "--out", str(out)]) == 0
    assert _read(out) == _read(two_runs[0])


def test_render_one_format(two_runs: tuple[Path, Path], tmp_path: Path) -> None:
    record = str(two_runs[0] / "assessment.json")
    assert main(["render", record, "--format", "sarif,md", "--out", str(tmp_path)]) == 0
    assert set(_read(tmp_path)) == {"results.sarif", "report.md"}


def test_render_rejects_an_invalid_record_with_its_location(
    two_runs: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = json.loads((two_runs[0] / "assessment.json").read_text(encoding="utf-8"))
    record["results"][2]["status"] = "splendid"
    bad = tmp_path / "assessment.json"
    bad.write_text(json.dumps(record), encoding="utf-8")
    assert main(["render", str(bad), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"{bad}: results[2].status: 'splendid' is not one of" in err
    assert not (tmp_path / "out").exists()


def test_render_rejects_broken_json_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "assessment.json"
    bad.write_text('{\n  "schema_version": "1.0",\n  oops\n}\n', encoding="utf-8")
    assert main(["render", str(bad), "--out", str(tmp_path / "out")]) == 2
    assert f"{bad}:3: invalid JSON" in capsys.readouterr().err


def test_render_rejects_an_unknown_format(two_runs: tuple[Path, Path], tmp_path: Path) -> None:
    record = str(two_runs[0] / "assessment.json")
    assert main(["render", record, "--format", "pdf", "--out", str(tmp_path)]) == 2


def test_real_run_outputs_validate(two_runs: tuple[Path, Path]) -> None:
    import jsonschema
    from trestle.oscal.assessment_results import AssessmentResults

    folder = two_runs[0]
    schema = json.loads(
        (Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
    )
    sarif = json.loads((folder / "results.sarif").read_text(encoding="utf-8"))
    jsonschema.validate(sarif, schema)
    assert sarif["runs"][0]["results"], "the insecure example has failures to report"
    oscal = json.loads((folder / "oscal-assessment-results.json").read_text(encoding="utf-8"))
    AssessmentResults.model_validate(oscal["assessment-results"])
    from trestle.oscal.assessment_plan import AssessmentPlan

    assert oscal["assessment-results"]["import-ap"]["href"] == "oscal-assessment-plan.json"
    plan = json.loads((folder / "oscal-assessment-plan.json").read_text(encoding="utf-8"))
    AssessmentPlan.model_validate(plan["assessment-plan"])
