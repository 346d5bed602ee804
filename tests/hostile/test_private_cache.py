"""The scan cache cannot be edited into a pass: it is private to the user, its entries sealed.

Whoever can write the cache file could replay an empty finding list as this run's evidence. An
edited entry must be a miss (rescanned), and a cache that others can write, that belongs to
someone else or that is reached through a symbolic link must not be used at all (the run goes
on without it and says so on stderr).
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from support import check_evidence

from baseline.models import CheckOutcome, Evidence
from baseline.scancache import drain_notes

from .doc_table import Observations, Row
from .harness import environment

SECTION = "Scan cache"

FINDING = "B602"  # subprocess call with shell=True: high severity, fails sast.bandit
APP = "import subprocess\n\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n"
REFUSED = "running without the cache"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "app.py").write_text(APP, encoding="utf-8")
    return folder


def _bandit(repo: Path, cache: Path) -> Evidence:
    return check_evidence(repo, "sast.bandit", {}, jobs=1, cache=cache)


def _failing(evidence: Evidence) -> bool:
    return evidence.outcome is CheckOutcome.FAIL and FINDING in {f.rule for f in evidence.findings}


def _empty_every_finding_list(cache: Path) -> None:
    """What an attacker with write access does: per-file results and stored evidence emptied."""
    with sqlite3.connect(cache) as db:
        db.execute("UPDATE files SET payload = json_set(payload, '$.results', json('[]'))")
        for key, value in db.execute("SELECT key, value FROM meta WHERE key LIKE 'evidence:%'"):
            inputs, _, text = value.partition("\n")
            payload = json.loads(text)
            payload["evidence"].update(outcome="pass", findings=[])
            forged = inputs + "\n" + json.dumps(payload)
            db.execute("UPDATE meta SET value = ? WHERE key = ?", (forged, key))


@pytest.mark.parametrize("keep_evidence", [True, False], ids=["whole-evidence", "per-file"])
@pytest.mark.slow
def test_an_edited_cache_entry_is_not_used(repo: Path, tmp_path: Path, keep_evidence: bool) -> None:
    cache = tmp_path / "cache" / "cache.sqlite3"
    assert _failing(_bandit(repo, cache))
    _empty_every_finding_list(cache)
    if not keep_evidence:  # only the per-file rows are left to replay
        with sqlite3.connect(cache) as db:
            db.execute("DELETE FROM meta WHERE key LIKE 'evidence:%'")
    drain_notes()
    evidence = _bandit(repo, cache)
    assert _failing(evidence), evidence.summary
    notes = drain_notes()
    assert not any("evidence reused" in n or "1 of 1 files from the cache" in n for n in notes)
    assert _failing(_bandit(repo, cache))  # the rescanned result was stored sealed again


@pytest.mark.slow
def test_a_new_cache_is_private(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "new" / "cache.sqlite3"
    _bandit(repo, cache)
    assert stat.S_IMODE(cache.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    for other in cache.parent.iterdir():
        assert stat.S_IMODE(other.stat().st_mode) & 0o077 == 0, other


def _group_writable_file(cache: Path) -> None:
    cache.chmod(0o666)


def _world_writable_folder(cache: Path) -> None:
    cache.parent.chmod(0o777)


def _another_owner(cache: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("changing a file's owner needs root")
    os.chown(cache, 4321, 4321)


def _symlinked_file(cache: Path) -> None:
    real = cache.parent.parent / "elsewhere.sqlite3"
    cache.rename(real)
    cache.symlink_to(real)


def _symlinked_folder(cache: Path) -> None:
    real = cache.parent.parent / "elsewhere"
    cache.parent.rename(real)
    cache.parent.symlink_to(real, target_is_directory=True)


@pytest.mark.parametrize(
    "spoil",
    [_group_writable_file, _world_writable_folder, _another_owner, _symlinked_file,
     _symlinked_folder],
    ids=lambda f: f.__name__.strip("_"),
)  # fmt: skip
@pytest.mark.slow
def test_a_cache_others_control_is_not_used(repo: Path, tmp_path: Path, spoil: object) -> None:
    cache = tmp_path / "cache" / "cache.sqlite3"
    assert _failing(_bandit(repo, cache))
    assert callable(spoil)
    spoil(cache)
    before = _rows(cache)
    drain_notes()
    evidence = _bandit(repo, cache)
    notes = drain_notes()
    assert _failing(evidence)
    assert any(REFUSED in n for n in notes), notes
    assert not any("evidence reused" in n or "files from the cache" in n for n in notes), notes
    assert _rows(cache) == before  # not written either


def _rows(cache: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(f"file:{cache.resolve()}?mode=ro", uri=True) as db:
        return sorted(db.execute("SELECT scan, path, sha, payload, day FROM files").fetchall())


def test_the_cli_says_on_stderr_that_it_runs_without_the_cache(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "shared" / "cache.sqlite3"
    cache.parent.mkdir()
    cache.parent.chmod(0o777)
    env = environment()
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    done = subprocess.run(
        [sys.executable, "-m", "baseline", "assess", str(repo), "--out", str(tmp_path / "out"),
         "--cache", str(cache), "--format", "json", "--fail-on", "none", "--quiet"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert REFUSED in done.stderr
    assert not cache.exists()


def _new_repo(folder: Path) -> Path:
    repo = folder / "repo"
    repo.mkdir()
    (repo / "app.py").write_text(APP, encoding="utf-8")
    return repo


def _edited_row(factory: pytest.TempPathFactory) -> Row:
    folder = factory.mktemp("cache-edited")
    repo, cache = _new_repo(folder), folder / "cache" / "cache.sqlite3"
    assert _failing(_bandit(repo, cache))
    _empty_every_finding_list(cache)
    evidence = _bandit(repo, cache)
    assert _failing(evidence), evidence.summary
    return Row(
        SECTION,
        "cache-edited-entry",
        "cached per-file results and the stored evidence edited (SQL UPDATE) to an empty finding "
        "list and `pass`",
        f"HMAC mismatch, a miss: rescanned, sast.bandit still `{evidence.outcome.value}` with "
        f"{FINDING}",
    )


_SPOILS = {
    "cache-group-writable": ("the cache file chmod 0666", _group_writable_file),
    "cache-world-writable-folder": ("the cache folder chmod 0777", _world_writable_folder),
    "cache-other-owner": ("the cache file chowned to another uid", _another_owner),
    "cache-symlinked-file": ("the cache file a symlink", _symlinked_file),
    "cache-symlinked-folder": ("the cache folder a symlink", _symlinked_folder),
}


def _refused_row(case: str, factory: pytest.TempPathFactory) -> Row:
    what, spoil = _SPOILS[case]
    folder = factory.mktemp(case)
    repo, cache = _new_repo(folder), folder / "cache" / "cache.sqlite3"
    assert _failing(_bandit(repo, cache))
    spoil(cache)
    drain_notes()
    assert _failing(_bandit(repo, cache))
    said = [n for n in drain_notes() if REFUSED in n]
    assert said
    return Row(SECTION, case, what, f"not used: `{said[0].replace(str(folder), '...')}`")


def all_rows(factory: pytest.TempPathFactory, obs: Observations) -> list[Row]:
    """The rows of this file (for the docs table)."""
    rows = [obs.get(SECTION, "cache-edited-entry", lambda: _edited_row(factory))]
    rows += [obs.get(SECTION, c, lambda c=c: _refused_row(c, factory)) for c in _SPOILS]
    return rows


@pytest.mark.slow
def test_cache_rows(tmp_path_factory: pytest.TempPathFactory, observations: Observations) -> None:
    all_rows(tmp_path_factory, observations)
