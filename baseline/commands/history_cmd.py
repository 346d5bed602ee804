"""`baseline history RECORDS... --out DIR`: one product's assessments over time."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from baseline.outdir import write_tree
from baseline.terminal import say


def write_history(files: list[str], out: Path) -> list[Path]:
    """Read and check every record, render all formats, then write them together."""
    # Loaded when the command runs, not by every other command at start-up (schema validators).
    from baseline.history import load_history
    from baseline.history_render import HISTORY_FILES, render_history

    rendered = render_history(load_history(files))
    encoded = {name: text.encode("utf-8", "backslashreplace") for name, text in rendered.items()}
    write_tree(out, encoded, owns=HISTORY_FILES.__contains__, foreign_ok=True)
    return [out / name for name in sorted(rendered)]


def run(args: argparse.Namespace) -> int:
    """Render the history of the given assessment.json files."""
    written = write_history(list(args.records), Path(args.out))
    say(f"History of {len(args.records)} records: " + ", ".join(map(str, written)),
        file=sys.stdout)  # fmt: skip
    return 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare `history` and its options."""
    parser = commands.add_parser(
        "history",
        help="one product's assessment.json records over time: statuses and findings per release",
    )
    parser.add_argument(
        "records", nargs="+", metavar="RECORD", help="assessment.json files of one repository"
    )
    parser.add_argument(
        "--out", default="baseline-history", help="output folder (default: baseline-history)"
    )
    parser.set_defaults(handler=run)
