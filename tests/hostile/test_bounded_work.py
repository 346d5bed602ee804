"""Bounded work: no input from the repository, its config or a bundle makes a run hang, eat
gigabytes or ignore an interrupt (issue 13, case 6, and the non-regular files of case 7).

Each run is a subprocess with a deadline and an address-space limit, so that what took
minutes and gigabytes before shows as a timeout or a MemoryError here, within seconds.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .harness import TINY_CATALOG, environment

DEADLINE = 20
MEMORY = 2 * 1024**3
DOUBLING = "**/" * 22 + "**"  # translated, on main, into a regex of 2**22 alternatives

BANDIT_CATALOG = TINY_CATALOG.replace('id = "repo.has_license"', 'id = "sast.bandit"').replace(
    'id = "tiny"', 'id = "bandit-only"'
)


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _baseline(*args: str, cwd: Path, timeout: float = DEADLINE) -> subprocess.CompletedProcess[str]:
    """`python -m baseline ARGS` with a fresh cache, a deadline and a memory limit."""
    env = environment(Path(sys.executable).parent, XDG_CACHE_HOME=str(cwd / "xdg-cache"))
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "baseline", *args], cwd=cwd, env=env, capture_output=True,
            text=True, errors="replace", timeout=timeout, preexec_fn=_limited, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail(f"`baseline {' '.join(args)[:80]}` still ran after {timeout} s")
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert time.monotonic() - started < timeout
    return done


def _repo(tmp_path: Path, config: str | None = None) -> Path:
    repo = tmp_path / "repo"
    (repo / "src").mkdir(parents=True)
    (repo / "src" / "app.py").write_text("import os\nos.system(input())\n")
    if config is not None:
        (repo / ".baseline.toml").write_text(config)
    return repo


def _assess(
    tmp_path: Path, repo: Path, *args: str, catalog: str = TINY_CATALOG
) -> subprocess.CompletedProcess[str]:  # noqa: E501
    (tmp_path / "catalog.toml").write_text(catalog)
    return _baseline("assess", str(repo), "--out", str(tmp_path / "out"), "--format", "json",
                     "--quiet", "--catalog", str(tmp_path / "catalog.toml"), *args,
                     cwd=tmp_path)  # fmt: skip


def _evidence(tmp_path: Path, check: str) -> dict[str, object]:
    record = json.loads((tmp_path / "out" / "assessment.json").read_text("utf-8"))
    for result in record["results"]:
        for item in result["evidence"]:
            if item["check"] == check:
                return dict(item)
    raise AssertionError(f"no evidence of {check}")


# --- patterns ----------------------------------------------------------------------------------


@pytest.mark.parametrize("param", ["exclude", "test_paths"])
def test_a_doubling_glob_in_check_params_is_matched_in_seconds(tmp_path: Path, param: str) -> None:
    config = (f'[[params]]\ncontrol = "PO.1.1"\ncheck = "sast.bandit"\n'
              f"params = {{ {param} = [{json.dumps(DOUBLING)}] }}\n")  # fmt: skip
    repo = _repo(tmp_path, config)
    done = _assess(tmp_path, repo, catalog=BANDIT_CATALOG)
    assert done.returncode in (0, 1), done.stderr
    evidence = _evidence(tmp_path, "sast.bandit")
    assert evidence["outcome"] != "error", evidence["summary"]


@pytest.mark.parametrize("where", ["config", "command line"])
def test_exclude_lists_past_the_limits_are_located_errors(tmp_path: Path, where: str) -> None:
    too_long = "a" * 1001
    if where == "config":
        repo = _repo(tmp_path, f"excludes = [{json.dumps(too_long)}]\n")
        done = _assess(tmp_path, repo)
        assert done.returncode == 2, done.stderr
        assert ".baseline.toml:1: excludes:" in done.stderr, done.stderr
    else:
        repo = _repo(tmp_path)
        done = _assess(tmp_path, repo, *[f"--exclude=p{n}" for n in range(1001)])
        assert done.returncode == 2, done.stderr
        assert "--exclude" in done.stderr and "at most 1000" in done.stderr, done.stderr
    assert not (tmp_path / "out").exists()


# --- files that are not regular files ----------------------------------------------------------


def test_a_fifo_named_pyproject_toml_is_not_opened(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    os.mkfifo(repo / "pyproject.toml")
    done = _assess(tmp_path, repo)
    assert done.returncode in (0, 1), done.stderr


@pytest.mark.parametrize(("kind", "words"), [("fifo", "named pipe"), ("folder", "directory")])
def test_a_non_regular_baseline_toml_is_a_located_error(
    tmp_path: Path, kind: str, words: str
) -> None:
    repo = _repo(tmp_path)
    if kind == "fifo":
        os.mkfifo(repo / ".baseline.toml")
    else:
        (repo / ".baseline.toml").mkdir()
    done = _assess(tmp_path, repo)
    assert done.returncode == 2, done.stderr
    assert ".baseline.toml" in done.stderr and words in done.stderr, done.stderr


def test_a_folder_named_pyproject_toml_is_no_error(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / "pyproject.toml").mkdir()
    (repo / "pyproject.toml" / "x").write_text("[tool.baseline]\n")
    done = _assess(tmp_path, repo)
    assert done.returncode in (0, 1), done.stderr


@pytest.mark.parametrize(("kind", "words"), [("fifo", "named pipe"), ("folder", "directory")])
def test_non_regular_attestation_evidence_is_a_located_error(
    tmp_path: Path, kind: str, words: str
) -> None:
    config = ('[[attestations]]\ncontrol = "PO.1.1"\nstatement = "Done."\nby = "Sec"\n'
              'date = 2026-01-01\nevidence = [{ path = "docs/evidence.txt", sha256 = "'
              + "0" * 64 + '" }]\n')  # fmt: skip
    repo = _repo(tmp_path, config)
    (repo / "docs").mkdir()
    if kind == "fifo":
        os.mkfifo(repo / "docs" / "evidence.txt")
    else:
        (repo / "docs" / "evidence.txt").mkdir()
    done = _assess(tmp_path, repo)
    assert done.returncode == 2, done.stderr
    assert "attestations[0].evidence[0].path" in done.stderr and words in done.stderr, done.stderr


@pytest.mark.parametrize(("kind", "words"), [("fifo", "named pipe"), ("folder", "directory")])
def test_a_non_regular_bundle_entry_fails_verification_with_its_name(
    tmp_path: Path, kind: str, words: str
) -> None:
    repo = _repo(tmp_path)
    (tmp_path / "catalog.toml").write_text(TINY_CATALOG)
    bundle = tmp_path / "bundle"
    made = _baseline("assess", str(repo), "--out", str(tmp_path / "out"), "--quiet",
                     "--catalog", str(tmp_path / "catalog.toml"), "--bundle", str(bundle),
                     cwd=tmp_path)  # fmt: skip
    assert made.returncode in (0, 1), made.stderr
    listed = sorted(json.loads((bundle / "manifest.json").read_text("utf-8"))["files"])
    victim = bundle / next(name for name in listed if name.endswith(".json"))
    victim.unlink()
    if kind == "fifo":
        os.mkfifo(victim)
    else:
        victim.mkdir()
    done = _baseline("verify", str(bundle), cwd=tmp_path)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert (
        f"{victim.relative_to(bundle).as_posix()}: is {'a ' if kind == 'folder' else ''}"
        in done.stdout
        and words in done.stdout
    ), done.stdout


# --- size ----------------------------------------------------------------------------------------


def test_a_sparse_2_gb_python_file_is_counted_not_scanned(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    with open(repo / "src" / "huge.py", "wb") as handle:
        handle.truncate(2 * 1024**3)  # 2 GiB that take no disk space
    done = _assess(tmp_path, repo, catalog=BANDIT_CATALOG)
    assert done.returncode in (0, 1), done.stderr
    evidence = _evidence(tmp_path, "sast.bandit")
    assert evidence["outcome"] == "fail"  # the small file's finding is still reported
    assert "1 file over 5 MiB was not analyzed: src/huge.py (2 GiB)" in str(evidence["summary"])
    kinds = {(s["kind"], s["path"]) for s in evidence["suppressions"]}  # type: ignore[attr-defined]
    assert ("size-limit", "src/huge.py") in kinds


def test_an_oversized_file_alone_makes_the_scan_need_review(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    with open(repo / "huge.py", "wb") as handle:
        handle.truncate(2 * 1024**3)
    done = _assess(tmp_path, repo, catalog=BANDIT_CATALOG)
    assert done.returncode in (0, 1), done.stderr
    evidence = _evidence(tmp_path, "sast.bandit")
    assert evidence["outcome"] == "needs_review", evidence["summary"]
    assert "huge.py (2 GiB)" in str(evidence["summary"])


# --- interrupts ----------------------------------------------------------------------------------

_STUCK_RUN = """
import dataclasses, sys, time
from pathlib import Path
from baseline.checks.registry import CHECKS

