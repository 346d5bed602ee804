"""tomllib on Python 3.11+, tomli on 3.10; deep nesting is a decode error, not a crash."""

from __future__ import annotations

import sys
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on 3.10
    import tomli as tomllib

TOMLDecodeError = tomllib.TOMLDecodeError


def loads(text: str) -> dict[str, Any]:
    """Parse TOML text; nesting too deep for the (recursive) parser is a TOMLDecodeError."""
    try:
        return tomllib.loads(text)
    except RecursionError:
        where = _deepest_line(text)
        raise TOMLDecodeError(
            f"arrays or inline tables are nested too deep (at line {where}, column 1)"
        ) from None


def _deepest_line(text: str) -> int:
    """The line where bracket nesting first reaches its maximum (a good place to look)."""
    depth = deepest = 0
    line = where = 1
    for char in text:
        if char == "\n":
            line += 1
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest, where = depth, line
        elif char in "]}":
            depth -= 1
    return where


__all__ = ["TOMLDecodeError", "loads"]
