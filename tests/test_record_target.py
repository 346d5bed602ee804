"""The record names where the assessed code comes from: the repository's remote (normalized,
without credentials), the branch, the folder inside the repository, a shallow clone, and a
working tree that differs from the commit, with the files (issue 16)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from baseline.cli import main
from baseline.remote_url import normalize_remote
from baseline.report.json_record import expanded
from baseline.resources import schema_path

ENV = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "a",
       "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "a",
       "GIT_COMMITTER_EMAIL": "a@example.org", "PATH": "/usr/bin:/bin"}  # fmt: skip


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True, env=ENV).stdout  # fmt: skip


def _record(target: Path, out: Path) -> dict[str, Any]:
    main(["assess", str(target), "--out", str(out), "--format", "json", "--quiet",
          "--no-cache", "--fail-on", "none"])  # fmt: skip
    record: dict[str, Any] = json.loads((out / "assessment.json").read_text("utf-8"))
    jsonschema.validate(record, json.loads(schema_path("assessment.schema.json").read_text()))
    return record


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "app").mkdir(parents=True)
    (root / "app" / "main.py").write_text("x = 1\n")
    (root / "README.md").write_text("hello\n")
    _git(root, "init", "-q", "-b", "main")
    _git(
        root, "remote", "add", "origin", "https://x-access-token:ghs_SECRET@github.com/Acme/App.git"
    )
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "one")
    return root


def test_a_clean_checkout_is_recorded_with_its_remote_and_branch(
    repo: Path, tmp_path: Path
) -> None:
    record = _record(repo, tmp_path / "out")
    target = record["target"]
    assert target["url"] == "https://github.com/Acme/App"
    assert "SECRET" not in json.dumps(record)  # a token in the remote never reaches the record
    assert (target["branch"], target["subdir"], target["shallow"]) == ("main", "", False)
    assert (target["dirty"], target["changed_count"], target["changed"]) == (False, 0, [])


def test_a_dirty_tree_says_so_and_lists_the_files(repo: Path, tmp_path: Path) -> None:
    (repo / "app" / "main.py").write_text("x = 2  # edited after checkout\n")
    (repo / "app" / "new.py").write_text("y = 1\n")
    (repo / "README.md").unlink()
    record = _record(repo, tmp_path / "out")
    target = record["target"]
    assert target["dirty"] is True and target["changed_count"] == 3
    assert target["changed"] == ["README.md", "app/main.py", "app/new.py"]
    recorded = next(e for r in expanded(record)["results"] for e in r["evidence"]
                    if e["check"] == "git.commit_recorded")  # fmt: skip
    assert recorded["outcome"] == "needs_review"
    assert "3 file(s) differ from it (README.md, app/main.py, app/new.py)" in recorded["summary"]
    assert recorded["tool_runs"] and recorded["tool_runs"][0]["tool"] == "git"


def test_a_folder_of_a_repository_and_a_shallow_clone(repo: Path, tmp_path: Path) -> None:
    (repo / "app" / "more.py").write_text("z = 1\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "two")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)],
                   check=True, env=ENV, capture_output=True)  # fmt: skip
    record = _record(shallow / "app", tmp_path / "out")
    target = record["target"]
    assert (target["subdir"], target["shallow"], target["dirty"]) == ("app", True, False)
    assert target["url"] is None  # a local path is no repository others can find


@pytest.mark.parametrize(("given", "want"), [
    ("git@github.com:owner/repo.git", "https://github.com/owner/repo"),
    ("ssh://git@github.com/owner/repo", "https://github.com/owner/repo"),
    ("https://user:pass@gitlab.example.com/group/sub/proj.git/", "https://gitlab.example.com/group/sub/proj"),
    ("/home/me/repo", None), ("file:///tmp/repo", None), ("https://github.com/a/../b", None),
    ("https://github.com/o/r\n[url]", None), ("ext::sh -c touch% /tmp/pwned", None),
])  # fmt: skip
def test_remote_urls_are_normalized_or_refused(given: str, want: str | None) -> None:
    assert normalize_remote(given) == want
