"""One run for every entry point (issue 16): `assess`, `assess-many`, `precommit` and the
simulated GitHub Action give a repository whose config declares a task not applicable the same
statuses and the same exit code, because each is a thin caller of baseline/service.py."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from github_sim import Simulator
from support import ROOT

from baseline.service import AssessmentRequest, run

PROFILE = ROOT / "tests" / "fixtures" / "ci-profile.toml"
NOT_APPLICABLE = """[[not_applicable]]
control = "HY.1.3"
reason = "a data-only repository: there is no code to test"
"""
# HY.1.1 and HY.1.2 pass on their files; HY.1.3 (tests) would fail, but is declared N/A.
WANT = {"HY.1.1": "pass", "HY.1.2": "pass", "HY.1.3": "not_applicable"}


def _repo(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "SECURITY.md").write_text("Report vulnerabilities to security@example.org.\n")
    (root / "LICENSE").write_text("Apache License 2.0\n")
    (root / "data.csv").write_text("a,b\n1,2\n")
    (root / ".baseline.toml").write_text(NOT_APPLICABLE)
    return root


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-I", "-m", "baseline", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip


def _statuses(record_path: Path) -> dict[str, str]:
    record = json.loads(record_path.read_text("utf-8"))
    return {r["control_id"]: r["status"] for r in record["results"]}


def _workspace(tmp_path: Path) -> Path:
    """The repository, the profile and a list naming the repository, side by side."""
    workspace = tmp_path / "workspace"
    _repo(workspace / "repo")
    shutil.copy(PROFILE, workspace / "profile.toml")
    (workspace / "list.txt").write_text("repo\n")
    return workspace


def _assess(workspace: Path, out: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return _cli(workspace, "assess", "repo", "--catalog", "profile.toml", "--out", out,
                "--format", "json", "--quiet", *extra)  # fmt: skip


def _record(workspace: Path, out: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((workspace / out / "assessment.json").read_text())
    return loaded


def _many_and_precommit(
    workspace: Path, *extra: str
) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    many = _cli(workspace, "assess-many", "list.txt", "--catalog", "profile.toml", "--out", "m",
                *extra)  # fmt: skip
    return many, _cli(workspace, "precommit", "repo", "--catalog", "profile.toml", *extra)


def test_every_entry_point_gives_the_same_statuses_and_exit_code(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    repo = workspace / "repo"
    assess = _assess(workspace, "a")
    assert assess.returncode == 0, assess.stdout + assess.stderr
    assert _statuses(workspace / "a" / "assessment.json") == WANT
    record = _record(workspace, "a")
    assert record["policy"]["verdict"] == "met"
    assert record["trust"]["config_in_target"] is True  # the repository's own claim
    shutil.copy(repo / ".baseline.toml", workspace / "operator.toml")
    outside = _assess(workspace, "o", "--config", "operator.toml")
    assert outside.returncode == 0, outside.stderr
    trust = _record(workspace, "o")["trust"]
    assert trust["config_in_target"] is False and trust["config"]["path"] == "operator.toml"

    many, precommit = _many_and_precommit(workspace)
    assert many.returncode == 0, many.stdout + many.stderr
    assert _statuses(workspace / "m" / "repo" / "assessment.json") == WANT
    assert precommit.returncode == 0, precommit.stdout + precommit.stderr
    assert "pass: 2  not_applicable: 1" in precommit.stdout, precommit.stdout

    scratch = tmp_path / "runner"
    scratch.mkdir()
    action = Simulator(ROOT, workspace, scratch).run(
        {"path": "repo", "catalog": "profile.toml", "out": "gha"},
        skip=("Install ssdf-baseline",), preinstalled=Path(sys.prefix),
    )  # fmt: skip
    assert action.exit_code == 0, [(s.name, s.stdout, s.stderr) for s in action.steps]
    assert _statuses(workspace / "gha" / "assessment.json") == WANT

    # The library's run is the same run.
    outcome = run(AssessmentRequest(target=repo, catalog=str(workspace / "profile.toml")))
    assert {r.control.id: r.status.value for r in outcome.assessment.results} == WANT
    assert outcome.exit_code == 0 and outcome.failures == ()


def test_without_the_config_every_entry_point_fails_the_same_task(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    none = ("--config-trust", "none")
    assess = _assess(workspace, "a", *none)
    many, precommit = _many_and_precommit(workspace, *none)
    assert [assess.returncode, many.returncode, precommit.returncode] == [1, 1, 1]
    assert _statuses(workspace / "a" / "assessment.json")["HY.1.3"] == "fail"
    # The record carries the policy, the verdict and every unmet gate.
    assert _record(workspace, "a")["policy"] == {
        "fail_on": ["error", "fail"], "require": [], "require_form_items": [],
        "verdict": "not met", "failures": ["HY.1.3 is fail (--fail-on)"],
    }  # fmt: skip
    assert _statuses(workspace / "m" / "repo" / "assessment.json")["HY.1.3"] == "fail"
    assert "FAIL  HY.1.3" in precommit.stdout


def test_one_run_renders_once_for_its_folder_and_its_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The output folder and the bundle hold the same bytes, from one rendering: the view model
    is built once (the bundle rendered every format a second time before)."""
    from baseline.report import write

    workspace = _workspace(tmp_path)
    built: list[object] = []
    view_of = write.view_of_canonical
    monkeypatch.setattr(write, "view_of_canonical", lambda *a: built.append(a) or view_of(*a))
    out, bundle = workspace / "out", workspace / "bundle"
    run(AssessmentRequest(target=workspace / "repo", catalog=str(workspace / "profile.toml"),
                          formats=("json", "html", "md"), out=out, bundle=bundle))  # fmt: skip
    assert len(built) == 1
    assert sorted(p.name for p in out.iterdir()) == ["assessment.json", "report.html", "report.md"]
    for name in ("assessment.json", "report.html", "report.md"):
        assert (out / name).read_bytes() == (bundle / "reports" / name).read_bytes()
    assert (bundle / "reports" / "results.sarif").is_file()  # the bundle takes every format
