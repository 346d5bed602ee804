"""The canonical record (`assessment.json`): Assessment <-> JSON, lossless for every report."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from baseline.evidence_record import (
    acceptance_from_json,
    acceptance_json,
    evidence_from_json,
    evidence_json,
)
from baseline.jsontext import pretty
from baseline.models import (
    Acceptance,
    AcceptanceMatch,
    Assessment,
    Attestation,
    AttestationLevel,
    Catalog,
    CheckSpec,
    ConfigTrust,
    Control,
    ControlStatus,
    Crosswalk,
    CrosswalkItem,
    Evidence,
    EvidenceFile,
    FileDigest,
    GateRecord,
    Group,
    Milestone,
    Practice,
    RepositoryFacts,
    Result,
    TrustRecord,
    Waiver,
)
from baseline.report.config_claims import (
    claims_from_json,
    claims_json,
    tasks_resting_on_config,
)

SCHEMA_VERSION = "2.0"
"""2.0: every check run once under `check_runs`; results reference them. 1.0 is still read."""

Json = dict[str, Any]


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


def run_key(e: Evidence) -> str:
    """What makes a check run one run: the check and its parameters."""
    return json.dumps([e.check, dict(sorted(e.params.items()))], sort_keys=True, default=str)


def run_ids(results: Sequence[Result]) -> dict[str, str]:
    """Run key -> the run's id in the record: the check id, or, for a check run with more than
    one set of parameters (sast.semgrep for code and for secrets), the check id and a short
    digest of its parameters."""
    keys = list(dict.fromkeys(run_key(e) for r in results for e in r.evidence))
    checks = [json.loads(k)[0] for k in keys]
    return {
        key: check
        if checks.count(check) == 1
        else f"{check}@{hashlib.sha256(key.encode('utf-8')).hexdigest()[:8]}"
        for key, check in zip(keys, checks, strict=True)
    }


def _check_runs(results: Sequence[Result], ids: Mapping[str, str]) -> list[Json]:
    first: dict[str, Evidence] = {}
    for r in results:
        for e in r.evidence:
            first.setdefault(run_key(e), e)
    return sorted(({"id": ids[k], **evidence_json(e)} for k, e in first.items()),
                  key=lambda run: str(run["id"]))  # fmt: skip


def _reference(e: Evidence, ids: Mapping[str, str]) -> Json:
    # Outcome and summary are the task's view: an online check that settles an offline one
    # (baseline/offline.py) reads differently in the tasks that list them together.
    return {
        "run": ids[run_key(e)],
        "check": e.check,
        "outcome": e.outcome.value,
        "summary": e.summary,
    }


def _result(r: Result, ids: Mapping[str, str]) -> Json:
    return {
        "control_id": r.control.id,
        "status": r.status.value,
        "reason": r.reason,
        "control": _control(r.control),
        "evidence": [_reference(e, ids) for e in r.evidence],
        "attestation": _attestation(r.attestation),
        "attestation_problems": list(r.attestation_problems),
        "waiver": _waiver(r.waiver),
        "waiver_problems": list(r.waiver_problems),
        "config_claims": claims_json(r.config_claims),
    }


def status_counts(results: tuple[Result, ...]) -> dict[str, int]:
    """Number of controls per status, every status present (zero included), in enum order."""
    return {s.value: sum(1 for r in results if r.status is s) for s in ControlStatus}


MAX_CHANGED = 200
"""Changed files listed in the record; `changed_count` is always complete."""


def _repository(r: RepositoryFacts | None) -> Json:
    if r is None:
        return {}
    return {
        "url": r.url,
        "url_source": "the repository's own remote.origin.url (unverified)" if r.url else None,
        "branch": r.branch,
        "subdir": r.subdir,
        "shallow": r.shallow,
        "dirty": bool(r.changed),
        "changed_count": len(r.changed),
        "changed": list(r.changed[:MAX_CHANGED]),
    }


def _read_repository(target: Mapping[str, Any]) -> RepositoryFacts | None:
    if "dirty" not in target:
        return None
    return RepositoryFacts(
        url=target.get("url"),
        branch=target.get("branch"),
        subdir=target.get("subdir", ""),
        shallow=target.get("shallow", False),
        changed=tuple(target.get("changed", ())),
    )


def _gate(g: GateRecord | None) -> Json:
    if g is None:
        return {}
    return {
        "policy": {
            "fail_on": list(g.fail_on),
            "require": list(g.require),
            "require_form_items": list(g.require_form_items),
            "verdict": "not met" if g.failures else "met",
            "failures": list(g.failures),
        }
    }


def _read_gate(value: Any) -> GateRecord | None:
    if not isinstance(value, dict):
        return None
    return GateRecord(
        tuple(value["fail_on"]),
        tuple(value["require"]),
        tuple(value["require_form_items"]),
        tuple(value["failures"]),
    )


def to_record(a: Assessment) -> Json:
    """The canonical JSON-ready dictionary of an assessment."""
    catalog = a.catalog
    ids = run_ids(a.results)
    return (
        {
            "schema_version": SCHEMA_VERSION,
            "generator": {"name": "ssdf-baseline", "version": a.tool_version},
            "generated_at": a.generated_at,
            **({"as_of": a.as_of} if a.as_of else {}),
            "target": {"path": a.target, "commit": a.commit} | _repository(a.repository),
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
                                "text": i.text,
                                "lead": i.lead,
                                "form_tasks": list(i.form_tasks),
                                "mapping_note": i.mapping_note,
                            }
                            for i in x.items
                        ],
                    }
                    for x in catalog.crosswalks
                ],
            },
            "tools": dict(sorted(a.tools.items())),
            "summary": status_counts(a.results),
            "check_runs": _check_runs(a.results, ids),
            "results": [_result(r, ids) for r in a.results],
        }
        | ({"producer": dict(a.producer)} if a.producer else {})
        | _acceptances(a.acceptances)
        | _gate(a.gate)
        | ({"trust": _trust(a.trust, tasks_resting_on_config(a))} if a.trust is not None else {})
    )


def _acceptances(matches: Sequence[AcceptanceMatch]) -> Json:
    """The config's accepted findings and what each matched (only when there are any, so that
    other records keep their shape)."""
    if not matches:
        return {}
    return {
        "accepted_findings": [
            {**acceptance_json(m.acceptance), "checks": list(m.checks), "expired": m.expired}
            for m in matches
        ]
    }


def _read_acceptances(items: Any) -> tuple[AcceptanceMatch, ...]:
    return tuple(
        AcceptanceMatch(acceptance_from_json(i), tuple(i["checks"]), bool(i["expired"]))
        for i in items or ()
    )


def _accepted(evidence: Evidence, by_print: Mapping[str, Acceptance]) -> Evidence:
    """The evidence with each accepted finding joined to its entry of `accepted_findings`."""
    if not any(f.fingerprint in by_print for f in evidence.findings):
        return evidence
    findings = tuple(
        dataclasses.replace(f, accepted=by_print.get(f.fingerprint))
        if f.fingerprint in by_print
        else f
        for f in evidence.findings
    )
    return dataclasses.replace(evidence, findings=findings)


def _file(ref: FileDigest | None) -> Json | None:
    return None if ref is None else {"path": _text(ref.path), "sha256": ref.sha256}


def _trust(trust: TrustRecord, resting: int) -> Json:
    return {
        "config_trust": trust.config_trust.value,
        "config": _file(trust.config),
        **(
            {"config_in_target": trust.config_in_target}
            if trust.config_in_target is not None
            else {}
        ),
        "policy": _file(trust.policy),
        "tasks_resting_on_config": resting,
    }


def _trust_from(value: Any) -> TrustRecord | None:
    if not isinstance(value, dict):
        return None

    def ref(item: Any) -> FileDigest | None:
        return FileDigest(item["path"], item["sha256"]) if isinstance(item, dict) else None

    return TrustRecord(ConfigTrust(value["config_trust"]), ref(value.get("config")),
                       ref(value.get("policy")), value.get("config_in_target"))  # fmt: skip


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


def canonical(assessment: Assessment) -> Assessment:
    """The assessment as a reader of its `assessment.json` gets it back, without writing text:
    strings that cannot be written as UTF-8 (file names with undecodable bytes) come out
    backslash-escaped, so a report rendered after a scan equals one re-rendered from the record.
    """
    return from_record(_clean(to_record(assessment)))


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


def task_evidence(record: Mapping[str, Any], result: Mapping[str, Any]) -> list[Json]:
    """A result's evidence in full, from a record of either version: version 2 references its
    check runs (with the task's own outcome and summary), version 1 holds them inline (so does a
    record `expanded` for reading)."""
    runs = {run["id"]: run for run in record.get("check_runs", ())}
    return [{**{k: v for k, v in runs[ref["run"]].items() if k != "id"},
             "outcome": ref["outcome"], "summary": ref["summary"]}
            if "run" in ref else dict(ref)
            for ref in result["evidence"]]  # fmt: skip


def expanded(record: Mapping[str, Any]) -> Json:
    """The record with every result's evidence in full (the version 1 shape), for readers that
    walk results and their evidence."""
    return {**record, "results": [{**r, "evidence": task_evidence(record, r)}
                                  for r in record["results"]]}  # fmt: skip


def from_record(record: Mapping[str, Any]) -> Assessment:
    """Rebuild an Assessment from a (schema-valid) record of version 1 or 2."""
    record = expanded(record)
    cat = record["catalog"]
    acceptances = _read_acceptances(record.get("accepted_findings"))
    by_print = {m.acceptance.fingerprint: m.acceptance for m in acceptances}
    results = tuple(
        Result(
            control=_read_control(r["control_id"], r["control"]),
            status=ControlStatus(r["status"]),
            reason=r["reason"],
            evidence=tuple(_accepted(evidence_from_json(e), by_print) for e in r["evidence"]),
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
                        i.get("text", ""),
                        i.get("lead", ""),
                        tuple(i.get("form_tasks", ())),
                        i.get("mapping_note", ""),
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
        repository=_read_repository(record["target"]),
        gate=_read_gate(record.get("policy")),
        catalog=catalog,
        tools=record.get("tools", {}),
        generated_at=record["generated_at"],
        results=results,
        tool_version=record.get("generator", {}).get("version", ""),
        producer=record.get("producer", {}),
        trust=_trust_from(record.get("trust")),
        as_of=record.get("as_of", ""),
        acceptances=acceptances,
    )
