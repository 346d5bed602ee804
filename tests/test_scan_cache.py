"""The incremental scan cache: warm and edited runs give exactly a cold run's record."""

from __future__ import annotations

import dataclasses
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import EXAMPLES, ROOT

from baseline.catalog.loader import load_catalog
from baseline.context import RunOptions
from baseline.engine import assess
from baseline.models import Catalog
from baseline.report.json_record import dumps, to_record
from baseline.scancache import ScanCache, drain_notes

pytestmark = pytest.mark.slow

SAST_CONTROLS = {"PS.1.1", "PW.5.1", "PW.7.2", "PW.9.1", "RV.1.2", "RV.3.3"}


def _catalog() -> Catalog:
    catalog = load_catalog("ssdf-1.1")
    controls = tuple(c for c in catalog.controls if c.id in SAST_CONTROLS)
    return dataclasses.replace(catalog, controls=controls)


def _record(target: Path, cache: Path | None) -> str:
    options = RunOptions(jobs=2, cache=cache)
    return dumps(to_record(assess(target, _catalog(), options, display="app", quiet=True)))


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("cache") / "app"
    shutil.copytree(EXAMPLES / "insecure-app", copy)
    return copy


@pytest.fixture(scope="module", autouse=True)
def _fixed_time() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:  # records of different runs compare equal
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        yield


@pytest.fixture(scope="module")
def cold(target: Path) -> str:
    return _record(target, None)


def test_warm_and_edited_runs_equal_cold_runs(target: Path, cold: str, tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite3"
    drain_notes()
    assert _record(target, cache) == cold  # filling the cache changes nothing
    assert "0 scanned" not in " ".join(drain_notes())
    assert _record(target, cache) == cold  # nothing changed: whole evidence reused
    notes = drain_notes()
    assert "sast.bandit: evidence reused (no file changed since it was recorded)" in notes
    assert not any("files from the cache" in n for n in notes)
    # A file no scanner reports on changes: the evidence is not reused, the files are.
    readme = target / "README.md"
    readme_text = readme.read_text()
    readme.write_text(readme_text + "\n")
    try:
        assert _record(target, cache) == cold
        notes = drain_notes()
        assert not any("evidence reused" in n for n in notes)
        assert any(n.startswith("bandit: 6 of 6 files from the cache, 0 scanned") for n in notes)
        assert any(n.startswith("semgrep: 12 of 13 files from the cache, 1 scanned") for n in notes)
    finally:
        readme.write_text(readme_text)
    # Edit one file: a new finding appears, an old one moves down; only that file is rescanned.
    db = target / "db.py"
    original = db.read_text()
    try:
        db.write_text("import telnetlib\n" + original)
        edited = _record(target, cache)
        notes = drain_notes()
        assert any(n.startswith("bandit: 5 of 6 files from the cache, 1 scanned") for n in notes)
        assert edited == _record(target, None) != cold
        assert '"B401"' in edited and '"B401"' not in cold
    finally:
        db.write_text(original)
    assert _record(target, cache) == cold  # the old content is still cached


def test_a_corrupt_cache_is_rebuilt(target: Path, cold: str, tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite3"
    cache.write_bytes(b"not a database at all " * 500)
    drain_notes()
    assert _record(target, cache) == cold
    assert any("rebuilding" in n for n in drain_notes())
    with sqlite3.connect(cache) as db:
        assert db.execute("SELECT count(*) FROM files").fetchone()[0] == 6 + 13
    assert _record(target, cache) == cold


def test_a_garbled_row_is_a_miss(tmp_path: Path) -> None:
    cache = ScanCache(tmp_path / "c.sqlite3")
    cache.store("scan", [("a.py", "sha-a", {"results": [1]}), ("b.py", "sha-b", {})])
    with sqlite3.connect(tmp_path / "c.sqlite3") as db:
        db.execute("UPDATE files SET payload = '{not json' WHERE path = 'a.py'")
    wanted = {"a.py": "sha-a", "b.py": "sha-b"}
    assert cache.lookup("scan", wanted) == {"b.py": {}}
    assert cache.lookup("scan", {"b.py": "changed"}) == {}  # another content: a miss
    assert cache.lookup("other scan", wanted) == {}
    cache.close()


_WRITER = """
import sys
from collections.abc import Iterator
from pathlib import Path
from baseline.scancache import ScanCache, drain_notes
cache = ScanCache(Path(sys.argv[1]))
for batch in range(40):
    cache.store("k", [(f"{sys.argv[2]}{batch}-{i}.py", "s", {"n": i}) for i in range(50)])
assert not drain_notes(), drain_notes()
"""


def test_two_processes_write_at_once(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(path), name], env=env)
        for name in ("one", "two", "three")
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM files").fetchone()[0] == 3 * 40 * 50


def test_two_assessments_share_one_cache(target: Path, cold: str, tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1700000000"}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "baseline", "assess", str(target), "--out", str(tmp_path / n),
             "--cache", str(cache), "--format", "json", "--fail-on", "none", "--quiet"],
            env=env,
        )
        for n in ("a", "b")
    ]  # fmt: skip
    assert [r.wait(timeout=300) for r in runs] == [0, 0]
    first, second = ((tmp_path / n / "assessment.json").read_text() for n in ("a", "b"))
    assert first == second
    with sqlite3.connect(cache) as db:
        assert db.execute("SELECT count(*) FROM files").fetchone()[0] == 6 + 13
