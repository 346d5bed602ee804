"""Render the chosen formats and write them atomically into the output folder."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from baseline.models import Assessment
from baseline.outdir import write_tree
from baseline.report.registry import FORMATS
from baseline.report.view import ReportView, build_view

REPORT_FILES = frozenset(
    {
        "assessment.json",
        "report.html",
        "report.md",
        "results.sarif",
        "oscal-assessment-results.json",
        "oscal-assessment-plan.json",
        "cisa-form.md",
        "cisa-form.json",
        "poam.md",
        "poam.csv",
    }
)
"""Every file name a format writes: in an existing output folder, only these are ours."""


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
    """Render all formats, then put them in place as one whole (baseline.outdir.write_tree).

    A folder of an earlier run is swapped for the new one (files of formats not chosen this time
    go with it); in a folder that also holds other files only this run's files are replaced."""
    files = render_all(assessment, formats, producer=producer)
    encoded = {name: text.encode("utf-8", "backslashreplace") for name, text in files.items()}
    write_tree(out, encoded, owns=REPORT_FILES.__contains__, foreign_ok=True)
    return [out / name for name in sorted(files)]
