"""`baseline accept FINGERPRINT`: write an `[[accepted_findings]]` entry into a config file;
`baseline findings RECORD`: list a record's findings with their fingerprints, to copy one."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from baseline.accepted import where
from baseline.commands.config_entry import add_target_arguments, parse_date, write_entry
from baseline.errors import InputError
from baseline.models import VEX_JUSTIFICATIONS, VEX_STATUSES
from baseline.report.record_io import load_record
from baseline.terminal import one_line, say


def run(args: argparse.Namespace) -> int:
    """Write the entry, after checking that the config with it loads (else nothing changes)."""
    expires = parse_date(args.expires, "--expires")
    if args.justification and args.vex_status not in (None, "not_affected"):
        raise InputError.single(
            "command line", "--justification", "only --vex-status not_affected takes one"
        )
    entry: dict[str, Any] = {
        "fingerprint": args.fingerprint.strip().lower(),
        "reason": " ".join(args.reason.split()),
        "owner": args.owner,
        "approver": args.approver,
        "expires": expires,
    }
    for key in ("vex_status", "justification", "impact_statement"):
        if getattr(args, key):
            entry[key] = getattr(args, key)
    file = write_entry(args, "accepted_findings", entry, key="fingerprint")
    say(f"{file}: finding {entry['fingerprint']} accepted until {args.expires}")
    return 0


def findings(args: argparse.Namespace) -> int:
    """Print every finding of the record: fingerprint, check, rule, place, and acceptance."""
    assessment = load_record(Path(args.record))
    seen: set[tuple[str, str]] = set()
    rows = []
    for result in assessment.results:
        for evidence in result.evidence:
            for f in evidence.findings:
                if (evidence.check, f.fingerprint) in seen:
                    continue
                seen.add((evidence.check, f.fingerprint))
                mark = ""
                if f.accepted is not None:
                    state = "expired" if f.acceptance_expired else "accepted"
                    mark = f"  [{state} until {f.accepted.expires.isoformat()}]"
                rows.append((evidence.check, f.path, f.line or 0, f.rule,
                             f"{f.fingerprint}  {evidence.check}  {f.rule}  {where(f)}  "
                             f"{f.severity.value}{mark}"))  # fmt: skip
    for *_, line in sorted(rows):
        # Paths and rules come from the scanned repository: one line each, controls escaped.
        say(one_line(line))
    if not rows:
        say("no findings in this record")
    return 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare `accept` and `findings`."""
    parser = commands.add_parser(
        "accept", help="accept one finding (by fingerprint) until a date: an "
        "[[accepted_findings]] entry in the config",
    )  # fmt: skip
    parser.add_argument("fingerprint", help="the finding's fingerprint (`baseline findings`)")
    parser.add_argument("--reason", required=True, help="why the finding is accepted")
    parser.add_argument("--owner", required=True, help="who keeps it under review")
    parser.add_argument("--approver", required=True, help="who accepted the risk")
    parser.add_argument("--expires", required=True, help="YYYY-MM-DD when it counts again")
    parser.add_argument("--vex-status", choices=VEX_STATUSES,
                        help="OpenVEX status (for a vulnerability of a dependency)")  # fmt: skip
    parser.add_argument("--justification", choices=VEX_JUSTIFICATIONS,
                        help="OpenVEX justification of not_affected")  # fmt: skip
    parser.add_argument("--impact-statement", help="why the product is not affected")
    add_target_arguments(parser, "the entry already written for the fingerprint")
    parser.set_defaults(handler=run)
    listing = commands.add_parser(
        "findings", help="list a record's findings with their fingerprints (for `accept`)"
    )
    listing.add_argument("record", help="an assessment.json")
    listing.set_defaults(handler=findings)
