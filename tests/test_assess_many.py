"""`baseline assess-many LIST`: many local repositories in parallel, then one portfolio."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import EXAMPLES, load_json

from baseline.many import safe_name, split_jobs


@pytest.mark.slow
def test_assesses_every_listed_repository_and_aggregates(
    run_cli, tmp_path: Path, assessment_validator
) -> None:
    shutil.copytree(EXAMPLES / "well-kept-app", tmp_path / "repos" / "kept")
    listing = tmp_path / "repos.txt"
    listing.write_text(
        f"# repositories to assess\n{EXAMPLES / 'insecure-app'}\n\n   repos/kept  \n"
    )
    out = tmp_path / "out"
    code, stdout, err = run_cli("assess-many", str(listing), "--out", str(out), "--jobs", "2")
    assert code == 1  # insecure-app does not meet the default policy
    # Progress on stderr, a line per finished repository (not a terminal: plain lines).
    done = sorted(line for line in err.splitlines() if line.startswith("repositories ["))
    assert len(done) == 2 and any("repos/kept: policy met" in line for line in done), err
    assert any("gate(s) not met" in line for line in done), err
    insecure = out / safe_name(str(EXAMPLES / "insecure-app")) / "assessment.json"
    kept = out / "repos_kept" / "assessment.json"
    records = [load_json(insecure), load_json(kept)]
    for record in records:
        assessment_validator.validate(record)
    assert records[1]["target"]["path"] == "repos/kept"  # as written in the list
    assert records[0]["summary"]["fail"] > 0 and records[1]["summary"]["fail"] == 0
    portfolio = load_json(out / "portfolio.json")
    assert portfolio["repositories_count"] == 2
    assert portfolio["repositories"][0]["target"].endswith("insecure-app")  # worst first
    assert "repos/kept: " in stdout and "-> policy met" in stdout and "1 not meeting" in stdout


def test_a_bad_line_is_located_before_any_work(run_cli, tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    listing = tmp_path / "list.txt"
    listing.write_text("one\n# fine\nmissing-repo\none\n")
    code, _, err = run_cli("assess-many", str(listing), "--out", str(tmp_path / "out"))
    assert code == 2
    assert f"{listing}:3: 'missing-repo' is not a directory" in err
    assert f"{listing}:4: 'one' is already listed on line 1" in err
    assert not (tmp_path / "out").exists()
    listing.write_text("# nothing\n")
    assert run_cli("assess-many", str(listing), "--out", str(tmp_path / "out"))[0] == 2


def test_job_split_and_safe_names() -> None:
    assert split_jobs(8, 3) == (3, 2)
    assert split_jobs(2, 10) == (2, 1)
    assert split_jobs(1, 1) == (1, 1)
    assert safe_name("../../etc") == "etc"
    assert safe_name("..") == "target"
    assert safe_name("org/my repo") == "org_my_repo"


@pytest.mark.slow
def test_the_scan_cache_is_shared_by_every_target(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    listing = tmp_path / "repos.txt"
    listing.write_text(f"{EXAMPLES / 'insecure-app'}\n{EXAMPLES / 'well-kept-app'}\n")
    cache = tmp_path / "cache.sqlite3"
    runs = []
    for n in range(2):
        out = tmp_path / f"out{n}"
        code, _, err = run_cli(
            "assess-many", str(listing), "--out", str(out), "--cache", str(cache)
        )
        records = sorted(p.read_bytes() for p in out.glob("*/assessment.json"))
        runs.append((code, err, records))
    assert cache.is_file() and runs[0][0] == runs[1][0] == 1
    assert "evidence reused" not in runs[0][1]
    assert runs[1][1].count("sast.bandit: evidence reused") >= 2  # both targets
    assert runs[0][2] == runs[1][2] and len(runs[0][2]) == 2
