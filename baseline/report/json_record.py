"""The canonical record (`assessment.json`): Assessment <-> JSON, lossless for every report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from baseline.jsontext import compact, loads, pretty
from baseline.models import (
    Assessment,
    Attestation,
    AttestationLevel,
    Catalog,
    CheckOutcome,
    CheckSpec,
    ConfigTrust,
    Control,
    ControlStatus,
    Crosswalk,
    CrosswalkItem,
    Evidence,
    EvidenceFile,
    FileDigest,
    Finding,
    Group,
    LanguageCoverage,
    Milestone,
    Practice,
    Result,
    Scope,
    Severity,
    Suppression,
    ToolRun,
    TrustRecord,
    Waiver,
)
from baseline.report.config_claims import (
    claims_from_json,
    claims_json,
    overrides_from_json,
    overrides_json,
    tasks_resting_on_config,
)

SCHEMA_VERSION = "1.0"

Json = dict[str, Any]


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
        # Only code analysis has one; older records have none.
        **(_coverage(e.coverage) if e.coverage else {}),
    }


def _attestation(a: Attestation | None) -> Json | None:
    if a is None:
        return None
    return {
        "control": a.control,
        "statement": a.statement,
        "by": a.by,
        "date": a.date.isoformat(),
        "expires": a.expires.isoformat() if a.expires else None,
        "evidence_files": [
            {"path": f.path, "declared_sha256": f.declared_sha256, "sha256": f.actual_sha256}
            for f in a.evidence_files
        ],
        "urls": list(a.urls),
    }


def _waiver(w: Waiver | None) -> Json | None:
    if w is None:
        return None
    return {
        "control": w.control,
        "reason": w.reason,
        "mitigation": w.mitigation,
        "owner": w.owner,
        "approver": w.approver,
        "expires": w.expires.isoformat(),
        "milestones": [
            {"date": m.date.isoformat(), "description": m.description} for m in w.milestones
        ],
    }


def _control(c: Control) -> Json:
    return {
        "title": c.title,
        "summary": c.summary,
        "group": c.group,
        "practice": c.practice,
        "attestation": c.attestation.value,
        "remediation": c.remediation,
        "eo14028": list(c.eo14028),
        "form_items": list(c.form_items),
        "references": list(c.references),
        "not_applicable": c.not_applicable,
        "checks": [{"id": s.check, "params": dict(sorted(s.params.items()))} for s in c.checks],
    }


def _result(r: Result) -> Json:
    return {
        "control_id": r.control.id,
        "status": r.status.value,
        "reason": r.reason,
        "control": _control(r.control),
        "evidence": [evidence_json(e) for e in r.evidence],
        "attestation": _attestation(r.attestation),
        "attestation_problems": list(r.attestation_problems),
        "waiver": _waiver(r.waiver),
        "waiver_problems": list(r.waiver_problems),
        "config_claims": claims_json(r.config_claims),
    }


def status_counts(results: tuple[Result, ...]) -> dict[str, int]:
    """Number of controls per status, every status present (zero included), in enum order."""
    return {s.value: sum(1 for r in results if r.status is s) for s in ControlStatus}


def to_record(a: Assessment) -> Json:
    """The canonical JSON-ready dictionary of an assessment."""
    catalog = a.catalog
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "ssdf-baseline", "version": a.tool_version},
        "generated_at": a.generated_at,
        **({"as_of": a.as_of} if a.as_of else {}),
        "target": {"path": a.target, "commit": a.commit},
        "catalog": {
            "id": catalog.id,
            "title": catalog.title,
            "version": catalog.version,
            "status": catalog.status,
            "source": catalog.source,
            "digest": catalog.digest,
            "groups": [
                {"id": g.id, "title": g.title, "summary": g.summary} for g in catalog.groups
            ],
            "practices": [
                {"id": p.id, "group": p.group, "title": p.title, "summary": p.summary}
                for p in catalog.practices
            ],
            "crosswalks": [
                {
                    "id": x.id,
                    "title": x.title,
                    "catalog": x.catalog,
                    "note": x.note,
                    "items": [
                        {
                            "id": i.id,
                            "title": i.title,
                            "section": i.section,
                            "eo14028": list(i.eo14028),
                            "tasks": list(i.tasks),
                        }
                        for i in x.items
                    ],
                }
                for x in catalog.crosswalks
            ],
        },
        "tools": dict(sorted(a.tools.items())),
        "summary": status_counts(a.results),
        "results": [_result(r) for r in a.results],
    } | ({"producer": dict(a.producer)} if a.producer else {}) | (
        {"trust": _trust(a.trust, tasks_resting_on_config(a))} if a.trust is not None else {}
    )


def _file(ref: FileDigest | None) -> Json | None:
    return None if ref is None else {"path": _text(ref.path), "sha256": ref.sha256}


def _trust(trust: TrustRecord, resting: int) -> Json:
    return {
        "config_trust": trust.config_trust.value,
        "config": _file(trust.config),
        "policy": _file(trust.policy),
        "tasks_resting_on_config": resting,
    }


def _trust_from(value: Any) -> TrustRecord | None:
    if not isinstance(value, dict):
        return None

    def ref(item: Any) -> FileDigest | None:
        return FileDigest(item["path"], item["sha256"]) if isinstance(item, dict) else None

    return TrustRecord(ConfigTrust(value["config_trust"]), ref(value.get("config")),
                       ref(value.get("policy")))  # fmt: skip


def _text(value: str) -> str:
    # File names may hold bytes that are not UTF-8 (surrogate escapes): keep them visible, escaped.
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {_text(k): _clean(v) for k, v in value.items()}
    return value


def dumps(record: Json) -> str:
    """Deterministic JSON text of a record."""
    return _unicode_safe(pretty, record) + "\n"


def round_trip(record: Json) -> Json:
    """The record as a reader of `dumps` gets it back (compact: no indent, so it is fast)."""
    loaded: Json = loads(_unicode_safe(compact, record))
    return loaded


def _unicode_safe(write: Callable[[Json], str], record: Json) -> str:
    # Cleaning walks the whole record, so it is done only when some text could not be
    # written as UTF-8 (file names with undecodable bytes are rare).
    text = write(record)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = write(_clean(record))
    return text


# --- reading a record back -------------------------------------------------------------------


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


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
    )


def _read_attestation(a: Json | None) -> Attestation | None:
    if a is None:
        return None
    return Attestation(
        control=a["control"],
        statement=a["statement"],
        by=a["by"],
        date=dt.date.fromisoformat(a["date"]),
        expires=_date(a.get("expires")),
        evidence_files=tuple(
            EvidenceFile(f["path"], f.get("declared_sha256"), f.get("sha256"))
            for f in a["evidence_files"]
        ),
        urls=tuple(a.get("urls", ())),
    )


def _read_waiver(w: Json | None) -> Waiver | None:
    if w is None:
        return None
    return Waiver(
        control=w["control"],
        reason=w["reason"],
        mitigation=w["mitigation"],
        owner=w["owner"],
        approver=w["approver"],
        expires=dt.date.fromisoformat(w["expires"]),
        milestones=tuple(
            Milestone(dt.date.fromisoformat(m["date"]), m["description"]) for m in w["milestones"]
        ),
    )


def _read_control(ident: str, c: Json) -> Control:
    return Control(
        id=ident,
        title=c["title"],
        summary=c["summary"],
        group=c["group"],
        practice=c["practice"],
        attestation=AttestationLevel(c["attestation"]),
        remediation=c["remediation"],
        checks=tuple(CheckSpec(s["id"], s.get("params", {})) for s in c.get("checks", ())),
        eo14028=tuple(c.get("eo14028", ())),
        form_items=tuple(c.get("form_items", ())),
        references=tuple(c.get("references", ())),
        not_applicable=c.get("not_applicable"),
    )


def from_record(record: Mapping[str, Any]) -> Assessment:
    """Rebuild an Assessment from a (schema-valid) record, for re-rendering and diffs."""
    cat = record["catalog"]
    results = tuple(
        Result(
            control=_read_control(r["control_id"], r["control"]),
            status=ControlStatus(r["status"]),
            reason=r["reason"],
            evidence=tuple(evidence_from_json(e) for e in r["evidence"]),
            attestation=_read_attestation(r.get("attestation")),
            attestation_problems=tuple(r.get("attestation_problems", ())),
            waiver=_read_waiver(r.get("waiver")),
            waiver_problems=tuple(r.get("waiver_problems", ())),
            config_claims=claims_from_json(r.get("config_claims", ())),
        )
        for r in record["results"]
    )
    catalog = Catalog(
        id=cat["id"],
        title=cat["title"],
        version=cat["version"],
        status=cat["status"],
        source=cat.get("source", ""),
        digest=cat["digest"],
        groups=tuple(
            Group(g["id"], g["title"], g.get("summary", "")) for g in cat.get("groups", ())
        ),
        practices=tuple(
            Practice(p["id"], p["group"], p["title"], p.get("summary", ""))
            for p in cat.get("practices", ())
        ),
        controls=tuple(r.control for r in results),
        crosswalks=tuple(
            Crosswalk(
                x["id"],
                x["title"],
                x["catalog"],
                tuple(
                    CrosswalkItem(
                        i["id"],
                        i["title"],
                        tuple(i["tasks"]),
                        i.get("section", ""),
                        tuple(i.get("eo14028", ())),
                    )
                    for i in x["items"]
                ),
                x.get("note", ""),
            )
            for x in cat.get("crosswalks", ())
        ),
    )
    return Assessment(
        target=record["target"]["path"],
        commit=record["target"].get("commit"),
        catalog=catalog,
        tools=record.get("tools", {}),
        generated_at=record["generated_at"],
        results=results,
        tool_version=record.get("generator", {}).get("version", ""),
        producer=record.get("producer", {}),
        trust=_trust_from(record.get("trust")),
        as_of=record.get("as_of", ""),
    )
