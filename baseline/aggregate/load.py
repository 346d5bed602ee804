"""Read assessment records, validate each against the schema, and reduce it to one row.

The schema is compiled once into Python code (fastjsonschema): a pure interpreting validator
takes some 13 ms per record, too slow for a portfolio of hundreds; the compiled one under 1 ms.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import fastjsonschema

from baseline.errors import InputError, Problem
from baseline.resources import schema_path


@dataclass(frozen=True)
class CatalogRef:
    """Which catalog a record was made with; every input must name the same one."""

    id: str
    version: str
    title: str
    digest: str


@dataclass(frozen=True)
class Row:
    """One repository's assessment, reduced to what the portfolio shows."""

    file: str
    """The input file as the user named it (for messages only, never in reports)."""
    target: str
    commit: str | None
    catalog: CatalogRef
    summary: dict[str, int]
    statuses: tuple[tuple[str, str], ...]
    """(control id, status) in catalog order."""
    titles: tuple[tuple[str, str], ...]
    """(control id, title) in catalog order."""
    reasons: tuple[str, ...] = ()
    """Why each control has its status, in the order of `statuses`."""


@lru_cache(maxsize=1)
def record_validator() -> Callable[[Any], Any]:
    """The compiled assessment.schema.json; raises JsonSchemaValueException on the first error."""
    schema = json.loads(schema_path("assessment.schema.json").read_text(encoding="utf-8"))
    validate: Callable[[Any], Any] = fastjsonschema.compile(schema)
    return validate


def _pointer(parts: Sequence[object]) -> str:
    """RFC 6901 JSON pointer of a path inside the document."""
    escaped = (str(p).replace("~", "~0").replace("/", "~1") for p in parts)
    return "/" + "/".join(escaped) if parts else "/"


def _coherence(file: str, record: Mapping[str, Any]) -> list[Problem]:
    """What the schema cannot say: unique control ids, and a summary that matches the results."""
    problems = []
    seen: set[str] = set()
    for index, result in enumerate(record["results"]):
        if result["control_id"] in seen:
            where = f"/results/{index}/control_id"
            problems.append(Problem(file, None, where, f"{result['control_id']!r} appears twice"))
        seen.add(result["control_id"])
    for status, count in record["summary"].items():
        actual = sum(r["status"] == status for r in record["results"])
        if count != actual:
            message = f"says {count} but the results hold {actual} (an edited record?)"
            problems.append(Problem(file, None, f"/summary/{status}", message))
    return problems


def _identity(target: Mapping[str, Any]) -> str:
    """How the portfolio names a target: its repository (and folder in it) when the record
    knows the remote, so that two CI jobs that both assessed `.` stay apart; else its path."""
    url = target.get("url")
    if not url:
        return str(target["path"])
    subdir = target.get("subdir") or ""
    return str(url).removeprefix("https://") + (f"/{subdir}" if subdir else "")


def read_row(file: str) -> Row | list[Problem]:
    """One record as a Row, or its problems (located by line or JSON pointer)."""
    try:
        record = json.loads(Path(file).read_bytes())
    except OSError as exc:
        return [Problem(file, None, "", f"cannot read: {exc.strerror or exc}")]
    except RecursionError:
        return [Problem(file, None, "", "not JSON: nested too deeply")]
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        return [Problem(file, line, "", f"not JSON: {exc}")]
    try:
        record_validator()(record)
    except fastjsonschema.JsonSchemaValueException as exc:
        where = _pointer(list(exc.path or ())[1:])  # path[0] is the document itself ("data")
        return [Problem(file, None, where, f"not a valid assessment record: {exc.message}")]
    problems = _coherence(file, record)
    if problems:
        return problems
    cat = record["catalog"]
    return Row(
        file=file,
        target=_identity(record["target"]),
        commit=record["target"]["commit"],
        catalog=CatalogRef(cat["id"], cat["version"], cat["title"], cat["digest"]),
        summary=dict(record["summary"]),
        statuses=tuple((r["control_id"], r["status"]) for r in record["results"]),
        titles=tuple((r["control_id"], r["control"]["title"]) for r in record["results"]),
        reasons=tuple(r["reason"] for r in record["results"]),
    )


def _mismatch(row: Row, first: Row) -> Problem | None:
    """Why a record cannot be compared with the first one, if it cannot."""
    if row.catalog.id != first.catalog.id:
        message = f"catalog {row.catalog.id!r} differs from {first.catalog.id!r} in {first.file}"
        return Problem(row.file, None, "/catalog/id", message)
    if row.catalog.digest != first.catalog.digest:
        message = (
            f"catalog digest {row.catalog.digest[:12]} differs from {first.catalog.digest[:12]}"
            f" in {first.file} (another version or profile of {first.catalog.id})"
        )
        return Problem(row.file, None, "/catalog/digest", message)
    if row.titles != first.titles:
        return Problem(row.file, None, "/results", f"controls differ from those in {first.file}")
    return None


def _consistency(rows: list[Row]) -> list[Problem]:
    """Every record must come from the same catalog (id and digest) and name a distinct target."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for row in rows:
        mismatch = _mismatch(row, rows[0])
        if mismatch:
            problems.append(mismatch)
        if row.target in seen:
            message = f"target {row.target!r} is also assessed in {seen[row.target]}"
            problems.append(Problem(row.file, None, "/target/path", message))
        seen.setdefault(row.target, row.file)
    return problems


def load_rows(files: Sequence[str]) -> list[Row]:
    """Rows for every file, or an InputError listing every problem in every file."""
    if not files:
        raise InputError.single("aggregate", "FILES", "no assessment files given")
    rows: list[Row] = []
    problems: list[Problem] = []
    for outcome in map(read_row, files):
        if isinstance(outcome, Row):
            rows.append(outcome)
        else:
            problems.extend(outcome)
    if not problems:
        problems = _consistency(sorted(rows, key=lambda r: r.file))
    if problems:
        raise InputError(problems)
    return rows
