"""What a check is: an id phrased as a question, declared parameters, and a run function."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from baseline.context import Context
from baseline.models import Evidence

Params = Mapping[str, Any]


@dataclass(frozen=True)
class Param:
    """A parameter a check accepts from the catalog or the project config."""

    kind: type | tuple[type, ...]
    """Accepted Python type(s) as parsed from TOML (`str`, `int`, `float`, `bool`, `list`)."""
    default: Any
    help: str
    choices: tuple[Any, ...] = ()
    """Allowed values; for a list parameter, allowed items."""
    bounds: tuple[int, int] | None = None
    """Inclusive range of a number: a catalog or config outside it is refused (located)."""
    patterns: bool = False
    """A list of gitignore path patterns (baseline/globs.py): one out of bounds, or one git
    could never match, is refused (located) when the catalog or config is read."""


@dataclass(frozen=True)
class Check:
    """A registered check."""

    id: str
    """Dotted id that says what it asks: `repo.has_security_policy`."""
    question: str
    """The yes/no question the check answers."""
    run: Callable[[Context, Params], Evidence]
    """Gather and judge; may raise (the engine turns that into `error`)."""
    params: Mapping[str, Param] = field(default_factory=dict)
    tools: tuple[str, ...] = ()
    """External tools it calls, for the record and for `--help`."""

    def resolve(self, given: Params) -> dict[str, Any]:
        """Declared defaults overlaid with the given (already validated) parameters."""
        merged = {name: spec.default for name, spec in self.params.items()}
        merged.update(given)
        return merged
