"""Recall and precision of the shipped semgrep packs on real code, against hand-made lists.

`benchmarks/sast_truth/*.toml` holds one public repository each, pinned to a commit:
- a deliberately vulnerable application (`kind = "vulnerable"`) lists its documented
  vulnerabilities that static analysis can see (`[[vuln]]`: path, line, CWE, where documented);
- a well-kept project (`kind = "well-kept"`) lists every finding of the packs at a failing
  severity (medium or high) in product code, judged by hand (`[[judged]]`: rule, path, line,
  verdict `true` or `false`, why).
An entry may give `assess_args`, the operator's options for its run (an `--exclude` of files
that are not the application), with the reason in a comment.
The repositories' code is never kept here: clone them once (benchmarks/README.md, "SAST recall").

    python benchmarks/sast_recall.py --repos /work/repos
    python benchmarks/sast_recall.py --repos /work/repos --results /tmp/sast  # keep/reuse records

Each repository is assessed with `baseline assess --no-cache --format json` (real semgrep with
the shipped packs, real bandit), and the findings of `sast.semgrep` (every rule) are compared:
a listed vulnerability is found when a finding is in the same file, within 3 lines, and carries
its CWE. For Python, recall with bandit's findings added is shown too (the product runs both).
On a well-kept project every product-scope semgrep finding at medium or high counts; one the
list does not judge counts as false until someone judges it (it is printed). Targets (issue 15):
recall >= 70% per vulnerable application; at most one false finding per 10,000 lines of the
project's languages. Exits 1 when a target is missed, 2 on a set-up problem.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from truth import assess, checkout, repository_arguments

from baseline import tomlcompat
from baseline.checks.code_languages import by_name
from baseline.models import Scope
from baseline.report.json_record import task_evidence
from baseline.scope import DEFAULT_RULES

HERE = Path(__file__).resolve().parent
TABLE = HERE / "sast_truth"
NEAR = 3
RECALL_TARGET = 0.70
FALSE_PER_10K_TARGET = 1.0
_CWE = re.compile(r"CWE-\d+")
_SKIP_DIRS = {".git", "node_modules", "vendor", "_vendor", "third_party"}


@dataclass(frozen=True)
class Hit:
    """One SAST finding as the record holds it."""

    tool: str
    rule: str
    path: str
    line: int
    cwes: frozenset[str]
    severity: str
    scope: str


def load_table(folder: Path, only: Sequence[str]) -> list[dict[str, Any]]:
    """Every entry, checked enough to compare with."""
    entries = []
    for path in sorted(folder.glob("*.toml")):
        data = tomlcompat.loads(path.read_text("utf-8"))
        if only and data.get("repo") not in only:
            continue
        for key in ("repo", "commit", "kind", "languages"):
            if key not in data:
                raise SystemExit(f"{path}: needs `{key}`")
        if data["kind"] not in ("vulnerable", "well-kept"):
            raise SystemExit(f"{path}: kind must be `vulnerable` or `well-kept`")
        entries.append({"file": path.name, **data})
    return entries


def hits(record: Mapping[str, Any]) -> list[Hit]:
    """Every finding of the all-rules semgrep run and of bandit, once each."""
    seen: dict[tuple[str, str, str, int], Hit] = {}
    for result in record["results"]:
        for evidence in task_evidence(record, result):
            check = evidence["check"]
            every_rule = not (evidence.get("params") or {}).get("rules")
            if not (check == "sast.bandit" or (check == "sast.semgrep" and every_rule)):
                continue
            for f in evidence["findings"]:
                cwes = frozenset(m for c in f.get("cwe", ()) for m in _CWE.findall(str(c)))
                hit = Hit(
                    check.split(".")[1],
                    f["rule"],
                    f["path"],
                    f["line"] or 0,
                    cwes,
                    f["severity"],
                    f.get("scope", "product"),
                )
                seen.setdefault((hit.tool, hit.rule, hit.path, hit.line), hit)
    return sorted(seen.values(), key=lambda h: (h.path, h.line, h.rule))


def semgrep_error(record: Mapping[str, Any]) -> str:
    """The all-rules semgrep run's error ("" when it ran): such a run found nothing."""
    for result in record["results"]:
        for evidence in task_evidence(record, result):
            every_rule = not (evidence.get("params") or {}).get("rules")
            if evidence["check"] == "sast.semgrep" and every_rule:
                return str(evidence.get("error") or "") if evidence["outcome"] == "error" else ""
    return ""


