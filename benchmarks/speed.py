"""Time `baseline assess` against the bare scanners on one repository, in one run.

Usage: python benchmarks/speed.py REPO [--jobs N] [--format all] [--rounds 1]

Works on a temporary copy of REPO (never modifies it). In order, on the same machine:

1. bare `bandit -r -f json -q .` then bare `semgrep scan --config controls/rules --json
   --metrics=off --disable-version-check .`, one after the other, as a user would run them;
2. `baseline assess` cold (a fresh cache file), warm (nothing changed), and after appending a
   line to one Python file; then a cold `--no-cache` run on the changed copy to compare with.

For each: wall time; CPU time (user + sys of every finished child process, from
`getrusage(RUSAGE_CHILDREN)` deltas); peak RSS of the whole process tree (the sum of the RSS of
the process and all its descendants, sampled every 10 ms with psutil: short peaks between
samples can be missed). Then the ratios to the bare tools, and whether the findings and
outcomes of every mode equal those of a cold run (assessment.json compared byte for byte for
cold vs warm; findings and outcomes for the changed copy vs a cold run of it).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from baseline.report.json_record import expanded

try:
    import psutil
except ImportError:  # pragma: no cover - a message, not a crash
    sys.exit("this benchmark needs psutil: pip install -e '.[bench]'")

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "controls" / "rules"


@dataclass(frozen=True)
class Measure:
    """One command's cost."""

    label: str
    wall: float
    cpu: float
    rss_mb: float


def _rss(process: psutil.Process) -> int:
    try:
        return int(process.memory_info().rss)
    except psutil.Error:  # it ended between listing and reading
        return 0


def _tree_rss(process: psutil.Process) -> int:
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    return sum(_rss(member) for member in members)


def measure(label: str, argv: list[str], cwd: Path, env: dict[str, str]) -> Measure:
    """Run argv (no shell) to completion; its wall time, children's CPU and tree peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    child = subprocess.Popen(  # noqa: S603 - argv list built by this script
        argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = 0
    done = threading.Event()
    watched = psutil.Process(child.pid)

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(watched))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = child.communicate()
    done.set()
    sampler.join()
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"  {label}: {wall:.2f} s", file=sys.stderr, flush=True)
    if child.returncode not in (0, 1):
        sys.exit(f"{label} exited {child.returncode}: {stderr.decode(errors='replace')[-800:]}")
    return Measure(label, wall, cpu, peak / 2**20)


def _facts(record: Path) -> list[Any]:
    """Every finding (check, rule, path, line, fingerprint) and every evidence outcome."""
    data = expanded(json.loads(record.read_text()))
    facts: set[tuple[Any, ...]] = set()
    for result in data["results"]:
        for evidence in result["evidence"]:
            facts.add(("outcome", result["control_id"], evidence["check"], evidence["outcome"]))
            facts.update(
                (evidence["check"], f["rule"], f["path"], f.get("line"), f["fingerprint"])
                for f in evidence.get("findings", [])
            )
    return sorted(facts, key=repr)


def _changed_file(copy: Path) -> Path:
    """A Python file both scanners read (not test code), the same one every time."""
    for path in sorted(copy.rglob("*.py")):
        rel = path.relative_to(copy).as_posix()
        if "test" not in rel and ".git/" not in rel and not path.is_symlink():
            return path
    sys.exit("the repository has no Python file to change")


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("--jobs", type=int, default=0, help="baseline --jobs (default: cores)")
    parser.add_argument("--format", default="all", help="baseline --format (default: all)")
    args = parser.parse_args()
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONPATH": str(ROOT)}
    env["SEMGREP_ENABLE_VERSION_CHECK"] = "0"
    with tempfile.TemporaryDirectory(prefix="baseline-speed-") as scratch:
        work = Path(scratch)
        copy = work / "repo"
        shutil.copytree(args.repo, copy, symlinks=True)
        runs = _run_all(copy, work, env, args)
    _print(runs, args)


def _assess(copy: Path, out: Path, cache: Path | None, args: argparse.Namespace) -> list[str]:
    argv = [sys.executable, "-m", "baseline", "assess", str(copy), "--out", str(out), "--quiet"]
    argv += ["--format", args.format, "--fail-on", "none"]
    argv += ["--cache", str(cache)] if cache else ["--no-cache"]
    return [*argv, "--jobs", str(args.jobs)] if args.jobs else argv


def _run_all(
    copy: Path, work: Path, env: dict[str, str], args: argparse.Namespace
) -> dict[str, Any]:
    bandit = measure("bare bandit", ["bandit", "-r", "-f", "json", "-q", "."], copy, env)
    semgrep_argv = ["semgrep", "scan", "--config", str(RULES), "--json", "--metrics=off"]
    semgrep = measure("bare semgrep", [*semgrep_argv, "--disable-version-check", "."], copy, env)
    cache = work / "cache.sqlite3"
    cold = measure("assess cold", _assess(copy, work / "cold", cache, args), ROOT, env)
    warm = measure("assess warm", _assess(copy, work / "warm", cache, args), ROOT, env)
    with _changed_file(copy).open("a") as handle:
        handle.write("\nBENCHMARK_EDIT = 1\n")
    edit = measure("assess 1 changed", _assess(copy, work / "edit", cache, args), ROOT, env)
    check = measure("assess cold, changed", _assess(copy, work / "check", None, args), ROOT, env)
    same_warm = (work / "cold/assessment.json").read_bytes() == (
        work / "warm/assessment.json"
    ).read_bytes()
    same_edit = _facts(work / "edit/assessment.json") == _facts(work / "check/assessment.json")
    return {
        "measures": [bandit, semgrep, cold, warm, edit, check],
        "warm identical": same_warm,
        "changed identical": same_edit,
        "findings": sum(1 for f in _facts(work / "cold/assessment.json") if f[0] != "outcome"),
    }


def _print(runs: dict[str, Any], args: argparse.Namespace) -> None:
    bandit, semgrep, cold, warm, edit, check = runs["measures"]
    bare_wall = bandit.wall + semgrep.wall
    bare_cpu = bandit.cpu + semgrep.cpu
    bare_rss = max(bandit.rss_mb, semgrep.rss_mb)
    print(f"cores: {os.cpu_count()}, jobs: {args.jobs or 'default'}, formats: {args.format}")
    print(f"{'mode':24} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'wall/bare':>10} {'rss/max':>8}")
    for m in runs["measures"]:
        ratio = f"{m.wall / bare_wall:.3f}" if m.label.startswith("assess") else ""
        rss = f"{m.rss_mb / bare_rss:.2f}" if m.label.startswith("assess") else ""
        print(f"{m.label:24} {m.wall:8.2f} {m.cpu:8.2f} {m.rss_mb:8.0f} {ratio:>10} {rss:>8}")
    print(f"{'bare tools, in sequence':24} {bare_wall:8.2f} {bare_cpu:8.2f} {bare_rss:8.0f}")
    print(f"findings (check, rule, path, line, fingerprint) in the cold run: {runs['findings']}")
    print(f"warm assessment.json byte-identical to cold: {runs['warm identical']}")
    print(f"one-file-changed findings and outcomes equal a cold run's: {runs['changed identical']}")
    del check


if __name__ == "__main__":
    main()
