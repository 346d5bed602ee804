"""`baseline attest TASK`: write an attestation block, evidence digested, into a config file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from baseline.asof import real_today
from baseline.commands.config_entry import add_target_arguments, parse_date, target, write_entry
from baseline.errors import InputError
from baseline.project.paths import file_sha256
from baseline.project.records import REPO_PREFIX
from baseline.terminal import say


def _evidence(paths: list[str], folder: Path, repo: Path) -> list[dict[str, str]]:
    """Each file as the config names it (relative to its folder, else `repo:` + relative to
    the repository), with its SHA-256 now."""
    found = []
    for given in paths:
        path = Path(given).resolve()
        digest = file_sha256(path)
        if digest is None:
            raise InputError.single(given, "--evidence", "not a regular file (or unreadable)")
        if path.is_relative_to(folder):
            name = path.relative_to(folder).as_posix()
        elif path.is_relative_to(repo):
            name = REPO_PREFIX + path.relative_to(repo).as_posix()
        else:
            why = "lies outside the config's folder and the repository: copy it in first"
            raise InputError.single(given, "--evidence", why)
        found.append({"path": name, "sha256": digest})
    return found


def run(args: argparse.Namespace) -> int:
    """Write the block, after checking that the config with it loads (else nothing changes)."""
    repo, file = target(args)
    folder = file.resolve().parent
    entry: dict[str, Any] = {
        "control": args.task.strip().upper(),
        "statement": " ".join(args.statement.split()),
        "by": args.by,
        "date": parse_date(args.date, "--date") or real_today(),
    }
    if (expires := parse_date(args.expires, "--expires")) is not None:
        entry["expires"] = expires
    entry["evidence"] = _evidence(args.evidence, folder, repo)
    if args.url:
        entry["urls"] = list(args.url)
    write_entry(args, "attestations", entry)
    say(f"{file}: attestation for {entry['control']} written "
        f"({len(entry['evidence'])} evidence file(s) digested)")  # fmt: skip
    return 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare `attest`."""
    parser = commands.add_parser(
        "attest", help="write an [[attestations]] block with evidence digests into the config"
    )
    parser.add_argument("task", help="the task attested, e.g. PO.1.1")
    parser.add_argument("--statement", required=True, help="what is attested, in a sentence")
    parser.add_argument("--by", required=True, help="who attests (name, title)")
    parser.add_argument("--evidence", nargs="+", default=[], metavar="FILE",
                        help="evidence files (digested now; inside the config's folder or the "
                        "repository)")  # fmt: skip
    parser.add_argument("--url", action="append", help="a reference URL (not evidence by itself)")
    parser.add_argument("--date", help="YYYY-MM-DD (default: today)")
    parser.add_argument("--expires", help="YYYY-MM-DD when the attestation lapses")
    add_target_arguments(parser, "an attestation already written for the task")
    parser.set_defaults(handler=run)
