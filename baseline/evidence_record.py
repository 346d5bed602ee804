"""One check's evidence as the record holds it, and back: the codec the record, the reports and
the evidence cache share, at the bottom of the layers with the models (it imports nothing else
of the package, so checks can cache evidence without importing a report module)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from baseline.models import (
    Acceptance,
    Alternative,
    CheckOutcome,
    Evidence,
    Finding,
    LanguageCoverage,
    ParamOverride,
    Scope,
    Severity,
    Suppression,
    ToolRun,
)

Json = dict[str, Any]


def overrides_json(overrides: Iterable[ParamOverride]) -> list[Json]:
    """Parameter overrides as the record holds them."""
    return [
        {"param": o.param, "value": o.value, "default": o.default, "source": o.source}
        for o in overrides
    ]


def overrides_from_json(items: Sequence[Mapping[str, Any]]) -> tuple[ParamOverride, ...]:
    """Parameter overrides back from the record."""
    return tuple(ParamOverride(o["param"], o["value"], o["default"], o["source"]) for o in items)


def acceptance_json(a: Acceptance) -> Json:
    """An accepted finding's entry as the record holds it (on the finding and at the top)."""
    return {
        "fingerprint": a.fingerprint,
        "reason": a.reason,
        "owner": a.owner,
        "approver": a.approver,
        "expires": a.expires.isoformat(),
        "vex_status": a.vex_status or None,
        "justification": a.justification or None,
        "impact_statement": a.impact_statement or None,
        "source": a.source,
    }


def acceptance_from_json(a: Mapping[str, Any]) -> Acceptance:
    """An accepted finding's entry back from the record."""
    return Acceptance(
        fingerprint=a["fingerprint"],
        reason=a["reason"],
        owner=a["owner"],
        approver=a["approver"],
        expires=dt.date.fromisoformat(a["expires"]),
        vex_status=a.get("vex_status") or "",
        justification=a.get("justification") or "",
        impact_statement=a.get("impact_statement") or "",
        source=a.get("source", ""),
    )


def _finding(f: Finding) -> Json:
    return {
        "rule": f.rule,
        "tool": f.tool,
        "message": f.message,
        "severity": f.severity.value,
        "path": f.path,
        "line": f.line,
        "fingerprint": f.fingerprint,
        "cwe": list(f.cwe),
        "snippet": f.snippet,
        "scope": f.scope.value,
        **({"origin": f.origin} if f.origin else {}),
        **({"confidence": f.confidence} if f.confidence else {}),
        **({"component": f.component} if f.component else {}),
        # Only on an accepted finding, so that other records keep their shape; the entry
        # itself is the record's `accepted_findings` (json_record.py joins them back).
        **({"acceptance": "expired" if f.acceptance_expired else "accepted"} if f.accepted else {}),
    }


def _coverage(rows: tuple[LanguageCoverage, ...]) -> Json:
    return {
        "coverage": [
            {
                "language": r.language,
                "files": r.files,
                "lines": r.lines,
                "analyzers": [{"tool": t, "rules": n} for t, n in r.analyzers],
                "example": r.example,
            }
            for r in rows
        ]
    }


def evidence_json(e: Evidence) -> Json:
    """One piece of evidence as the record holds it (no artifacts, no durations)."""
    return {
        "check": e.check,
        **({"question": e.question} if e.question else {}),
        "outcome": e.outcome.value,
        "summary": e.summary,
        "params": dict(sorted(e.params.items())),
        "findings": [_finding(f) for f in e.findings],
        "files": list(e.files),
        "digests": dict(sorted(e.digests.items())),
        "tool_runs": [
            {
                "tool": r.tool,
                "version": r.version,
                "command": list(r.command),
                "exit_code": r.exit_code,
            }
            for r in e.tool_runs
        ],
        "suppressions": [
            {"kind": s.kind, "path": s.path, "line": s.line, "detail": s.detail}
            for s in e.suppressions
        ],
        "error": e.error,
        "overrides": overrides_json(e.overrides),
        # only where a check has alternatives, so that other records keep their shape
        **(
            {
                "alternatives": [
                    {"check": a.check, "outcome": a.outcome.value, "summary": a.summary}
                    for a in e.alternatives
                ]
            }
            if e.alternatives
            else {}
        ),
        # Only code analysis has one; older records have none.
        **(_coverage(e.coverage) if e.coverage else {}),
        # Only checks judged by scope (per-file defects); older records have none.
        **({"counted_scopes": list(e.counted_scopes)} if e.counted_scopes else {}),
    }


def evidence_from_json(e: Json) -> Evidence:
    """Evidence back from its record form (`evidence_json`)."""
    return Evidence(
        check=e["check"],
        outcome=CheckOutcome(e["outcome"]),
        summary=e["summary"],
        params=e.get("params", {}),
        findings=tuple(
            Finding(
                rule=f["rule"],
                message=f["message"],
                severity=Severity(f["severity"]),
                path=f["path"],
                line=f["line"],
                fingerprint=f["fingerprint"],
                tool=f["tool"],
                cwe=tuple(f.get("cwe", ())),
                snippet=f.get("snippet", ""),
                scope=Scope(f.get("scope", "product")),
                origin=f.get("origin", ""),
                confidence=f.get("confidence", ""),
                component=f.get("component", ""),
                acceptance_expired=f.get("acceptance") == "expired",
            )
            for f in e["findings"]
        ),
        files=tuple(e.get("files", ())),
        digests=e.get("digests", {}),
        tool_runs=tuple(
            ToolRun(r["tool"], r["version"], tuple(r["command"]), r["exit_code"])
            for r in e.get("tool_runs", ())
        ),
        suppressions=tuple(
            Suppression(s["kind"], s["path"], s["line"], s["detail"])
            for s in e.get("suppressions", ())
        ),
        error=e.get("error"),
        overrides=overrides_from_json(e.get("overrides", ())),
        question=e.get("question", ""),
        alternatives=tuple(
            Alternative(a["check"], CheckOutcome(a["outcome"]), a["summary"])
            for a in e.get("alternatives", ())
        ),
        coverage=tuple(
            LanguageCoverage(
                r["language"],
                r["files"],
                r["lines"],
                tuple((a["tool"], a["rules"]) for a in r["analyzers"]),
                r.get("example", ""),
            )
            for r in e.get("coverage", ())
        ),
        counted_scopes=tuple(e.get("counted_scopes", ())),
    )
