"""Print an HTML report to PDF in headless Chromium and measure what a reader gets on paper.

    python benchmarks/report_print.py REPORT.html [--pdf OUT.pdf]

Prints the page count, the PDF's size, the outline (bookmark) entries, whether the contents
list is printed, the nearly blank pages (page number and characters of text) and the orphan
headings (a page that ends with a heading whose section starts on the next). Chromium is
/usr/bin/chromium (BASELINE_TEST_CHROMIUM overrides it), driven by Playwright; pypdf reads
the PDF back. tests/test_print.py asserts the same figures on the golden report.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
import unicodedata
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
class Printed:
    """A report printed to PDF, with the headings it had on screen."""

    pdf: bytes
    """The PDF."""
    headings: tuple[str, ...]
    """The text of every h1-h4, in order, whitespace collapsed."""


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
    """The contents list's heading is on the first three pages."""
    nearly_blank: tuple[tuple[int, int], ...]
    """(page number from 1, characters of text) of each nearly blank page but the last."""
    orphan_headings: tuple[tuple[int, str], ...]
    """(page number, heading) of each page but the last that ends with a heading, or a first
    part of one, whose section starts on the next page."""


HEADINGS = """() => [...document.querySelectorAll("h1, h2, h3, h4")]
    .map(h => h.textContent.replace(/\\s+/g, " ").trim())"""


def print_pdf(browser: Browser, report: Path) -> Printed:
    """The report printed by Chromium as from its print dialog, with bookmarks and PDF tags."""
    page = browser.new_page()
    try:
        page.goto(report.resolve().as_uri(), wait_until="load")
        headings = tuple(page.evaluate(HEADINGS))
        # The stylesheet's @page decides size and margins, as in the browser's print dialog.
        pdf = page.pdf(
            format="A4", print_background=True, prefer_css_page_size=True, outline=True, tagged=True
        )
        return Printed(pdf=pdf, headings=headings)
    finally:
        page.close()


def _count_outline(entries: list[object]) -> int:
    return sum(_count_outline(e) if isinstance(e, list) else 1 for e in entries)


def _squeezed(text: str) -> str:
    """Text without whitespace and with ligatures (pypdf extracts "fi" as U+FB01) unfolded."""
    return "".join(unicodedata.normalize("NFKC", text).split())


# The page number the stylesheet prints in the bottom margin ("12 / 40"), which pypdf extracts
# ahead of the page's text.
PAGE_NUMBER = re.compile(r"^\s*\d+ / \d+\s*")


def _orphan(tail: str, headings: list[str]) -> str | None:
    """The heading the page text ends with (whole, or its first 12 characters or more)."""
    for heading in headings:
        shortest = min(len(heading), 12)
        if any(tail.endswith(heading[:k]) for k in range(shortest, len(heading) + 1)):
            return heading
    return None


def measure(printed: Printed) -> PrintFigures:
    """Pages, bytes, bookmarks, printed contents, nearly blank pages and orphan headings."""
    reader = PdfReader(io.BytesIO(printed.pdf))
    texts = [PAGE_NUMBER.sub("", page.extract_text() or "") for page in reader.pages]
    squeezed = [_squeezed(t) for t in texts]
    blank = tuple(
        (number, len(text))
        for number, text in enumerate(squeezed[:-1], 1)
        if len(text) < NEARLY_BLANK_CHARS
    )
    headings = sorted({_squeezed(h) for h in printed.headings if h.strip()}, key=len, reverse=True)
    orphans = tuple(
        (number, heading)
        for number, text in enumerate(squeezed[:-1], 1)
        if (heading := _orphan(text, headings))
    )
    return PrintFigures(
        pages=len(reader.pages),
        size=len(printed.pdf),
        outline=_count_outline(list(reader.outline)),
        contents_printed="Contents" in "\n".join(texts[:3]).splitlines(),
        nearly_blank=blank,
        orphan_headings=orphans,
    )


def main(argv: list[str] | None = None) -> int:
    """Print one report and show its figures; exit 1 on a nearly blank page or orphan heading."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="an HTML report (report.html)")
    parser.add_argument("--pdf", type=Path, help="also write the PDF here")
    args = parser.parse_args(argv)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            printed = print_pdf(browser, args.report)
        finally:
            browser.close()
    if args.pdf:
        args.pdf.write_bytes(printed.pdf)
    figures = measure(printed)
    print(f"report:            {args.report} ({args.report.stat().st_size:,} bytes)")
    print(f"pages:             {figures.pages}")
    print(f"pdf bytes:         {figures.size:,}")
    print(f"outline entries:   {figures.outline}")
    print(f"contents printed:  {'yes' if figures.contents_printed else 'no'}")
    blank = ", ".join(f"p{n} ({c} chars)" for n, c in figures.nearly_blank) or "none"
    print(f"nearly blank (<{NEARLY_BLANK_CHARS} chars, last page exempt): {blank}")
    orphans = ", ".join(f"p{n} ({h[:40]})" for n, h in figures.orphan_headings) or "none"
    print(f"orphan headings:   {orphans}")
    return 1 if figures.nearly_blank or figures.orphan_headings else 0


if __name__ == "__main__":
    sys.exit(main())
