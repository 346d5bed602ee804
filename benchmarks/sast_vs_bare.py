"""Compare `baseline assess` with bare bandit and bare semgrep on one repository.

Usage: python benchmarks/sast_vs_bare.py PATH_TO_REPOSITORY

Prints files scanned, findings by severity and wall time for: our sast.bandit and sast.semgrep
evidence (default parameters), bare `bandit -r` (every file, tests included), bare bandit on
exactly the files our check scans, and bare `semgrep scan --config controls/rules` with
semgrep's own default file selection. Timings vary by machine; findings do not.
"""

from __future__ import annotations

import collections
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from baseline.report.json_record import expanded

ROOT = Path(__file__).resolve().parent.parent
QUIET = ["--metrics=off", "--disable-version-check"]


def timed(argv: list[str], cwd: Path) -> tuple[float, bytes]:
    """Wall time and stdout of one command (argv list, never a shell)."""
    started = time.monotonic()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, check=False)  # noqa: S603
    return time.monotonic() - started, done.stdout


def by_severity(values: list[str]) -> str:
    """`high 1, medium 2` in a fixed order."""
    semgrep = {"error": "high", "warning": "medium", "info": "low"}
    counts = collections.Counter(semgrep.get(v.lower(), v.lower()) for v in values)
    return ", ".join(f"{k} {counts[k]}" for k in ("high", "medium", "low", "info") if counts[k])


def ours(repo: Path) -> dict[str, Any]:
    """Our run: total time and the default-parameter evidence of each SAST check."""
    with tempfile.TemporaryDirectory() as out:
        seconds, _ = timed(
            [sys.executable, "-m", "baseline", "assess", str(repo), "--out", out, "--quiet"], ROOT
        )
        record = expanded(json.loads((Path(out) / "assessment.json").read_text("utf-8")))
    found: dict[str, Any] = {"seconds": seconds}
    for result in record["results"]:
        for item in result["evidence"]:
            if item["check"].startswith("sast.") and not item["params"].get("rules"):
                found.setdefault(item["check"], item)
    return found


def main(repo: Path) -> None:
    """Print the comparison table."""
    mine = ours(repo)
    print(f"baseline assess (whole catalog): {mine['seconds']:.1f} s")
    for check in ("sast.bandit", "sast.semgrep"):
        item = mine[check]
        severities = by_severity([f["severity"] for f in item["findings"]])
        print(f"  {check}: {item['summary'][:90]}... findings: {severities or 'none'}")
    seconds, out = timed(["bandit", "-r", "-f", "json", "-q", "."], repo)
    results = json.loads(out)["results"]
    print(
        f"bare bandit -r .: {len(json.loads(out)['metrics']) - 1} files, {len(results)} findings "
        f"({by_severity([r['issue_severity'] for r in results])}), {seconds:.1f} s"
    )
    targets = list(mine["sast.bandit"]["tool_runs"][0]["command"])
    targets = targets[targets.index("--") + 1 :]
    seconds, out = timed(["bandit", "-f", "json", "-q", "--", *targets], repo)
    results = json.loads(out)["results"]
    print(
        f"bare bandit on our {len(targets)} files: {len(results)} findings "
        f"({by_severity([r['issue_severity'] for r in results])}), {seconds:.1f} s"
    )
    rules = str(ROOT / "controls" / "rules")
    seconds, out = timed(["semgrep", "scan", "--config", rules, "--json", *QUIET], repo)
    document = json.loads(out)
    severities = by_severity([r["extra"]["severity"] for r in document["results"]])
    print(
        f"bare semgrep (its default file selection): {len(document['paths']['scanned'])} "
        f"files, {len(document['results'])} findings ({severities}), {seconds:.1f} s"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve())
