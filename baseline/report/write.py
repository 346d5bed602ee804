"""Render the chosen formats and write them atomically into the output folder."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from baseline.atomic import write_text_atomic
from baseline.models import Assessment
from baseline.report.registry import FORMATS


def render_all(assessment: Assessment, formats: Sequence[str]) -> dict[str, str]:
    """Every file of every chosen format, rendered in memory first."""
    files: dict[str, str] = {}
    for name in formats:
        files.update(FORMATS[name].render(assessment))
    return files


def write_reports(assessment: Assessment, formats: Sequence[str], out: Path) -> list[Path]:
    """Render all formats before writing any, so a failure leaves the old reports untouched."""
    files = render_all(assessment, formats)
    written = []
    for name, text in sorted(files.items()):
        path = out / name
        write_text_atomic(path, text)
        written.append(path)
    return written
