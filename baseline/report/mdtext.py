"""Escaping for GitHub-flavoured Markdown: untrusted text must stay text, in tables too."""

from __future__ import annotations

import re

from markupsafe import Markup

from baseline.report.visible import visible

# Backslash-escaped: what GFM reads as inline markup or a table cell edge. Block markers (#, -, >)
# only act at the start of a line, and every template starts its lines with its own text.
_ESCAPES = (
    ("\\", "\\\\"),  # first, so the backslashes added below are not doubled
    ("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"),
    *((ch, "\\" + ch) for ch in "`*_[]|~"),
)  # fmt: skip

# GitHub turns bare `https://`, `ftp://`, `www.` and e-mail addresses in text into live links (not
# inside code spans, but inside `<code>` too). A backslash before the scheme's `:` or the dot of
# `www.` stops its parser at no visible cost; e-mail links are found after escapes are undone,
# so an empty comment after the `@` splits the address instead (GitHub drops the comment).
# Checked against cmark-gfm (tests/hostile/test_markdown_links.py).
_AUTOLINK = re.compile(r":(?=//)|(?<=www)\.|@", re.IGNORECASE)


def _unlinked(match: re.Match[str]) -> str:
    char = match.group(0)
    return "@<!-- -->" if char == "@" else "\\" + char


def no_autolink(text: str) -> str:
    """Already escaped Markdown text in which nothing can become a link by itself."""
    return _AUTOLINK.sub(_unlinked, text)


def md(value: object) -> Markup:
    """One line of plain text, safe anywhere inline (table cells included)."""
    text = visible(" ".join(str(value).split()))
    # str.replace per character (C speed): reports escape tens of thousands of strings.
    for char, escaped in _ESCAPES:
        if char in text:
            text = text.replace(char, escaped)
    return Markup(no_autolink(text))  # noqa: S704 - escaped just above


def md_code(value: object) -> Markup:
    """Code shown inline as `<code>`, escaped like text so nothing in it is markup."""
    text = md(value)
    return Markup(f"<code>{text}</code>" if text else "")  # noqa: S704 - text is escaped
