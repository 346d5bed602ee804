"""Print an HTML report to PDF in headless Chromium and measure what a reader gets on paper.

    python benchmarks/report_print.py REPORT.html [--pdf OUT.pdf]

Prints the page count, the PDF's size, the outline (bookmark) entries, whether the contents
list is printed, and the nearly blank pages (page number and characters of text). Chromium is
/usr/bin/chromium (BASELINE_TEST_CHROMIUM overrides it), driven by Playwright; pypdf reads
the PDF back. tests/test_print.py asserts the same figures on the golden report.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright
from pypdf import PdfReader

CHROMIUM = os.environ.get("BASELINE_TEST_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# A page with less text than this (characters pypdf extracts) is "nearly blank": a heading
# pushed over by a box too tall to fit, or a box that would not break. The last page is
# exempt (a report ends where it ends).
NEARLY_BLANK_CHARS = 300


@dataclass(frozen=True)
class PrintFigures:
    """What a printed report looks like."""

    pages: int
    """Pages in the PDF."""
    size: int
    """Bytes of the PDF."""
    outline: int
    """Bookmark entries (all levels) in the PDF's outline."""
    contents_printed: bool
    """The contents list's heading is on the first two pages."""
    nearly_blank: tuple[tuple[int, int], ...]
    """(page number from 1, characters of text) of each nearly blank page but the last."""


def print_pdf(browser: Browser, report: Path) -> bytes:
    """The report printed by Chromium as from its print dialog, with bookmarks and PDF tags."""
    page = browser.new_page()
    try:
        page.goto(report.resolve().as_uri(), wait_until="load")
        # The stylesheet's @page decides size and margins, as in the browser's print dialog.
        return page.pdf(
            format="A4", print_background=True, prefer_css_page_size=True, outline=True, tagged=True
        )
    finally:
        page.close()


def _count_outline(entries: list[object]) -> int:
    return sum(_count_outline(e) if isinstance(e, list) else 1 for e in entries)


def measure(pdf: bytes) -> PrintFigures:
    """Pages, bytes, bookmarks, the printed contents list and nearly blank pages of a PDF."""
    reader = PdfReader(io.BytesIO(pdf))
    texts = [page.extract_text() or "" for page in reader.pages]
    lengths = [len("".join(t.split())) for t in texts]
    blank = tuple((number, n) for number, n in enumerate(lengths[:-1], 1) if n < NEARLY_BLANK_CHARS)
    first_pages = "\n".join(texts[:2])
    return PrintFigures(
        pages=len(reader.pages),
        size=len(pdf),
        outline=_count_outline(list(reader.outline)),
        contents_printed="Contents" in first_pages.splitlines(),
        nearly_blank=blank,
    )


def main(argv: list[str] | None = None) -> int:
    """Print one report and show its figures; exit 1 if it has nearly blank pages."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="an HTML report (report.html)")
    parser.add_argument("--pdf", type=Path, help="also write the PDF here")
    args = parser.parse_args(argv)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            pdf = print_pdf(browser, args.report)
        finally:
            browser.close()
    if args.pdf:
        args.pdf.write_bytes(pdf)
    figures = measure(pdf)
    print(f"report:            {args.report} ({args.report.stat().st_size:,} bytes)")
    print(f"pages:             {figures.pages}")
    print(f"pdf bytes:         {figures.size:,}")
    print(f"outline entries:   {figures.outline}")
    print(f"contents printed:  {'yes' if figures.contents_printed else 'no'}")
    blank = ", ".join(f"p{n} ({c} chars)" for n, c in figures.nearly_blank) or "none"
    print(f"nearly blank (<{NEARLY_BLANK_CHARS} chars, last page exempt): {blank}")
    return 1 if figures.nearly_blank else 0


if __name__ == "__main__":
    sys.exit(main())
