"""Escaping for GitHub-flavoured Markdown: untrusted text must stay text, in tables too."""

from __future__ import annotations

import html

from markupsafe import Markup

from baseline.report.visible import visible

# Backslash-escaped: what GFM reads as inline markup or a table cell edge. Block markers (#, -, >)
# only act at the start of a line, and every template starts its lines with its own text.
_BACKSLASHED = frozenset("\\`*_[]|~")


def md(value: object) -> Markup:
    """One line of plain text, safe anywhere inline (table cells included)."""
    text = visible(" ".join(str(value).split()))
    out = []
    for ch in text:
        if ch in "&<>":
            out.append(html.escape(ch, quote=False))
        elif ch in _BACKSLASHED:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return Markup("".join(out))  # noqa: S704 - escaped just above


def md_code(value: object) -> Markup:
    """Code shown inline as `<code>`, escaped like text so nothing in it is markup."""
    text = md(value)
    return Markup(f"<code>{text}</code>" if text else "")  # noqa: S704 - text is escaped
