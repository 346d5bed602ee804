"""`baseline verify BUNDLE --reproduce REPO` (issue 18): the bundle is verified, its commit is
checked out in a private copy, assessed again as recorded, and every difference is reported;
a tampered bundle is refused before anything runs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import ci_profile_with
from workflow_support import commit, make_repo

PROFILE = ci_profile_with("git.commits_signed", "Signed commits")


def _cli(cwd: Path, *args: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": path or os.environ["PATH"]}
    return subprocess.run([sys.executable, "-I", "-m", "baseline", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A signed repository, a bundle of it, then one more commit (HEAD moves on)."""
    base = tmp_path_factory.mktemp("reproduce")
    repo = make_repo(base)
    commit(repo, "first")
    (base / "profile.toml").write_text(PROFILE, "utf-8")
    done = _cli(base, "assess", "repo", "--catalog", "profile.toml", "--bundle", "bundle",
                "--quiet", "--no-cache")  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    (repo / "later.txt").write_text("after the bundle\n")
    commit(repo, "later")
    return base


def test_the_recorded_commit_reproduces_identically(made: Path) -> None:
    done = _cli(made, "verify", "bundle", "--reproduce", "repo", "--catalog", "profile.toml",
                "--quiet")  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "reproduced at its commit" in done.stdout + done.stderr
    assert "New findings: 0" in done.stdout and "Regressed controls: 0" in done.stdout


def test_a_changed_tool_version_is_reported(made: Path, tmp_path: Path) -> None:
    """git answers `--version` as 9.9.9 on the auditor's machine: the re-run says so."""
    fake = tmp_path / "bin"
    fake.mkdir()
    real = shutil.which("git")
    (fake / "git").write_text(
        f'#!/bin/sh\n[ "$1" = "--version" ] && {{ echo "git version 9.9.9"; exit 0; }}\n'
        f'exec {real} "$@"\n'
    )
    (fake / "git").chmod(0o755)
    path = f"{fake}{os.pathsep}{os.environ['PATH']}"
    done = _cli(made, "verify", "bundle", "--reproduce", "repo", "--catalog", "profile.toml",
                "--quiet", "--format", "json", path=path)  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    setup = json.loads(done.stdout)["setup"]
    assert [c for c in setup if c["what"] == "tool git"][0]["new"] == "9.9.9"
    assert "NOT reproduced identically" in done.stdout + done.stderr


def test_a_tampered_record_is_refused_before_anything_runs(made: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(made / "bundle", bundle)
    record = bundle / "reports" / "assessment.json"
    record.write_text(record.read_text("utf-8").replace('"fail"', '"pass"'), "utf-8")
    done = _cli(made, "verify", str(bundle), "--reproduce", "repo", "--catalog", "profile.toml")
    assert done.returncode == 1
    assert "reports/assessment.json: changed" in done.stdout + done.stderr
    assert "verification FAILED; nothing was re-run" in done.stdout + done.stderr


def test_a_catalog_that_is_not_built_in_must_be_named(made: Path) -> None:
    done = _cli(made, "verify", "bundle", "--reproduce", "repo")
    assert done.returncode == 2
    assert "'ci-profile' is not a built-in catalog" in done.stdout + done.stderr


def test_the_source_repository_runs_nothing(made: Path, tmp_path: Path) -> None:
    """The auditor's clone names a smudge filter and a post-checkout hook: the private copy
    never runs them, and the clone itself is not changed."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(made / "repo"), str(clone)], check=True)
    marker = tmp_path / "ran"
    (clone / ".git" / "config").open("a").write(
        f'[filter "evil"]\n\tsmudge = touch {marker}\n\tprocess = touch {marker}\n'
    )
    (clone / ".git" / "info").mkdir(exist_ok=True)
    (clone / ".git" / "info" / "attributes").write_text("* filter=evil\n")
    hook = clone / ".git" / "hooks" / "post-checkout"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
    hook.chmod(0o755)
    before = _state(clone)
    done = _cli(made, "verify", "bundle", "--reproduce", str(clone), "--catalog", "profile.toml",
                "--quiet")  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert not marker.exists()
    assert _state(clone) == before


def _state(clone: Path) -> dict[str, bytes]:
    """The clone's HEAD, index and refs, as bytes (git itself would run the planted filter)."""
    git_dir = clone / ".git"
    files = [git_dir / "HEAD", git_dir / "index", git_dir / "packed-refs",
             *sorted((git_dir / "refs").rglob("*"))]  # fmt: skip
    return {str(f): f.read_bytes() for f in files if f.is_file()}
