"""Every relative link in the documentation, and every documentation file the generated config
names, leads to a file that exists (and to a heading that exists, for `#anchor` links): the
`baseline init` template once pointed at docs/project-config.md before there was one."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from support import ROOT

from baseline.catalog.loader import load_catalog
from baseline.project.template import attestations_text, config_text

PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
_INLINE = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_REFERENCE = re.compile(r"^\[[^\]]+\]:\s*(\S+)", re.MULTILINE)
_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
_MENTION = re.compile(r"\b(docs/[\w.-]+\.md)\b")


def anchors(page: Path) -> set[str]:
    """The anchors GitHub gives a page's headings (lowercase, punctuation dropped, spaces to
    hyphens; a repeated heading gets `-1`, `-2`...)."""
    seen: dict[str, int] = {}
    found = set()
    for heading in re.findall(r"^#{1,6}\s+(.*?)\s*#*$", _FENCE.sub("", page.read_text()), re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def links(page: Path) -> list[str]:
    """The relative link targets of a Markdown page (code blocks left out)."""
    text = _FENCE.sub("", page.read_text())
    targets = [*_INLINE.findall(text), *_REFERENCE.findall(text)]
    return [t for t in targets if not re.match(r"^[a-z][a-z0-9+.-]*:", t)]


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_relative_link_resolves(page: Path) -> None:
    broken = []
    for target in links(page):
        file, _, anchor = target.partition("#")
        path = (page.parent / file).resolve() if file else page
        if not path.exists():
            broken.append(f"{target}: no such file")
        elif anchor and path.suffix == ".md" and anchor not in anchors(path):
            broken.append(f"{target}: no such heading")
    assert broken == []


def test_the_generated_config_names_documentation_that_resolves() -> None:
    """The files `baseline init` writes live in the user's repository, where a path into this
    project resolves to nothing: they point at commands, and each command named exists."""
    from baseline.cli import build_parser

    catalog = load_catalog("ssdf-1.1")
    text = config_text(catalog) + attestations_text(catalog, dt.date(2026, 1, 1))
    assert _MENTION.findall(text) == []
    commands = re.findall(r"`(baseline [^`]+)`", text)
    assert "baseline config keys" in commands
    for command in commands:
        build_parser().parse_args(command.split()[1:])  # SystemExit (a failure) if unknown


def test_the_link_check_finds_a_broken_link(tmp_path: Path) -> None:
    page = tmp_path / "a.md"
    page.write_text("# Title\n\n[ok](#title) [gone](missing.md) [bad](#nowhere)\n")
    assert links(page) == ["#title", "missing.md", "#nowhere"]
    assert anchors(page) == {"title"}
