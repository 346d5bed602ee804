"""JSON Schema and documentation derived from the config's field definitions, so that the
config's validation, the record's schema and the documentation of the keys cannot disagree.

`baseline/schemas/assessment.schema.json` holds the derived `producer` definition; a test
compares it with `producer_schema()` (regenerate with `UPDATE_SCHEMA=1 python -m pytest
tests/test_config_keys.py`), and likewise the key table in docs/vendor-workflow.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from baseline.catalog.fields import Field
from baseline.project import schema as config_schema

_JSON_TYPES: Mapping[type, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    dt.date: {"type": "string", "format": "date"},  # the record writes dates as ISO text
}


_KIND: Mapping[type, str] = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    list: "array",
    dict: "table",
    dt.date: "date",
}


def object_schema(
    fields: Mapping[str, Field], nested: Mapping[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The JSON Schema of a table with these fields; `nested` gives the schema of an array's or
    table's items by key."""
    properties: dict[str, Any] = {}
    for key, spec in fields.items():
        if nested and key in nested:
            prop = dict(nested[key])
        elif spec.kind is list:
            prop = {"type": "array"}
        elif spec.kind is dict:
            prop = {"type": "object"}
        else:
            prop = dict(_JSON_TYPES[spec.kind])
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


def producer_schema() -> dict[str, Any]:
    """The record's `producer`: exactly the config's `[producer]`, products included."""
    products = {"type": "array", "items": object_schema(config_schema.PRODUCT)}
    derived = object_schema(config_schema.PRODUCER, {"products": products})
    derived["properties"]["products"]["description"] = config_schema.PRODUCER["products"].help
    return {
        "description": "The software producer's details for the CISA Common Form (from the "
        "project config's [producer]; derived from baseline/project/schema.py).",
        **derived,
    }


def producer_keys_table() -> str:
    """The Markdown table of `[producer]` keys for the documentation."""
    rows = ["| `[producer]` key | type | meaning |", "| --- | --- | --- |"]
    for key, spec in config_schema.PRODUCER.items():
        kind = _KIND[spec.kind] + (" (required)" if spec.required else "")
        choices = f" One of {', '.join(f'`{c}`' for c in spec.choices)}." if spec.choices else ""
        rows.append(f"| `{key}` | {kind} | {spec.help}.{choices} |")
    for key, spec in config_schema.PRODUCT.items():
        kind = _KIND[spec.kind] + (" (required)" if spec.required else "")
        rows.append(f"| `products[].{key}` | {kind} | {spec.help}. |")
    return "\n".join(rows)
