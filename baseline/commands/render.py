"""`baseline render RECORD`: re-render reports from a saved assessment.json, no rescanning."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from baseline.commands.assess import parse_formats
from baseline.report.record_io import load_record
from baseline.report.registry import FORMATS
from baseline.report.write import write_reports
from baseline.terminal import say


def run(args: argparse.Namespace) -> int:
    """Validate the record, then write the chosen formats into --out."""
    formats = parse_formats(args.format)
    assessment = load_record(Path(args.record))
    out = Path(args.out)
    written = write_reports(assessment, formats, out)
    say(f"Wrote {len(written)} file(s) to {out}", file=sys.stdout)
    return 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare `render` and its options."""
    parser = commands.add_parser(
        "render", help="re-render reports from an assessment.json without rescanning"
    )
    parser.add_argument("record", help="an assessment.json written by `baseline assess`")
    parser.add_argument(
        "--out", default="baseline-report", help="output folder (default: baseline-report)"
    )
    parser.add_argument(
        "--format", default="all", help=f"comma-separated: {', '.join(FORMATS)} or all"
    )
    parser.set_defaults(handler=run)
