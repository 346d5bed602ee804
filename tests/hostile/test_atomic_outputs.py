"""Interrupted runs (SIGINT, SIGTERM) never leave a truncated report or a temporary file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from baseline.catalog.loader import load_catalog
from baseline.context import RunOptions
from baseline.engine import assess as engine_assess
from baseline.report import write as report_write
from baseline.report.registry import FORMATS

from .faketools import install_fake_tool
from .harness import EPOCH, Run, check_reports, environment, tool_free_catalog

ARTIFACTS = 2500


def _large_repo(root: Path) -> None:
    # Thousands of findings make assessment.json (and every other report) several megabytes.
    for folder in range(ARTIFACTS // 100):
        (root / f"pkg{folder}").mkdir(parents=True)
        for n in range(100):
            (root / f"pkg{folder}" / f"artifact_{n}_{'x' * 60}.exe").write_bytes(b"MZ")


def _start(target: Path, out: Path, epoch: int, env: dict[str, str] | None = None,
           quiet: bool = True) -> subprocess.Popen[bytes]:  # fmt: skip
    env = env or environment()
    env["SOURCE_DATE_EPOCH"] = str(epoch)
    catalog = tool_free_catalog(out.parent)
    return subprocess.Popen(
        [sys.executable, "-m", "baseline", "assess", str(target), "--out", str(out),
         "--catalog", str(catalog), "--format", "all", *(["--quiet"] if quiet else [])],
        cwd=out.parent, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def _complete_versions(out: Path, epochs: set[int]) -> None:
    """Every report parses, and assessment.json is the whole record of one of the runs."""
    check_reports(Run(0, "", "", out, out))
    record = json.loads((out / "assessment.json").read_text(encoding="utf-8"))
    stamp = record["generated_at"]
    assert any(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(e)) == stamp for e in epochs)
    assert len(record["results"]) == len(load_catalog("ssdf-1.1").controls)
    assert record["catalog"]["id"] == "tool-free"


@pytest.mark.slow
def test_interrupted_runs_leave_the_previous_reports_or_complete_ones(
    tmp_path: Path, validator: Any
) -> None:
    target, out = tmp_path / "repo", tmp_path / "out"
    _large_repo(target)
    first_epoch = int(EPOCH)
    for _ in range(2):  # the second run is timed: the first may be compiling bytecode
        started = time.monotonic()
        first = _start(target, out, first_epoch)
        assert first.wait(timeout=300) == 1, first.stderr.read() if first.stderr else ""
        duration = time.monotonic() - started  # used only to spread the signals over a run
    validator.validate(json.loads((out / "assessment.json").read_text(encoding="utf-8")))
    epochs = {first_epoch}
    codes = []
    for attempt in range(10):
        epoch = first_epoch + 86400 * (attempt + 1)
        process = _start(target, out, epoch)
        time.sleep(duration * (0.2 + attempt * 0.09))
        process.send_signal(signal.SIGTERM if attempt % 2 else signal.SIGINT)
        code = process.wait(timeout=300)
        # The signal may arrive before, during or after the reports are written: each file is
        # then a previous run's or this run's, and complete either way.
        epochs.add(epoch)
        codes.append(code)
        # Before the interpreter has started our main(), Python's own default handling applies.
        assert code in (0, 1, 130, 143, -signal.SIGINT, -signal.SIGTERM), (
            code, process.stderr.read()[-2000:] if process.stderr else b"",
        )  # fmt: skip
        _complete_versions(out, epochs)
    assert {130, 143} & set(codes), f"no signal arrived during a run: {codes}"


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_run_and_the_tool_it_waits_for(
    tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    target, out = tmp_path / "repo", tmp_path / "out"
    (target / "src").mkdir(parents=True)
    (target / "src" / "app.py").write_text("x = 1\n")
    subprocess.run(["git", "init", "-q", str(target)], check=True)  # git runs only in a repo
    # A git that hangs holds the run in a known place: the signal arrives while it waits.
    fake = install_fake_tool(tmp_path / "bin", "git", "hang")
    pid_file = tmp_path / "git.pid"
    env = environment(fake.parent, FAKE_TOOL_STARTED=str(pid_file))
    process = _start(target, out, int(EPOCH), env=env, quiet=False)
    deadline = time.monotonic() + 60
    while not pid_file.exists() or not pid_file.read_text().strip():
        assert time.monotonic() < deadline and process.poll() is None, "the fake git never ran"
        time.sleep(0.05)
    process.send_signal(sig)
    assert process.wait(timeout=20) == code
    assert process.stderr is not None and b"baseline: interrupted" in process.stderr.read()
    assert not out.exists() or not list(out.iterdir())
    assert _gone(int(pid_file.read_text()))


def _gone(pid: int) -> bool:
    """The process has ended (a zombie not yet reaped by init counts as ended)."""
    for _ in range(100):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("when", ["aside", "in"])
def test_an_interrupted_swap_leaves_the_previous_reports_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    catalog = load_catalog("ssdf-1.1")
    target = tmp_path / "repo"
    target.mkdir()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    old = engine_assess(target, catalog, RunOptions(jobs=1), display="t", quiet=True)
    out = tmp_path / "out"
    report_write.write_reports(old, list(FORMATS), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH) + 86400))
    new = engine_assess(target, catalog, RunOptions(jobs=1), display="t", quiet=True)
    real_rename, signals = os.rename, []

    def interrupted_rename(src: Any, dst: Any, **fds: Any) -> None:
        # The signal arrives (once) as the old folder goes aside, or as the new one comes in.
        if not signals and ((when == "aside" and src == "out") or (when == "in" and dst == "out")):
            signals.append(src)
            raise KeyboardInterrupt
        real_rename(src, dst, **fds)

    monkeypatch.setattr(os, "rename", interrupted_rename)
    with pytest.raises(KeyboardInterrupt):
        report_write.write_reports(new, list(FORMATS), out)
    monkeypatch.setattr(os, "rename", real_rename)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "repo"], "a temporary was left"
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before, "not the previous run"


def test_an_interrupted_engine_kills_the_tools_it_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from baseline.checks import registry
    from baseline.checks.interface import Check
    from baseline.toolrun import run_tool

    fake = install_fake_tool(tmp_path / "bin", "slowtool", "hang")
    pid_file = tmp_path / "slowtool.pid"
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_TOOL_STARTED", str(pid_file))

    def slow(ctx: Any, params: Any) -> Any:
        run_tool("slowtool", ["scan"], cwd=ctx.root, timeout=120)
        raise AssertionError("the tool should have been stopped")

    check = Check(id="repo.has_license", question="?", run=slow, tools=("slowtool",))
    monkeypatch.setitem(registry.CHECKS, "repo.has_license", check)  # type: ignore[index]

    def interrupt_when_started() -> None:  # Ctrl-C, as the terminal would send it
        while not pid_file.exists() or not pid_file.read_text().strip():
            time.sleep(0.02)
        os.kill(os.getpid(), signal.SIGINT)

    watcher = threading.Thread(target=interrupt_when_started, daemon=True)
    watcher.start()
    (tmp_path / "repo").mkdir()
    with pytest.raises(KeyboardInterrupt):
        engine_assess(tmp_path / "repo", load_catalog("ssdf-1.1"), RunOptions(jobs=2), quiet=True)
    assert _gone(int(pid_file.read_text()))
