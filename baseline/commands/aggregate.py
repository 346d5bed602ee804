"""`baseline aggregate FILES... --out DIR`: combine many assessments into a portfolio report."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from baseline.outdir import write_tree
from baseline.terminal import say

PORTFOLIO_FILES = frozenset({"portfolio.html", "portfolio.md", "portfolio.json"})
"""The files `aggregate` writes: in an existing output folder, only these are replaced."""


def report_links(files: Sequence[str], out: Path) -> dict[str, str]:
    """Each record's report.html (beside it), as a link relative to the portfolio's folder;
    records without one are left out (their heat-map cells link nowhere)."""
    links = {}
    for file in files:
        report = Path(file).parent / "report.html"
        if report.is_file():
            relative = Path(os.path.relpath(report.resolve(), out.resolve())).as_posix()
            # Quoted: a folder named `a#b` or `x:y` stays a path, never a fragment or a scheme.
            links[file] = quote(relative, safe="/")
    return links


def write_portfolio(files: list[str], out: Path) -> list[Path]:
    """Validate every record, then render all formats before writing any of them."""
    # Loaded when the command runs, not by every other command at start-up (schema validators).
    from baseline.aggregate.load import load_rows
    from baseline.aggregate.portfolio import build_portfolio
    from baseline.aggregate.render import render_portfolio

    portfolio = build_portfolio(load_rows(files), report_links(files, out))
    rendered = render_portfolio(portfolio)
    encoded = {name: text.encode("utf-8", "backslashreplace") for name, text in rendered.items()}
    # assess-many's folder holds one folder per repository beside the portfolio: foreign_ok.
    write_tree(out, encoded, owns=PORTFOLIO_FILES.__contains__, foreign_ok=True)
    return [out / name for name in sorted(rendered)]


def run(args: argparse.Namespace) -> int:
    """Aggregate the given assessment.json files."""
    out = Path(args.out)
    written = write_portfolio(list(args.files), out)
    say(f"Portfolio of {len(args.files)} assessments: " + ", ".join(map(str, written)),
          file=sys.stdout)  # fmt: skip
    return 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare `aggregate` and its options."""
    parser = commands.add_parser(
        "aggregate", help="combine assessment.json files of many repositories into a portfolio"
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="assessment.json files")
    parser.add_argument(
        "--out", default="baseline-portfolio", help="output folder (default: baseline-portfolio)"
    )
    parser.set_defaults(handler=run)