def found(vuln: Mapping[str, Any], candidates: Iterable[Hit]) -> Hit | None:
    """The finding that reports this vulnerability, if any."""
    for hit in candidates:
        if (
            hit.path == vuln["path"]
            and abs(hit.line - int(vuln["line"])) <= NEAR
            and str(vuln["cwe"]) in hit.cwes
        ):
            return hit
    return None


def product_lines(folder: Path, languages: Sequence[str]) -> int:
    """Lines of product-scope source files in these languages (scope as the product judges)."""
    total = 0
    for path in folder.rglob("*"):
        parts = path.relative_to(folder).parts
        if not path.is_file() or path.is_symlink() or _SKIP_DIRS & set(parts):
            continue
        rel = "/".join(parts)
        if by_name(rel) not in languages:
            continue
        if DEFAULT_RULES.classify(rel) is Scope.PRODUCT:
            with path.open("rb") as handle:
                total += sum(1 for _ in handle)
    return total


def vulnerable_rows(entry: Mapping[str, Any], found_by: list[Hit]) -> tuple[list[str], bool]:
    """Per-CWE recall lines for one vulnerable app, and whether it meets the target."""
    vulns = entry.get("vuln", [])
    semgrep = [h for h in found_by if h.tool == "semgrep"]
    python = "python" in entry["languages"]
    by_cwe: dict[str, list[tuple[bool, bool]]] = {}
    missed = []
    for vuln in vulns:
        by_semgrep = found(vuln, semgrep) is not None
        with_bandit = by_semgrep or found(vuln, found_by) is not None
        by_cwe.setdefault(str(vuln["cwe"]), []).append((by_semgrep, with_bandit))
        if not by_semgrep:
            missed.append(f"{vuln['path']}:{vuln['line']} {vuln['cwe']}")
    rows = []
    for cwe, marks in sorted(by_cwe.items(), key=lambda kv: int(kv[0].split("-")[1])):
        extra = f" | {sum(b for _, b in marks)}/{len(marks)}" if python else " | -"
        rows.append(
            f"| {entry['repo']} | {', '.join(entry['languages'])} | {cwe} | "
            f"{sum(s for s, _ in marks)}/{len(marks)}{extra} |"
        )
    got = sum(s for marks in by_cwe.values() for s, _ in marks)
    recall = got / len(vulns) if vulns else 0.0
    bandit = (
        sum(b for marks in by_cwe.values() for _, b in marks) / len(vulns)
        if vulns and python
        else None
    )
    extra = f" | {bandit:.0%}" if bandit is not None else " | -"
    rows.append(
        f"| **{entry['repo']}** | | **all** | **{got}/{len(vulns)} = {recall:.0%}**{extra} |"
    )
    if missed:
        rows.append(
            f"| | | missed | {'; '.join(missed[:12])}{' ...' if len(missed) > 12 else ''} | |"
        )
    return rows, recall >= RECALL_TARGET


