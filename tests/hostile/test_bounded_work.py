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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from baseline.report.json_record import expanded

from .doc_table import Observations, Row
from .harness import TINY_CATALOG, environment

SECTION = "Bounded work"

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
    record = expanded(json.loads((tmp_path / "out" / "assessment.json").read_text("utf-8")))
    for result in record["results"]:
        for item in result["evidence"]:
            if item["check"] == check:
                return dict(item)
    raise AssertionError(f"no evidence of {check}")


# --- patterns ----------------------------------------------------------------------------------


def _doubling_glob(param: str) -> Callable[[Path], str]:
    def run(tmp_path: Path) -> str:
        config = (f'[[params]]\ncontrol = "PO.1.1"\ncheck = "sast.bandit"\n'
                  f"params = {{ {param} = [{json.dumps(DOUBLING)}] }}\n")  # fmt: skip
        repo = _repo(tmp_path, config)
        done = _assess(tmp_path, repo, catalog=BANDIT_CATALOG)
        assert done.returncode in (0, 1), done.stderr
        evidence = _evidence(tmp_path, "sast.bandit")
        assert evidence["outcome"] != "error", evidence["summary"]
        return f"exit {done.returncode} within seconds; sast.bandit `{evidence['outcome']}`"

    return run


def _long_exclude_in_config(tmp_path: Path) -> str:
    repo = _repo(tmp_path, f"excludes = [{json.dumps('a' * 1001)}]\n")
    done = _assess(tmp_path, repo)
    assert done.returncode == 2, done.stderr
    line = next(ln for ln in done.stderr.splitlines() if ".baseline.toml:1: excludes:" in ln)
    assert not (tmp_path / "out").exists()
    return f"exit 2: `{line.strip().replace(str(repo) + '/', '')}`"


def _many_excludes(tmp_path: Path) -> str:
    repo = _repo(tmp_path)
    done = _assess(tmp_path, repo, *[f"--exclude=p{n}" for n in range(1001)])
    assert done.returncode == 2, done.stderr
    line = next(ln for ln in done.stderr.splitlines() if "--exclude" in ln)
    assert "at most 1000" in line, done.stderr
    assert not (tmp_path / "out").exists()
    return f"exit 2: `{line.strip()}`"


# --- files that are not regular files ----------------------------------------------------------


def _make(path: Path, kind: str) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.mkdir()
        (path / "x").write_text("[tool.baseline]\n")


def _pyproject(kind: str) -> Callable[[Path], str]:
    def run(tmp_path: Path) -> str:
        repo = _repo(tmp_path)
        _make(repo / "pyproject.toml", kind)
        done = _assess(tmp_path, repo)
        assert done.returncode in (0, 1), done.stderr
        return f"exit {done.returncode}: not a config file, not opened"

    return run


def _refused_at(tmp_path: Path, repo: Path, where: str, words: str) -> str:
    """Assess `repo`: exit 2, and the first error line naming `where` says `words`."""
    done = _assess(tmp_path, repo)
    assert done.returncode == 2, done.stderr
    line = next(ln for ln in done.stderr.splitlines() if where in ln)
    assert words in line, done.stderr
    return f"exit 2: `{line.strip().replace(str(repo) + '/', '')}`"


def _dot_config(kind: str, words: str) -> Callable[[Path], str]:
    def run(tmp_path: Path) -> str:
        repo = _repo(tmp_path)
        _make(repo / ".baseline.toml", kind)
        return _refused_at(tmp_path, repo, ".baseline.toml", words)

    return run


def _evidence_file(kind: str, words: str) -> Callable[[Path], str]:
    def run(tmp_path: Path) -> str:
        config = ('[[attestations]]\ncontrol = "PO.1.1"\nstatement = "Done."\nby = "Sec"\n'
                  'date = 2026-01-01\nevidence = [{ path = "docs/evidence.txt", sha256 = "'
                  + "0" * 64 + '" }]\n')  # fmt: skip
        repo = _repo(tmp_path, config)
        (repo / "docs").mkdir()
        _make(repo / "docs" / "evidence.txt", kind)
        return _refused_at(tmp_path, repo, "evidence[0].path", words)

    return run


def _bundle_entry(kind: str, words: str) -> Callable[[Path], str]:
    def run(tmp_path: Path) -> str:
        repo = _repo(tmp_path)
        (tmp_path / "catalog.toml").write_text(TINY_CATALOG)
        bundle = tmp_path / "bundle"
        made = _baseline("assess", str(repo), "--out", str(tmp_path / "out"), "--quiet",
                         "--catalog", str(tmp_path / "catalog.toml"), "--bundle", str(bundle),
                         cwd=tmp_path)  # fmt: skip
        assert made.returncode in (0, 1), made.stderr
        listed = sorted(json.loads((bundle / "manifest.json").read_text("utf-8"))["files"])
        name = next(name for name in listed if name.endswith(".json"))
        (bundle / name).unlink()
        _make(bundle / name, kind)
        done = _baseline("verify", str(bundle), cwd=tmp_path)
        assert done.returncode == 1, (done.stdout, done.stderr)
        line = next(ln for ln in done.stdout.splitlines() if ln.startswith(f"FAIL {name}:"))
        assert words in line, done.stdout
        return f"exit 1: `{line.strip()}`"

    return run


