"""The parts of the record's JSON Schema (`baseline/schemas/assessment.schema.json`) that
echo the project config, derived from its field definitions: `producer`, a task's `attestation`
and `waiver`, the kinds of `config_claim`, a finding's scope labels, the not-applicable reason
and the parameter override's description. A key's `record` path (`results[].waiver.reason`)
names the record key it becomes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from baseline.catalog.fields import Field
from baseline.project import schema as project_schema
from baseline.project.derive import JSON_TYPES, walk

_DAY = {"type": "string", "format": "date", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"}
_RECORD_ONLY: Mapping[str, Mapping[str, dict[str, Any]]] = {
    "results[].attestation.evidence_files[]": {
        "sha256": {
            "description": "the file's SHA-256 when assessed (null: the file is missing)",
            "type": ["string", "null"],
        }
    },
    "accepted_findings[]": {
        "source": {"description": "`file:line` of the entry", "type": "string"},
        "checks": {
            "description": "the checks whose findings carry the fingerprint (empty: unmatched, "
            "it changed nothing)",
            "type": "array",
            "items": {"type": "string"},
        },
        "expired": {
            "description": "the acceptance had expired on the as-of day: the finding counts again",
            "type": "boolean",
        },
    },
}
"""Keys the record adds to what the config wrote, by the record path of their table."""

_RECORD_NULLABLE = frozenset({"results[].attestation.evidence_files[].declared_sha256"})
"""Required in a config, yet null in a record: an attestation built in code (baseline.attest)
over a missing file, with no digest written down, has none."""

_RECORD_DEFS = {"attestation": project_schema.ATTESTATION, "waiver": project_schema.WAIVER}
_RECORD_BASES = {"attestation": "results[].attestation", "waiver": "results[].waiver"}


def _record_property(spec: Field, base: str) -> tuple[str, dict[str, Any]]:
    name = spec.record.removeprefix(base + ".")
    if spec.fields is not None:
        prop: dict[str, Any] = {
            "type": "array",
            "items": _record_table(spec.fields, spec.record + "[]"),
        }
    elif spec.kind is list:
        prop = {"type": "array", "items": dict(JSON_TYPES[spec.item_kind or str])}
    elif spec.kind is dt.date:
        prop = dict(_DAY)
    else:
        prop = dict(JSON_TYPES[spec.kind])
    if (not spec.required and spec.default is None) or spec.record in _RECORD_NULLABLE:
        prop = {"anyOf": [prop, {"type": "null"}]} if spec.kind is dt.date else {
            **prop, "type": [prop["type"], "null"]}  # fmt: skip
    return name, {"description": spec.help, **prop} if spec.help else prop


def _record_table(fields: Mapping[str, Field], base: str) -> dict[str, Any]:
    properties = dict(_record_property(f, base) for f in fields.values())
    properties.update(_RECORD_ONLY.get(base, {}))
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }


def record_keys(fields: Mapping[str, Field], base: str) -> list[str]:
    """The keys the record writes for a config table recorded at `base` (record-only included)."""
    return list(_record_table(fields, base)["properties"])


def record_definition(name: str) -> dict[str, Any]:
    """The record's `$defs` entry for a config table the record echoes (a task's attestation or
    waiver: null when there is none)."""
    table = _record_table(_RECORD_DEFS[name], _RECORD_BASES[name])
    return {**table, "type": ["object", "null"]}


def claim_kinds() -> list[str]:
    """Every kind of config claim a key can give a task, in the order the keys are defined."""
    specs = [*walk(project_schema.CONFIG), *walk(project_schema.INCLUDED_FILE)]
    return list(dict.fromkeys(spec.claim for _, spec in specs if spec.claim))


def producer_schema() -> dict[str, Any]:
    """The record's `producer`: exactly the config's `[producer]`, products included."""
    products = {"type": "array", "items": _plain_table(project_schema.PRODUCT)}
    derived = _plain_table(project_schema.PRODUCER, {"products": products})
    derived["properties"]["products"]["description"] = project_schema.PRODUCER["products"].help
    return {
        "description": "The software producer's details for the CISA Common Form (from the "
        "project config's [producer]; derived from baseline/project/schema.py).",
        **derived,
    }


def _plain_table(
    fields: Mapping[str, Field], nested: Mapping[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A table the record copies as written: the keys given, and only those."""
    properties: dict[str, Any] = {}
    for key, spec in fields.items():
        if nested and key in nested:
            prop = dict(nested[key])
        else:
            prop = dict(JSON_TYPES.get(spec.kind, {"type": "array"}))
        if spec.choices:
            prop["enum"] = list(spec.choices)
        if spec.help:
            prop["description"] = spec.help
        properties[key] = prop
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [k for k, f in fields.items() if f.required],
        "properties": properties,
    }


def update_record_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The record's JSON Schema with every derived part replaced by what the fields say."""
    schema["properties"]["producer"] = producer_schema()
    for name in _RECORD_DEFS:
        schema["$defs"][name] = record_definition(name)
    schema["$defs"]["config_claim"]["properties"]["kind"]["enum"] = claim_kinds()
    schema["$defs"]["finding"]["properties"]["scope"]["enum"] = scope_labels()
    accepted = project_schema.CONFIG["accepted_findings"]
    schema["properties"]["accepted_findings"] = {
        "description": f"The project config's [[accepted_findings]] ({accepted.help}), each "
        "with what it matched (only when the config has any).",
        "type": "array",
        "items": _record_table(project_schema.ACCEPTED_FINDING, "accepted_findings[]"),
    }
    reason = project_schema.NOT_APPLICABLE["reason"]
    schema["$defs"]["control"]["properties"]["not_applicable"] = {
        "description": f"{reason.help}: a catalog's or the project config's "
        "[[not_applicable]] reason (null: the task applies)",
        "type": [JSON_TYPES[reason.kind]["type"], "null"],
    }
    params = project_schema.PARAMS
    override = schema["$defs"]["param_override"]
    override["description"] = (
        "A check parameter set by the assessed repository's config ([[params]]: "
        f"{params['params'].help}): `param` = `value` where the catalog had `default`; `source` "
        "is the file:line of the entry."
    )
    return schema


def scope_labels() -> list[str]:
    """The labels a finding's scope can have: the keys of `[scope]` that name globs."""
    return [key for key in project_schema.SCOPE if key != "failing"]
