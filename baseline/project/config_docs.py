"""docs/project-config.md, derived from the config's field definitions: every table and key
with type, required, default, meaning, where the record carries it and an example, and a config
holding every key (tests/test_config_keys.py keeps the committed page equal to it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping

from baseline.catalog.fields import Field
from baseline.project import schema as project_schema
from baseline.project.derive import KeyPath, example_of, full_example, toml_document, toml_value

_KIND: Mapping[type, str] = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    list: "array",
    dict: "table",
    dt.date: "date",
}


def _kind(spec: Field) -> str:
    if spec.fields is not None and spec.kind is list:
        return "array of tables"
    if spec.item_kind is not None:
        return f"array of {_KIND[spec.item_kind]}s"
    return _KIND[spec.kind]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _header(path: KeyPath, spec: Field) -> str:
    name = ".".join(path)
    return f"`[[{name}]]`" if spec.kind is list else f"`[{name}]`"


def _rows(fields: Mapping[str, Field]) -> list[str]:
    rows = ["| key | type | required | default | meaning | example |", "| --- " * 6 + "|"]
    for key, spec in fields.items():
        meaning = spec.help[:1].upper() + spec.help[1:] + "."
        if spec.choices:
            meaning += " One of " + ", ".join(f"`{c}`" for c in spec.choices) + "."
        if spec.record:
            meaning += f" Record: `{spec.record}`."
        if spec.claim:
            meaning += f" Config claim: `{spec.claim}`."
        default = f"`{toml_value(spec.default)}`" if spec.default is not None else ""
        example = example_of(spec)
        shown = f"`{key} = {toml_value(example)}`" if example is not None else ""
        rows.append(
            f"| `{key}` | {_kind(spec)} | {'yes' if spec.required else 'no'} | {default} | "
            f"{_cell(meaning)} | {_cell(shown)} |"
        )
    return rows


def _tables(fields: Mapping[str, Field], path: KeyPath = ()) -> Iterator[tuple[KeyPath, Field]]:
    for key, spec in fields.items():
        if spec.fields is not None:
            yield (*path, key), spec
            yield from _tables(spec.fields, (*path, key))


_INTRO = """\
# The project config: `.baseline.toml`

<!-- Generated from baseline/project/schema.py by baseline/project/config_docs.py; do not
edit by hand: `UPDATE_DOCS=1 python -m pytest tests/test_config_keys.py` rewrites it. -->

A repository describes itself to ssdf-baseline in `.baseline.toml` at its root (or in
`[tool.baseline]` of `pyproject.toml`); `baseline init` writes a commented one. The config is
the vendor's claim: the operator decides how much of it counts (`--config-trust`, see
[the vendor's workflow][trust]), and every task whose status rests on it carries a config claim
in the record: the column "meaning" names the claim each key gives (`Config claim`) and where
the record carries the value (`Record`, a path into `assessment.json`).

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
