"""The `[scope]` table of a catalog or a project config, validated with located problems."""

from __future__ import annotations

from typing import Any

from baseline import globs
from baseline.catalog import schema
from baseline.catalog.fields import Reporter
from baseline.models import Scope


def scope_table(value: Any, report: Reporter) -> dict[str, list[str]]:
    """The valid part of a `[scope]` table; each bad glob or label is a located problem.

    Globs are bounded by baseline/globs.problems (the same rules as every other glob).
    """
    table = report.table(value, schema.SCOPE, ("scope",), "scope")
    for key, patterns in table.items():
        if key != "failing" and isinstance(patterns, list):
            for why in globs.problems(patterns):
                report.add(("scope", key), f"scope.{key}", why)
    labels = [s.value for s in Scope]
    for item in table.get("failing", ()):
        if item not in labels:
            report.add(("scope", "failing"), "scope.failing",
                       f"{item!r} is not a scope label ({', '.join(labels)})")  # fmt: skip
            table.pop("failing")
            break
    return table
