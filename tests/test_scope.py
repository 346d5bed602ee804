"""Scope: one place labels every path (product, test, fixture, example, docs, vendored), and
findings outside the product are reported, labelled, and do not fail a per-file check."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from support import write_files

from baseline import scope
from baseline.catalog.loader import load_catalog
from baseline.checks import osv, repo_files
from baseline.cli import main
from baseline.context import RunOptions, build_context
from baseline.engine import run_check
from baseline.models import CheckOutcome, CheckSpec, Evidence, Finding, Scope, Severity
from baseline.project.config import load_config
from baseline.report.json_record import expanded

KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("src/app/main.py", Scope.PRODUCT),
        ("setup.py", Scope.PRODUCT),
        ("", Scope.PRODUCT),
        ("tests/test_api.py", Scope.TEST),
        ("test_x.py", Scope.TEST),
        ("pkg/module_test.go", Scope.TEST),
        ("app/tests.py", Scope.TEST),
        ("test/e2e/login_spec.js", Scope.TEST),
        ("tests/data/packages/a-1.0.whl", Scope.FIXTURE),
        ("pkg/testdata/cert.pem", Scope.FIXTURE),
        ("tests/fixtures/key.pem", Scope.FIXTURE),
        ("examples/celery/requirements.txt", Scope.EXAMPLE),
        ("docs/conf.py", Scope.DOCS),
        ("docs/tutorial/app.py", Scope.EXAMPLE),
        ("src/pip/_vendor/distlib/t32.exe", Scope.VENDORED),
        ("vendor/github.com/x/y.go", Scope.VENDORED),
        ("third_party/lib.c", Scope.VENDORED),
        ("doc/man_docs.go", Scope.PRODUCT),  # cobra's doc/ is a Go package, not documentation
    ],
)
def test_default_labels(path: str, label: Scope) -> None:
    assert scope.DEFAULT_RULES.classify(path) is label


def test_config_adds_globs_forces_product_and_names_failing_scopes() -> None:
    rules = scope.rules_from_config(
        {"example": ["demo/**"], "product": ["tests/data/shipped/**"], "failing": ["product",
                                                                                  "example"]}
    )  # fmt: skip
    assert rules.classify("demo/app.py") is Scope.EXAMPLE
    assert rules.classify("tests/data/shipped/x.bin") is Scope.PRODUCT
    assert rules.failing == frozenset({Scope.PRODUCT, Scope.EXAMPLE})


def _finding(path: str, severity: Severity = Severity.HIGH) -> Finding:
    return Finding("secrets.private-key", "a private key", severity, path=path, line=1)


def _evidence(check: str, *paths: str, severity: Severity = Severity.HIGH) -> Evidence:
    findings = tuple(_finding(p, severity) for p in paths)
    return Evidence(check, CheckOutcome.FAIL, "found", findings=findings,
                    params={"fail_on": "low"})  # fmt: skip


def test_findings_only_outside_the_product_do_not_fail() -> None:
    evidence = scope.apply(_evidence("sast.semgrep", "tests/certs/key.pem", "docs/x.py"))
    assert evidence.outcome is CheckOutcome.PASS
    assert [f.scope for f in evidence.findings] == [Scope.TEST, Scope.DOCS]
    assert "2 finding(s) outside the product scope (1 docs, 1 test) not counted" in evidence.summary


def test_a_product_finding_still_fails_and_the_others_stay_labelled() -> None:
    evidence = scope.apply(_evidence("sast.semgrep", "tests/k.pem", "src/app/k.pem"))
    assert evidence.outcome is CheckOutcome.FAIL
    assert [f.scope for f in evidence.findings] == [Scope.TEST, Scope.PRODUCT]


def test_a_below_threshold_product_finding_does_not_keep_a_test_failure() -> None:
    evidence = Evidence(
        "sast.bandit", CheckOutcome.FAIL, "found",
        findings=(_finding("src/a.py", Severity.LOW), _finding("tests/b.py", Severity.HIGH)),
        params={"fail_on": "medium"},
    )  # fmt: skip
    assert scope.apply(evidence).outcome is CheckOutcome.PASS


def test_a_vendored_executable_still_fails_binary_artifacts() -> None:
    evidence = scope.apply(_evidence("repo.no_binary_artifacts", "src/pkg/_vendor/t32.exe"))
    assert evidence.outcome is CheckOutcome.FAIL
    assert evidence.findings[0].scope is Scope.VENDORED
    fixture = scope.apply(_evidence("repo.no_binary_artifacts", "tests/data/pkg-1.0.whl"))
    assert fixture.outcome is CheckOutcome.PASS


def test_a_check_that_is_not_per_file_keeps_its_outcome() -> None:
    evidence = scope.apply(_evidence("repo.has_security_policy", "docs/SECURITY.md"))
    assert evidence.outcome is CheckOutcome.FAIL
    assert evidence.findings[0].scope is Scope.DOCS


def test_config_scope_table_is_validated(tmp_path: Path) -> None:
    config = tmp_path / ".baseline.toml"
    config.write_text('[scope]\nexample = ["demo/**"]\nfailing = ["product", "nonsense"]\n')
    problems = load_config(config).problems()
    assert any("'nonsense' is not a scope label" in str(p) for p in problems)
    config.write_text('[scope]\nexampels = ["demo/**"]\n')
    assert any("exampels" in str(p) for p in load_config(config).problems())


def _repo(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    repo = tmp_path / "repo"
    write_files(repo, files)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "initial"]):
        subprocess.run(
            ["git", "-c", "user.email=t@example.com", "-c", "user.name=T",
             "-c", "commit.gpgsign=false", *args],
            cwd=repo, check=True, capture_output=True,
        )  # fmt: skip
    return repo


def _outcomes(record: Path) -> dict[tuple[str, str], str]:
    data = expanded(json.loads(record.read_text()))
    return {(r["control_id"], e["check"]): e["outcome"] for r in data["results"]
            for e in r["evidence"]}  # fmt: skip


FIXTURES_ONLY = {
    "src/app/__init__.py": "VALUE = 1\n",
    "tests/certs/server.key": KEY,
    "docs/tutorial/app.py": 'SECRET_KEY = "dev"\n',
    "examples/web/requirements.txt": "flask\n",
    "tests/data/packages/pkg-1.0-py3-none-any.whl": b"PK\x03\x04 not a real wheel",
}


@pytest.mark.slow
def test_fixtures_examples_and_docs_do_not_fail_ps_1_1_pw_4_1_pw_4_4(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Throw-away keys under tests/, a tutorial's SECRET_KEY, an example's requirements and a
    fixture wheel are reported with their scope and fail no check of PS.1.1, PW.4.1, PW.4.4."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780272000")
    repo = _repo(tmp_path, FIXTURES_ONLY)
    out = tmp_path / "out"
    main(["assess", str(repo), "--out", str(out), "--quiet", "--no-cache", "--format", "json"])
    outcomes = _outcomes(out / "assessment.json")
    scoped = set(scope.SCOPED_CHECKS)
    for control in ("PS.1.1", "PW.4.1", "PW.4.4"):
        failed = [
            c for (ctl, c), o in outcomes.items() if ctl == control and o == "fail" and c in scoped
        ]
        assert failed == [], (control, failed)
    data = expanded(json.loads((out / "assessment.json").read_text()))
    labels = {
        (f["path"], f["scope"])
        for r in data["results"] for e in r["evidence"] for f in e["findings"]
    }  # fmt: skip
    assert ("tests/certs/server.key", "test") in labels
    assert ("tests/data/packages/pkg-1.0-py3-none-any.whl", "fixture") in labels
    assert ("examples/web/requirements.txt", "example") in labels


@pytest.mark.slow
def test_the_same_key_in_the_product_fails_ps_1_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780272000")
    repo = _repo(tmp_path, {**FIXTURES_ONLY, "deploy/server.key": KEY})
    out = tmp_path / "out"
    main(["assess", str(repo), "--out", str(out), "--quiet", "--no-cache", "--format", "json"])
    assert _outcomes(out / "assessment.json")[("PS.1.1", "sast.semgrep")] == "fail"


@pytest.mark.slow
def test_markdown_shows_the_scope_label(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780272000")
    repo = _repo(tmp_path, FIXTURES_ONLY)
    out = tmp_path / "out"
    main(["assess", str(repo), "--out", str(out), "--quiet", "--no-cache", "--format", "md"])
    assert "<code>tests/certs/server.key:1</code> (in test code)" in (out / "report.md").read_text()


# --- what cannot be seen offline ------------------------------------------------------------


@pytest.mark.parametrize(
    ("check", "name"),
    [(repo_files.HAS_SECURITY_POLICY, "SECURITY.md"),
     (repo_files.HAS_CONTRIBUTING_GUIDE, "CONTRIBUTING guide")],
)  # fmt: skip
def test_absent_org_level_files_need_review_not_fail(tmp_path: Path, check, name) -> None:  # type: ignore[no-untyped-def]
    write_files(tmp_path, {"README.md": "hi"})
    ctx = build_context(tmp_path, str(tmp_path), RunOptions(jobs=1))
    evidence = check.run(ctx, check.resolve({}))
    assert evidence.outcome is CheckOutcome.NEEDS_REVIEW
    assert f"no {name}" in evidence.summary and "`.github` repository" in evidence.summary
    online = {
        "SECURITY.md": "github.org_security_policy",
        "CONTRIBUTING guide": "github.org_contributing_guide",
    }[name]
    assert f"online check {online} settles it" in evidence.summary
    assert "--online" in evidence.summary


def test_codeowners_cannot_come_from_the_organization_so_absent_fails(tmp_path: Path) -> None:
    write_files(tmp_path, {"README.md": "hi"})
    ctx = build_context(tmp_path, str(tmp_path), RunOptions(jobs=1))
    check = repo_files.HAS_CODEOWNERS
    assert check.run(ctx, check.resolve({})).outcome is CheckOutcome.FAIL


# --- dependencies this run cannot look up ---------------------------------------------------


def test_unresolvable_dependencies_need_review_not_not_applicable(tmp_path: Path) -> None:
    write_files(tmp_path, {"package.json": '{"dependencies": {"express": "^4.0.0"}}',
                      "package-lock.json": "{}"})  # fmt: skip
    ctx = build_context(tmp_path, str(tmp_path), RunOptions(jobs=1))
    check = osv.NO_KNOWN_VULNERABILITIES
    evidence = check.run(ctx, check.resolve({}))
    assert evidence.outcome is CheckOutcome.NEEDS_REVIEW
    assert "package.json" in evidence.summary


def test_dependencies_only_in_examples_are_not_applicable(tmp_path: Path) -> None:
    write_files(tmp_path, {"examples/web/package.json": '{"dependencies": {}}', "a.py": "x = 1\n"})
    ctx = build_context(tmp_path, str(tmp_path), RunOptions(jobs=1))
    check = osv.NO_KNOWN_VULNERABILITIES
    assert check.run(ctx, check.resolve({})).outcome is CheckOutcome.NOT_APPLICABLE


# --- SAST coverage --------------------------------------------------------------------------


@pytest.mark.slow
def test_semgrep_clean_on_rust_code_needs_review_but_its_secrets_check_passes(
    tmp_path: Path,
) -> None:
    # Rust: a language no shipped pack reads (Go, Java, JavaScript and C# have packs).
    write_files(tmp_path, {"src/main.rs": 'fn main() {\n    println!("hi");\n}\n'})
    ctx = build_context(tmp_path, str(tmp_path), RunOptions(jobs=1))
    general = run_check(ctx, CheckSpec("sast.semgrep", {}))
    assert general.outcome is CheckOutcome.NEEDS_REVIEW
    assert "3 lines of Rust in 1 file (e.g. src/main.rs) were not analyzed" in general.summary
    secrets = run_check(ctx, CheckSpec("sast.semgrep", {"rules": ["secrets.*"]}))
    assert secrets.outcome is CheckOutcome.PASS


# --- sufficiency per task -------------------------------------------------------------------


@pytest.mark.parametrize("catalog", ["ssdf-1.1", "ssdf-1.2-draft"])
def test_only_tasks_the_checks_can_show_accept_automated_evidence_alone(catalog: str) -> None:
    loaded = load_catalog(catalog)
    optional = sorted(c.id for c in loaded.controls if c.attestation.value == "optional")
    assert optional == ["PW.7.2", "RV.1.2"]
    for task in ("PW.9.1", "PW.8.2", "RV.3.3", "PW.5.1", "PW.4.4", "PO.3.2"):
        assert loaded.control(task).attestation.value == "required", task


@pytest.mark.slow
def test_reports_show_checks_of_a_required_task_as_supporting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780272000")
    repo = _repo(tmp_path, {"src/app.py": "x = 1\n"})
    out = tmp_path / "out"
    main(["assess", str(repo), "--out", str(out), "--quiet", "--no-cache", "--format",
          "json,md,html"])  # fmt: skip
    md = (out / "report.md").read_text()
    assert "**Checks below are supporting evidence: an attestation is required.**" in md
    assert (
        "Checks below are supporting evidence: an attestation is required"
        in (out / "report.html").read_text()
    )
    data = expanded(json.loads((out / "assessment.json").read_text()))
    pw91 = next(r for r in data["results"] if r["control_id"] == "PW.9.1")
    assert pw91["status"] == "needs_review"
    assert "passed as supporting evidence" in pw91["reason"]


# --- hosting settings a workflow file cannot show -------------------------------------------


@pytest.mark.parametrize("check", ["ci.runs_code_analysis", "ci.scheduled_scans"])
def test_no_analysis_workflow_needs_review_for_codeql_default_setup(check: str) -> None:
    from baseline import offline

    failed = Evidence(check, CheckOutcome.FAIL, "no step in any workflow runs static analysis")
    evidence = offline.apply(failed)
    assert evidence.outcome is CheckOutcome.NEEDS_REVIEW
    assert "CodeQL default setup" in evidence.summary
    assert "github.code_scanning_default_setup" in evidence.summary
    assert "--online" in evidence.summary
    passed = Evidence(check, CheckOutcome.PASS, "codeql.yml:12 runs CodeQL")
    assert offline.apply(passed) is passed


def test_other_workflow_probes_still_fail() -> None:
    from baseline import offline

    failed = Evidence("ci.release_signs_artifacts", CheckOutcome.FAIL, "nothing signs")
    assert offline.apply(failed).outcome is CheckOutcome.FAIL


def test_an_assessment_records_codeql_default_setup_as_needs_review(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780272000")
    workflow = (
        "on: [push]\npermissions: {}\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: python -m pytest\n"
    )
    repo = _repo(tmp_path, {"src/app.py": "x = 1\n", ".github/workflows/ci.yml": workflow})
    out = tmp_path / "out"
    main(["assess", str(repo), "--out", str(out), "--quiet", "--no-cache", "--format", "json"])
    outcomes = _outcomes(out / "assessment.json")
    assert outcomes[("PW.7.2", "ci.runs_code_analysis")] == "needs_review"
    assert outcomes[("RV.1.2", "ci.scheduled_scans")] == "needs_review"
    assert outcomes[("PS.2.1", "release.integrity_verifiable")] == "fail"


# --- workflow-level permissions that reach one job ------------------------------------------

_LOCK = """name: lock
on:
  schedule:
    - cron: '0 0 * * *'