def well_kept_row(entry: Mapping[str, Any], found_by: list[Hit], lines: int
                  ) -> tuple[str, list[str], bool]:  # fmt: skip
    """The precision line of one well-kept project, its unjudged findings, and the verdict."""
    judged = {(j["rule"], j["path"], int(j["line"])): j["verdict"] for j in entry.get("judged", [])}
    failing = [
        h
        for h in found_by
        if h.tool == "semgrep"
        and h.scope == Scope.PRODUCT.value
        and h.severity in ("medium", "high")
    ]
    true_ = sum(judged.get((h.rule, h.path, h.line)) == "true" for h in failing)
    false = sum(judged.get((h.rule, h.path, h.line)) == "false" for h in failing)
    unjudged = [
        f"{h.rule} {h.path}:{h.line}" for h in failing if (h.rule, h.path, h.line) not in judged
    ]
    wrong = false + len(unjudged)
    per_10k = wrong / lines * 10_000 if lines else 0.0
    ok = per_10k <= FALSE_PER_10K_TARGET
    row = (
        f"| {entry['repo']} | {entry['commit'][:12]} | {', '.join(entry['languages'])} | "
        f"{lines:,} | {len(failing)} | {true_} | {false} | {len(unjudged)} | {per_10k:.2f} | "
        f"{'met' if ok else 'MISSED'} |"
    )
    return row, unjudged, ok


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; 1 when a target is missed, 2 on a set-up problem."""
    args = repository_arguments(__doc__, TABLE, "the SAST truth folder").parse_args(argv)
    entries = load_table(args.table, args.only)
    recall_rows: list[str] = []
    precision_rows: list[str] = []
    unjudged_all: list[str] = []
    not_measured: list[str] = []
    met = True
    with tempfile.TemporaryDirectory() as scratch:
        for entry in entries:
            repo = {"name": entry["repo"], "url": f"https://github.com/{entry['repo']}",
                    "commit": entry["commit"]}  # fmt: skip
            folder = checkout(args.repos, repo)
            keep = (args.results or Path(scratch)) / entry["repo"].replace("/", "+")
            if args.results and (keep / "assessment.json").is_file():
                record = json.loads((keep / "assessment.json").read_text("utf-8"))
            else:
                print(f"assessing {entry['repo']} at {entry['commit'][:12]} ...", file=sys.stderr)
                record = assess(folder, keep, entry.get("assess_args", []))
            found_by = hits(record)
            if entry["kind"] == "vulnerable":
                rows, ok = vulnerable_rows(entry, found_by)
                recall_rows += rows
            elif error := semgrep_error(record):
                # Nothing was found because nothing ran: not a measurement of precision.
                lines = product_lines(folder, entry["languages"])
                precision_rows.append(
                    f"| {entry['repo']} | {entry['commit'][:12]} | "
                    f"{', '.join(entry['languages'])} | {lines:,} | not measured: {error[:120]} "
                    "| | | | | not measured |"
                )
                not_measured.append(entry["repo"])
                ok = True
            else:
                row, unjudged, ok = well_kept_row(
                    entry, found_by, product_lines(folder, entry["languages"])
                )
                precision_rows.append(row)
                unjudged_all += [f"{entry['repo']}: {u}" for u in unjudged]
            met = met and ok
    print("## Recall on deliberately vulnerable applications (semgrep packs; Python: + bandit)\n")
    print("| repository | languages | CWE | found by the packs | with bandit |")
    print("|---|---|---|---:|---:|")
    print("\n".join(recall_rows))
    print("\n## False findings on well-kept projects (semgrep, medium and high, product code)\n")
    print(
        "| repository | commit | languages | lines | findings | true | false | unjudged "
        "| false per 10k lines | target |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---|")
    print("\n".join(precision_rows))
    if unjudged_all:
        print("\nUnjudged findings (counted as false until judged):")
        print("\n".join(f"- {u}" for u in unjudged_all))
    if not_measured:
        print(
            "\nNot measured (the product's semgrep run was `error`, fail closed; its findings "
            f"are not a precision figure): {', '.join(not_measured)}"
        )
    print(
        f"\nTargets: recall >= {RECALL_TARGET:.0%} per vulnerable application; at most "
        f"{FALSE_PER_10K_TARGET:g} false finding per 10,000 lines: {'met' if met else 'MISSED'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
