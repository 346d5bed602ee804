"""JSON Schemas and documentation derived from the config's field definitions
(baseline/project/schema.py), so that config validation, the config's JSON Schema, the record's
JSON Schema and the documentation of the keys cannot disagree.

Derived and committed, each compared with what this module builds by tests/test_config_keys.py
(`UPDATE_SCHEMA=1` / `UPDATE_DOCS=1` rewrite them):

- `baseline/schemas/config.schema.json`: `.baseline.toml` for editors and CI;
- in `baseline/schemas/assessment.schema.json`: `producer`, and the `$defs` `attestation`,
  `waiver` and the kinds of `config_claim`;
- `docs/project-config.md`: every table and key.

The definitions are `Field` tables rather than pydantic or msgspec models: the validation they
feed reports every problem at once with file, line and key (baseline/catalog/fields.py), which
those libraries do not do for TOML, and a walk over a dict of `Field`s is all derivation needs.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from typing import Any

from baseline.catalog.fields import Field
from baseline.project import schema as project_schema

_JSON_TYPES: Mapping[type, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    dt.date: {"type": "string", "format": "date"},  # TOML dates; ISO text in the record
}
_DAY = {"type": "string", "format": "date", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"}

_KIND: Mapping[type, str] = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    list: "array",
    dict: "table",
    dt.date: "date",
}

Path = tuple[str, ...]

_RECORD_ONLY: Mapping[str, Mapping[str, dict[str, Any]]] = {
    "results[].attestation.evidence_files[]": {
        "sha256": {
            "description": "the file's SHA-256 when assessed (null: the file is missing)",
            "type": ["string", "null"],
        }
    }
}
"""Keys the record adds to what the config wrote, by the record path of their table."""

_RECORD_NULLABLE = frozenset({"results[].attestation.evidence_files[].declared_sha256"})
"""Required in a config, yet null in a record: an attestation built in code (baseline.attest)
over a missing file, with no digest written down, has none."""

_RECORD_DEFS = {"attestation": project_schema.ATTESTATION, "waiver": project_schema.WAIVER}
_RECORD_BASES = {"attestation": "results[].attestation", "waiver": "results[].waiver"}


def walk(fields: Mapping[str, Field], prefix: Path = ()) -> Iterator[tuple[Path, Field]]:
    """Every key of a table and of the tables nested in it, depth first, by key path."""
    for key, spec in fields.items():
        yield (*prefix, key), spec
        if spec.fields is not None:
            yield from walk(spec.fields, (*prefix, key))


def example_of(spec: Field) -> Any:
    """The key's example; for a table (or array of tables) without one, its required keys'."""
    if spec.example is not None:
        return spec.example
    if spec.fields is None:
        return None
    table = {k: example_of(f) for k, f in spec.fields.items() if f.required}
    return [table] if spec.kind is list else table


def toml_value(value: Any) -> str:
    """A value as inline TOML (strings quoted as JSON quotes them, which TOML reads alike)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | int | float):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    raise TypeError(f"no TOML for {value!r}")


def _is_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def toml_document(table: Mapping[str, Any], prefix: str = "") -> str:
    """A table as a TOML document: plain keys first, then `[table]` (top level) and `[[array]]`
    sections (nested ones by dotted name), the way a person writes a config."""

    def section(value: Any) -> bool:  # a nested plain table stays inline: `params = {...}`
        return (isinstance(value, dict) and not prefix) or _is_tables(value)

    plain = [f"{k} = {toml_value(v)}\n" for k, v in table.items() if not section(v)]
    sections: list[str] = []
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and not prefix:
            sections.append(f"\n[{name}]\n" + toml_document(value, f"{name}."))
        elif _is_tables(value):
            sections += [f"\n[[{name}]]\n" + toml_document(v, f"{name}.") for v in value]
    return "".join(plain) + "".join(sections)


def full_example() -> dict[str, Any]:
    """A config holding every key of every table, each with its example."""
    return _every(project_schema.CONFIG)


