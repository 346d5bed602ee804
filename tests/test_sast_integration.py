"""The real bandit and semgrep on the examples: the record equals what the bare tools report."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from support import check_evidence

from baseline.catalog.loader import load_catalog
from baseline.context import RunOptions, build_context
from baseline.engine import assess, run_check
from baseline.models import CheckSpec, Evidence
from baseline.report.json_record import dumps, expanded, to_record
from baseline.resources import schema_path
from baseline.tools import semgrep as semgrep_tool

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
INSECURE = ROOT / "examples" / "insecure-app"
WELL_KEPT = ROOT / "examples" / "well-kept-app"
SAST_CONTROLS = {"PS.1.1", "PW.5.1", "PW.7.2", "PW.9.1", "RV.1.2", "RV.3.3"}
QUIET = ["--metrics=off", "--disable-version-check"]


def record_of(target: Path) -> dict[str, Any]:
    """assessment.json of one target against ssdf-1.1, validated against the schema."""
    assessment = assess(
        target, load_catalog("ssdf-1.1"), RunOptions(jobs=2), display=target.name, quiet=True
    )
    record: dict[str, Any] = json.loads(dumps(to_record(assessment)))
    schema = json.loads(schema_path("assessment.schema.json").read_text("utf-8"))
    jsonschema.validate(record, schema)
    return expanded(record)  # every result's evidence in full (version 2 references runs)


def evidence(record: dict[str, Any], check: str, **params: Any) -> dict[str, Any]:
    """The evidence of `check` whose parameters include `params` (first control that has it)."""
    for result in record["results"]:
        for item in result["evidence"]:
            if item["check"] == check and all(item["params"][k] == v for k, v in params.items()):
                return item  # type: ignore[no-any-return]
    raise AssertionError(f"no evidence of {check} {params}")


def triples(items: list[dict[str, Any]]) -> list[tuple[str, str, int]]:
    return sorted((i["rule"], i["path"], i["line"]) for i in items)


@pytest.fixture(scope="module")
def insecure_record() -> dict[str, Any]:
    return record_of(INSECURE)


def test_bandit_findings_equal_bare_bandit(insecure_record: dict[str, Any]) -> None:
    bare = subprocess.run(
        ["bandit", "-r", "-f", "json", "-q", "."], cwd=INSECURE, capture_output=True, check=False
    )
    expected = [
        (r["test_id"], r["filename"].removeprefix("./"), r["line_number"])
        for r in json.loads(bare.stdout)["results"]
    ]
    found = evidence(insecure_record, "sast.bandit", rules=[])
    assert triples(found["findings"]) == sorted(expected)
    assert found["outcome"] == "fail"
    assert all(f["fingerprint"] and f["tool"] == "bandit" for f in found["findings"])
    assert {"kind": "nosec", "path": "tasks.py", "line": 19, "detail": "B602"} in found[
        "suppressions"
    ]
    assert found["tool_runs"][0]["command"][:4] == ["bandit", "-f", "json", "-q"]
    assert "bandit.json" in found["digests"]


def test_semgrep_findings_equal_bare_semgrep(insecure_record: dict[str, Any]) -> None:
    bare = subprocess.run(
        ["semgrep", "scan", "--config", str(ROOT / "controls" / "rules"), "--json", *QUIET],
        cwd=INSECURE,
        capture_output=True,
        check=False,
    )
    known = semgrep_tool.rule_ids(ROOT / "controls" / "rules")
    expected = [
        (semgrep_tool.rule_id(r["check_id"], known), r["path"], r["start"]["line"])
        for r in json.loads(bare.stdout)["results"]
    ]
    found = evidence(insecure_record, "sast.semgrep", rules=[])
    assert expected and triples(found["findings"]) == sorted(expected)
    assert found["outcome"] == "fail"
    assert found["tool_runs"][0]["command"][:5] == [
        "semgrep", "scan", "--experimental", "--config", "controls/rules"
    ]  # fmt: skip
    markers = [s for s in found["suppressions"] if s["kind"] == "nosemgrep"]
    assert [(s["path"], s["line"]) for s in markers] == [("tasks.py", 24)]
    assert not any(str(ROOT) in json.dumps(item) for item in found["tool_runs"])


@pytest.mark.parametrize("target", [INSECURE, WELL_KEPT], ids=["insecure", "well-kept"])
def test_the_ocaml_and_python_semgrep_clis_give_the_same_evidence(target: Path) -> None:
    def run(osemgrep: bool) -> Evidence:
        ctx = build_context(target, "t", RunOptions(cache=None))
        spec = CheckSpec("sast.semgrep", {"osemgrep": osemgrep, "include_tests": True})
        return run_check(ctx, spec)

    ocaml, python = run(True), run(False)
    assert ocaml.outcome is python.outcome and ocaml.outcome.value in ("pass", "fail")
    assert ocaml.findings == python.findings and ocaml.suppressions == python.suppressions
    assert "--experimental" in ocaml.tool_runs[0].command
    assert "--experimental" not in python.tool_runs[0].command


def test_every_sast_control_fails_on_the_insecure_app(insecure_record: dict[str, Any]) -> None:
    statuses = {r["control_id"]: r["status"] for r in insecure_record["results"]}
    assert {c: statuses[c] for c in SAST_CONTROLS} == dict.fromkeys(SAST_CONTROLS, "fail")
    secure_defaults = {
        f["rule"] for e in _control(insecure_record, "PW.9.1")["evidence"] for f in e["findings"]
    }
    assert {"B104", "B201", "B501", "B701"} <= secure_defaults
    assert "B608" not in secure_defaults  # SQL injection is not a configuration default


def _control(record: dict[str, Any], control: str) -> dict[str, Any]:
    return next(r for r in record["results"] if r["control_id"] == control)  # type: ignore[no-any-return]


def test_the_record_is_byte_identical_across_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert json.dumps(record_of(INSECURE)) == json.dumps(record_of(INSECURE))


def test_well_kept_app_passes_and_lists_test_code_left_out() -> None:
    record = record_of(WELL_KEPT)
    found = evidence(record, "sast.bandit", rules=[])
    assert found["outcome"] == "pass"
    excluded = {s["path"] for s in found["suppressions"] if s["kind"] == "test-path-exclude"}
    assert "tests/test_auth.py" in excluded
    assert "were not applied" in found["summary"]  # its [tool.bandit] is reported, not obeyed


def test_fingerprints_survive_unrelated_line_moves(tmp_path: Path) -> None:
    copy = tmp_path / "app"
    shutil.copytree(INSECURE, copy)
    before = evidence(record_of(copy), "sast.bandit", rules=[])["findings"]
    db = copy / "db.py"
    db.write_text("# a comment\n\n" + db.read_text("utf-8"), "utf-8")
    after = evidence(record_of(copy), "sast.bandit", rules=[])["findings"]
    assert {f["fingerprint"] for f in before} == {f["fingerprint"] for f in after}
    moved = {f["line"] for f in after if f["path"] == "db.py"}
    assert moved == {f["line"] + 2 for f in before if f["path"] == "db.py"}


def test_no_python_files_is_not_applicable_for_bandit(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# docs only\n")
    record = record_of(tmp_path)
    found = evidence(record, "sast.bandit", rules=[])
    assert found["outcome"] == "not_applicable"
    assert evidence(record, "sast.semgrep", rules=[])["outcome"] == "pass"


def test_semgrep_test_suite_of_the_rule_pack_passes() -> None:
    done = subprocess.run(
        ["semgrep", "--test", *QUIET, str(ROOT / "controls" / "rules")],
        capture_output=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout.decode()[-2000:] + done.stderr.decode()[-2000:]


def _bandit_on(target: Path, **params: Any) -> Evidence:
    """One sast.bandit run through the engine (which turns a raised ToolError into `error`)."""
    return check_evidence(target, "sast.bandit", params)


def test_bandit_skip_is_audited_and_unknown_skips_are_errors(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("import os\nassert os.name\nos.system('ls')\n")
    skipped = _bandit_on(tmp_path, skip=["B101"])
    assert "B101" not in {f.rule for f in skipped.findings}
    assert ("skipped-test", "bandit test B101 not run") in {
        (s.kind, s.detail) for s in skipped.suppressions
    }
    assert _bandit_on(tmp_path, skip=["B999"]).outcome.value == "error"


def test_bandit_with_every_python_file_excluded_is_not_applicable(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_app.py").write_text("assert True\n")
    found = _bandit_on(tmp_path)
    assert found.outcome.value == "not_applicable"
    assert [(s.kind, s.path) for s in found.suppressions] == [
        ("test-path-exclude", "tests/test_app.py")
    ]


def test_file_names_that_look_like_options_are_scanned_as_files(tmp_path: Path) -> None:
    (tmp_path / "--help.py").write_text("import subprocess\nsubprocess.call(cmd, shell=True)\n")
    record = record_of(tmp_path)
    for check in ("sast.bandit", "sast.semgrep"):
        found = evidence(record, check, rules=[])
        assert found["outcome"] == "fail", found["summary"]
        assert {f["path"] for f in found["findings"]} == {"--help.py"}


_JWT_ENDPOINT = """package org.owasp.webgoat.lessons.jwt;

public class JWTRefreshEndpoint {
  private static final String JWT_PASSWORD = "bm5nFAKEtestOnly4";
}
"""


@pytest.mark.parametrize(
    ("path", "outcome"),
    [("src/main/java/org/owasp/webgoat/lessons/jwt/JWTRefreshEndpoint.java", "fail"),
     ("src/test/java/org/owasp/webgoat/lessons/jwt/JWTRefreshEndpoint.java", "pass")],
)  # fmt: skip
def test_ps_1_1_secrets_read_java_signing_keys(tmp_path: Path, path: str, outcome: str) -> None:
    # WebGoat/WebGoat src/main/java/org/owasp/webgoat/lessons/jwt/JWTRefreshEndpoint.java:46
    # signs its tokens with a hard-coded key, which PS.1.1's `secrets.*` rules did not read.
    (tmp_path / path).parent.mkdir(parents=True)
    (tmp_path / path).write_text(_JWT_ENDPOINT)
    params = {"rules": ["secrets.*"], "fail_on": "low", "include_tests": True}
    evidence = check_evidence(tmp_path, "sast.semgrep", params)
    assert evidence.outcome.value == outcome, evidence.summary
    assert [f.rule for f in evidence.findings] == ["secrets.java-hardcoded-password"]
