"""Bare URLs and addresses from the repository stay text in the Markdown reports.

GitHub autolinks `https://...`, `www....` and `name@host` in plain text, so a finding message, a
file name or an attestation statement could put a live phishing link into a job summary or a
pull-request comment. The reports are rendered with cmark-gfm (GitHub's own parser, through
cmarkgfm): no link to the planted host, and the text still reads exactly as written.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import cmarkgfm
import pytest

from baseline.report.json_record import expanded

from .doc_table import Observations, Row
from .harness import ROOT, environment

URL = "https://evil.example/login?next=1"
WWW = "www.evil.example/x"
MAIL = "help@evil.example"
FTP = "ftp://evil.example/f"
TEXTS = (URL, WWW, MAIL, FTP)
_TAG = re.compile(r"<[^>]*>")


def _hostile_record(folder: Path) -> Path:
    record = expanded(
        json.loads((ROOT / "tests" / "golden" / "assessment.json").read_text("utf-8"))
    )
    count = 0
    for result in record["results"]:
        for evidence in result["evidence"]:
            for finding in evidence["findings"]:
                count += 1
                finding["fingerprint"] = f"{count:032x}"  # new findings, for `diff`
                finding["message"] = f"see {URL} or {WWW}, mail {MAIL}"
                finding["path"] = f"{WWW}/{MAIL}.py"
                finding["snippet"] = f"fetch('{FTP}')"
            evidence["summary"] = f"{evidence['summary']} ({URL})"
        if result["attestation"]:
            result["attestation"]["statement"] = f"Reviewed at {URL}; ask {MAIL} or {WWW}"
            result["attestation"]["urls"] = [URL]
        if result["waiver"]:
            result["waiver"]["reason"] = f"tracked at {URL}"
            result["waiver"]["owner"] = MAIL
    path = folder / "assessment.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return _render(tmp_path_factory)


def _render(factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = factory.mktemp("md")
    record = _hostile_record(folder)
    out = folder / "out"
    done = subprocess.run(
        [sys.executable, "-m", "baseline", "render", str(record), "--format", "md,form",
         "--out", str(out)],
        cwd=folder, env=environment(), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    diff = subprocess.run(
        [sys.executable, "-m", "baseline", "diff", str(ROOT / "tests" / "golden" / "assessment.json"),
         str(record), "--format", "md"],
        cwd=folder, env=environment(), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert diff.returncode == 0, diff.stderr
    texts = {p.name: p.read_text("utf-8") for p in sorted(out.glob("*.md"))}
    return {**texts, "diff.md": diff.stdout}


@pytest.mark.parametrize("name", ["report.md", "poam.md", "diff.md"])
def test_no_repository_text_becomes_a_link(rendered: dict[str, str], name: str) -> None:
    page = cmarkgfm.github_flavored_markdown_to_html(rendered[name])
    assert "evil.example" in page, "the hostile text must reach the page"
    links = re.findall(r"<a [^>]*>", page)
    assert not [a for a in links if "evil" in a], links


def test_the_text_reads_as_written(rendered: dict[str, str]) -> None:
    page = cmarkgfm.github_flavored_markdown_to_html(rendered["report.md"])
    shown = html.unescape(_TAG.sub("", page))
    for text in (*TEXTS, f"Reviewed at {URL}; ask {MAIL} or {WWW}"):
        assert text in shown, text


def _links_row(factory: pytest.TempPathFactory) -> Row:
    pages = _render(factory)
    checked = ["report.md", "poam.md", "diff.md"]
    for name in checked:
        page = cmarkgfm.github_flavored_markdown_to_html(pages[name])
        assert "evil.example" in page, name
        assert not [a for a in re.findall(r"<a [^>]*>", page) if "evil" in a], name
    return Row(
        "Reports and terminal output",
        "markdown-autolinks",
        f"`{URL}`, `{WWW}`, `{MAIL}` and `{FTP}` in finding messages, file names, snippets, "
        "attestation statements and waivers",
        "text, not links, in report.md, poam.md and `diff --format md` as GitHub renders them "
        "(cmark-gfm): written `https\\://`, `www\\.`, `help@<!-- -->evil.example`",
    )


def all_rows(factory: pytest.TempPathFactory, obs: Observations) -> list[Row]:
    """The rows of this file (for the docs table)."""
    return [
        obs.get("Reports and terminal output", "markdown-autolinks", lambda: _links_row(factory))
    ]


def test_links_row(tmp_path_factory: pytest.TempPathFactory, observations: Observations) -> None:
    observations.get("Reports and terminal output", "markdown-autolinks",
                     lambda: _links_row(tmp_path_factory))  # fmt: skip
