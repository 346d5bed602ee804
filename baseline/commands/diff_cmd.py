"""`baseline diff OLD.json NEW.json`: what changed between two assessments."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from baseline.diff import diff
from baseline.diff_render import RENDERERS
from baseline.outdir import write_text
from baseline.report.record_io import load_record
from baseline.terminal import write


def run(args: argparse.Namespace) -> int:
    """Print (or write) the diff; with --fail-on-regression, exit 1 on a regression."""
    changes = diff(load_record(Path(args.old)), load_record(Path(args.new)))
    text = RENDERERS[args.format](changes)
    if args.out:
        write_text(Path(args.out), text)
    else:
        write(text, sys.stdout)
    return 1 if args.fail_on_regression and changes.is_regression else 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare `diff`."""
    parser = commands.add_parser("diff", help="compare two assessment.json records")
    parser.add_argument("old", help="the earlier assessment.json")
    parser.add_argument("new", help="the later assessment.json")
    parser.add_argument("--format", choices=sorted(RENDERERS), default="text")
    parser.add_argument("--out", help="write to this file instead of standard output")
    parser.add_argument(
        "--fail-on-regression",
        action="store_true",
        help="exit 1 when a control got worse or a new finding appeared",
    )
    parser.set_defaults(handler=run)
