"""The table in docs/hostile-inputs.md, built from what the tests observed.

Every test that exercises a bad input records a row (section, case, input, observed behaviour)
through `Observations`; test_docs_table.py renders the rows and compares them with the file.
Regenerate the file with:  UPDATE_DOCS=1 python -m pytest tests/hostile
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

SECTIONS = (
    "Hostile repository tree",
    "Git states",
    "Git runs no repository program",
    "Tool faults",
    "Bad catalogs",
    "Bad project config",
    "Entry points",
    "Repository config claims",
    "Reports and terminal output",
    "Scan cache",
    "Output folders",
    "Bounded work",
)

HEADER = """# Hostile and broken inputs

The repositories ssdf-baseline reads may be hostile, and its own inputs (catalogs, project
config) may be broken. This table lists every bad input the test suite builds (under
`tests/hostile/`, generated at test time: nothing binary is committed) and the behaviour each
test observed. It is generated from those tests, so it cannot drift: `tests/hostile/
test_docs_table.py` fails when it differs from what the tests observe. Regenerate it with

    UPDATE_DOCS=1 python -m pytest tests/hostile

Every run in the table also keeps the invariants checked for all of them: it completes (exit 0
or 1; exit 2 with a located message for a bad catalog or config; never 3), every
assessment.json validates against the schema, no control is `pass` without a passing check,
no evidence names a path outside the tree or through a symlink, no repository code is executed
(marker files never appear), and every report file is complete UTF-8 (JSON parses; HTML holds
no unescaped markup; no raw control characters; HTML and Markdown hold no raw bidirectional
override characters).
"""


@dataclass(frozen=True)
class Row:
    """One bad input and what the run did with it."""

    section: str
    case: str
    input: str
    observed: str


class Observations:
    """Rows computed once per session, whichever test asks first."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str, str], Row] = {}
        self._failures: dict[tuple[str, str], BaseException] = {}

    def get(self, section: str, case: str, compute: Callable[[], Row]) -> Row:
        """The row of a case, computing (and asserting) it on first use."""
        key = (section, case)
        if key in self._failures:
            raise self._failures[key]
        if key not in self._rows:
            try:
                self._rows[key] = compute()
            except BaseException as exc:
                self._failures[key] = exc
                raise
        return self._rows[key]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render(rows: list[Row]) -> str:
    """The whole Markdown document."""
    lines = [HEADER]
    for section in SECTIONS:
        chosen = [r for r in rows if r.section == section]
        if not chosen:
            continue
        lines += [f"## {section}", "", "| Case | Input | Observed behaviour |", "|---|---|---|"]
        lines += [f"| `{r.case}` | {_cell(r.input)} | {_cell(r.observed)} |" for r in chosen]
        lines.append("")
    return "\n".join(lines)
