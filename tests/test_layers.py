"""The layers import one way (issue 16, DESIGN.md "Layers"): domain models and the record codec
at the bottom; the tool adapters (baseline/tools/) above them, then the context and the checks; the engine; reports apart from checks; the
one run (service); the commands and the CLI on top. A module that imports against this order
fails here, naming the import."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "baseline"

# module prefix -> prefixes it must never import (at any depth in the module, TYPE_CHECKING too)
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "baseline.models": ("baseline.checks", "baseline.report", "baseline.engine",
                        "baseline.context", "baseline.service", "baseline.commands",
                        "baseline.cli", "baseline.ci"),
    "baseline.evidence_record": ("baseline.checks", "baseline.report", "baseline.engine",
                                 "baseline.context", "baseline.service", "baseline.commands",
                                 "baseline.cli"),
    "baseline.evaluate": ("baseline.checks", "baseline.report", "baseline.engine",
                          "baseline.service", "baseline.commands", "baseline.cli"),
    "baseline.tools": ("baseline.checks", "baseline.report", "baseline.engine",
                       "baseline.context", "baseline.evaluate", "baseline.service",
                       "baseline.commands", "baseline.cli", "baseline.ci", "baseline.aggregate",
                       "baseline.bundle"),
    "baseline.checks": ("baseline.report", "baseline.engine", "baseline.service",
                        "baseline.commands", "baseline.cli", "baseline.ci",
                        "baseline.aggregate", "baseline.bundle"),
    "baseline.report": ("baseline.checks", "baseline.engine", "baseline.context",
                        "baseline.service", "baseline.commands", "baseline.cli", "baseline.ci"),
    "baseline.engine": ("baseline.report", "baseline.service", "baseline.commands",
                        "baseline.cli"),
    "baseline.context": ("baseline.report", "baseline.checks", "baseline.engine",
                         "baseline.service", "baseline.commands", "baseline.cli"),
    "baseline.service": ("baseline.commands", "baseline.cli", "baseline.ci"),
}  # fmt: skip


def _module(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
    return found


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def violations() -> list[str]:
    """`file:line: module imports name` for every import against the order."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module(path)
        for layer, banned in FORBIDDEN.items():
            if not _within(module, layer):
                continue
            for line, name in _imports(path):
                if any(_within(name, b) for b in banned):
                    out.append(
                        f"{path.relative_to(PACKAGE.parent)}:{line}: {module} imports {name}"
                    )
    return sorted(set(out))


def test_no_module_imports_against_the_layer_order() -> None:
    assert violations() == []


def test_the_check_would_catch_a_report_import_in_a_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "baseline" / "checks"
    fake.mkdir(parents=True)
    (fake / "bad.py").write_text("from baseline.report.sarif import render_sarif\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", tmp_path / "baseline")
    assert violations() == [
        "baseline/checks/bad.py:1: baseline.checks.bad imports baseline.report.sarif",
        "baseline/checks/bad.py:1: baseline.checks.bad imports baseline.report.sarif.render_sarif",
    ]


def test_the_check_would_catch_a_check_import_in_a_tool_adapter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "baseline" / "tools"
    fake.mkdir(parents=True)
    (fake / "bad.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from baseline.context import Context\n"
        "from baseline.checks import sast\n"
    )
    monkeypatch.setattr(__import__(__name__), "PACKAGE", tmp_path / "baseline")
    assert violations() == [
        "baseline/tools/bad.py:3: baseline.tools.bad imports baseline.context",
        "baseline/tools/bad.py:3: baseline.tools.bad imports baseline.context.Context",
        "baseline/tools/bad.py:4: baseline.tools.bad imports baseline.checks",
        "baseline/tools/bad.py:4: baseline.tools.bad imports baseline.checks.sast",
    ]
