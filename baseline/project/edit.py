"""Add an entry to a project config file, keeping what a person wrote (comments, order, layout).

tomlkit reads and writes TOML without losing comments or formatting (tomllib only reads), so
`baseline attest` can add an `[[attestations]]` block to a config someone maintains by hand.
The caller validates the whole config with the new text before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import tomlkit
import tomlkit.exceptions
from tomlkit.items import AoT

from baseline.errors import InputError


def with_entry(
    text: str,
    table: str,
    entry: Mapping[str, Any],
    *,
    file: str,
    replace: bool,
    key: str = "control",
) -> str:
    """`text` with `entry` appended to the array of tables `table` (`[[table]]`).

    An entry with the same `key` (the control; an accepted finding's fingerprint) is an error
    unless `replace`, which puts the new entry in its place."""
    try:
        doc = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        line = getattr(exc, "line", None)
        raise InputError.single(file, "", f"invalid TOML: {exc}", line) from None
    existing = doc.get(table)
    if existing is None:
        existing = tomlkit.aot()
        if text.strip():
            doc.add(tomlkit.nl())
        doc.append(table, existing)
    if not isinstance(existing, AoT):
        raise InputError.single(file, table, f"`{table}` is not an array of tables ([[{table}]])")
    item = tomlkit.table()
    for name, value in entry.items():
        item.add(name, _inline(value))
    same = [i for i, old in enumerate(existing) if old.get(key) == entry.get(key)]
    if same and not replace:
        why = f"already holds an entry for {entry.get(key)} (--replace to replace it)"
        raise InputError.single(file, table, why)
    if same:
        existing[same[0]] = item
    else:
        existing.append(item)
    return tomlkit.dumps(doc)


def _inline(value: Any) -> Any:
    # Lists of tables are written inline (`evidence = [{ path = ..., sha256 = ... }]`), as the
    # documentation shows them, instead of as sub-tables.
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        array = tomlkit.array()
        for v in value:
            inline = tomlkit.inline_table()
            inline.update(v)
            array.append(inline)
        return array
    return value
