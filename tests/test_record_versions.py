"""Record version 2 (issue 16): every check run appears once, results reference it; records of
version 1 (evidence inline, as ssdf-baseline wrote before) are still read by `render`, `diff`
and `aggregate`."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from report_sample import sample_assessment
from support import ROOT

from baseline.catalog.loader import load_catalog
from baseline.context import RunOptions
from baseline.engine import assess
from baseline.models import Assessment
from baseline.report.json_record import expanded, from_record, to_record
from baseline.report.record_io import load_record

V1 = ROOT / "tests" / "fixtures" / "record-v1.json"


@pytest.fixture(scope="module")
def insecure_app() -> Assessment:
    """A real run: one semgrep run and one bandit run serve several tasks each."""
    return assess(ROOT / "examples" / "insecure-app", load_catalog("ssdf-1.1"),
                  RunOptions(jobs=2), display="insecure-app", quiet=True)  # fmt: skip


@pytest.mark.slow
def test_each_check_run_is_written_once_and_referenced(
    assessment_validator, insecure_app: Assessment
) -> None:
    record = json.loads(json.dumps(to_record(insecure_app)))
    assessment_validator.validate(record)
    assert record["schema_version"] == "2.0"
    ids = [run["id"] for run in record["check_runs"]]
    assert len(ids) == len(set(ids))
    references = Counter(e["run"] for r in record["results"] for e in r["evidence"])
    assert set(references) == set(ids)  # every run is used, every reference resolves
    assert max(references.values()) > 1  # one run serves several tasks, written once
    findings = [(run["id"], f["fingerprint"]) for run in record["check_runs"]
                for f in run["findings"]]  # fmt: skip
    assert len(findings) == len(set(findings))  # each finding once per run
    inline = expanded(record)
    del inline["check_runs"]
    assert len(json.dumps(record)) < 0.8 * len(json.dumps(inline))  # 0.70 measured


def test_version_two_reads_back_to_the_same_assessment() -> None:
    assessment = sample_assessment()
    again = from_record(to_record(assessment))
    assert [(r.control.id, r.status, [(e.check, e.outcome, e.summary, e.findings)
                                      for e in r.evidence]) for r in again.results] == [
        (r.control.id, r.status, [(e.check, e.outcome, e.summary, e.findings)
                                  for e in r.evidence]) for r in assessment.results]  # fmt: skip


def test_version_one_records_are_still_read(run_cli, tmp_path: Path) -> None:
    record = json.loads(V1.read_text("utf-8"))
    assert record["schema_version"] == "1.0" and "check_runs" not in record
    assessment = load_record(V1)
    assert len(assessment.results) == len(record["results"])
    assert expanded(record)["results"] == record["results"]
    code, _, err = run_cli("render", str(V1), "--out", str(tmp_path / "r"))
    assert code == 0, err
    assert (tmp_path / "r" / "report.html").is_file()
    v2 = tmp_path / "v2.json"
    assert run_cli("render", str(V1), "--out", str(tmp_path / "j"), "--format", "json")[0] == 0
    v2.write_text((tmp_path / "j" / "assessment.json").read_text("utf-8"), "utf-8")
    code, out, err = run_cli("diff", str(V1), str(v2))
    assert code == 0, err
    code, _, err = run_cli("aggregate", str(V1), "--out", str(tmp_path / "p"))
    assert code == 0, err
