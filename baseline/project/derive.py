"""The config's field definitions (baseline/project/schema.py) walked into what is derived
from them: examples, TOML and JSON values, and the config's JSON Schema
(`baseline/schemas/config.schema.json`, for editors and CI). The record schema's config parts
are in baseline/project/record_parts.py, the documentation in baseline/project/config_docs.py;
tests/test_config_keys.py compares each committed file with what they build (`UPDATE_SCHEMA=1`
/ `UPDATE_DOCS=1` rewrite them), so config validation, both JSON Schemas and the documentation
cannot disagree.

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

JSON_TYPES: Mapping[type, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    dt.date: {"type": "string", "format": "date"},  # TOML dates; ISO text in the record
}
KeyPath = tuple[str, ...]
"""A key's place in the config: the table keys leading to it."""


def walk(fields: Mapping[str, Field], prefix: KeyPath = ()) -> Iterator[tuple[KeyPath, Field]]:
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
            prop["items"] = dict(JSON_TYPES[spec.item_kind])
    elif spec.kind is dict:
        prop = {"type": "object"}
    else:
        prop = dict(JSON_TYPES[spec.kind])
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
