"""What `baseline attest` and `baseline accept` share: the config they write into, and writing
one entry there only after the whole config, with it, loads as `assess` would load it."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from baseline.errors import InputError
from baseline.outdir import write_text
from baseline.service import AssessmentRequest, load


def parse_date(text: str | None, what: str) -> dt.date | None:
    """A command-line date (YYYY-MM-DD), None when not given; InputError naming `what`."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError.single("command line", what, f"not a date YYYY-MM-DD: {text!r}") from None


def target(args: argparse.Namespace) -> tuple[Path, Path]:
    """(the repository, the config file written into: `--config`, else REPO/.baseline.toml)."""
    repo = Path(args.repo).resolve()
    return repo, Path(args.config) if args.config else repo / ".baseline.toml"


def write_entry(
    args: argparse.Namespace, table: str, entry: Mapping[str, Any], *, key: str = "control"
) -> Path:
    """Add `entry` to `[[table]]` of the config (`key` tells a second entry for the same thing,
    refused unless `--replace`); nothing is written when the config with it would not load."""
    from baseline.project.edit import with_entry  # tomlkit loads only for these commands

    repo, file = target(args)
    old = file.read_text(encoding="utf-8") if file.is_file() else ""
    new = with_entry(old, table, entry, file=str(file), replace=args.replace, key=key)
    _validate(file, new, repo, args.catalog)
    write_text(file, new)
    return file


def _validate(file: Path, text: str, repo: Path, catalog: str | None) -> None:
    """Load the project as `assess` would, with the new text in a scratch copy of the file."""
    scratch = file.with_name(f".{file.name}.baseline-check")
    write_text(scratch, text)
    try:
        load(AssessmentRequest(target=repo, config=str(scratch), catalog=catalog))
    except InputError as exc:  # named as the file the user will open, at the new text's lines
        named = [dataclasses.replace(p, file=str(file)) if p.file.endswith(scratch.name) else p
                 for p in exc.problems]  # fmt: skip
        raise InputError(named) from None
    finally:
        scratch.unlink(missing_ok=True)


def add_target_arguments(parser: argparse.ArgumentParser, what: str) -> None:
    """`--repo`, `--config`, `--catalog` and `--replace` (`what`: the entry --replace replaces)."""
    parser.add_argument("--repo", default=".", help="the repository (default: .)")
    parser.add_argument("--config", help="the project config to write into (default: "
                        "REPO/.baseline.toml, created when missing)")  # fmt: skip
    parser.add_argument("--catalog", help="catalog to check the config against (default: the "
                        "config's, else ssdf-1.1)")  # fmt: skip
    parser.add_argument("--replace", action="store_true", help=f"replace {what}")
