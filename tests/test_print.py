"""The golden report on paper: Chromium's PDF has bookmarks, the contents list and no page
left nearly blank (a heading pushed over by a box that would not break)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from pypdf import PdfReader

from benchmarks.report_print import NEARLY_BLANK_CHARS, measure, print_pdf

pytestmark = pytest.mark.slow  # real Chromium

GOLDEN = Path(__file__).resolve().parent / "golden" / "report.html"


def test_golden_report_prints_with_bookmarks_contents_and_no_blank_page(
    browser: Browser,
) -> None:
    figures = measure(print_pdf(browser, GOLDEN))
    headings = GOLDEN.read_text(encoding="utf-8").count("<h2") + 7  # sections + one per task
    assert figures.outline >= headings, f"{figures.outline} bookmarks for {headings} headings"
    assert figures.contents_printed, "the contents list is not on the first two pages"
    assert figures.nearly_blank == (), f"pages under {NEARLY_BLANK_CHARS} characters"
    assert figures.orphan_headings == ()
    # 13 before the print stylesheet of issue 17, 7 after it, 10 with the summary and the check
    # runs section (each run's evidence once) in front of and after the tasks.
    assert figures.pages <= 10, figures


def test_measure_sees_a_nearly_blank_page_and_an_orphan_heading(
    browser: Browser, tmp_path: Path
) -> None:
    """The checks are live: a forced break after one line leaves a nearly blank page, and a
    forced break after a heading leaves it alone at the foot of its page."""
    page = tmp_path / "blank.html"
    text = "Filler text for a page. " * 200
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>'
        '<h1>Contents</h1><p>One line.</p><h2 style="break-before: page">Next</h2>'
        f'<p>{text}</p><h2 style="break-after: page">Stranded section heading</h2>'
        f"<p>{text}</p></body></html>",
        encoding="utf-8",
    )
    figures = measure(print_pdf(browser, page))
    assert figures.outline >= 3
    assert figures.contents_printed
    assert [n for n, _ in figures.nearly_blank] == [1], figures
    assert [h for _, h in figures.orphan_headings] == ["Strandedsectionheading"], figures


def test_details_print_their_summary_or_in_full(browser: Browser, tmp_path: Path) -> None:
    """A collapsed <details> prints its summary line (the counts); an open one, or one marked
    print-expand, prints its content."""
    css = (
        Path(__file__).resolve().parent.parent / "reports" / "templates" / "report.css"
    ).read_text()
    page = tmp_path / "details.html"
    page.write_text(
        f'<!DOCTYPE html><html lang="en"><head><title>t</title><style>{css}</style></head><body>'
        "<details><summary>12 below-threshold notes</summary><p>CLOSED-BODY</p></details>"
        "<details open><summary>3 open</summary><p>OPEN-BODY</p></details>"
        '<details class="print-expand"><summary>2 expanded</summary><p>EXPAND-BODY</p></details>'
        "</body></html>",
        encoding="utf-8",
    )
    reader = PdfReader(io.BytesIO(print_pdf(browser, page).pdf))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "12 below-threshold notes" in text and "CLOSED-BODY" not in text
    assert "OPEN-BODY" in text and "EXPAND-BODY" in text
