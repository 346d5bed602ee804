"""Workflow checks over the fixture corpus: real zizmor, our YAML probes, file:line evidence."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import PROBES, check_evidence

from baseline.checks.registry import CHECKS
from baseline.context import RunOptions, build_context
from baseline.engine import run_check
from baseline.models import CheckOutcome, CheckSpec, Evidence

CORPUS = Path(__file__).resolve().parent / "fixtures" / "workflows"

ZIZMOR_CHECKS = (
    "ci.actions_pinned_by_sha",
    "ci.workflow_permissions_least_privilege",
    "ci.no_dangerous_triggers",
    "ci.no_template_injection",
    "ci.no_persisted_credentials",
    "ci.workflows_pass_zizmor",
)

# fixture -> {zizmor check: (rule, line) findings that fail it}; unlisted zizmor checks pass.
ZIZMOR_FAILS: dict[str, dict[str, set[tuple[str, int]]]] = {
    "pinned-least-privilege.yml": {},
    "job-level-permissions.yml": {},
    "scheduled-codeql.yml": {},
    "scheduled-dependency-audit.yml": {},
    "release-cosign-syft.yml": {},
    "unpinned-tags.yml": {
        "ci.actions_pinned_by_sha": {
            ("unpinned-uses", 9),
            ("unpinned-uses", 12),
            ("unpinned-uses", 13),
        },
    },
    "release-slsa-provenance.yml": {"ci.actions_pinned_by_sha": {("unpinned-uses", 26)}},
    "container-image-unpinned.yml": {
        "ci.actions_pinned_by_sha": {("unpinned-images", 10), ("unpinned-images", 13)},
    },
    "issue-title-injection.yml": {
        "ci.no_template_injection": {("template-injection", 13), ("template-injection", 14)},
        "ci.workflow_permissions_least_privilege": {("excessive-permissions", 6)},
    },
    "github-env-injection.yml": {
        "ci.no_template_injection": {("template-injection", 11), ("github-env", 11)},
        "ci.no_dangerous_triggers": {("dangerous-triggers", 3)},
    },
    "pull-request-target-checkout.yml": {
        "ci.no_dangerous_triggers": {("dangerous-triggers", 3)},
        "ci.workflow_permissions_least_privilege": {("excessive-permissions", 7)},
    },
    "workflow-run-trigger.yml": {"ci.no_dangerous_triggers": {("dangerous-triggers", 3)}},
    "write-all.yml": {"ci.workflow_permissions_least_privilege": {("excessive-permissions", 5)}},
    "no-permissions-block.yml": {
        "ci.workflow_permissions_least_privilege": {
            ("excessive-permissions", 1),
            ("excessive-permissions", 6),
        },
    },
    "artipacked-upload.yml": {"ci.no_persisted_credentials": {("artipacked", 11)}},
    "ignore-comment.yml": {},
    "alias-bomb.yml": {
        "ci.workflow_permissions_least_privilege": {
            ("excessive-permissions", 1),
            ("excessive-permissions", 13),
        },
    },
}

# fixture -> probes that pass; every other probe fails (workflows exist but do not show it).
# `npm test`, `make test` and `tox -e integration` prove nothing here: the corpus has no
# package.json, Makefile or tox.ini to say what they run (tests/test_workflow_steps.py has them).
PROBE_PASSES: dict[str, set[str]] = {
    "pinned-least-privilege.yml": {"ci.runs_code_analysis", "ci.runs_tests"},
    "unpinned-tags.yml": set(),
    "pull-request-target-checkout.yml": set(),
    "job-level-permissions.yml": {"ci.runs_tests"},
    "container-image-unpinned.yml": set(),
    "ignore-comment.yml": {"ci.runs_tests"},
    "scheduled-codeql.yml": {"ci.runs_code_analysis", "ci.scheduled_scans"},
    "scheduled-dependency-audit.yml": {"ci.scheduled_scans"},
    "release-cosign-syft.yml": {"ci.release_signs_artifacts", "ci.release_generates_sbom"},
    "release-slsa-provenance.yml": {"ci.release_generates_provenance"},
    "malformed.yml": set(),
    "top-level-list.yml": set(),
    "alias-bomb.yml": set(),  # has `pytest`, but the file is refused (alias budget)
}


def _repo(tmp_path: Path, *fixtures: str) -> Path:
    folder = tmp_path / "repo" / ".github" / "workflows"
    folder.mkdir(parents=True)
    for name in fixtures:
        shutil.copy(CORPUS / name, folder / name)
    return tmp_path / "repo"


def _run(root: Path, check: str) -> Evidence:
    return check_evidence(root, check)


def test_corpus_is_large_enough() -> None:
    assert len(list(CORPUS.glob("*.yml"))) >= 15


@pytest.mark.slow
@pytest.mark.parametrize("fixture", sorted(ZIZMOR_FAILS))
def test_zizmor_checks_on_corpus(tmp_path: Path, fixture: str) -> None:
    root = _repo(tmp_path, fixture)
    for check in ZIZMOR_CHECKS:
        evidence = _run(root, check)
        expected = ZIZMOR_FAILS[fixture].get(check, set())
        got = {(f.rule, f.line) for f in evidence.findings}
        assert got == expected, (check, evidence.summary)
        assert evidence.outcome is (CheckOutcome.FAIL if expected else CheckOutcome.PASS)
        assert evidence.tool_runs[0].tool == "zizmor"
        assert "auditor" in evidence.tool_runs[0].command
        assert all(f.path == f".github/workflows/{fixture}" for f in evidence.findings)


@pytest.mark.parametrize("fixture", sorted(PROBE_PASSES))
def test_probes_on_corpus(tmp_path: Path, fixture: str) -> None:
    root = _repo(tmp_path, fixture)
    for check in PROBES:
        evidence = _run(root, check)
        want = CheckOutcome.PASS if check in PROBE_PASSES[fixture] else CheckOutcome.FAIL
        assert evidence.outcome is want, (check, evidence.summary)
        if want is CheckOutcome.PASS:
            assert f".github/workflows/{fixture}:" in evidence.summary


@pytest.mark.slow
def test_findings_only_the_auditor_persona_reports_need_review_not_fail(tmp_path: Path) -> None:
    # sigstore-python's pin-requirements.yml: `persist-credentials: true` to push back, and a
    # scanner token outside an environment. zizmor's auditor persona alone reports them.
    root = _repo(tmp_path, "auditor-only-push-back.yml")
    flow = ".github/workflows/auditor-only-push-back.yml"
    want = {
        "ci.no_persisted_credentials": ("artipacked", 15),
        "ci.workflow_permissions_least_privilege": ("secrets-outside-env", 26),
    }
    for check, (rule, line) in want.items():
        evidence = _run(root, check)
        assert evidence.outcome is CheckOutcome.NEEDS_REVIEW, evidence.summary
        assert [(f.rule, f.line) for f in evidence.findings] == [(rule, line)]
        assert f"for a person to judge, e.g. {rule} at {flow}:{line}" in evidence.summary
        # an operator who wants the auditor persona to fail says so in the catalog's params
        strict = run_check(
            build_context(root, "repo", RunOptions()), CheckSpec(check, {"fail_persona": "auditor"})
        )
        assert strict.outcome is CheckOutcome.FAIL, strict.summary


def test_unreadable_workflows_are_reported_not_fatal(tmp_path: Path) -> None:
    root = _repo(tmp_path, "malformed.yml", "alias-bomb.yml", "pinned-least-privilege.yml")
    evidence = _run(root, "ci.runs_tests")
    assert evidence.outcome is CheckOutcome.PASS
    problems = {f.path: f.message for f in evidence.findings}
    assert "malformed YAML at line" in problems[".github/workflows/malformed.yml"]
    assert "aliases" in problems[".github/workflows/alias-bomb.yml"]


@pytest.mark.slow
def test_zizmor_cannot_audit_malformed_file_is_needs_review(tmp_path: Path) -> None:
    root = _repo(tmp_path, "malformed.yml")
    evidence = _run(root, "ci.no_template_injection")
    assert evidence.outcome is CheckOutcome.NEEDS_REVIEW
    assert ".github/workflows/malformed.yml" in evidence.summary


@pytest.mark.slow
def test_mixed_malformed_and_failing(tmp_path: Path) -> None:
    root = _repo(tmp_path, "malformed.yml", "write-all.yml")
    evidence = _run(root, "ci.workflow_permissions_least_privilege")
    assert evidence.outcome is CheckOutcome.FAIL
    assert "malformed.yml" in evidence.summary
    healthy = _run(root, "ci.no_template_injection")
    assert healthy.outcome is CheckOutcome.NEEDS_REVIEW  # never pass with an unaudited file


@pytest.mark.slow
def test_inline_ignore_is_a_recorded_suppression(tmp_path: Path) -> None:
    root = _repo(tmp_path, "ignore-comment.yml")
    (root / ".github" / "zizmor.yml").write_text("rules:\n  unpinned-uses:\n    disable: true\n")
    evidence = _run(root, "ci.actions_pinned_by_sha")
    assert evidence.outcome is CheckOutcome.PASS
    kinds = {(s.kind, s.path, s.line) for s in evidence.suppressions}
    assert ("zizmor-ignore", ".github/workflows/ignore-comment.yml", 10) in kinds
    assert ("zizmor-config", ".github/zizmor.yml", None) in kinds


@pytest.mark.slow
def test_repository_config_cannot_disable_audits(tmp_path: Path) -> None:
    root = _repo(tmp_path, "write-all.yml")
    (root / ".github" / "zizmor.yml").write_text(
        "rules:\n  excessive-permissions:\n    disable: true\n"
    )
    evidence = _run(root, "ci.workflow_permissions_least_privilege")
    assert evidence.outcome is CheckOutcome.FAIL


def test_no_workflows(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    root = tmp_path / "repo"
    assert _run(root, "ci.actions_pinned_by_sha").outcome is CheckOutcome.NOT_APPLICABLE
    assert _run(root, "ci.runs_tests").outcome is CheckOutcome.NEEDS_REVIEW


def test_missing_zizmor_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from baseline import toolrun

    root = _repo(tmp_path, "write-all.yml")
    toolrun.tool_version.cache_clear()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    try:
        evidence = _run(root, "ci.workflow_permissions_least_privilege")
    finally:
        toolrun.tool_version.cache_clear()
    assert evidence.outcome is CheckOutcome.ERROR
    assert "zizmor" in evidence.summary


def test_every_ci_check_is_registered() -> None:
    assert set(ZIZMOR_CHECKS + PROBES) <= set(CHECKS)


@pytest.mark.slow
def test_min_severity_parameter(tmp_path: Path) -> None:
    root = _repo(tmp_path, "no-permissions-block.yml")  # default permissions: medium
    ctx = build_context(root, "repo", RunOptions())
    check = "ci.workflow_permissions_least_privilege"
    strict = run_check(ctx, CheckSpec(check))
    lenient = run_check(ctx, CheckSpec(check, {"min_severity": "high"}))
    assert strict.outcome is CheckOutcome.FAIL
    assert lenient.outcome is CheckOutcome.PASS
    assert "2 lower-severity finding(s) not counted" in lenient.summary


def test_catalog_params_are_validated(tmp_path: Path) -> None:
    from baseline.catalog.loader import load_catalog
    from baseline.errors import InputError

    def profile(value: str) -> Path:
        path = tmp_path / f"p-{value}.toml"
        path.write_text(
            '[catalog]\nid = "acme"\ntitle = "t"\nversion = "1"\nstatus = "final"\n'
            'extends = "ssdf-1.1"\n\n[[params]]\ncontrol = "PO.3.2"\n'
            f'check = "ci.actions_pinned_by_sha"\nparams = {{ min_severity = "{value}" }}\n'
        )
        return path

    catalog = load_catalog(profile("high"))
    [spec] = [s for s in catalog.control("PO.3.2").checks if s.check == "ci.actions_pinned_by_sha"]
    assert spec.params["min_severity"] == "high"
    with pytest.raises(InputError):
        load_catalog(profile("severe"))


@pytest.mark.slow
def test_file_names_with_spaces_are_audited(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    shutil.copy(CORPUS / "write-all.yml", root / ".github" / "workflows" / "my flow.yml")
    evidence = _run(root, "ci.workflow_permissions_least_privilege")
    assert evidence.outcome is CheckOutcome.FAIL
    assert {f.path for f in evidence.findings} == {".github/workflows/my flow.yml"}
    assert _run(root, "ci.no_template_injection").outcome is CheckOutcome.PASS


def test_deeply_nested_yaml_is_refused_not_fatal() -> None:
    from baseline.checks.workflow_yaml import parse_workflow

    nested = b"a: " + b"[" * 5000 + b"]" * 5000
    assert "nested deeper than" in parse_workflow("d.yml", nested).problem
