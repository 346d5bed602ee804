"""What bandit and semgrep checks share: target selection, findings, suppressions, judging.

A scan (one tool run) is gathered once per assessment and shared by every check that asks for
the same scan settings; each check then judges the scan with its own thresholds and rule
filter. Judging is pure and never runs a tool.
"""

from __future__ import annotations

import fnmatch
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from baseline.checks import sast_files
from baseline.checks.interface import Param, Params
from baseline.jsontext import pretty
from baseline.models import (
    Artifact,
    CheckOutcome,
    Evidence,
    Finding,
    Severity,
    Suppression,
    ToolRun,
    fingerprint,
)

LEVELS = ("low", "medium", "high")


@dataclass(frozen=True)
class Scan:
    """One tool run over the selected files, parsed."""

    tool: str
    run: ToolRun
    targets: tuple[str, ...]
    findings: tuple[Finding, ...]
    suppressions: tuple[Suppression, ...]
    artifact: Artifact
    parse_errors: int
    file_digests: Mapping[str, str] = field(default_factory=dict)
    """SHA-256 of every file with a finding, as it was scanned."""
    rules: tuple[str, ...] = ()
    """Every rule id the scan ran (what a `rules` filter may name)."""
    confidence: Mapping[str, str] = field(default_factory=dict)
    """Tool confidence per finding fingerprint, where the tool gives one."""
    notes: tuple[str, ...] = ()
    """Facts a reader needs (config in the target that was not applied, for example)."""
    incomplete: bool = False
    """More files than the check allows were only partly analyzed: it may fail, never pass."""


def with_fingerprints(tool: str, findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """Fingerprints from rule + path + normalized code + which identical occurrence it is.

    Line numbers stay out, so inserting unrelated lines above a finding does not change it.
    The order is kept: pass findings sorted by `finding_order`.
    """
    seen: dict[tuple[str, str, str], int] = {}
    out: list[Finding] = []
    for item in findings:
        code = " ".join(item.snippet.split())
        key = (item.rule, item.path, code)
        index = seen.get(key, 0)
        seen[key] = index + 1
        out.append(
            replace(item, fingerprint=fingerprint(tool, item.rule, item.path, code, str(index)))
        )
    return tuple(out)


def finding_order(item: Finding) -> tuple[str, int, str, str]:
    """The stable order of findings: path, line, rule, message."""
    return item.path, item.line or 0, item.rule, item.message


def canonical_artifact(name: str, document: Mapping[str, Any], volatile: Iterable[str]) -> Artifact:
    """The tool's JSON for the evidence bundle, minus keys that change run to run (timestamps,
    durations), so that the same input gives the same digest."""
    kept = {k: v for k, v in document.items() if k not in set(volatile)}
    return Artifact(name, pretty(kept, sort_keys=True).encode("utf-8"))


# --- judging ------------------------------------------------------------------------------------

JUDGE_PARAMS: Mapping[str, Param] = {
    "fail_on": Param(str, "medium", "lowest severity that fails the check", LEVELS),
    "rules": Param(
        list, [], "rule ids (globs) this check judges; empty means every rule of the scan"
    ),
}


def judge(check: str, scan: Scan, params: Params, threshold: Callable[[Finding], bool]) -> Evidence:
    """Evidence for one check: the scan's findings for its rules, failing at the threshold."""
    rules: list[str] = list(params["rules"])
    unknown = [r for r in rules if not any(fnmatch.fnmatchcase(k, r) for k in scan.rules)]
    if unknown:
        # A filter that selects no rule would judge nothing and pass: fail closed instead.
        return Evidence(
            check,
            CheckOutcome.ERROR,
            f"`rules` names no {scan.tool} rule: {', '.join(unknown)}",
            error=f"fix the check's `rules` parameter; {scan.tool} knows {', '.join(scan.rules)}",
            tool_runs=(scan.run,),
        )
    chosen = selected(scan.findings, rules)
    failing = [f for f in chosen if threshold(f)]
    counts = ", ".join(
        f"{sum(f.severity is s for f in chosen)} {s.value}"
        for s in Severity
        if any(f.severity is s for f in chosen)
    )
    scope = f" (rules {', '.join(rules)})" if rules else ""
    summary = (
        f"{scan.tool} scanned {len(scan.targets)} files{scope}: {len(chosen)} findings"
        + (f" ({counts})" if counts else "")
        + f", {len(failing)} at or above the threshold; {len(scan.suppressions)} suppressions"
    )
    if scan.notes:
        summary += "; " + "; ".join(scan.notes)
    # Code no analyzer looked at is not clean: a file over the size limit needs a person.
    limit = int(params.get("max_file_bytes", sast_files.MAX_FILE_BYTES))
    unread = sast_files.oversized_note(scan.suppressions, limit)
    if unread:
        summary += "; " + unread
    outcome = CheckOutcome.NEEDS_REVIEW if unread or scan.incomplete else CheckOutcome.PASS
    return Evidence(
        check=check,
        outcome=CheckOutcome.FAIL if failing else outcome,
        summary=summary,
        findings=tuple(chosen),
        tool_runs=(scan.run,),
        files=tuple(sorted({f.path for f in chosen})),
        digests={
            scan.artifact.name: hashlib.sha256(scan.artifact.content).hexdigest(),
            **{f.path: scan.file_digests[f.path] for f in chosen if f.path in scan.file_digests},
        },
        suppressions=scan.suppressions,
        artifacts=(scan.artifact,),
        failing=tuple(f.fingerprint for f in failing),
        passing_outcome=outcome,
    )


def selected(findings: Iterable[Finding], rules: Sequence[str]) -> list[Finding]:
    """The findings of the rules named by the globs (all of them when there are none)."""
    return [f for f in findings if not rules or any(fnmatch.fnmatchcase(f.rule, r) for r in rules)]


def selected_rules(known: Sequence[str], rules: Sequence[str]) -> list[str]:
    """The rule ids the globs name (every one when there are none)."""
    return [k for k in known if not rules or any(fnmatch.fnmatchcase(k, r) for r in rules)]


def level_rank(level: str) -> int:
    """`low` < `medium` < `high`, for thresholds."""
    return Severity(level).rank
