"""gitrun: the git dir found without git, config read as data, git run on a shadow git dir."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from baseline.context import git_facts
from baseline.errors import ToolError
from baseline.tools import git as gitrun

_GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c",
        "init.defaultBranch=main"]  # fmt: skip


def git(repo: Path, *args: str) -> str:
    done = subprocess.run([*_GIT, "-C", str(repo), *args], check=True, capture_output=True)
    return done.stdout.decode().strip()


def _repo(path: Path, commits: int = 2) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q")
    for n in range(commits):
        (path / f"f{n}.txt").write_text(f"{n}\n")
        git(path, "add", "-A")
        git(path, "commit", "-q", "-m", f"c{n}")
    return path


def test_parse_config_reads_git_syntax() -> None:
    text = (
        "# comment\n[core]\n\tbare = false ; trailing comment\n"
        '[remote "Origin"]\n\turl = "https://github.com/a/b.git" # c\n'
        '[remote "origin"]\n  URL = git@github.com:o/r.git\n  flag\n'
        '[remote.legacy]\nurl = one \\\n two\n[x "s\\"q"]\nv = "a;b#c" tail  \n'
        '[y]\nz = "tab\\there"\n'
    )
    values = gitrun.parse_config(text)
    assert values[("core", None, "bare")] == ["false"]
    assert values[("remote", "Origin", "url")] == ["https://github.com/a/b.git"]
    assert values[("remote", "origin", "url")] == ["git@github.com:o/r.git"]
    assert values[("remote", "origin", "flag")] == ["true"]
    assert values[("remote", "legacy", "url")] == ["one  two"]
    assert values[("x", 's"q', "v")] == ["a;b#c tail"]
    assert values[("y", None, "z")] == ["tab\there"]


@pytest.mark.parametrize("text", ["[core\nx = 1\n", "x = 1\n", "[a]\nv = \"open\n",
                                  "[a]\nv = bad \\q\n", "[a]\n!key = 1\n"])  # fmt: skip
def test_parse_config_rejects_what_git_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="line"):
        gitrun.parse_config(text)


def test_origin_url_is_read_as_data_without_includes(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "r", 1)
    git(repo, "remote", "add", "origin", "https://github.com/owner/name.git")
    (repo / ".git" / "other.inc").write_text('[remote "origin"]\n\turl = https://evil.invalid/x\n')
    git(repo, "config", "include.path", "other.inc")
    assert gitrun.origin_url(repo) == "https://github.com/owner/name.git"
    assert gitrun.origin_url(tmp_path) is None


def test_locate_linked_worktree_and_sub_folder(tmp_path: Path) -> None:
    main = _repo(tmp_path / "main", 2)
    older = git(main, "rev-parse", "HEAD~1")
    git(main, "worktree", "add", "-q", "--detach", str(tmp_path / "linked"), older)
    (tmp_path / "linked" / "deep").mkdir()
    location = gitrun.locate(tmp_path / "linked" / "deep")
    assert location is not None
    assert location.toplevel == tmp_path / "linked"
    assert location.common_dir == main / ".git"
    facts = git_facts(tmp_path / "linked" / "deep")
    assert facts.commit == older and facts.detached and facts.toplevel == tmp_path / "linked"
    assert git_facts(main).commit == git(main, "rev-parse", "HEAD")


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda d: (d / ".git").write_text("not a pointer\n"), "gitdir:"),
        (lambda d: (d / ".git").write_text("gitdir: missing\n"), "no HEAD"),
        (lambda d: os.mkfifo(d / ".git"), "neither a folder"),
        (lambda d: ((d / ".git").mkdir(), os.mkfifo(d / ".git" / "HEAD")), "no HEAD"),
    ],
)
def test_locate_refuses_oddities(tmp_path: Path, make, reason: str) -> None:
    make(tmp_path)
    with pytest.raises(gitrun.GitLayoutError, match=reason):
        gitrun.locate(tmp_path)
    facts = git_facts(tmp_path)
    assert not facts.is_repo and reason in facts.reason


@pytest.mark.parametrize(
    ("config", "reason"),
    [
        ("[core]\n\trepositoryformatversion = 2\n", "format version"),
        (
            "[core]\n\trepositoryformatversion = 1\n[extensions]\n\tobjectformat = md5\n",
            "objectformat",
        ),
        ("[core\n", "unterminated"),
    ],
)
def test_shadow_refuses_unknown_formats(tmp_path: Path, config: str, reason: str) -> None:
    repo = _repo(tmp_path / "r", 1)
    (repo / ".git" / "config").write_text(config)
    location = gitrun.locate(repo)
    assert location is not None
    with pytest.raises(ToolError, match=reason):
        gitrun.run_git(location, ["rev-parse", "HEAD"], cwd=repo, timeout=30)


def test_shadow_config_carries_only_the_format(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "r", 1)
    git(repo, "config", "core.fsmonitor", "/bin/false")
    git(repo, "config", "filter.x.clean", "/bin/false")
    location = gitrun.locate(repo)
    assert location is not None
    assert gitrun.shadow_config(location) == (
        "[core]\n\trepositoryformatversion = 0\n\tbare = false\n"
    )


def test_sha256_repository(tmp_path: Path) -> None:
    repo = tmp_path / "r"
    repo.mkdir()
    git(repo, "init", "-q", "--object-format=sha256")
    (repo / "a.txt").write_text("a\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "one")
    facts = git_facts(repo)
    assert facts.commit == git(repo, "rev-parse", "HEAD") and len(facts.commit) == 64


def test_inherited_git_variables_do_not_redirect(tmp_path: Path, monkeypatch) -> None:
    """Run from inside a hook (GIT_DIR, GIT_INDEX_FILE... set for another repository)."""
    target, other = _repo(tmp_path / "target", 1), _repo(tmp_path / "other", 2)
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    monkeypatch.setenv("GIT_INDEX_FILE", str(other / ".git" / "index"))
    monkeypatch.setenv("GIT_OBJECT_DIRECTORY", str(other / ".git" / "objects"))
    facts = git_facts(target)
    monkeypatch.delenv("GIT_DIR")
    monkeypatch.delenv("GIT_WORK_TREE")
    monkeypatch.delenv("GIT_INDEX_FILE")
    monkeypatch.delenv("GIT_OBJECT_DIRECTORY")
    assert facts.commit == git(target, "rev-parse", "HEAD")


def test_status_never_writes_the_repository_index(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "r", 1)
    index = repo / ".git" / "index"
    before = index.read_bytes()
    later = (repo / "f0.txt").stat().st_mtime + 5
    os.utime(repo / "f0.txt", (later, later))
    location = gitrun.locate(repo)
    assert location is not None
    done = gitrun.run_git(location, ["status", "--porcelain"], cwd=repo, timeout=30)
    assert done.run.exit_code == 0 and done.stdout == b""
    assert index.read_bytes() == before
    assert not any("safe.directory" in arg for arg in done.run.command)
