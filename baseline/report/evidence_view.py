"""Evidence as the reports show it: findings, tool runs, digests and suppressions as rows."""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from baseline.models import Acceptance, Evidence, Finding
from baseline.report.failing import causes_failure


def acceptance_rows(a: Acceptance) -> tuple[tuple[str, str], ...]:
    """An accepted finding's entry as (label, value) rows, for every report."""
    rows = [
        ("Reason", a.reason),
        ("Owner", a.owner),
        ("Approver", a.approver),
        ("Expires", a.expires.isoformat()),
        ("VEX status", a.vex_status),
        ("Justification", a.justification),
        ("Impact", a.impact_statement),
        ("Declared at", a.source),
    ]
    return tuple((k, v) for k, v in rows if v)


def _acceptance(f: Finding) -> str:
    if f.accepted is None:
        return ""
    return "expired" if f.acceptance_expired else "accepted"


@dataclass(frozen=True)
class FindingRow:
    """One finding as a report row."""

    rule: str
    tool: str
    severity: str
    path: str
    line: int | None
    location: str
    """`path:line`, `path`, or `(repository)` for a repository-level finding."""
    message: str
    snippet: str
    fingerprint: str
    cwe: tuple[str, ...]
    scope: str
    """`product`, `test`, `fixture`, `example`, `docs` or `vendored` (baseline/scope.py)."""
    origin: str = ""
    """Where a semgrep rule came from: `shipped`, `catalog:<path>`, `config:<path>`."""
    accepted: tuple[tuple[str, str], ...] = ()
    """The project config's acceptance of this finding as (label, value) rows (empty: none)."""
    acceptance: str = ""
    """`accepted` (in force: the finding does not fail), `expired` (it counts again), or empty."""
    fails: bool = False
    """Whether the check failed on it: at or above its thresholds, in a failing scope
    (baseline/report/failing.py); the others are counted, not listed, by default."""


@dataclass(frozen=True)
class ToolRunRow:
    """One tool invocation: name, version and the exact command, shell-quoted for reading."""

    tool: str
    version: str
    command: str
    exit_code: int | None


@dataclass(frozen=True)
class EvidenceView:
    """What one check gathered, as the reports show it."""

    check: str
    outcome: str
    summary: str
    error: str
    findings: tuple[FindingRow, ...]
    tool_runs: tuple[ToolRunRow, ...]
    files: tuple[str, ...]
    digests: tuple[tuple[str, str], ...]
    suppressions: tuple[tuple[str, str, str], ...]
    """(kind, location, detail) per suppression."""
    params: tuple[tuple[str, str], ...]
    question: str = ""
    """The yes/no question the check answers (empty in records written before it was kept)."""


def evidence_view(e: Evidence) -> EvidenceView:
    """The report rows of one check's evidence."""
    findings = tuple(
        FindingRow(
            rule=f.rule,
            tool=f.tool,
            severity=f.severity.value,
            path=f.path,
            line=f.line,
            location=(f"{f.path}:{f.line}" if f.line else f.path) if f.path else "(repository)",
            message=f.message,
            snippet=f.snippet,
            fingerprint=f.fingerprint,
            cwe=f.cwe,
            scope=f.scope.value,
            origin=f.origin,
            accepted=acceptance_rows(f.accepted) if f.accepted else (),
            acceptance=_acceptance(f),
            fails=causes_failure(e, f),
        )
        for f in e.findings
    )
    return EvidenceView(
        check=e.check,
        outcome=e.outcome.value,
        summary=e.summary,
        error=e.error or "",
        findings=findings,
        tool_runs=tuple(
            ToolRunRow(r.tool, r.version, shlex.join(r.command), r.exit_code) for r in e.tool_runs
        ),
        files=e.files,
        digests=tuple(sorted(e.digests.items())),
        suppressions=tuple(
            (s.kind, f"{s.path}:{s.line}" if s.line else s.path, s.detail) for s in e.suppressions
        ),
        params=tuple((k, repr(v)) for k, v in sorted(e.params.items())),
        question=e.question,
    )
