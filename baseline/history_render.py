"""Render a product's history as HTML (self-contained, strict CSP, inline SVG), Markdown and JSON.

The same escaping rules as report.html: the shared Jinja environments autoescape HTML and
Markdown-escape every value, and the CSP allows no script and only the one hashed stylesheet.
"""

from __future__ import annotations

from baseline.history import STATUSES, History, history_record
from baseline.jsontext import pretty
from baseline.report.templating import content_security_policy, environment, read_static
from baseline.report.view import STATUS_LABELS

HISTORY_FILES = frozenset({"history.html", "history.md", "history.json"})
"""The files `history` writes: in an existing output folder, only these are replaced."""


def render_history(history: History) -> dict[str, str]:
    """File name -> text for the three history formats."""
    css = read_static("history/history.css")
    shared = {"h": history, "statuses": STATUSES, "labels": STATUS_LABELS}
    html = (
        environment(html=True)
        .get_template("history/history.html.j2")
        .render(**shared, css=css, csp=content_security_policy(css))
    )
    markdown = environment(html=False).get_template("history/history.md.j2").render(**shared)
    record = pretty(history_record(history)) + "\n"
    return {"history.html": html, "history.md": markdown, "history.json": record}