permissions:
  issues: write
  pull-requests: write
jobs:
  lock:
    runs-on: ubuntu-latest
    steps:
      - uses: dessant/lock-threads@7266a7ce5c1df01b1c6db85bf8cd86c737dadbe7 # v6.0.0
"""
_TWO_JOBS = (
    _LOCK
    + """  other:
    runs-on: ubuntu-latest
    steps:
      - run: echo hi
"""
)
_JOB_LEVEL_ONLY = """name: root
on:
  schedule:
    - cron: '13 13 * * 3'
jobs:
  check:
    runs-on: ubuntu-latest
    permissions:
      issues: write
    steps:
      - run: echo check
"""
_NO_PERMISSIONS = _JOB_LEVEL_ONLY.replace("    permissions:\n      issues: write\n", "")
_WRITE_ALL_ONE_JOB = _LOCK.replace(
    "permissions:\n  issues: write\n  pull-requests: write\n", "permissions: write-all\n"
)
# expressjs/express .github/workflows/scorecard.yml:18 `permissions: read-all`, and its only
# job sets its own block (:24): the read-all reaches no job.
_READ_ALL_OVERRIDDEN = _JOB_LEVEL_ONLY.replace("jobs:\n", "permissions: read-all\njobs:\n")
_READ_ALL_REACHES_A_JOB = (
    _READ_ALL_OVERRIDDEN
    + """  other:
    runs-on: ubuntu-latest
    steps:
      - run: echo hi
