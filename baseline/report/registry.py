"""The explicit registry of report formats."""

from __future__ import annotations

from collections.abc import Mapping

from baseline.models import Assessment
from baseline.report import json_record
from baseline.report.interface import Rendered, ReportFormat


def _json(assessment: Assessment) -> Rendered:
    return {"assessment.json": json_record.dumps(json_record.to_record(assessment))}


_ALL: tuple[ReportFormat, ...] = (
    ReportFormat("json", "the canonical record, assessment.json", _json),
)

FORMATS: Mapping[str, ReportFormat] = {f.name: f for f in _ALL}
"""Format name -> format."""
