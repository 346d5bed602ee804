"""Render the chosen formats and write them atomically into the output folder."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from baseline.models import Assessment
from baseline.outdir import write_tree
from baseline.report import json_record
from baseline.report.interface import Rendered
from baseline.report.registry import FORMATS
from baseline.report.view import ReportView, view_of_canonical

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
        "vex.openvex.json",
    }
)
"""Every file name a format writes: in an existing output folder, only these are ours."""


def render_formats(
    assessment: Assessment,
    formats: Sequence[str],
    *,
    producer: Mapping[str, str] | None = None,
) -> dict[str, Rendered]:
    """Each chosen format's files, rendered in memory from one canonical assessment and one
    view model (built once, however many formats read it)."""
    canonical = json_record.canonical(assessment)
    rendered: dict[str, Rendered] = {}
    view: ReportView | None = None
    for name in formats:
        fmt = FORMATS[name]
        if fmt.render_view is None:
            rendered[name] = fmt.render(canonical)
            continue
        view = view or view_of_canonical(canonical, producer)
        rendered[name] = fmt.render_view(view)
    return rendered


def render_all(
    assessment: Assessment,
    formats: Sequence[str],
    *,
    producer: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Every file of every chosen format (file name -> text), rendered in memory."""
    files: dict[str, str] = {}
    for rendered in render_formats(assessment, formats, producer=producer).values():
        files.update(rendered)
    return files


def write_rendered(files: Mapping[str, str], out: Path) -> list[Path]:
    """Put rendered files in place as one whole (baseline.outdir.write_tree).

    A folder of an earlier run is swapped for the new one (files of formats not chosen this time
    go with it); in a folder that also holds other files only this run's files are replaced."""
    encoded = {name: text.encode("utf-8", "backslashreplace") for name, text in files.items()}
    write_tree(out, encoded, owns=REPORT_FILES.__contains__, foreign_ok=True)
    return [out / name for name in sorted(files)]


def write_reports(
    assessment: Assessment,
    formats: Sequence[str],
    out: Path,
    *,
    producer: Mapping[str, str] | None = None,
) -> list[Path]:
    """Render all formats, then put them in place as one whole (write_rendered)."""
    return write_rendered(render_all(assessment, formats, producer=producer), out)
