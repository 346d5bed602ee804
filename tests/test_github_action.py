"""The composite action, run step by step in a simulated GitHub environment."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml
from github_sim import EXPRESSION, Simulator, parse_output_file
from support import EXAMPLES, ROOT, ci_profile_with, load_json

from baseline.ci.github_action import (
    SUMMARY_LIMIT,
    ActionInputs,
    assess_argv,
    build_outputs,
    build_summary,
    run_step,
)
from baseline.ci.github_output import output_block

INSTALL = "Install ssdf-baseline"
KEY = "Key of the tool's environment"
SETUP = (INSTALL, KEY)  # the install and its cache key: the test virtualenv stands for both
# The test virtualenv holds the tool: it stands for the one the install step builds (which
# needs the network; tests/hostile/test_entry_points.py runs that step offline).
TOOL = Path(sys.prefix)
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def _tidy_repo(root: Path) -> None:
    """A repository that meets every control of tests/fixtures/ci-profile.toml."""
    (root / "tests").mkdir(parents=True)
    (root / "SECURITY.md").write_text("Report vulnerabilities to security@example.org.\n")
    (root / "LICENSE").write_text("Apache License 2.0\n")
    (root / "tests" / "test_app.py").write_text("def test_ok():\n    assert True\n")


@pytest.fixture
def sim(tmp_path: Path) -> Simulator:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    scratch = tmp_path / "runner"
    scratch.mkdir()
    return Simulator(ROOT, workspace, scratch)


def test_inputs_reach_the_shell_only_through_env() -> None:
    steps = ACTION["runs"]["steps"]
    assert ACTION["runs"]["using"] == "composite"
    for step in steps:
        if "run" in step:
            assert not EXPRESSION.search(step["run"]), step["name"]
            assert step["shell"] == "bash"
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
    declared = set(ACTION["inputs"])
    assert declared >= {"path", "catalog", "formats", "fail-on", "upload-sarif", "bundle",
                        "github-token", "python-version"}  # fmt: skip
    install = next(s for s in steps if s.get("name") == INSTALL)
    assert '"$GITHUB_ACTION_PATH"' in install["run"]


def test_passing_repository(sim: Simulator, assessment_validator) -> None:
    _tidy_repo(sim.workspace / "repo")
    shutil.copy(ROOT / "tests" / "fixtures" / "ci-profile.toml", sim.workspace / "profile.toml")
    run = sim.run(
        {"path": "repo", "catalog": "profile.toml", "fail-on": "fail,error,needs_review"},
        skip=SETUP,
        preinstalled=TOOL,
    )
    assert [s.name for s in run.steps] == ["Assess", "Apply the policy"], run.steps
    assert run.exit_code == 0, run.steps[-1].stdout + run.steps[-1].stderr
    assert "Set up Python" in run.skipped and "Upload SARIF to code scanning" in run.skipped
    out = run.outputs["assess"]
    assert out["exit-code"] == "0"
    assert (out["pass"], out["fail"], out["error"], out["needs-review"]) == ("3", "0", "0", "0")
    assert (
        out["json"] == "baseline-report/assessment.json" and out["report-dir"] == "baseline-report"
    )
    record = load_json(sim.workspace / out["json"])
    assessment_validator.validate(record)
    assert record["target"]["path"] == "repo" and record["catalog"]["id"] == "ci-profile"
    assert "policy met" in run.steps[-1].stdout
    assert run.summary.rstrip().endswith("): met; exit code 0.")


def test_failing_repository(sim: Simulator, assessment_validator) -> None:
    shutil.copytree(EXAMPLES / "insecure-app", sim.workspace / "app")
    run = sim.run({"path": "app", "out": "reports"}, skip=SETUP, preinstalled=TOOL)
    assert run.exit_code == 1
    assert [s.exit_code for s in run.steps] == [0, 1]  # the summary is written before failing
    assert "::error::ssdf-baseline: policy not met" in run.steps[-1].stdout
    out = run.outputs["assess"]
    record = load_json(sim.workspace / "reports" / "assessment.json")
    assessment_validator.validate(record)
    assert out["exit-code"] == "1" and int(out["fail"]) == record["summary"]["fail"] > 0
    assert out["needs-review"] == str(record["summary"]["needs_review"])
    assert "RV.1.3" in run.summary
    assert run.summary.rstrip().endswith("): not met; exit code 1.")


def test_bad_input_exits_2_with_a_summary(sim: Simulator) -> None:
    (sim.workspace / "repo").mkdir()
    stale = sim.workspace / "baseline-report" / "assessment.json"  # from an earlier run
    stale.parent.mkdir()
    shutil.copy(EXAMPLES.parent / "tests" / "fixtures" / "ci-profile.toml", stale)
    run = sim.run({"path": "repo", "catalog": "no-such-catalog"}, skip=SETUP, preinstalled=TOOL)
    assert run.exit_code == 2
    out = run.outputs["assess"]
    assert out["exit-code"] == "2" and out["json"] == "" and out["fail"] == ""
    assert out["report-dir"] == ""  # nothing of this run to upload
    assert "no-such-catalog" in run.steps[0].stderr
    assert "wrote no record" in run.summary and "exit code 2" in run.summary


def test_summary_falls_back_to_the_record_without_report_md(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(EXAMPLES / "insecure-app", tmp_path / "app")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "report.md").write_text("# An old report from another run\n")
    summary, output = tmp_path / "summary.md", tmp_path / "output"
    env = {"BASELINE_PATH": "app", "BASELINE_FORMATS": "json", "BASELINE_OUT": "r",
           "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output)}  # fmt: skip
    assert run_step(env) == 1
    text = summary.read_text()
    assert text.startswith("## SSDF baseline: ssdf-1.1 on app\n")
    assert "| Fail | " in text and "- **FAIL** `RV.1.3`:" in text
    assert parse_output_file(output.read_text())["markdown"] == ""


def test_summary_prefers_report_md_and_caps_it(tmp_path: Path) -> None:
    (tmp_path / "report.md").write_text("# Report\n" + "x" * (SUMMARY_LIMIT + 10))
    text = build_summary(tmp_path, None, 0, "fail", with_report=True)
    assert text.startswith("# Report\n") and "cut to fit the job summary" in text
    assert len(text.encode()) < 1024 * 1024


def test_outputs_cannot_be_forged_by_a_value() -> None:
    hostile = "line one\nexit-code=0\nname<<EOF\nforged\nEOF"
    text = output_block("reason", hostile) + output_block("exit-code", "1")
    assert parse_output_file(text) == {"reason": hostile, "exit-code": "1"}
    with pytest.raises(ValueError):
        output_block("bad\nname", "x")


def test_argv_passes_inputs_as_arguments_never_through_a_shell() -> None:
    inputs = ActionInputs.from_env({"BASELINE_PATH": "a b; rm -rf /", "BASELINE_BUNDLE": "ev",
                                    "BASELINE_FAIL_ON": " "})  # fmt: skip
    argv = assess_argv(inputs)
    assert argv[:2] == ["assess", "a b; rm -rf /"]
    assert argv[argv.index("--fail-on") + 1] == "fail,error"
    assert argv[-2:] == ["--bundle", "ev"]
    assert "--bundle" not in assess_argv(ActionInputs())
    assert json.dumps(argv)  # plain strings only


def test_outputs_name_only_what_this_run_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tidy_repo(tmp_path / "repo")
    shutil.copy(ROOT / "tests" / "fixtures" / "ci-profile.toml", tmp_path / "profile.toml")
    monkeypatch.chdir(tmp_path)

    def step(catalog: str) -> tuple[int, dict[str, str]]:
        output = tmp_path / "output"
        output.write_text("")
        env = {"BASELINE_PATH": "repo", "BASELINE_CATALOG": catalog, "BASELINE_BUNDLE": "ev",
               "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(tmp_path / "s.md")}  # fmt: skip
        return run_step(env), parse_output_file(output.read_text())

    code, out = step("profile.toml")
    assert code == 0 and (out["bundle"], out["report-dir"]) == ("ev", "baseline-report")
    code, out = step("no-such-catalog")  # the earlier run's bundle and reports are still there
    assert (tmp_path / "ev" / "manifest.json").is_file()
    assert code == 2 and (out["bundle"], out["report-dir"], out["json"]) == ("", "", "")
    # A completed run whose bundle folder only holds an earlier bundle does not name it.
    inputs = ActionInputs(bundle="ev")
    outputs = build_outputs(inputs, None, 1, frozenset({"assessment.json"}), bundle_written=False)
    assert outputs["bundle"] == "" and outputs["report-dir"] == "baseline-report"
    assert build_outputs(inputs, None, 1, frozenset())["report-dir"] == ""


def test_config_input_names_a_config_beside_the_repository(
    sim: Simulator, assessment_validator
) -> None:
    """The `config` input reaches `--config`: a config kept outside the assessed repository
    declares HY.1.3 not applicable (the repository has no tests), and the record says the config
    did not come from the target."""
    repo = sim.workspace / "repo"
    _tidy_repo(repo)
    shutil.rmtree(repo / "tests")
    shutil.copy(ROOT / "tests" / "fixtures" / "ci-profile.toml", sim.workspace / "profile.toml")
    (sim.workspace / "operator.toml").write_text(
        '[[not_applicable]]\ncontrol = "HY.1.3"\nreason = "a data-only repository"\n'
    )
    inputs = {"path": "repo", "catalog": "profile.toml", "config": "operator.toml"}
    run = sim.run(inputs, skip=SETUP, preinstalled=TOOL)
    record = load_json(sim.workspace / "baseline-report" / "assessment.json")
    assessment_validator.validate(record)
    statuses = {r["control_id"]: r["status"] for r in record["results"]}
    assert statuses["HY.1.3"] == "not_applicable" and run.exit_code == 0
    assert record["trust"]["config"]["path"].endswith("operator.toml")
    assert record["trust"]["config_in_target"] is False
    without = sim.run({"path": "repo", "catalog": "profile.toml", "out": "plain"},
                      skip=SETUP, preinstalled=TOOL)  # fmt: skip
    assert without.exit_code == 1  # the same repository fails HY.1.3 without that config


GITHUB_PROFILE = ci_profile_with("github.branch_protected", "Default branch protected")


def test_online_checks_get_the_token_and_nothing_else_does(
    sim: Simulator, assessment_validator
) -> None:
    """`online` and `api-token`: the API client sends the token to the API host the runner
    names; the token appears in no output, summary, log or report."""
    from support import json_api

    token = "ghs_secret-token-for-the-test"  # noqa: S105 - a test value
    _tidy_repo(sim.workspace / "repo")
    (sim.workspace / "profile.toml").write_text(GITHUB_PROFILE, "utf-8")
    protection = {"required_pull_request_reviews": {"required_approving_review_count": 1},
                  "enforce_admins": {"enabled": True}}  # fmt: skip
    routes = {"/repos/acme/widget": (200, {"default_branch": "main"}),
              "/repos/acme/widget/branches/main/protection": (200, protection),
              "/repos/acme/widget/rules/branches/main": (200, [])}  # fmt: skip
    with json_api(lambda path: routes.get(path.split("?")[0], (404, {}))) as (url, seen):
        run = sim.run({"path": "repo", "catalog": "profile.toml", "online": "true",
                       "api-token": token}, skip=SETUP, preinstalled=TOOL,
                      extra_env={"GITHUB_API_URL": url, "GITHUB_REPOSITORY": "acme/widget"})  # fmt: skip
    record = load_json(sim.workspace / "baseline-report" / "assessment.json")
    assessment_validator.validate(record)
    statuses = {r["control_id"]: r["status"] for r in record["results"]}
    assert statuses["HY.1.4"] == "pass", run.steps[0].stderr
    assert seen and all(auth == f"Bearer {token}" for _, auth in seen)
    everything = run.summary + "".join(s.stdout + s.stderr for s in run.steps)
    everything += "".join(p.read_text("utf-8", "replace")
                          for p in (sim.workspace / "baseline-report").iterdir())  # fmt: skip
    assert token not in everything and run.exit_code == 0


def test_sign_key_signs_the_bundle_and_leaves_no_key_behind(sim: Simulator) -> None:
    from baseline.bundle.sign import keygen, load_public
    from baseline.bundle.verify import verify_bundle

    _tidy_repo(sim.workspace / "repo")
    shutil.copy(ROOT / "tests" / "fixtures" / "ci-profile.toml", sim.workspace / "profile.toml")
    private, public = keygen(str(sim.scratch.parent / "vendor"), force=False)
    pem = Path(private).read_text("utf-8")
    run = sim.run({"path": "repo", "catalog": "profile.toml", "bundle": "evidence",
                   "sign-key": pem}, skip=SETUP, preinstalled=TOOL)  # fmt: skip
    assert run.exit_code == 0, run.steps[0].stderr
    assert run.outputs["assess"]["bundle"] == "evidence"
    verdict = verify_bundle(sim.workspace / "evidence", load_public(str(public)))
    assert verdict.problems == [] and "signature verified" in " ".join(verdict.notes)
    body = pem.split("-----")[2].strip().splitlines()[0]
    for folder in (sim.workspace, sim.scratch):
        for path in folder.rglob("*"):
            if path.is_file() and not path.is_symlink() and path.stat().st_size < 10_000_000:
                assert body not in path.read_text("utf-8", "replace"), path
    without = sim.run({"path": "repo", "catalog": "profile.toml", "sign-key": pem},
                      skip=SETUP, preinstalled=TOOL)  # fmt: skip
    assert without.outputs["assess"]["exit-code"] == "2"


def test_sign_keyless_signs_the_bundle_as_the_workflow(sim: Simulator) -> None:
    """`sign-keyless: true` with the job's OIDC variables (a loopback token endpoint and a fake
    Sigstore instance): the bundle carries a Sigstore bundle for the workflow's identity, which
    verifies offline; without `id-token: write` (no variables) the step is exit 2, saying so."""
    from fake_sigstore import GITHUB_ISSUER, IDENTITY, FakeSigstore

    from baseline.bundle import SIGSTORE
    from baseline.bundle.keyless import load_trust_root
    from baseline.bundle.keyless_verify import KeylessPolicy
    from baseline.bundle.verify import verify_bundle

    _tidy_repo(sim.workspace / "repo")
    shutil.copy(ROOT / "tests" / "fixtures" / "ci-profile.toml", sim.workspace / "profile.toml")
    trust, root = sim.scratch.parent / "trust-config.json", sim.scratch.parent / "root.json"
    inputs = {"path": "repo", "catalog": "profile.toml", "bundle": "evidence",
              "sign-keyless": "true", "sigstore-trust-config": str(trust)}  # fmt: skip
    with FakeSigstore().serve() as fake:
        trust.write_text(json.dumps(fake.trust_config()))
        root.write_text(json.dumps(fake.trusted_root()))
        run = sim.run(inputs, skip=SETUP, preinstalled=TOOL, extra_env=fake.github_env())
        assert run.exit_code == 0, run.steps[-1].stderr
        assert fake.token_requests >= 1 and len(fake.entries) == 1
        unpermitted = sim.run(inputs, skip=SETUP, preinstalled=TOOL)
    assert run.outputs["assess"]["bundle"] == "evidence"
    assert (sim.workspace / "evidence" / SIGSTORE).is_file()
    policy = KeylessPolicy(IDENTITY, GITHUB_ISSUER, *load_trust_root(root))
    verdict = verify_bundle(sim.workspace / "evidence", keyless=policy)
    assert verdict.problems == [] and "keyless signature verified" in " ".join(verdict.notes)
    assert unpermitted.outputs["assess"]["exit-code"] == "2"
    assert "permissions: id-token: write" in unpermitted.steps[-2].stderr


def test_require_inputs_reach_the_gate(sim: Simulator) -> None:
    repo = sim.workspace / "repo"
    _tidy_repo(repo)
    shutil.rmtree(repo / "tests")
    shutil.copy(ROOT / "tests" / "fixtures" / "ci-profile.toml", sim.workspace / "profile.toml")
    base = {"path": "repo", "catalog": "profile.toml", "fail-on": "none"}
    assert sim.run(base, skip=SETUP, preinstalled=TOOL).exit_code == 0
    required = sim.run({**base, "require": "HY.1.1, HY.1.3"}, skip=SETUP, preinstalled=TOOL)
    assert required.exit_code == 1 and "HY.1.3" in required.summary
    items = sim.run({**base, "require-form-items": "1a"}, skip=SETUP, preinstalled=TOOL)
    assert items.outputs["assess"]["exit-code"] == "2"  # the profile carries no CISA form
    assert "has no" in items.steps[0].stderr


def test_the_tool_cache_key_follows_what_goes_into_the_environment(tmp_path: Path) -> None:
    """The key covers the action's code, catalogs, templates and lock, and the exact Python:
    the same files give the same key, a changed lock a new one."""
    action = tmp_path / "action-copy"
    for name in ("action.yml", "pyproject.toml", "action", "baseline", "controls", "reports"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, action / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            action.mkdir(exist_ok=True)
            shutil.copy(source, action / name)
    step = next(s for s in ACTION["runs"]["steps"] if s.get("name") == KEY)
    assert next(s for s in ACTION["runs"]["steps"] if s.get("name") == INSTALL)["if"] == (
        "steps.tool-cache.outputs.cache-hit != 'true'"
    )

    def key() -> str:
        workspace = tmp_path / "ws"
        workspace.mkdir(exist_ok=True)
        scratch = tmp_path / "runner"
        scratch.mkdir(exist_ok=True)
        run = Simulator(action, workspace, scratch).run(
            {}, skip=tuple(s.get("name", "") for s in ACTION["runs"]["steps"] if s is not step)
        )
        return run.outputs["tool-key"]["key"]

    first = key()
    assert first == key() and first.startswith("ssdf-baseline-")
    lock = action / "action" / "requirements.lock"
    lock.write_text(lock.read_text() + "\n# changed\n")
    assert key() != first


def test_a_shallow_checkout_is_reported_never_passed(sim: Simulator) -> None:
    """actions/checkout without `fetch-depth: 0` gives one commit and no tags: the job summary
    says the clone is shallow, and the git checks are `error`, not a pass on what it shows."""
    import subprocess

    origin = sim.scratch.parent / "origin"
    _tidy_repo(origin)
    env = {"GIT_AUTHOR_NAME": "Dev", "GIT_AUTHOR_EMAIL": "d@example.org",
           "GIT_COMMITTER_NAME": "Dev", "GIT_COMMITTER_EMAIL": "d@example.org"}  # fmt: skip
    for step in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "one"],
                 ["commit", "-q", "--allow-empty", "-m", "two"], ["tag", "-a", "v1", "-m", "v1"]):  # fmt: skip
        subprocess.run(["git", *step], cwd=origin, env={**os.environ, **env}, check=True)
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--no-tags", f"file://{origin}",
                    str(sim.workspace / "repo")], check=True)  # fmt: skip
    profile = ci_profile_with("git.release_tags_signed", "Signed release tags")
    (sim.workspace / "profile.toml").write_text(profile, "utf-8")
    run = sim.run({"path": "repo", "catalog": "profile.toml"}, skip=SETUP, preinstalled=TOOL)
    record = load_json(sim.workspace / "baseline-report" / "assessment.json")
    assert record["target"]["shallow"] is True
    statuses = {r["control_id"]: r["status"] for r in record["results"]}
    assert statuses["HY.1.4"] == "error" and run.exit_code == 1
    assert "**shallow clone**" in run.summary
