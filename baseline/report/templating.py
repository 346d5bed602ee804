"""The Jinja2 environments the renderers share: loaded from the shipped templates folder."""

from __future__ import annotations

import functools

import jinja2

from baseline.resources import templates_dir


@functools.lru_cache(maxsize=2)
def environment(*, html: bool) -> jinja2.Environment:
    """An environment with StrictUndefined; autoescape on for HTML (text formats escape their own)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )


def read_static(name: str) -> str:
    """A static file (CSS) from the templates folder, with newlines normalized."""
    return (templates_dir() / name).read_text(encoding="utf-8").replace("\r\n", "\n")
