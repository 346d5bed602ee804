"""The pre-commit hook: its entry runs the file-level checks only, and gates on failures."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from support import EXAMPLES, ROOT

from baseline.catalog.loader import load_catalog
from baseline.checks.registry import CHECKS
from baseline.commands.precommit import file_level_profile

HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def _run_entry(cwd: Path) -> subprocess.CompletedProcess[str]:
    hook = HOOKS[0]
    command = shlex.split(hook["entry"])
    assert command[0] == "baseline"  # the console script this package installs
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "baseline", *command[1:]], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip


def test_hook_declaration() -> None:
    assert [h["id"] for h in HOOKS] == ["ssdf-baseline"]
    hook = HOOKS[0]
    assert hook["language"] == "python" and hook["pass_filenames"] is False


def test_hook_fails_an_insecure_repository_and_writes_nothing(tmp_path: Path) -> None:
    repo = tmp_path / "app"
    shutil.copytree(EXAMPLES / "insecure-app", repo)
    before = sorted(p.relative_to(repo) for p in repo.rglob("*"))
    done = _run_entry(repo)
    assert done.returncode == 1, done.stderr
    assert "RV.1.3" in done.stdout and "SECURITY.md names no contact" in done.stdout
    assert sorted(p.relative_to(repo) for p in repo.rglob("*")) == before


def test_hook_passes_a_well_kept_repository(tmp_path: Path) -> None:
    repo = tmp_path / "app"
    shutil.copytree(EXAMPLES / "well-kept-app", repo)
    done = _run_entry(repo)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "policy met" in done.stdout


def test_profile_keeps_only_controls_whose_checks_need_no_tool() -> None:
    catalog = load_catalog("ssdf-1.1")
    profile = file_level_profile(catalog)
    assert profile.controls and len(profile.controls) < len(catalog.controls)
    for control in profile.controls:
        assert control.checks and all(not CHECKS[s.check].tools for s in control.checks)
    skipped = [c for c in catalog.controls if c not in profile.controls]
    assert all(not c.checks or any(CHECKS[s.check].tools for s in c.checks) for c in skipped)
