"""WCAG 2.1 AA (what Section 508 buyers ask for) and phone widths, in real headless Chromium.

axe-core audits every HTML report: the golden report, the portfolio page of `aggregate`, and
the report of a real run over examples/insecure-app. Each is audited as it opens and again
with every <details> open (axe skips hidden content), on a desktop and on a 390 px phone, where
the page must not scroll sideways (WCAG 1.4.10 reflow): wide tables scroll in their own box.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from a11y_audit import describe, violations
from playwright.sync_api import Browser, Page

from baseline.cli import main
from benchmarks.portfolio_records import write_records

pytestmark = pytest.mark.slow  # real Chromium, and a real run over examples/

ROOT = Path(__file__).resolve().parent.parent
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
OPEN_ALL = "document.querySelectorAll('details').forEach(d => { d.open = true; })"


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every HTML report the project renders, by name."""
    tmp = tmp_path_factory.mktemp("reports")
    records = [str(p) for p in write_records(tmp / "records", 12)]
    assert main(["aggregate", *records, "--out", str(tmp / "portfolio")]) == 0
    example = ROOT / "examples" / "insecure-app"
    code = main(["assess", str(example), "--out", str(tmp / "run"), "--format", "html", "--quiet"])
    assert code == 1  # the insecure example fails its policy: findings are in the report
    return {
        "golden": ROOT / "tests" / "golden" / "report.html",
        "portfolio": tmp / "portfolio" / "portfolio.html",
        "examples-run": tmp / "run" / "report.html",
    }


def _open(browser: Browser, path: Path, viewport: dict[str, int]) -> Page:
    page = browser.new_page(viewport=viewport)  # type: ignore[arg-type]
    page.goto(path.as_uri(), wait_until="load")
    return page


NAMES = ["golden", "portfolio", "examples-run"]


@pytest.mark.parametrize("name", NAMES)
def test_report_has_no_wcag_violation(
    browser: Browser, reports: dict[str, Path], name: str
) -> None:
    page = _open(browser, reports[name], DESKTOP)
    try:
        found = violations(page)
        assert found == [], describe(found)
        page.evaluate(OPEN_ALL)
        found = violations(page)
        assert found == [], "with every <details> open: " + describe(found)
    finally:
        page.close()


@pytest.mark.parametrize("name", NAMES)
def test_phone_width_does_not_scroll_sideways(
    browser: Browser, reports: dict[str, Path], name: str
) -> None:
    page = _open(browser, reports[name], PHONE)
    try:
        page.evaluate(OPEN_ALL)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{name} is {width} px wide on a {PHONE['width']} px phone"
        found = violations(page)  # a table that scrolls in its own box must take the keyboard
        assert found == [], describe(found)
    finally:
        page.close()


def test_keyboard_focus_is_visible(browser: Browser, reports: dict[str, Path]) -> None:
    page = _open(browser, reports["golden"], DESKTOP)
    try:
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const s = getComputedStyle(document.activeElement);
                       return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth]; }"""
        )
        assert focused[0] == "A", focused
        assert focused[1] != "none" and float(focused[2].removesuffix("px")) >= 2, focused
    finally:
        page.close()


def test_audit_catches_a_violation(browser: Browser, tmp_path: Path) -> None:
    """The audit is live: a low-contrast badge and a nameless link are reported."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>'
        '<p style="color:#b58900">Needs review</p><a href="#x"></a></main></body></html>',
        encoding="utf-8",
    )
    page = _open(browser, bad, DESKTOP)
    try:
        ids = {v["id"] for v in violations(page)}
    finally:
        page.close()
    assert {"color-contrast", "link-name"} <= ids
