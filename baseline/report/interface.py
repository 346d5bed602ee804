"""What a report format is: a name and a function from an Assessment to named files."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from baseline.models import Assessment

Rendered = Mapping[str, str]
"""File name (inside the output folder) -> text."""


@dataclass(frozen=True)
class ReportFormat:
    """A registered output format."""

    name: str
    description: str
    render: Callable[[Assessment], Rendered]
