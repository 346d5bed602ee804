"""Golden files: every format rendered from the fixed synthetic assessment, byte for byte.

Regenerate after an intended change, then review the diff:

    UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from report_sample import sample_assessment

from baseline.report.registry import FORMATS
from baseline.report.write import render_all

GOLDEN = Path(__file__).parent / "golden"
RENDERED = render_all(sample_assessment(), list(FORMATS))


def test_every_format_has_its_files() -> None:
    assert sorted(RENDERED) == [
        "assessment.json",
        "cisa-form.json",
        "cisa-form.md",
        "oscal-assessment-plan.json",
        "oscal-assessment-results.json",
        "poam.csv",
        "poam.md",
        "report.html",
        "report.md",
        "results.sarif",
    ]


@pytest.mark.parametrize("name", sorted(RENDERED))
def test_matches_golden_file(name: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(RENDERED[name].encode("utf-8"))
    assert path.exists(), f"missing golden file; run UPDATE_GOLDEN=1 python -m pytest {__file__}"
    assert RENDERED[name] == path.read_text(encoding="utf-8")
