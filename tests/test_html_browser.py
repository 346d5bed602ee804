"""The HTML report in real headless Chromium: it renders, stays quiet, and executes nothing.

Needs Debian's `chromium` (.ci/run installs it); Playwright drives it via `executable_path`.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from playwright.sync_api import Browser, Page
from report_sample import HOSTILE, hostile_assessment, sample_assessment

from baseline.cli import main
from baseline.report.write import render_all

pytestmark = pytest.mark.slow  # real Chromium

# Runs before any page script (and outside the page's CSP): records what must never happen.
WATCH = """
window.__alerts = [];
window.__violations = [];
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = (m) => { window.__alerts.push(String(m)); };
}
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
"""


class Watched:
    """A page opened on a report, with everything it logged or tried."""

    def __init__(self, browser: Browser, path: Path) -> None:
        self.page: Page = browser.new_page(viewport={"width": 1200, "height": 1000})
        self.console: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.add_init_script(WATCH)
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")

    def errors(self) -> list[str]:
        return [c for c in self.console if not c.startswith(("log:", "info:", "debug:"))]

    def assert_inert(self) -> None:
        """Nothing ran, nothing was injected, nothing was fetched, nothing was blocked."""
        page = self.page
        assert self.dialogs == []
        assert page.evaluate("window.__alerts") == []
        assert page.evaluate("window.__violations") == []
        assert self.errors() == []
        assert self.requests == [self.page.url]
        assert page.locator("script, img, iframe, object, embed, form, base").count() == 0
        handlers = page.evaluate(
            """() => [...document.querySelectorAll('*')].flatMap(el =>
                 [...el.attributes].filter(a => a.name.startsWith('on')).map(a => a.name))"""
        )
        assert handlers == []
        hrefs = page.evaluate(
            "() => [...document.querySelectorAll('[href]')].map(a => a.getAttribute('href'))"
        )
        assert all(h.startswith(("#", "https://", "http://")) for h in hrefs), hrefs


def _write_html(tmp_path: Path, assessment_files: dict[str, str]) -> Path:
    path = tmp_path / "report.html"
    path.write_text(assessment_files["report.html"], encoding="utf-8")
    return path


def test_report_renders_with_charts_and_no_errors(browser: Browser, tmp_path: Path) -> None:
    path = _write_html(tmp_path, render_all(sample_assessment(), ["html"]))
    watched = Watched(browser, path)
    page = watched.page
    assert page.title() == "SSDF assessment: golden-app"
    assert page.locator("#chart-groups rect").count() >= 4
    assert page.locator("#chart-form rect").count() >= 4
    assert page.locator("#cisa-form tr#form-4 .badge.yes").count() == 1
    assert page.locator("article.task").count() == 7
    assert page.locator("#task-pw-7-2 pre").first.inner_text() == "subprocess.call(cmd, shell=True)"
    assert page.locator(".marked.waiver").count() >= 1
    assert page.locator(".marked.attestation").count() == 1
    assert page.locator(".marked.suppression").count() == 1
    # The stylesheet applied (its hash is in the CSP): a fail badge is red, not unstyled.
    color = page.eval_on_selector(".badge.fail", "el => getComputedStyle(el).backgroundColor")
    assert color == "rgb(198, 40, 40)"
    shot = Image.open(io.BytesIO(page.screenshot(full_page=False))).convert("L")
    assert ImageStat.Stat(shot).stddev[0] > 20, "screenshot looks blank"
    watched.assert_inert()


def test_print_stylesheet_prints_the_contents(browser: Browser, tmp_path: Path) -> None:
    path = _write_html(tmp_path, render_all(sample_assessment(), ["html"]))
    page = Watched(browser, path).page
    page.emulate_media(media="print")
    assert page.eval_on_selector("nav.toc", "el => getComputedStyle(el).display") == "block"
    assert page.pdf()[:4] == b"%PDF"


def test_hostile_assessment_executes_nothing(browser: Browser, tmp_path: Path) -> None:
    path = _write_html(tmp_path, render_all(hostile_assessment(), ["html"]))
    watched = Watched(browser, path)
    text = watched.page.locator("body").inner_text()
    for attack in HOSTILE:  # shown to the reader as text
        assert attack in text
    watched.assert_inert()


def _hostile_repository(root: Path) -> None:
    root.mkdir()
    (root / "SECURITY.md").write_text("Report issues to security@example.org\n")
    (root / "<script>alert(1)<").mkdir(parents=True)
    (root / "<script>alert(1)<" / "script>.exe").write_bytes(b"MZ\x90\x00")
    (root / '"><img src=x onerror=alert(2)>.dll').write_bytes(b"\x7fELF")
    (root / "[x](javascript:alert(3)).so").write_bytes(b"\x7fELF")
    (root / os.fsdecode(b"undecodable-\xff.exe")).write_bytes(b"MZ")
    git = shutil.which("git")
    assert git, "git is needed for the hostile repository"
    env = {**os.environ, "GIT_AUTHOR_NAME": '"><img src=x onerror=alert(4)>',
           "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "<script>alert(5)</script>",
           "GIT_COMMITTER_EMAIL": "c@example.org"}  # fmt: skip
    message = '<script>alert(6)</script> "><img src=x onerror=alert(7)> javascript:alert(8)'
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", message]):
        subprocess.run(
            [git, "-c", "core.hooksPath=/dev/null", *args], cwd=root, env=env, check=True
        )


def test_assessed_hostile_repository_executes_nothing(
    browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    _hostile_repository(repo)
    out = tmp_path / "out"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    code = main(["assess", str(repo), "--out", str(out), "--format", "html,json", "--quiet"])
    assert code == 1
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.exe" in html  # the name reached the report
    watched = Watched(browser, out / "report.html")
    text = watched.page.locator("body").inner_text()
    assert "<script>alert(1)</script>.exe" in text
    assert "undecodable-\\udcff.exe" in text  # an undecodable byte stays visible, escaped
    watched.assert_inert()
