"""Read an `assessment.json` back, validated against the shipped schema (located errors)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from baseline.errors import InputError, Problem
from baseline.models import Assessment
from baseline.report.json_record import from_record
from baseline.resources import schema_path

if TYPE_CHECKING:
    import jsonschema

MAX_PROBLEMS = 20


@cache
def _validator() -> jsonschema.Draft202012Validator:
    # Imported here: it takes a fifth of the CLI's start-up, and `assess` never reads records.
    import jsonschema

    schema = json.loads(schema_path("assessment.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _key(path: Any) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def schema_problems(record: Any, file: str) -> list[Problem]:
    """Every place the record breaks the schema (the first MAX_PROBLEMS), by key path."""
    errors = sorted(_validator().iter_errors(record), key=lambda e: list(map(str, e.path)))
    return [
        Problem(file, None, _key(e.absolute_path) or "(top level)", e.message[:300])
        for e in errors[:MAX_PROBLEMS]
    ]


def load_record(path: Path) -> Assessment:
    """The Assessment in an `assessment.json`; InputError naming file, line or key otherwise."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError.single(name, "", f"cannot read: {exc}") from None
    try:
        record = json.loads(text)
        problems = schema_problems(record, name)
    except json.JSONDecodeError as exc:
        raise InputError.single(name, "", f"invalid JSON: {exc.msg}", exc.lineno) from None
    except RecursionError:  # `[[[[...` a hundred thousand deep: a bad file, not our bug
        raise InputError.single(name, "", "invalid JSON: nested too deeply") from None
    if problems:
        raise InputError(problems)
    try:
        return from_record(record)
    except (KeyError, ValueError, TypeError, RecursionError) as exc:
        raise InputError.single(name, "", f"not a usable assessment record: {exc!r}") from None
