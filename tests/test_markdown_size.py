"""report.md stays under GitHub's step-summary limit: details dropped first, then cut at a line."""

from __future__ import annotations

from report_sample import sample_assessment

from baseline.report.markdown import FILENAME, render_markdown
from baseline.report.view import build_view


def _sizes() -> tuple[str, str]:
    view = build_view(sample_assessment())
    full = render_markdown(view, limit=10**9)[FILENAME]
    return full, render_markdown(view, limit=len(full.encode("utf-8")) - 1)[FILENAME]


def test_a_report_that_fits_is_whole() -> None:
    full, _ = _sizes()
    assert "**Truncated**" not in full and "sha256 of" in full  # per-check details present


def test_one_byte_over_drops_the_details_but_keeps_the_summary() -> None:
    full, shorter = _sizes()
    assert len(shorter) < len(full)
    assert "sha256 of" not in shorter and "## Summary" in shorter
    assert "**Truncated**" not in shorter


def test_a_tiny_limit_cuts_at_a_line_and_says_so() -> None:
    view = build_view(sample_assessment())
    text = render_markdown(view, limit=1200)[FILENAME]
    assert len(text.encode("utf-8")) <= 1200
    assert text.rstrip().endswith("and assessment.json for everything.")
    assert text.startswith("# SSDF assessment")
