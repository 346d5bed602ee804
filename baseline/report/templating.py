"""The Jinja2 environments the renderers share: loaded from the shipped templates folder."""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Mapping
from typing import Any

import jinja2
from markupsafe import Markup

from baseline.report.mdtext import md, md_code
from baseline.report.visible import visible
from baseline.resources import templates_dir


def _finalize_markdown(value: object) -> object:
    # Safe by default: every `{{ }}` is Markdown-escaped unless a filter already made it markup.
    return value if isinstance(value, Markup) else md(value)


def _finalize_html(value: object) -> object:
    # Autoescaping handles markup; invisible characters need making visible as well.
    return visible(value) if isinstance(value, str) and not isinstance(value, Markup) else value


@functools.lru_cache(maxsize=2)
def environment(*, html: bool) -> jinja2.Environment:
    """StrictUndefined everywhere; HTML autoescaped, Markdown escaped by `finalize` instead."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=html,  # noqa: S701 - Markdown output is escaped by _finalize_markdown
        finalize=_finalize_html if html else _finalize_markdown,
        undefined=jinja2.StrictUndefined,
        trim_blocks=not html,
        lstrip_blocks=not html,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md
    env.filters["md_code"] = md_code
    return env


def read_static(name: str) -> str:
    """A static file (CSS) from the templates folder, with newlines normalized."""
    return (templates_dir() / name).read_text(encoding="utf-8").replace("\r\n", "\n")


def content_security_policy(css: str) -> str:
    """No script at all; the one inline stylesheet allowed by hash; images only as data: URLs."""
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; "
        f"style-src 'sha256-{digest}'; "
        "img-src data:; "
        "base-uri 'none'; "
        "form-action 'none'"
    )


def render_page_set(
    stem: str, folder: str, shared: Mapping[str, Any], record: str
) -> dict[str, str]:
    """`stem`.html (its folder's `stem`.css inline, under a CSP that allows only it),
    `stem`.md and `stem`.json (`record`, already serialized): the three files of a view that
    is not an assessment report (the portfolio, a product's history)."""
    css = read_static(f"{folder}/{stem}.css")
    html = (
        environment(html=True)
        .get_template(f"{folder}/{stem}.html.j2")
        .render(**shared, css=css, csp=content_security_policy(css))
    )
    markdown = environment(html=False).get_template(f"{folder}/{stem}.md.j2").render(**shared)
    return {f"{stem}.html": html, f"{stem}.md": markdown, f"{stem}.json": record}
