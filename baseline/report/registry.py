"""The explicit registry of report formats."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from baseline.models import Assessment
from baseline.report import json_record
from baseline.report.cisa_form import render_form
from baseline.report.html import render_html
from baseline.report.interface import Rendered, ReportFormat
from baseline.report.markdown import render_markdown
from baseline.report.openvex import render_vex
from baseline.report.oscal import render_oscal
from baseline.report.sarif import render_sarif
from baseline.report.view import ReportView, build_view


def _json(assessment: Assessment) -> Rendered:
    # The accepted vulnerabilities of dependencies go with the record, as OpenVEX.
    return {
        "assessment.json": json_record.dumps(json_record.to_record(assessment)),
        **render_vex(assessment),
    }


def _from_view(
    name: str, description: str, render: Callable[[ReportView], Rendered]
) -> ReportFormat:
    return ReportFormat(name, description, lambda a: render(build_view(a)), render)


_ALL: tuple[ReportFormat, ...] = (
    ReportFormat(
        "json",
        "the canonical record, assessment.json (and vex.openvex.json: accepted dependency "
        "vulnerabilities as OpenVEX, when there are any)",
        _json,
    ),
    _from_view("html", "report.html: self-contained report for people", render_html),
    _from_view("md", "report.md: GitHub-flavoured summary", render_markdown),
    _from_view("sarif", "results.sarif: SARIF 2.1.0 for code scanning", render_sarif),
    _from_view("oscal", "oscal-assessment-results.json and -plan.json: OSCAL 1.1", render_oscal),
    _from_view("form", "cisa-form.md/.json, poam.md/.csv: CISA Common Form", render_form),
)

FORMATS: Mapping[str, ReportFormat] = {f.name: f for f in _ALL}
"""Format name -> format."""
