"""Render the chosen formats and write them atomically into the output folder."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from baseline.atomic import write_text_atomic
from baseline.models import Assessment
from baseline.report.registry import FORMATS
from baseline.report.view import ReportView, build_view


def render_all(
    assessment: Assessment,
    formats: Sequence[str],
    *,
    producer: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Every file of every chosen format, rendered in memory first, from one view model."""
    files: dict[str, str] = {}
    view: ReportView | None = None
    for name in formats:
        fmt = FORMATS[name]
        if fmt.render_view is None:
            files.update(fmt.render(assessment))
            continue
        view = view or build_view(assessment, producer)
        files.update(fmt.render_view(view))
    return files


def write_reports(
    assessment: Assessment,
    formats: Sequence[str],
    out: Path,
    *,
    producer: Mapping[str, str] | None = None,
) -> list[Path]:
    """Render all formats before writing any, so a failure leaves the old reports untouched."""
    files = render_all(assessment, formats, producer=producer)
    written = []
    for name, text in sorted(files.items()):
        path = out / name
        write_text_atomic(path, text)
        written.append(path)
    return written
