"""Compare `baseline assess` with a truth table written by hand from real repositories' files.

The table is `benchmarks/truth/*.toml`, one file per repository: its URL, the pinned commit,
and per check the outcome an assessor would sign (pass, fail, needs_review, not_applicable)
with the file and line that prove it. The repositories' code is never kept here: clone them
once (see benchmarks/README.md, "Truth table") and name the folder holding the clones.

    python benchmarks/truth.py --repos /work/repos            # run every repository
    python benchmarks/truth.py --repos /work/repos --results /tmp/runs   # reuse/keep records

Prints, per check, how many verdicts agree, the false passes (the tool says pass, the truth is
not pass) and the false fails (the tool says fail, the truth is pass or needs_review), then the
totals, every disagreement, and per repository its task statuses and the default gate. Exits 1
when there is any false pass, 2 on a set-up problem.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from baseline import tomlcompat
from baseline.checks.alternatives import ALTERNATIVES, deciding_outcome
from baseline.models import CheckOutcome
from baseline.report.json_record import task_evidence

HERE = Path(__file__).resolve().parent
TABLE = HERE / "truth"
OUTCOMES = ("pass", "fail", "needs_review", "not_applicable", "error")


@dataclass(frozen=True)
class Verdict:
    """One cell: what the tool said and what the truth is."""

    repo: str
    check: str
    tool: str
    truth: str
    why: str


def variant(check: str, params: Mapping[str, Any]) -> str:
    """The table's key of a check run: SAST checks differ by the rules they judge, the SBOM
    check by what no SBOM means (PW.4.1 judges one only where present), the CodeQL default
    setup check by whether it asks for a weekly schedule."""
    if check == "sbom.present_and_valid" and params.get("when_absent") == "not_applicable":
        return f"{check}:if-present"
    if check == "github.code_scanning_default_setup" and params.get("weekly"):
        return f"{check}:weekly"  # RV.1.2's, next to ci.scheduled_scans (PW.7.2's: the bare id)
    if not check.startswith("sast."):
        return check
    rules = list(params.get("rules") or [])
    if not rules:
        return check
    secrets = any(r.startswith("secrets.") for r in rules)
    return f"{check}:secrets" if secrets else f"{check}:settings"


def tool_outcomes(record: Mapping[str, Any]) -> dict[str, str]:
    """Outcome per table key from an assessment record (one check run: one outcome)."""
    found: dict[str, str] = {}
    for result in record["results"]:
        for evidence in task_evidence(record, result):
            found[variant(evidence["check"], evidence.get("params") or {})] = evidence["outcome"]
            for part in evidence.get("alternatives", ()):  # a check of alternatives ran these
                found[part["check"]] = part["outcome"]
    return found


def combined_truth(checks: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """Cells for the checks of alternatives, from the hand-judged cells of their parts (the
    same rule as baseline/checks/alternatives.py: any pass, else error, review, fail)."""
    cells: dict[str, dict[str, str]] = {}
    for check, parts in ALTERNATIVES.items():
        if not all(p in checks for p in parts):
            continue
        outcome = deciding_outcome([CheckOutcome(checks[p]["outcome"]) for p in parts]).value
        why = "; ".join(f"{p} {checks[p]['outcome']}: {checks[p]['why']}" for p in parts)
        cells[check] = {"outcome": outcome, "why": f"any of ({why})"}
    return cells


def load_table(folder: Path) -> list[dict[str, Any]]:
    """Every repository of the truth table, validated enough to compare with."""
    entries = []
    for path in sorted(folder.glob("*.toml")):
        data = tomlcompat.loads(path.read_text(encoding="utf-8"))
        repo = data["repository"]
        for key in ("name", "url", "commit"):
            if not isinstance(repo.get(key), str):
                raise SystemExit(f"{path}: [repository] needs `{key}`")
        for check, cell in data["checks"].items():
            if cell.get("outcome") not in OUTCOMES or not cell.get("why"):
                raise SystemExit(f"{path}: checks.{check}: needs `outcome` and `why`")
        data["checks"] = {**data["checks"], **combined_truth(data["checks"])}
        entries.append({"file": path.name, **data})
    return entries


def checkout(repos: Path, repo: Mapping[str, str]) -> Path:
    """The local clone at the pinned commit; instructions when it is missing or elsewhere."""
    name = repo["name"]
    folder = next(
        (p for p in (repos / name.replace("/", "+"), repos / name.split("/")[-1]) if p.is_dir()),
        None,
    )
    fix = (
        f"git clone {repo['url']} {repos / name.replace('/', '+')} && "
        f"git -C {repos / name.replace('/', '+')} checkout {repo['commit']}"
    )
    if folder is None:
        raise SystemExit(f"{name}: no clone under {repos}; run: {fix}")
    head = subprocess.run(  # noqa: S603 - argv list built by this script
        ["git", "-C", str(folder), "rev-parse", "HEAD"],  # noqa: S607 - git from PATH, as the tool
        capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    if head != repo["commit"]:
        raise SystemExit(
            f"{name}: {folder} is at {head or '?'}, not {repo['commit']}; run: "
            f"git -C {folder} checkout {repo['commit']}"
        )
    return folder


def assess(folder: Path, out: Path, extra: Sequence[str]) -> dict[str, Any]:
    """Run `baseline assess --no-cache --format json` (this interpreter's install)."""
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    command = [sys.executable, "-m", "baseline", "assess", str(folder), "--no-cache",
               "--format", "json", "--quiet", "--out", str(out), *extra]  # fmt: skip
    done = subprocess.run(  # noqa: S603 - argv list built by this script
        command, capture_output=True, text=True, env=env, check=False
    )
    record = out / "assessment.json"
    if done.returncode not in (0, 1) or not record.is_file():
        raise SystemExit(f"{folder}: baseline assess exited {done.returncode}: {done.stderr}")
    data: dict[str, Any] = json.loads(record.read_text(encoding="utf-8"))
    return data


def compare(entries: Sequence[Mapping[str, Any]], records: Mapping[str, Mapping[str, Any]]
            ) -> list[Verdict]:  # fmt: skip
    """One verdict per table cell (a check the run did not do counts as `missing`)."""
    verdicts = []
    for entry in entries:
        name = entry["repository"]["name"]
        said = tool_outcomes(records[name])
        for check, cell in sorted(entry["checks"].items()):
            verdicts.append(
                Verdict(name, check, said.get(check, "missing"), cell["outcome"], cell["why"])
            )
    return verdicts


def unjudged(entries: Sequence[Mapping[str, Any]], records: Mapping[str, Mapping[str, Any]]
             ) -> list[str]:  # fmt: skip
    """`repo: check (tool outcome)` for every check run that the table has no cell for: a
    table that misses one is incomplete, and its figures would say nothing about that check."""
    missing = []
    for entry in entries:
        name = entry["repository"]["name"]
        for check, outcome in sorted(tool_outcomes(records[name]).items()):
            if check not in entry["checks"]:
                missing.append(f"{name}: {check} ({outcome})")
    return missing


def false_pass(v: Verdict) -> bool:
    """The tool passes what is not met (or not known to be met)."""
    return v.tool == "pass" and v.truth != "pass"


def false_fail(v: Verdict) -> bool:
    """The tool fails what is met, or what only a person can judge."""
    return v.tool == "fail" and v.truth in ("pass", "needs_review")


def report(verdicts: Sequence[Verdict]) -> str:
    """The per-check table, the totals and every disagreement, as Markdown."""
    lines = ["| check | cells | agree | accuracy | false pass | false fail |",
             "|---|---:|---:|---:|---:|---:|"]  # fmt: skip
    for check in sorted({v.check for v in verdicts}):
        cells = [v for v in verdicts if v.check == check]
        lines.append(_row(check, cells))
    lines.append(_row("**total**", list(verdicts)))
    wrong = [v for v in verdicts if v.tool != v.truth]
    if wrong:
        lines += ["", "| repository | check | tool | truth | kind | why (truth) |",
                  "|---|---|---|---|---|---|"]  # fmt: skip
        for v in wrong:
            kind = "FALSE PASS" if false_pass(v) else "false fail" if false_fail(v) else "other"
            lines.append(f"| {v.repo} | {v.check} | {v.tool} | {v.truth} | {kind} | {v.why} |")
    return "\n".join(lines)


def _row(label: str, cells: Sequence[Verdict]) -> str:
    agree = sum(v.tool == v.truth for v in cells)
    fp = sum(false_pass(v) for v in cells)
    ff = sum(false_fail(v) for v in cells)
    return f"| {label} | {len(cells)} | {agree} | {100 * agree / len(cells):.1f}% | {fp} | {ff} |"


def task_table(
    entries: Sequence[Mapping[str, Any]], records: Mapping[str, Mapping[str, Any]]
) -> str:
    """Per repository: its task statuses and the default gate (`--fail-on fail,error`), so an
    exemplary project and a deliberately weak one can be told apart at a glance."""
    statuses = ("pass", "fail", "error", "needs_review", "attested", "not_applicable")
    lines = ["| repository | commit | " + " | ".join(statuses) + " | default gate |",
             "|---|---|" + "---:|" * len(statuses) + "---|"]  # fmt: skip
    for entry in entries:
        repo = entry["repository"]
        results = records[repo["name"]]["results"]
        count = {s: sum(r["status"] == s for r in results) for s in statuses}
        failing = [r["control_id"] for r in results if r["status"] in ("fail", "error")]
        gate = f"not met: {', '.join(failing)}" if failing else "met"
        lines.append(
            f"| {repo['name']} | {repo['commit'][:12]} | "
            + " | ".join(str(count[s]) for s in statuses)
            + f" | {gate} |"
        )
    return "\n".join(lines)


def repository_arguments(doc: str | None, table: Path, table_help: str) -> argparse.ArgumentParser:
    """The options every benchmark over fetched repositories takes (this one, sast_recall.py)."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("--repos", type=Path, required=True,
                        help="folder holding the clones (owner+name or name)")  # fmt: skip
    parser.add_argument(
        "--results", type=Path, help="keep each run's record here; an existing record is reused"
    )
    parser.add_argument("--only", action="append", default=[], help="repository name(s)")
    parser.add_argument("--table", type=Path, default=table, help=table_help)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; 1 when any false pass, 2 on a set-up problem."""
    args = repository_arguments(__doc__, TABLE, "the truth table folder").parse_args(argv)
    entries = [e for e in load_table(args.table)
               if not args.only or e["repository"]["name"] in args.only]  # fmt: skip
    records: dict[str, Mapping[str, Any]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for entry in entries:
            repo = entry["repository"]
            keep = (args.results or Path(scratch)) / repo["name"].replace("/", "+")
            if args.results and (keep / "assessment.json").is_file():
                records[repo["name"]] = json.loads((keep / "assessment.json").read_text("utf-8"))
                continue
            folder = checkout(args.repos, repo)
            print(f"assessing {repo['name']} at {repo['commit'][:12]} ...", file=sys.stderr)
            records[repo["name"]] = assess(folder, keep, entry.get("assess_args", []))
    verdicts = compare(entries, records)
    print(report(verdicts))
    print()
    missing = unjudged(entries, records)
    if missing:
        print("Checks the runs did that the table does not judge (add a cell for each):")
        print("\n".join(f"- {m}" for m in missing))
        print()
    print(task_table(entries, records))
    return 1 if any(false_pass(v) for v in verdicts) else 0


if __name__ == "__main__":
    sys.exit(main())