def _every(fields: Mapping[str, Field]) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for key, spec in fields.items():
        if spec.fields is not None:
            every = _every(spec.fields)
            table[key] = [every] if spec.kind is list else every
        else:
            table[key] = example_of(spec)
    return table


def json_value(value: Any) -> Any:
    """A TOML value as JSON holds it (dates as ISO text)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    return value


# -- the config's JSON Schema --------------------------------------------------------------


def _config_property(spec: Field) -> dict[str, Any]:
    prop: dict[str, Any]
    if spec.fields is not None:
        table = config_table(spec.fields)
        prop = {"type": "array", "items": table} if spec.kind is list else table
    elif spec.kind is list:
        prop = {"type": "array"}
        if spec.item_kind is not None:
            prop["items"] = dict(_JSON_TYPES[spec.item_kind])
    elif spec.kind is dict:
        prop = {"type": "object"}
    else:
        prop = dict(_JSON_TYPES[spec.kind])
    if spec.choices:
        prop["enum"] = list(spec.choices)
    described: dict[str, Any] = {"description": spec.help} if spec.help else {}
    if spec.default is not None:
        described["default"] = json_value(spec.default)
    example = example_of(spec)
    if example is not None:
        described["examples"] = [json_value(example)]
    return {**described, **prop}


def config_table(fields: Mapping[str, Field]) -> dict[str, Any]:
    """The JSON Schema of a config table with these fields (unknown keys refused)."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [k for k, f in fields.items() if f.required],
        "properties": {k: _config_property(f) for k, f in fields.items()},
    }


def config_schema() -> dict[str, Any]:
    """The JSON Schema of `.baseline.toml` (and of `[tool.baseline]` in pyproject.toml)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://ssdf-baseline.invalid/schemas/config.schema.json",
        "title": "ssdf-baseline project config (.baseline.toml)",
        "description": "Derived from baseline/project/schema.py; documented in "
        "docs/project-config.md. Dates are TOML dates (YYYY-MM-DD, unquoted).",
        **config_table(project_schema.CONFIG),
        "$defs": {"included_file": config_table(project_schema.INCLUDED_FILE)},
    }


# -- the record's definitions --------------------------------------------------------------


def _record_property(spec: Field, base: str) -> tuple[str, dict[str, Any]]:
    name = spec.record.removeprefix(base + ".")
    if spec.fields is not None:
        prop: dict[str, Any] = {
            "type": "array",
            "items": _record_table(spec.fields, spec.record + "[]"),
        }
    elif spec.kind is list:
        prop = {"type": "array", "items": dict(_JSON_TYPES[spec.item_kind or str])}
    elif spec.kind is dt.date:
        prop = dict(_DAY)
    else:
        prop = dict(_JSON_TYPES[spec.kind])
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
            prop = dict(_JSON_TYPES.get(spec.kind, {"type": "array"}))
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
    reason = project_schema.NOT_APPLICABLE["reason"]
    schema["$defs"]["control"]["properties"]["not_applicable"] = {
        "description": f"{reason.help}: a catalog's or the project config's "
        "[[not_applicable]] reason (null: the task applies)",
        "type": [_JSON_TYPES[reason.kind]["type"], "null"],
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


def producer_keys_table() -> str:
    """The Markdown table of `[producer]` keys for docs/vendor-workflow.md."""
    rows = ["| `[producer]` key | type | meaning |", "| --- | --- | --- |"]
    for key, spec in project_schema.PRODUCER.items():
        kind = _KIND[spec.kind] + (" (required)" if spec.required else "")
        choices = f" One of {', '.join(f'`{c}`' for c in spec.choices)}." if spec.choices else ""
        rows.append(f"| `{key}` | {kind} | {spec.help}.{choices} |")
    for key, spec in project_schema.PRODUCT.items():
        kind = _KIND[spec.kind] + (" (required)" if spec.required else "")
        rows.append(f"| `products[].{key}` | {kind} | {spec.help}. |")
    return "\n".join(rows)


# -- the documentation ----------------------------------------------------------------------


def _kind(spec: Field) -> str:
    if spec.fields is not None and spec.kind is list:
        return "array of tables"
    if spec.item_kind is not None:
        return f"array of {_KIND[spec.item_kind]}s"
    return _KIND[spec.kind]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _header(path: Path, spec: Field) -> str:
    name = ".".join(path)
    return f"`[[{name}]]`" if spec.kind is list else f"`[{name}]`"


def _rows(fields: Mapping[str, Field]) -> list[str]:
    rows = ["| key | type | required | default | meaning | example |", "| --- " * 6 + "|"]
    for key, spec in fields.items():
        meaning = spec.help[:1].upper() + spec.help[1:] + "."
        if spec.choices:
            meaning += " One of " + ", ".join(f"`{c}`" for c in spec.choices) + "."
        if spec.record:
            meaning += f" Recorded as `{spec.record}`."
        if spec.claim:
            meaning += f" Gives the tasks it bears on a `{spec.claim}` claim."
        default = f"`{toml_value(spec.default)}`" if spec.default is not None else ""
        example = example_of(spec)
        shown = f"`{key} = {toml_value(example)}`" if example is not None else ""
        rows.append(
            f"| `{key}` | {_kind(spec)} | {'yes' if spec.required else 'no'} | {default} | "
            f"{_cell(meaning)} | {_cell(shown)} |"
        )
    return rows


def _tables(fields: Mapping[str, Field], path: Path = ()) -> Iterator[tuple[Path, Field]]:
    for key, spec in fields.items():
        if spec.fields is not None:
            yield (*path, key), spec
            yield from _tables(spec.fields, (*path, key))


_INTRO = """\
# The project config: `.baseline.toml`

