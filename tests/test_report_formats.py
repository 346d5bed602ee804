"""Each machine-readable format is valid for its consumers and says what the evidence says."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from report_sample import hostile_assessment, sample_assessment
from trestle.oscal.assessment_results import AssessmentResults

from baseline.models import Assessment
from baseline.report.json_record import to_record
from baseline.report.registry import FORMATS
from baseline.report.sarif import FINGERPRINT_KEY, sarif_document
from baseline.report.view import build_view
from baseline.report.write import render_all
from baseline.resources import schema_path

SARIF_SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)
ASSESSMENTS = {"sample": sample_assessment, "hostile": hostile_assessment}


def _files(assessment: Assessment) -> dict[str, str]:
    return render_all(assessment, list(FORMATS))


@pytest.mark.parametrize("which", sorted(ASSESSMENTS))
def test_sarif_validates_against_the_schema(which: str) -> None:
    document = json.loads(_files(ASSESSMENTS[which]())["results.sarif"])
    jsonschema.validate(document, SARIF_SCHEMA)


def test_sarif_reports_failures_with_locations_and_a_waiver_as_a_suppression() -> None:
    """The rest of the SARIF shape is in tests/test_sarif.py."""
    run = json.loads(_files(sample_assessment())["results.sarif"])["runs"][0]
    by_rule: dict[str, list[dict[str, object]]] = {}
    for result in run["results"]:
        by_rule.setdefault(result["ruleId"], []).append(result)
        assert result["locations"], "code scanning rejects results without a location"
        assert result["partialFingerprints"][FINGERPRINT_KEY]
    # not the pass nor the error
    assert sorted(by_rule) == ["B105", "B602", "acme.no-pickle", "repo.has_test_suite"]
    (b602,), (b105,) = by_rule["B602"], by_rule["B105"]
    assert b602["locations"][0]["physicalLocation"]["region"]["startLine"] == 12
    assert b602["level"] == "error" and b105["level"] == "note"
    assert b602["properties"]["cwe"] == ["CWE-78"] and b105["properties"]["cwe"] == ["CWE-259"]
    (semgrep,) = by_rule["acme.no-pickle"]
    assert semgrep["properties"]["rule_origin"] == "config:rules/acme.yaml"
    assert "rule_origin" not in b602["properties"]
    (waived,) = by_rule["repo.has_test_suite"]
    assert waived["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "."
    assert waived["suppressions"][0]["status"] == "accepted"


def test_sarif_can_include_every_finding() -> None:
    everything = sarif_document(build_view(sample_assessment()), everything=True)
    jsonschema.validate(everything, SARIF_SCHEMA)
    assert len(everything["runs"][0]["results"]) >= 4


@pytest.mark.parametrize("which", sorted(ASSESSMENTS))
def test_oscal_validates_with_trestle(which: str) -> None:
    document = json.loads(_files(ASSESSMENTS[which]())["oscal-assessment-results.json"])
    model = AssessmentResults.model_validate(document["assessment-results"])
    (result,) = model.results
    states = {f.target.target_id: f.target.status.state.value for f in result.findings}
    if which == "sample":
        assert states["PS.1.1"] == "satisfied" and states["PW.7.2"] == "not-satisfied"
        assert states["PO.1.1"] == "satisfied" and states["PW.8.2"] == "not-satisfied"
    observation_ids = {o.uuid for o in result.observations}
    for finding in result.findings:
        for related in finding.related_observations or ():
            assert related.observation_uuid in observation_ids


def test_oscal_rejects_what_it_should() -> None:
    document = json.loads(_files(sample_assessment())["oscal-assessment-results.json"])
    document["assessment-results"]["results"][0]["findings"][0]["target"]["status"] = {
        "state": "maybe"
    }
    with pytest.raises(ValueError):
        AssessmentResults.model_validate(document["assessment-results"])


def test_form_items_are_attestable_only_when_every_task_is() -> None:
    form = json.loads(_files(sample_assessment())["cisa-form.json"])
    attestable = {i["id"]: i["attestable"] for i in form["items"]}
    assert attestable == {"1": False, "2": False, "3": False, "4": True}
    blocking = {i["id"]: i["blocking_tasks"] for i in form["items"]}
    assert blocking["3"] == ["PW.8.2", "RV.1.1"]
    assert "M-26-05" in form["note"]


def test_producer_fields_are_blank_unless_given() -> None:
    blank = json.loads(_files(sample_assessment())["cisa-form.json"])
    assert blank["sections"]["II"]["company_name"]["value"] is None
    assert "(to be completed by the producer)" in _files(sample_assessment())["cisa-form.md"]
    filled = render_all(sample_assessment(), ["form"], producer={"company_name": "Acme Corp"})
    assert json.loads(filled["cisa-form.json"])["sections"]["II"]["company_name"]["value"] == (
        "Acme Corp"
    )
    assert "| Company name | Acme Corp |" in filled["cisa-form.md"]


def test_poam_has_one_entry_per_weakness_with_the_waivers_plan() -> None:
    files = _files(sample_assessment())
    assert files["poam.csv"].startswith("\ufeffPOAM ID,Controls,Weakness Name,")
    rows = list(csv.DictReader(io.StringIO(files["poam.csv"].removeprefix("\ufeff"))))
    assert [r["POAM ID"] for r in rows] == [
        "check:sast.bandit", "check:sast.semgrep", "error:repo.has_security_policy",
        "attest:PO.5.1", "waiver:PW.8.2",
    ]  # fmt: skip
    # Item 4 is attestable: nothing of it in the plan.
    assert {i for r in rows for i in r["CISA Form Items"].split(", ")} == {"1", "2", "3"}
    waived = rows[-1]
    assert waived["Controls"] == "PW.8.2" and waived["Point of Contact"] == "qa-team"
    assert waived["Overall Remediation Plan"] == "manual QA before each release"
    assert waived["Approver"] == "cto" and waived["Scheduled Completion Date"] == "2026-06-30"
    assert waived["Planned Milestones"] == (
        "2026-03-01: unit tests for the core; 2026-05-01: tests in CI"
    )
    assert waived["Deviation Rationale"] == "tests are being written"
    assert waived["Weakness Detector Source"].endswith("check repo.has_test_suite")
    assert waived["Original Detection Date"] == "2026-01-15"
    open_ = [r for r in rows if r is not waived]
    assert {r["Overall Remediation Plan"] for r in open_} == {"plan to be written by the producer"}
    assert {r["Status"] for r in open_} == {"open"}
    assert "no plan recorded" not in files["poam.csv"] + files["poam.md"]
    bandit = rows[0]
    assert bandit["Original Risk Rating"] == "High"
    assert bandit["Weakness Detector Source"].endswith("check sast.bandit (bandit 1.8.0)")
    assert "app/run.py:12 B602" in bandit["Weakness Description"]
    assert (
        "| Approver | cto |" in files["poam.md"] and "- 2026-03-01: unit tests" in files["poam.md"]
    )


def test_poam_csv_neutralises_spreadsheet_formulas() -> None:
    from dataclasses import replace

    base = sample_assessment()
    results = tuple(
        replace(r, waiver=replace(r.waiver, reason="=HYPERLINK(1)")) if r.waiver else r
        for r in base.results
    )
    text = render_all(replace(base, results=results), ["form"])["poam.csv"]
    rows = list(csv.reader(io.StringIO(text)))
    assert any(cell == "'=HYPERLINK(1)" for row in rows for cell in row)


def test_hostile_record_still_matches_the_assessment_schema() -> None:
    schema = json.loads(schema_path("assessment.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(to_record(hostile_assessment()), schema)


def test_markdown_escapes_untrusted_text() -> None:
    files = _files(hostile_assessment())
    for name in ("report.md", "cisa-form.md", "poam.md"):
        text = files[name]
        for raw in ("<script>", "<img", "<b>"):
            assert raw not in text, (name, raw)
        assert not re.search(r"(?<!\\)\]\(javascript:", text), name
    report = files["report.md"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report
    assert "\\[click\\](javascript:alert(4)) \\| \\`code\\`" in report
    # Each table row keeps its column count: no pipe from the data splits a cell.
    for line in report.splitlines():
        if line.startswith("| PW.7.2 |"):
            assert line.count(" | ") == 3


def test_markdown_has_summary_failing_controls_and_details() -> None:
    report = _files(sample_assessment())["report.md"]
    assert "| Fail | 1 |" in report and "| **Total** | **7** |" in report
    failing = report.split("## Failing controls")[1].split("##")[0]
    assert "PW.7.2" in failing and "RV.1.1" in failing and "PS.1.1" not in failing
    assert report.count("<details>") == report.count("</details>") > 7
    assert "<code>app/run.py:12</code>" in report


def test_markdown_stays_under_the_summary_limit() -> None:
    from dataclasses import replace

    from baseline.models import Finding, Severity

    base = sample_assessment()
    many = tuple(
        Finding("R1", "x" * 200, Severity.LOW, f"src/file{i}.py", i, f"{i:032x}")
        for i in range(6000)
    )
    results = tuple(
        replace(r, evidence=tuple(replace(e, findings=many) for e in r.evidence))
        for r in base.results
    )
    big = replace(base, results=results)
    text = render_all(big, ["md"])["report.md"]
    assert len(text.encode("utf-8")) < 900 * 1024
    assert "report.html" in text.split("## Tasks")[-1]
    assert "## Failing controls" in text


def test_undecodable_file_names_are_escaped_in_every_format() -> None:
    from dataclasses import replace

    from baseline.models import Finding, Severity

    base = sample_assessment()
    odd = Finding("X", "name \udcff", Severity.LOW, "src/\udcff.py", 1, "1" * 32)
    results = tuple(
        replace(r, evidence=tuple(replace(e, findings=(*e.findings, odd)) for e in r.evidence))
        if r.status.value == "fail"
        else r
        for r in base.results
    )
    files = _files(replace(base, results=results))
    for name, text in files.items():
        text.encode("utf-8")  # no lone surrogate left
        if name in ("report.html", "report.md", "results.sarif"):
            assert "udcff" in text, name


@pytest.mark.slow
def test_trestle_validates_oscal_of_a_real_record_where_a_task_runs_a_check_twice(
    tmp_path: Path,
) -> None:
    # PW.5.1 runs sast.semgrep twice (every rule; secrets.*): each observation needs its own
    # UUID, or trestle's duplicate validator rejects the document (issue 16).
    import shutil
    import subprocess
    import sys

    from baseline.catalog.loader import load_catalog
    from baseline.context import RunOptions
    from baseline.engine import assess

    app = Path(__file__).resolve().parent.parent / "examples" / "insecure-app"
    assessment = assess(app, load_catalog("ssdf-1.1"), RunOptions(jobs=2), quiet=True)
    pw51 = next(r for r in assessment.results if r.control.id == "PW.5.1")
    assert [e.check for e in pw51.evidence].count("sast.semgrep") == 2
    document = render_all(assessment, ["oscal"])["oscal-assessment-results.json"]
    trestle = shutil.which("trestle", path=str(Path(sys.executable).parent))
    assert trestle is not None
    subprocess.run([trestle, "init"], cwd=tmp_path, check=True, capture_output=True)
    target = tmp_path / "assessment-results" / "ar" / "assessment-results.json"
    target.parent.mkdir(parents=True)
    target.write_text(document, encoding="utf-8")
    done = subprocess.run([trestle, "validate", "-f", str(target)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0 and "VALID: Model" in done.stdout, done.stdout + done.stderr


def test_cwe_ids_reach_oscal_and_the_html_finding_rows() -> None:
    files = _files(sample_assessment())
    document = json.loads(files["oscal-assessment-results.json"])
    (result,) = document["assessment-results"]["results"]
    observations = {o["title"]: o for o in result["observations"]}
    bandit = observations["Check sast.bandit (severity='low')"]
    cwes = [p["value"] for p in bandit["props"] if p["name"] == "cwe"]
    assert cwes == ["CWE-259", "CWE-78"]
    notes = [e["description"] for e in bandit["relevant-evidence"]]
    assert any(n.startswith("app/run.py:12: [B602]") and n.endswith("(CWE-78)") for n in notes)
    html = files["report.html"]
    assert "<small>CWE-78</small>" in html and "<small>CWE-502</small>" in html
    assert "<small>rule: config:rules/acme.yaml</small>" in html


def test_the_coverage_table_is_shown_once_in_html_and_markdown() -> None:
    files = _files(sample_assessment())
    html, markdown = files["report.html"], files["report.md"]
    assert html.count('<section id="coverage">') == 1
    assert '<tr><td>Kotlin</td><td class="num">3</td><td class="num">1,240</td>' in html
    assert "<strong>not analyzed</strong>" in html
    assert "| Kotlin | 3 | 1,240 | **not analyzed** |" in markdown
    assert "| Python | 4 | 310 | bandit (68 tests), semgrep (13 rules) |" in markdown
    assert "(config:rules/acme.yaml)" in markdown
