"""`baseline assess` end to end on the bundled examples, and the other foundation commands."""

from __future__ import annotations

import json
from pathlib import Path

from support import EXAMPLES, load_json

from baseline.report.json_record import expanded


def test_insecure_app_fails_with_a_valid_record(
    run_cli, tmp_path: Path, assessment_validator
) -> None:
    code, out, _ = run_cli(
        "assess", str(EXAMPLES / "insecure-app"), "--out", str(tmp_path), "--quiet"
    )
    assert code == 1
    assert "Policy not met" in out and str(tmp_path) in out
    record = expanded(load_json(tmp_path / "assessment.json"))
    assessment_validator.validate(record)
    assert len(record["results"]) == 42
    assert record["catalog"]["id"] == "ssdf-1.1" and len(record["catalog"]["digest"]) == 64
    for result in record["results"]:
        assert result["status"] and result["reason"]
        if result["status"] == "pass":
            assert any(e["outcome"] == "pass" for e in result["evidence"]), result["control_id"]
        if not result["control"]["checks"]:
            assert result["status"] in ("needs_review", "attested", "not_applicable")
    statuses = {r["control_id"]: r["status"] for r in record["results"]}
    assert statuses["RV.1.3"] == "fail" and statuses["PO.2.2"] == "needs_review"
    assert record["summary"]["fail"] == sum(s == "fail" for s in statuses.values())


def test_well_kept_app_has_no_failures_from_file_checks(
    run_cli, tmp_path: Path, assessment_validator
) -> None:
    code, _, _ = run_cli(
        "assess", str(EXAMPLES / "well-kept-app"), "--out", str(tmp_path), "--quiet"
    )
    record = expanded(load_json(tmp_path / "assessment.json"))
    assessment_validator.validate(record)
    repo_evidence = [
        e for r in record["results"] for e in r["evidence"] if e["check"].startswith("repo.")
    ]
    assert repo_evidence and all(e["outcome"] in ("pass", "needs_review") for e in repo_evidence)


def test_fail_on_needs_review_gates(run_cli, tmp_path: Path) -> None:
    code, _, _ = run_cli("assess", str(EXAMPLES / "well-kept-app"), "--out", str(tmp_path),
                         "--quiet", "--format", "json", "--fail-on", "needs_review")  # fmt: skip
    assert code == 1
    code, _, err = run_cli("assess", str(EXAMPLES / "well-kept-app"), "--fail-on", "maybe")
    assert code == 2 and "'maybe'" in err


def test_missing_target_is_an_input_error(run_cli, tmp_path: Path) -> None:
    code, _, err = run_cli("assess", str(tmp_path / "nope"), "--out", str(tmp_path / "o"))
    assert code == 2 and "not a directory" in err
    assert not (tmp_path / "o").exists()


def test_explain_names_checks_and_attestation(run_cli) -> None:
    code, out, _ = run_cli("explain", "rv.1.3")
    assert code == 0
    assert out.startswith("RV.1.3")
    assert "repo.has_security_policy" in out and "Attestation:" in out and "Remediation:" in out
    assert run_cli("explain", "PW.3.1")[0] == 2


def test_catalog_list_and_text_show(run_cli) -> None:
    code, out, _ = run_cli("catalog", "list")
    assert code == 0 and "ssdf-1.1" in out and "ssdf-1.2-draft" in out and "cisa-common-form" in out
    code, out, _ = run_cli("catalog", "show", "ssdf-1.1")
    assert code == 0 and "PW.7.2" in out


def test_python_dash_m_and_help(tmp_path: Path) -> None:
    import subprocess
    import sys

    for args in (
        ["--help"],
        ["assess", "--help"],
        ["catalog", "show", "--help"],
        ["explain", "--help"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "baseline", *args], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0 and "usage:" in done.stdout
    done = subprocess.run([sys.executable, "-m", "baseline", "catalog", "show", "ssdf-1.1", "--format", "json"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    assert len(json.loads(done.stdout)["controls"]) == 42


def test_python_dash_m_inside_a_hostile_folder_imports_nothing_from_it(tmp_path: Path) -> None:
    import subprocess
    import sys

    marker = tmp_path / "MARKER"
    for name in ("json.py", "yaml.py", "jinja2.py"):
        (tmp_path / name).write_text(f"open({str(marker)!r}, 'w').write('ran')\n")
    done = subprocess.run(
        [sys.executable, "-m", "baseline", "catalog", "show", "ssdf-1.1", "--format", "json"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert not marker.exists()