"""
)
# gin-gonic/gin goreleaser.yml:8-9 (contents: write, one job running GoReleaser) and
# trivy-scan.yml:15-17 (security-events: write, one job uploading SARIF).
_RELEASE_ONE_JOB = """name: release
on:
  push:
    tags: ["*"]
permissions:
  contents: write
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: goreleaser/goreleaser-action@e435ccd777264be153ace6237001ef4d979d3a7a # v6.4.0
        with:
          args: release --clean
"""
_SARIF_ONE_JOB = """name: scan
on:
  push:
permissions:
  contents: read
  security-events: write
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: echo '{}' > r.sarif
      - uses: github/codeql-action/upload-sarif@b8d3b6e8af63cde30bdc382c0bc28114f4346c88 # v4.28.1
        with:
          sarif_file: r.sarif
"""
_CONTENTS_WRITE_ONE_JOB_UNKNOWN = _RELEASE_ONE_JOB.replace(
    "goreleaser/goreleaser-action", "acme/release-action"
)


@pytest.mark.parametrize(
    ("workflow", "expected"),
    [(_LOCK, CheckOutcome.PASS), (_JOB_LEVEL_ONLY, CheckOutcome.PASS),
     (_TWO_JOBS, CheckOutcome.FAIL), (_NO_PERMISSIONS, CheckOutcome.FAIL),
     (_WRITE_ALL_ONE_JOB, CheckOutcome.FAIL), (_READ_ALL_OVERRIDDEN, CheckOutcome.PASS),
     (_READ_ALL_REACHES_A_JOB, CheckOutcome.FAIL), (_RELEASE_ONE_JOB, CheckOutcome.PASS),
     (_SARIF_ONE_JOB, CheckOutcome.PASS), (_CONTENTS_WRITE_ONE_JOB_UNKNOWN, CheckOutcome.FAIL)],
    ids=["one-job-workflow-level-write", "every-job-declares", "two-jobs-inherit", "no-block",
         "one-job-write-all", "read-all-overridden-by-every-job", "read-all-reaches-a-job",
         "goreleaser-contents-write", "upload-sarif-security-events", "unknown-action-write"],
)  # fmt: skip
@pytest.mark.slow
def test_workflow_level_permissions_judged_by_the_jobs_they_reach(
    tmp_path: Path, workflow: str, expected: CheckOutcome
) -> None:
    write_files(tmp_path, {".github/workflows/w.yml": workflow})
    ctx = build_context(tmp_path, str(tmp_path), RunOptions(jobs=1))
    evidence = run_check(ctx, CheckSpec("ci.workflow_permissions_least_privilege", {}))
    assert evidence.outcome is expected, evidence.summary
    if expected is CheckOutcome.PASS:
        assert {s.kind for s in evidence.suppressions} == {"workflow-level-permissions"}


@pytest.mark.parametrize(("path", "label"), [
    ("src/main/java/com/example/billing/Invoice.java", "product"),  # `com.example` is a package
    ("src/main/java/org/springframework/samples/petclinic/owner/Owner.java", "product"),
    ("service/src/main/kotlin/org/acme/testing/Probe.kt", "product"),
    ("examples/demo/src/main/java/com/acme/Demo.java", "example"),  # the layout still counts
    ("src/test/java/com/example/billing/InvoiceTest.java", "test"),
    ("src/main/resources/samples/data.json", "example"),  # not a JVM source root
])  # fmt: skip
def test_jvm_package_folders_are_not_a_layout(path: str, label: str) -> None:
    # A Java project whose package is com.example (or Spring's ...samples.petclinic) must not
    # have its whole product scoped out as an example: its findings would not fail a check.
    assert scope.DEFAULT_RULES.classify(path).value == label


def test_a_finding_in_a_com_example_package_fails_sast(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "src/main/java/com/example/App.java": (
                "package com.example;\nimport javax.servlet.http.*;\n"
                "public class App extends HttpServlet {\n"
                "  protected void doGet(HttpServletRequest req, HttpServletResponse resp)\n"
                "      throws java.io.IOException {\n"
                '    Runtime.getRuntime().exec(req.getParameter("cmd"));\n  }\n}\n'
            )
        },
    )
    ctx = build_context(tmp_path, str(tmp_path), RunOptions(jobs=1))
    evidence = run_check(ctx, CheckSpec("sast.semgrep", {}))
    assert evidence.outcome is CheckOutcome.FAIL, evidence.summary
    assert {f.scope for f in evidence.findings} == {Scope.PRODUCT}


def test_the_scopes_a_scoped_check_counted_are_recorded() -> None:
    """scope.apply says which scopes counted (the record keeps it for the reports), whatever
    the outcome; a check that is not judged by scope carries none."""
    from dataclasses import replace as _replace

    from baseline.evidence_record import evidence_from_json, evidence_json
    from baseline.models import CheckOutcome, Evidence, Finding, Severity
    from baseline.scope import DEFAULT_RULES, apply

    finding = Finding("B602", "m", Severity.HIGH, "tests/test_a.py", 3)
    failed = apply(Evidence("sast.bandit", CheckOutcome.FAIL, "s", (finding,)), DEFAULT_RULES)
    assert failed.counted_scopes == ("product",) and failed.outcome is CheckOutcome.PASS
    widened = _replace(DEFAULT_RULES, failing=DEFAULT_RULES.failing | {Scope.TEST})
    both = apply(Evidence("sast.bandit", CheckOutcome.FAIL, "s", (finding,)), widened)
    assert both.counted_scopes == ("product", "test") and both.outcome is CheckOutcome.FAIL
    assert evidence_from_json(evidence_json(both)).counted_scopes == ("product", "test")
    other = apply(Evidence("repo.has_license", CheckOutcome.PASS, "s"), DEFAULT_RULES)
    assert other.counted_scopes == ()
