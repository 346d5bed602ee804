"""The code-analysis coverage table, once per report: every language of the product code any
SAST check was offered, its files and lines, and the analyzers that read it with how many of
their rules (bandit: tests). Merged over the checks: a language counts as analyzed when any
check's analyzer read it (the checks' own outcomes say what each one judged)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from baseline.languages import display
from baseline.models import Evidence

_UNITS = {"bandit": "tests"}


@dataclass(frozen=True)
class CoverageRow:
    """One language as the reports show it."""

    language: str
    files: int
    lines: int
    analyzers: str
    """`bandit (68 tests), semgrep (13 rules)`, or empty when nothing analyzed it."""


def coverage_rows(evidence: Iterable[Evidence]) -> tuple[CoverageRow, ...]:
    """The merged table of every piece of evidence that has one, sorted by language."""
    files: dict[str, int] = {}
    lines: dict[str, int] = {}
    tools: dict[str, dict[str, int]] = {}
    for e in evidence:
        for row in e.coverage:
            files[row.language] = max(files.get(row.language, 0), row.files)
            lines[row.language] = max(lines.get(row.language, 0), row.lines)
            seen = tools.setdefault(row.language, {})
            for tool, rules in row.analyzers:
                seen[tool] = max(seen.get(tool, 0), rules)
    return tuple(
        CoverageRow(
            display(lang),
            files[lang],
            lines[lang],
            ", ".join(
                f"{tool} ({n} {_UNITS.get(tool, 'rules')})"
                for tool, n in sorted(tools[lang].items())
            ),
        )
        for lang in sorted(files, key=lambda x: display(x).lower())
    )


def _analyzer(tool: str, rules: int) -> str:
    return f"{tool} ({rules} {_UNITS.get(tool, 'rules')})"