<!-- Generated from baseline/project/schema.py by baseline/project/derive.py; do not edit by
hand: `UPDATE_DOCS=1 python -m pytest tests/test_config_keys.py` rewrites it. -->

A repository describes itself to ssdf-baseline in `.baseline.toml` at its root (or in
`[tool.baseline]` of `pyproject.toml`); `baseline init` writes a commented one. The config is
the vendor's claim: the operator decides how much of it counts (`--config-trust`, see
[the vendor's workflow][trust]),
and every task whose status rests on it carries a config claim in the record.

Every key is validated (an unknown key, a wrong type or a missing required key is an error
naming the file, line and key; exit code 2). Paths are relative to the config's folder and may
not leave it. Dates are TOML dates, unquoted (`2026-01-15`). The JSON Schema of this file is
[`baseline/schemas/config.schema.json`](../baseline/schemas/config.schema.json), for editors
and CI; the record's JSON Schema
([`assessment.schema.json`](../baseline/schemas/assessment.schema.json)) takes its `producer`,
`attestation` and `waiver` definitions from the same fields.

[trust]: vendor-workflow.md#who-decides-the-operator---config-trust-and-the-policy-file

"""


def docs_page() -> str:
    """docs/project-config.md: every table and key with type, required, default, meaning,
    where the record carries it, and an example."""
    parts = [_INTRO, "## The top level\n", *_rows(project_schema.CONFIG), ""]
    for path, spec in _tables(project_schema.CONFIG):
        parts += [f"## {_header(path, spec)}\n", _cell(spec.help[:1].upper() + spec.help[1:])
                  + ".\n", *_rows(spec.fields or {}), ""]  # fmt: skip
    parts += [
        "## Files named by `include`\n",
        "They hold `[[attestations]]` and `[[waivers]]` only, with the keys above.\n",
        *_rows(project_schema.INCLUDED_FILE),
        "",
        "## Every key at once\n",
        "Each key with its example (the test suite loads this config):\n",
        "```toml",
        toml_document(full_example()).rstrip("\n"),
        "```",
        "",
    ]
    return "\n".join(parts)