def spin(ctx, params):
    Path(sys.argv[1]).write_text("started")
    while True:  # CPU-bound, like a pathological regex compile: no exception reaches it
        pass

CHECKS["repo.has_license"] = dataclasses.replace(CHECKS["repo.has_license"], run=spin)
from baseline.cli import main
raise SystemExit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_ends_a_run_whose_check_is_stuck(
    tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    repo = _repo(tmp_path)
    (tmp_path / "catalog.toml").write_text(TINY_CATALOG)
    started = tmp_path / "started"
    process = subprocess.Popen(
        [sys.executable, "-c", _STUCK_RUN, str(started), "assess", str(repo), "--out",
         str(tmp_path / "out"), "--catalog", str(tmp_path / "catalog.toml"), "--quiet"],
        cwd=tmp_path, env=environment(XDG_CACHE_HOME=str(tmp_path / "xdg-cache")),
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + DEADLINE
        while not started.exists():
            assert time.monotonic() < deadline and process.poll() is None, "the check never ran"
            time.sleep(0.05)
        process.send_signal(sig)
        sent = time.monotonic()
        try:
            assert process.wait(timeout=10) == code
        except subprocess.TimeoutExpired:
            pytest.fail("the run still went on 10 s after the signal")
        assert time.monotonic() - sent < 5
        assert process.stderr is not None and "baseline: interrupted" in process.stderr.read()
        assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
