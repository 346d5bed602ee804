"""Validate a parsed TOML table against a declared set of fields, collecting located problems."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from baseline.catalog.locate import KeyLines, KeyPath
from baseline.errors import Problem

_TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false",
               list: "an array", dict: "a table",
               dt.date: "a date (YYYY-MM-DD, unquoted)"}  # fmt: skip


@dataclass(frozen=True)
class Field:
    """One allowed key: its type, whether it must be present, allowed values, and what the
    generated JSON Schemas and documentation say about it (baseline/project/derive.py)."""

    kind: type
    required: bool = False
    choices: tuple[str, ...] = ()
    item_kind: type | None = None
    """For arrays: the type every item must have."""
    help: str = ""
    """What the key means, for the generated documentation."""
    fields: Mapping[str, Field] | None = field(default=None, compare=False)
    """For a table, or an array of tables (`kind` list): the keys each table may hold."""
    default: Any = field(default=None, hash=False)
    """What counts when the key is absent (None: nothing; TOML has no null)."""
    example: Any = field(default=None, hash=False)
    """A value as TOML parses it, for the documentation and the per-key tests (None: built
    from the required keys' examples of `fields`)."""
    record: str = ""
    """Where the assessment record carries the value, as a path (`results[].waiver.reason`);
    empty: the key only shapes the run and is recorded through its `claim`."""
    claim: str = ""
    """The kind of the config claim (the record's `config_claims`) the key gives a task."""


def type_name(kind: type | tuple[type, ...]) -> str:
    """How a type is named in messages."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(_TYPE_NAMES.get(k, k.__name__) for k in kinds)


def is_instance(value: Any, kind: type | tuple[type, ...]) -> bool:
    """isinstance, except that a bool is not an int and an int is a float (as in TOML)."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool):
        return bool in kinds
    if isinstance(value, int) and float in kinds:
        return True
    return isinstance(value, kinds)


def shown(value: Any, limit: int = 80) -> str:
    """repr of a value for a message, cut short: a bad value may be a huge nested table."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


def did_you_mean(word: str, options: Any) -> str:
    """` (did you mean 'x'?)` when a close option exists, else ``."""
    close = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class Reporter:
    """Collects problems for one file, locating each by key path."""

    def __init__(self, file: str, lines: KeyLines) -> None:
        self.file = file
        self.lines = lines
        self.problems: list[Problem] = []

    def add(self, path: KeyPath, label: str, message: str) -> None:
        """Record a problem at `path`, shown to the user as `label`."""
        self.problems.append(Problem(self.file, self.lines.line(path), label, message))

    def source(self, path: KeyPath) -> str:
        """`file:line` of the key at `path` (`file` when its line is unknown), for the record."""
        line = self.lines.line(path)
        return f"{self.file}:{line}" if line else self.file

    def table(
        self, value: Any, fields: Mapping[str, Field], path: KeyPath, label: str
    ) -> dict[str, Any]:
        """Check a table's keys and types; returns only the valid, known keys."""
        if not isinstance(value, dict):
            self.add(path, label, f"must be a table, not {type(value).__name__}")
            return {}
        clean: dict[str, Any] = {}
        for key, item in value.items():
            where = f"{label}.{key}" if label else key
            spec = fields.get(key)
            if spec is None:
                self.add((*path, key), where, f"unknown key{did_you_mean(key, fields)}")
            elif not is_instance(item, spec.kind):
                self.add((*path, key), where, f"must be {type_name(spec.kind)}, not {shown(item)}")
            elif spec.choices and item not in spec.choices:
                allowed = ", ".join(repr(c) for c in spec.choices)
                self.add((*path, key), where, f"must be one of {allowed}, not {shown(item)}")
            elif spec.item_kind and not all(is_instance(i, spec.item_kind) for i in item):
                self.add((*path, key), where, f"every item must be {type_name(spec.item_kind)}")
            else:
                clean[key] = item
        for key, spec in fields.items():
            if spec.required and key not in value:
                self.add(path, f"{label}.{key}" if label else key, "is required but missing")
        return clean

    def array_of_tables(self, value: Any, path: KeyPath, label: str) -> list[tuple[int, Any]]:
        """(index, table) pairs of an array of tables; reports a non-array."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(path, label, "must be an array of tables ([[...]])")
            return []
        return list(enumerate(value))