# --- size ----------------------------------------------------------------------------------------


def _sparse_beside_code(tmp_path: Path) -> str:
    repo = _repo(tmp_path)
    with open(repo / "src" / "huge.py", "wb") as handle:
        handle.truncate(2 * 1024**3)  # 2 GiB that take no disk space
    done = _assess(tmp_path, repo, catalog=BANDIT_CATALOG)
    assert done.returncode in (0, 1), done.stderr
    evidence = _evidence(tmp_path, "sast.bandit")
    assert evidence["outcome"] == "fail"  # the small file's finding is still reported
    note = "1 file over 5 MiB was not analyzed: src/huge.py (2 GiB)"
    assert note in str(evidence["summary"]), evidence["summary"]
    kinds = {(s["kind"], s["path"]) for s in evidence["suppressions"]}  # type: ignore[attr-defined]
    assert ("size-limit", "src/huge.py") in kinds
    return f'sast.bandit `fail` on the small file; summary: "{note} ..."'


def _sparse_alone(tmp_path: Path) -> str:
    repo = tmp_path / "repo"
    repo.mkdir()
    with open(repo / "huge.py", "wb") as handle:
        handle.truncate(2 * 1024**3)
    done = _assess(tmp_path, repo, catalog=BANDIT_CATALOG)
    assert done.returncode in (0, 1), done.stderr
    evidence = _evidence(tmp_path, "sast.bandit")
    assert evidence["outcome"] == "needs_review", evidence["summary"]
    assert "huge.py (2 GiB)" in str(evidence["summary"])
    return "sast.bandit `needs_review` (never `pass`): the file is named with its size"


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


def _stuck(sig: signal.Signals, code: int) -> Callable[[Path], str]:
    def run(tmp_path: Path) -> str:
        _interrupt_stuck_check(tmp_path, sig, code)
        return f"exit {code} within 5 s, `baseline: interrupted`, no report written"

    return run


def _interrupt_stuck_check(tmp_path: Path, sig: signal.Signals, code: int) -> None:
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


@dataclass(frozen=True)
class Case:
    """One bounded-work input and how to run it (returns the observed behaviour)."""

    id: str
    input: str
    run: Callable[[Path], str]


CASES = (
    Case("doubling-exclude-param", "a check's `exclude` of `'**/' * 22 + '**'` (params override)",
         _doubling_glob("exclude")),
    Case("doubling-test-paths-param", "a check's `test_paths` of `'**/' * 22 + '**'`",
         _doubling_glob("test_paths")),
    Case("long-exclude", "`.baseline.toml` `excludes` holding a 1,001-character glob",
         _long_exclude_in_config),
    Case("many-excludes", "1,001 `--exclude` options", _many_excludes),
    Case("fifo-pyproject", "a FIFO named `pyproject.toml`", _pyproject("fifo")),
    Case("folder-pyproject", "a folder named `pyproject.toml`", _pyproject("folder")),
    Case("fifo-config", "a FIFO named `.baseline.toml`", _dot_config("fifo", "named pipe")),
    Case("folder-config", "a folder named `.baseline.toml`", _dot_config("folder", "directory")),
    Case("fifo-evidence", "a FIFO as attestation evidence", _evidence_file("fifo", "named pipe")),
    Case("folder-evidence", "a folder as attestation evidence",
         _evidence_file("folder", "directory")),
    Case("fifo-bundle-entry", "`baseline verify` of a bundle whose listed file is now a FIFO",
         _bundle_entry("fifo", "named pipe")),
    Case("folder-bundle-entry", "`baseline verify` of a bundle whose listed file is a folder",
         _bundle_entry("folder", "directory")),
    Case("sparse-2gb-py", "a 2 GB sparse `.py` beside a file with a finding", _sparse_beside_code),
    Case("sparse-2gb-py-alone", "a 2 GB sparse `.py`, the only Python file", _sparse_alone),
    Case("sigterm-stuck-check", "SIGTERM while a check spins in CPU-bound Python",
         _stuck(signal.SIGTERM, 143)),
    Case("sigint-stuck-check", "SIGINT while a check spins in CPU-bound Python",
         _stuck(signal.SIGINT, 130)),
)  # fmt: skip


def _row(case: Case, factory: pytest.TempPathFactory) -> Row:
    return Row(SECTION, case.id, case.input, case.run(factory.mktemp(case.id)))


def all_rows(factory: pytest.TempPathFactory, obs: Observations) -> list[Row]:
    """Every case's row (for the docs table)."""
    return [obs.get(SECTION, c.id, lambda c=c: _row(c, factory)) for c in CASES]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bounded_work(case: Case, tmp_path_factory, observations) -> None:
    observations.get(SECTION, case.id, lambda: _row(case, tmp_path_factory))
