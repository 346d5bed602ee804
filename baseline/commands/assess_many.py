"""`baseline assess-many LIST`: assess every repository a file lists, then aggregate them."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from baseline.asof import parse_as_of
from baseline.commands.aggregate import write_portfolio
from baseline.commands.assess import add_gate_and_exclude_arguments, parse_formats, status_line
from baseline.commands.cache_options import (
    add_cache_arguments,
    report_cache_use,
    with_cache_option,
)
from baseline.commands.operator_options import (
    add_operator_arguments,
    gate_policy,
    operator_settings,
    with_operator_options,
)
from baseline.context import RunOptions
from baseline.many import assess_many, read_list
from baseline.models import ConfigTrust
from baseline.service import AssessmentRequest
from baseline.terminal import say


def run(args: argparse.Namespace) -> int:
    """Validate the list, the formats, the catalog and every target's config first; then
    assess, report, aggregate."""
    targets = read_list(Path(args.list))
    formats = parse_formats(args.format)
    if "json" not in formats:
        formats.append("json")  # the aggregate is built from the canonical records
    settings = operator_settings(args, [t.path for t in targets],
                                 default_trust=ConfigTrust.ATTESTATIONS)  # fmt: skip
    out = Path(args.out)
    options = RunOptions(excludes=tuple(args.exclude), as_of=parse_as_of(args.as_of))
    options = with_cache_option(with_operator_options(options, settings), args)
    request = AssessmentRequest(
        target=Path("."), catalog=args.catalog, config_trust=settings.config_trust,
        policy=gate_policy(settings), options=options, formats=tuple(formats),
        max_waiver_days=settings.max_waiver_days, policy_file=settings.policy,
    )  # fmt: skip
    jobs = args.jobs or max(1, os.cpu_count() or 1)
    done = assess_many(targets, request, out, jobs=jobs)
    report_cache_use(quiet=False)
    failing = 0
    for target, outcome in done:
        failing += bool(outcome.failures)
        shown = status_line(outcome.assessment.results)
        verdict = "policy not met" if outcome.failures else "policy met"
        say(f"{target.display}: {shown} -> {verdict} ({out / target.name})", file=sys.stdout)
    records = [str(out / t.name / "assessment.json") for t, _ in done]
    write_portfolio(records, out)
    say(f"{len(done)} repositories assessed, {failing} not meeting the policy; "
          f"portfolio in {out}", file=sys.stdout)  # fmt: skip
    return 1 if failing else 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare `assess-many` and its options."""
    parser = commands.add_parser(
        "assess-many", help="assess many local repositories in parallel and aggregate them"
    )
    parser.add_argument("list", metavar="LIST",
                        help="file naming one repository path a line (# comments; relative "
                             "paths are taken from the list file's folder)")  # fmt: skip
    parser.add_argument(
        "--out", default="baseline-many", help="output folder (default: baseline-many)"
    )
    parser.add_argument(
        "--catalog",
        default=None,
        help="built-in catalog id or a catalog file (default: each config's, else ssdf-1.1)",
    )
    parser.add_argument("--format", default="json", help="formats per repository (default: json)")
    parser.add_argument(
        "--jobs", type=int, default=0, help="work at once, shared by all targets (default: cores)"
    )
    add_gate_and_exclude_arguments(parser)
    add_operator_arguments(parser, default_trust=ConfigTrust.ATTESTATIONS)
    add_cache_arguments(parser)
    parser.set_defaults(handler=run)
