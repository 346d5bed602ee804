"""What a report format is: a name and a function from an Assessment to named files."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from baseline.models import Assessment

if TYPE_CHECKING:
    from baseline.report.view import ReportView

Rendered = Mapping[str, str]
"""File name (inside the output folder) -> text."""


@dataclass(frozen=True)
class ReportFormat:
    """A registered output format."""

    name: str
    description: str
    render: Callable[[Assessment], Rendered]
    render_view: Callable[[ReportView], Rendered] | None = None
    """For formats drawn from the shared view model: lets a run build that view only once."""
