"""`assess` options for supply-chain evidence: `--online`, `--github-token`, `--vuln-db`."""

from __future__ import annotations

import argparse
import dataclasses
import os
from pathlib import Path

from baseline.context import RunOptions
from baseline.errors import InputError


def add_supply_chain_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the network and vulnerability-data options."""
    parser.add_argument(
        "--online",
        action="store_true",
        help="allow network checks (GitHub API with a token; pip-audit without --vuln-db)",
    )
    parser.add_argument(
        "--github-token",
        default=None,
        help="GitHub token for --online API checks (default: $GITHUB_TOKEN)",
    )
    parser.add_argument(
        "--vuln-db",
        default=None,
        help="OSV vulnerability data: a JSON file or a folder of them (offline)",
    )


def with_supply_chain_options(options: RunOptions, args: argparse.Namespace) -> RunOptions:
    """The run options with these arguments applied; a missing --vuln-db is an input error."""
    vuln_db = Path(args.vuln_db) if args.vuln_db else None
    if vuln_db is not None and not vuln_db.exists():
        raise InputError.single(str(vuln_db), "", "--vuln-db: no such file or folder")
    token = args.github_token or os.environ.get("GITHUB_TOKEN") or None
    return dataclasses.replace(
        options, online=bool(args.online), github_token=token, vuln_db=vuln_db
    )
