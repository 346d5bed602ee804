"""Whole-evidence reuse: only when nothing the check read has changed, never for an error."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from support import EXAMPLES, check_evidence, only_git_on_path

from baseline.models import CheckOutcome, Evidence
from baseline.scancache import drain_notes

pytestmark = pytest.mark.slow

REUSED = "evidence reused"


@pytest.fixture
def target(tmp_path: Path) -> Path:
    copy = tmp_path / "app"
    shutil.copytree(EXAMPLES / "insecure-app", copy)
    return copy


def _run(
    target: Path, cache: Path | None, check: str = "sast.bandit", **params: object
) -> Evidence:
    return check_evidence(target, check, dict(params), jobs=2, cache=cache)


def _reused() -> bool:
    return any(REUSED in note for note in drain_notes())


@pytest.mark.parametrize("check", ["sast.bandit", "sast.semgrep"])
def test_an_unchanged_repository_reuses_the_whole_evidence(
    target: Path, tmp_path: Path, check: str
) -> None:
    cache = tmp_path / "cache.sqlite3"
    cold = _run(target, None, check)
    drain_notes()
    first = _run(target, cache, check)
    assert not _reused()
    again = _run(target, cache, check)
    assert _reused()
    assert cold.outcome is CheckOutcome.FAIL and cold == first == again
    # Not in the record, but in the evidence bundle: the tool's raw output and its run time.
    assert [a.content for a in again.artifacts] == [a.content for a in cold.artifacts]
    assert again.tool_runs[0].duration_s == first.tool_runs[0].duration_s > 0


def test_any_changed_file_or_setting_runs_the_check(target: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite3"
    _run(target, cache)
    drain_notes()
    (target / "notes.txt").write_text("a file no scanner reads\n")
    changed = _run(target, cache)
    assert not _reused() and changed == _run(target, None)
    _run(target, cache, fail_on="high")
    assert not _reused()  # other parameters, other evidence
    (target / "notes.txt").unlink()
    (target / "link").symlink_to("app.py")
    _run(target, cache)
    assert not _reused()  # a new symlink changes what the repository holds


def test_a_garbled_entry_is_a_miss(target: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite3"
    good = _run(target, cache)
    with sqlite3.connect(cache) as db:
        rows = db.execute("SELECT key, value FROM meta WHERE key LIKE 'evidence:%'").fetchall()
        assert rows
        for key, value in rows:
            inputs = value.split("\n", 1)[0]
            db.execute("UPDATE meta SET value = ? WHERE key = ?", (inputs + "\n{garbage", key))
    drain_notes()
    assert _run(target, cache) == good and not _reused()
    assert _run(target, cache) == good and _reused()  # stored again


def test_errors_are_not_stored_and_a_missing_tool_is_an_error(
    target: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache.sqlite3"
    good = _run(target, cache)
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "bandit").write_text("#!/bin/sh\necho 'not json {'\n")
    (fake / "bandit").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ['PATH']}")
    assert _run(target, cache).outcome is CheckOutcome.ERROR  # another executable: no reuse
    (fake / "bandit").unlink()
    monkeypatch.setenv("PATH", only_git_on_path(tmp_path / "onlygit"))
    missing = _run(target, cache)
    assert missing.outcome is CheckOutcome.ERROR and "not found" in missing.summary
    monkeypatch.undo()
    drain_notes()
    assert _run(target, cache) == good and _reused()  # the good run's entry was kept
