"""`--cache PATH` / `--no-cache`: where the incremental scan cache lives, and what it did."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from baseline.context import RunOptions
from baseline.scancache import WITHOUT_CACHE, default_path, drain_notes
from baseline.terminal import say


def add_cache_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the cache options."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--cache",
        metavar="PATH",
        help="incremental scan cache file (default: $XDG_CACHE_HOME/ssdf-baseline/cache.sqlite3)",
    )
    group.add_argument(
        "--no-cache", action="store_true", help="scan every file; read and write no cache"
    )


def with_cache_option(options: RunOptions, args: argparse.Namespace) -> RunOptions:
    """The options with the cache the user asked for (on by default)."""
    if args.no_cache:
        return replace(options, cache=None)
    return replace(options, cache=Path(args.cache) if args.cache else default_path())


def report_cache_use(quiet: bool) -> None:
    """What the cache did (hits, rebuilds) on stderr; never in the record."""
    for line in drain_notes():
        if not quiet or WITHOUT_CACHE in line:  # a cache refused or lost is always said
            say(f"cache: {line}", file=sys.stderr)
