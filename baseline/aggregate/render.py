"""Render the portfolio as HTML (self-contained, strict CSP), Markdown and JSON."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import lru_cache

import jinja2

from baseline.aggregate.portfolio import STATUSES, Portfolio, portfolio_record
from baseline.resources import templates_dir

LABELS = {
    "pass": "pass",
    "fail": "fail",
    "error": "error",
    "needs_review": "needs review",
    "attested": "attested",
    "waived": "waived",
    "not_applicable": "not applicable",
}
CODES = {
    "pass": "P",
    "fail": "F",
    "error": "E",
    "needs_review": "R",
    "attested": "A",
    "waived": "W",
    "not_applicable": "-",
}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


def md_escape(text: object) -> str:
    """Text that Markdown shows literally, on one line: targets come from untrusted input."""
    flat = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", flat)


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir() / "aggregate"),
        # Markdown is escaped by the `md` filter; HTML by Jinja.
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    return env


def _css() -> str:
    return (templates_dir() / "aggregate" / "portfolio.css").read_text(encoding="utf-8")


def content_security_policy(css: str) -> str:
    """Nothing may load or run; only the one inline stylesheet, pinned by its hash."""
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; "
        f"style-src 'sha256-{digest}'; "
        "img-src 'none'; script-src 'none'; base-uri 'none'; form-action 'none'"
    )


def render_portfolio(portfolio: Portfolio) -> dict[str, str]:
    """File name -> text for the three portfolio formats."""
    env = _environment()
    css = _css()
    shared = {"p": portfolio, "statuses": STATUSES, "labels": LABELS, "codes": CODES}
    html = env.get_template("portfolio.html.j2").render(
        **shared, css=css, csp=content_security_policy(css)
    )
    markdown = env.get_template("portfolio.md.j2").render(**shared)
    record = json.dumps(portfolio_record(portfolio), indent=2, ensure_ascii=False) + "\n"
    return {"portfolio.html": html, "portfolio.md": markdown, "portfolio.json": record}
