"""Git states (no commits, detached, shallow, missing submodule) and a broken git on PATH."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from baseline.context import GitFacts, git_facts

from .doc_table import Observations, Row
from .faketools import MODES, install_fake_tool
from .harness import assess, check_run, environment

SECTION = "Git states"
FAULTS = "Tool faults"
_GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "init.defaultBranch=main",
        "-c", "protocol.file.allow=always"]  # fmt: skip


def git(repo: Path, *args: str) -> str:
    """Run git in repo (test set-up only)."""
    done = subprocess.run([*_GIT, "-C", str(repo), *args], check=True, capture_output=True)
    return done.stdout.decode().strip()


def _commits(repo: Path, count: int) -> None:
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q")
    for n in range(count):
        (repo / f"file{n}.txt").write_text(f"{n}\n")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"commit {n}")


def _not_a_repo(base: Path) -> Path:
    (base / "plain").mkdir()
    (base / "plain" / "README.md").write_text("no git here\n")
    return base / "plain"


def _no_commits(base: Path) -> Path:
    _commits(base / "empty", 0)
    (base / "empty" / "app.py").write_text("x = 1\n")
    return base / "empty"


def _detached(base: Path) -> Path:
    _commits(base / "detached", 2)
    git(base / "detached", "checkout", "-q", "--detach", "HEAD~1")
    return base / "detached"


def _shallow(base: Path) -> Path:
    _commits(base / "source", 3)
    subprocess.run([*_GIT, "clone", "-q", "--depth", "1", f"file://{base / 'source'}",
                    str(base / "shallow")], check=True, capture_output=True)  # fmt: skip
    return base / "shallow"


def _missing_submodule(base: Path) -> Path:
    repo = base / "with-submodule"
    _commits(repo, 1)
    (repo / ".gitmodules").write_text(
        '[submodule "vendor/lib"]\n\tpath = vendor/lib\n\turl = https://example.invalid/lib.git\n'
    )
    git(repo, "update-index", "--add", "--cacheinfo",
        "160000,0123456789abcdef0123456789abcdef01234567,vendor/lib")  # fmt: skip
    git(repo, "add", ".gitmodules")
    git(repo, "commit", "-q", "-m", "add a submodule that is never cloned")
    return repo


def _linked_worktree(base: Path) -> Path:
    _commits(base / "main-tree", 2)
    git(base / "main-tree", "worktree", "add", "-q", "--detach", str(base / "linked"), "HEAD~1")
    return base / "linked"


def _sub_folder(base: Path) -> Path:
    _commits(base / "outer", 1)
    (base / "outer" / "pkg").mkdir()
    (base / "outer" / "pkg" / "mod.py").write_text("x = 1\n")
    git(base / "outer", "add", "-A")
    git(base / "outer", "commit", "-q", "-m", "a package")
    return base / "outer" / "pkg"


@dataclass(frozen=True)
class GitCase:
    """A repository in one git state and what git_facts must say about it."""

    id: str
    input: str
    build: Callable[[Path], Path]
    expect: Callable[[GitFacts], bool]


GIT_CASES = (
    GitCase("not-a-repository", "a folder that is not in a git repository", _not_a_repo,
            lambda f: not f.is_repo and f.commit is None),
    GitCase("no-commits", "`git init` and nothing committed", _no_commits,
            lambda f: f.is_repo and f.commit is None and "no commits" in f.reason),
    GitCase("detached-head", "HEAD detached at an older commit", _detached,
            lambda f: f.is_repo and f.detached and f.commit is not None),
    GitCase("shallow-clone", "`git clone --depth 1 file://...`", _shallow,
            lambda f: f.is_repo and f.shallow and f.commit is not None),
    GitCase("linked-worktree", "a `git worktree add` checkout (a `.git` file naming "
            "the main repository's worktrees/ folder), detached at an older commit",
            _linked_worktree, lambda f: f.is_repo and f.detached and f.commit is not None),
    GitCase("sub-folder", "the target is a sub-folder of a repository", _sub_folder,
            lambda f: f.is_repo and f.commit is not None and f.toplevel is not None
            and f.toplevel.name == "outer"),
    GitCase("missing-submodule", "a .gitmodules and gitlink whose repository was never "
            "cloned", _missing_submodule, lambda f: f.is_repo and f.commit is not None),
)  # fmt: skip


def _facts_text(facts: GitFacts) -> str:
    parts = [f"is_repo={facts.is_repo}", f"shallow={facts.shallow}",
             f"detached={facts.detached}"]  # fmt: skip
    if facts.reason:
        parts.append(f"reason: {facts.reason}")
    return ", ".join(parts)


def git_row(case: GitCase, factory: pytest.TempPathFactory, validator: Any) -> Row:
    """Assess a repository in one git state."""
    base = factory.mktemp(case.id)
    repo = case.build(base)
    facts = git_facts(repo)
    assert case.expect(facts), facts
    run = assess(repo, base / "out", env=environment(), cwd=base)
    check_run(run, validator)
    commit = run.record["target"]["commit"]
    assert commit == facts.commit
    recorded = "the commit is recorded" if commit else "no commit recorded"
    return Row(
        SECTION,
        case.id,
        case.input,
        f"completes with exit {run.code}; {recorded}; git facts: {_facts_text(facts)}",
    )


def git_fault_row(mode: str, factory: pytest.TempPathFactory, validator: Any) -> Row:
    """Assess a real repository with a broken `git` first on PATH."""
    base = factory.mktemp(f"git-{mode}")
    repo = base / "repo"
    _commits(repo, 1)
    fake = install_fake_tool(base / "bin", "git", mode, "2.39.5")
    if mode == "hang":
        facts = _with_path(base / "bin", lambda: git_facts(repo, timeout=0.5))
        assert not facts.is_repo and "timed out" in facts.reason, facts
        return Row(
            FAULTS,
            f"git {mode}",
            MODES[mode],
            f"git_facts gives up at its timeout: {_facts_text(facts)}",
        )
    facts = _with_path(fake.parent, lambda: git_facts(repo))
    assert not facts.is_repo and facts.commit is None and facts.reason, facts
    run = assess(repo, base / "out", env=environment(fake.parent), cwd=base)
    check_run(run, validator)
    assert run.record["target"]["commit"] is None
    return Row(
        FAULTS,
        f"git {mode}",
        MODES[mode],
        f"completes with exit {run.code}, no commit recorded; {_facts_text(facts)}",
    )


def _with_path(folder: Path, call: Callable[[], GitFacts]) -> GitFacts:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", f"{folder}:{environment()['PATH']}")
        return call()


def all_rows(factory: pytest.TempPathFactory, validator: Any, obs: Observations) -> list[Row]:
    """Every row of the git sections (for the docs table)."""
    rows = [obs.get(SECTION, c.id, lambda c=c: git_row(c, factory, validator)) for c in GIT_CASES]
    rows += [obs.get(FAULTS, f"git {m}", lambda m=m: git_fault_row(m, factory, validator))
             for m in MODES]  # fmt: skip
    return rows


@pytest.mark.parametrize("case", GIT_CASES, ids=lambda c: c.id)
def test_git_state(case: GitCase, tmp_path_factory, validator, observations) -> None:
    observations.get(SECTION, case.id, lambda: git_row(case, tmp_path_factory, validator))


@pytest.mark.parametrize("mode", list(MODES))
def test_broken_git_degrades(mode: str, tmp_path_factory, validator, observations) -> None:
    observations.get(
        FAULTS, f"git {mode}", lambda: git_fault_row(mode, tmp_path_factory, validator)
    )
