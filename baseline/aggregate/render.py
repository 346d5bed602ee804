"""Render the portfolio as HTML (self-contained, strict CSP), Markdown and JSON."""

from __future__ import annotations

from baseline.aggregate.portfolio import MET, STATUSES, Portfolio, portfolio_record
from baseline.jsontext import pretty
from baseline.report.templating import render_page_set
from baseline.report.view import STATUS_LABELS, anchor

CODES = {
    "pass": "P",
    "fail": "F",
    "error": "E",
    "needs_review": "R",
    "attested": "A",
    "waived": "W",
    "not_applicable": "-",
}
"""One-letter cell codes of the heat map (colour is not the only carrier of the status)."""


def render_portfolio(portfolio: Portfolio) -> dict[str, str]:
    """File name -> text for the three portfolio formats."""
    shared = {
        "p": portfolio,
        "statuses": STATUSES,
        "labels": STATUS_LABELS,
        "codes": CODES,
        "anchor": anchor,
        "met": MET,
    }
    record = pretty(portfolio_record(portfolio)) + "\n"
    return render_page_set("portfolio", "aggregate", shared, record)
