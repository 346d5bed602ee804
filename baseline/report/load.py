"""Read an assessment.json back: parse, validate against the shipped schema, rebuild.

Every problem is an InputError naming the file and the key path (and the line for bad JSON).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jsonschema

from baseline.errors import InputError, Problem
from baseline.models import Assessment
from baseline.report.json_record import from_record
from baseline.resources import schema_path

SCHEMA = "assessment.schema.json"


def _key_path(parts: Iterable[Any]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _schema_problems(name: str, record: Any) -> list[Problem]:
    schema = json.loads(schema_path(SCHEMA).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(record), key=lambda e: list(map(str, e.absolute_path)))
    return [
        Problem(name, None, _key_path(e.absolute_path) or "(top level)", e.message)
        for e in errors[:20]
    ]


def load_assessment(path: Path) -> Assessment:
    """The Assessment recorded in `path`; InputError (exit 2) if it is not a valid record."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError.single(name, "", f"cannot read the record: {exc}") from None
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError.single(name, "", f"not JSON: {exc.msg}", line=exc.lineno) from None
    problems = _schema_problems(name, record)
    if problems:
        raise InputError(problems)
    try:
        return from_record(record)
    except (KeyError, ValueError, TypeError) as exc:
        raise InputError.single(name, "", f"not a usable assessment record: {exc!r}") from None
