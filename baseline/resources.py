"""Where the shipped data lives: in a wheel under baseline/_data, in a checkout at the top level."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(installed: str, checkout: str) -> Path:
    inside = _PACKAGE / "_data" / installed
    return inside if inside.is_dir() else _PACKAGE.parent / checkout


def controls_dir() -> Path:
    """The folder holding the built-in catalogs, crosswalks and semgrep rules."""
    return _data_dir("controls", "controls")


def templates_dir() -> Path:
    """The folder holding the Jinja2 report templates."""
    return _data_dir("templates", "reports/templates")


def schema_path(name: str) -> Path:
    """A JSON Schema shipped inside the package."""
    return _PACKAGE / "schemas" / name
