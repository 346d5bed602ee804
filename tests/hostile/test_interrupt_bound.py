"""Ctrl-C at any moment of a run's start-up ends it within a bound, and no scanner outlives it.

The fake bandit, semgrep and zizmor hang once started (as a real scan of a large repository
would), and they run in sessions of their own, where the terminal's Ctrl-C does not reach them:
only `baseline` can stop them. A scanner started but not yet registered for stopping, or
started after the stop, would keep running after `baseline` has gone, or keep it waiting.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from baseline.catalog.loader import load_catalog
from baseline.context import RunOptions
from baseline.engine import assess as engine_assess
from baseline.errors import ToolError
from baseline.toolrun import run_tool, stop_running_tools

from .faketools import install_fake_tool
from .harness import TINY_CATALOG, catalog_toml, control_toml, environment

SCANNERS = ("bandit", "semgrep", "zizmor")
CHECKS = ("sast.bandit", "sast.semgrep", "ci.workflows_pass_zizmor")
TRIES = 25
BOUND = 5.0  # seconds from the signal to the end of the run
AIM = 0.08  # seconds after the first scanner call over which the signals are spread


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    repo = tmp_path / "repo"
    (repo / "src").mkdir(parents=True)
    (repo / "src" / "app.py").write_text("import os\n\nos.system(input())\n")
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "ci.yml").write_text(
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n"
    )
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    controls = [
        control_toml(f"PO.1.{n}", "Scan", "Scanned.", "Scan it.", check)
        for n, check in enumerate(CHECKS, 1)
    ]
    catalog = tmp_path / "scanners.toml"
    catalog.write_text(catalog_toml("scanners", "Scanners", "Scan", *controls))
    for name in SCANNERS:
        install_fake_tool(tmp_path / "bin", name, "hang", good_version="1.200.0")
    return repo, catalog


def _alive(pid: int) -> bool:
    """The process still runs (a zombie waiting for its parent to reap it has ended)."""
    try:
        os.kill(pid, 0)
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (ProcessLookupError, FileNotFoundError):
        return False
    return state not in ("Z", "X")


def _try(tmp_path: Path, repo: Path, catalog: Path, attempt: int) -> tuple[float, Path]:
    """One run, interrupted `attempt`-th of the way through the scanners' start; returns the
    seconds the run took after the signal and the file its scanners wrote their pids to."""
    marker, pids = tmp_path / f"started-{attempt}", tmp_path / f"pids-{attempt}"
    env = environment(tmp_path / "bin", FAKE_TOOL_STARTED=str(marker), FAKE_TOOL_PIDS=str(pids),
                      XDG_CACHE_HOME=str(tmp_path / "cache"))  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "baseline", "assess", str(repo), "--out",
         str(tmp_path / f"out-{attempt}"), "--catalog", str(catalog), "--format", "json",
         "--quiet", "--jobs", "3"],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert time.monotonic() < deadline and process.poll() is None, (
                process.stderr.read() if process.stderr and process.poll() is not None else "",
                "no scanner was ever started",
            )  # fmt: skip
            time.sleep(0.001)
        # Spread over the moments the scanners are asked their versions and started.
        time.sleep(AIM * attempt / (TRIES - 1))
        process.send_signal(signal.SIGINT)
        sent = time.monotonic()
        try:
            code = process.wait(timeout=BOUND)
        except subprocess.TimeoutExpired:
            code = None
        took = time.monotonic() - sent
        assert code in (130, None), (code, process.stderr.read() if process.stderr else "")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return took, pids


def _left_alive(pid_files: list[Path]) -> list[int]:
    """The scanners of these runs still alive, killed now so that none outlives the test."""
    time.sleep(0.3)  # a scanner started just before its run ended has written its pid by now
    started = [int(pid) for path in pid_files if path.exists() for pid in path.read_text().split()]
    left = [pid for pid in started if _alive(pid)]
    for pid in left:  # each leads a process group of its own (its own session)
        os.killpg(pid, signal.SIGKILL)
    return left


@pytest.mark.timeout(120)
def test_sigint_at_any_moment_ends_the_run_and_every_scanner_within_the_bound(
    tmp_path: Path,
) -> None:
    repo, catalog = _setup(tmp_path)
    # A few runs at once: the tries take seconds each, mostly the interpreter starting.
    with ThreadPoolExecutor(max_workers=3) as pool:
        tries = list(pool.map(lambda n: _try(tmp_path, repo, catalog, n), range(TRIES)))
    slow = [f"try {n}: {took:.1f} s" for n, (took, _) in enumerate(tries) if took >= BOUND]
    left = _left_alive([pids for _, pids in tries])
    assert not slow, f"runs went on {BOUND} s after SIGINT: {slow}"
    assert not left, f"scanners left running after the runs ended: {left} ({TRIES} tries)"


def test_no_tool_starts_after_the_stop_until_a_new_assessment(tmp_path: Path) -> None:
    stop_running_tools()
    with pytest.raises(ToolError, match="not started: the run is being stopped"):
        run_tool("git", ["--version"], cwd=tmp_path, timeout=60)
    (tmp_path / "catalog.toml").write_text(TINY_CATALOG)
    (tmp_path / "repo").mkdir()
    engine_assess(tmp_path / "repo", load_catalog(tmp_path / "catalog.toml"), RunOptions(jobs=1),
                  quiet=True)  # fmt: skip
    assert run_tool("git", ["--version"], cwd=tmp_path, timeout=60).run.exit_code == 0
