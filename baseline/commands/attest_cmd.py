"""`baseline attest TASK`: write an attestation block, evidence digested, into a config file."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from baseline.asof import real_today
from baseline.errors import InputError
from baseline.outdir import write_text
from baseline.project.paths import file_sha256
from baseline.project.records import REPO_PREFIX
from baseline.service import AssessmentRequest, load
from baseline.terminal import say


def parse_date(text: str | None, what: str) -> dt.date | None:
    """A command-line date (YYYY-MM-DD), None when not given; InputError naming `what`."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError.single("command line", what, f"not a date YYYY-MM-DD: {text!r}") from None


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
    repo = Path(args.repo).resolve()
    file = Path(args.config) if args.config else repo / ".baseline.toml"
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
    from baseline.project.edit import with_entry  # tomlkit loads only for this command

    old = file.read_text(encoding="utf-8") if file.is_file() else ""
    new = with_entry(old, "attestations", entry, file=str(file), replace=args.replace)
    validate_config(file, new, repo, args)
    write_text(file, new)
    say(f"{file}: attestation for {entry['control']} written "
        f"({len(entry['evidence'])} evidence file(s) digested)")  # fmt: skip
    return 0


def validate_config(file: Path, text: str, repo: Path, args: argparse.Namespace) -> None:
    """Load the project as `assess` would, with the new text in a scratch copy of the file."""
    scratch = file.with_name(f".{file.name}.baseline-check")
    write_text(scratch, text)
    try:
        load(AssessmentRequest(target=repo, config=str(scratch), catalog=args.catalog))
    except InputError as exc:  # named as the file the user will open, at the new text's lines
        named = [dataclasses.replace(p, file=str(file)) if p.file.endswith(scratch.name) else p
                 for p in exc.problems]  # fmt: skip
        raise InputError(named) from None
    finally:
        scratch.unlink(missing_ok=True)


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
    parser.add_argument("--repo", default=".", help="the repository (default: .)")
    parser.add_argument("--config", help="the project config to write into (default: "
                        "REPO/.baseline.toml, created when missing)")  # fmt: skip
    parser.add_argument("--catalog", help="catalog to check the task against (default: the "
                        "config's, else ssdf-1.1)")  # fmt: skip
    parser.add_argument("--replace", action="store_true",
                        help="replace an attestation already written for the task")  # fmt: skip
    parser.set_defaults(handler=run)
