"""Render a product's history as HTML (self-contained, strict CSP, inline SVG), Markdown and JSON.

The same escaping rules as report.html: the shared Jinja environments autoescape HTML and
Markdown-escape every value, and the CSP allows no script and only the one hashed stylesheet.
"""

from __future__ import annotations

from baseline.history import STATUSES, History, history_record
from baseline.jsontext import pretty
from baseline.report.templating import render_page_set
from baseline.report.view import STATUS_LABELS

HISTORY_FILES = frozenset({"history.html", "history.md", "history.json"})
"""The files `history` writes: in an existing output folder, only these are replaced."""


def render_history(history: History) -> dict[str, str]:
    """File name -> text for the three history formats."""
    shared = {"h": history, "statuses": STATUSES, "labels": STATUS_LABELS}
    return render_page_set("history", "history", shared, pretty(history_record(history)) + "\n")
