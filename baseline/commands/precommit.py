"""`baseline precommit`: the fast, file-level checks only, for a pre-commit hook.

Only controls whose every check runs without an external tool are assessed, so the hook takes
a fraction of a second and never needs bandit, semgrep or a network. Controls that need a tool
are left to the full `baseline assess` in CI; they are not reported here at all, rather than
reported on partial evidence.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

from baseline.asof import parse_as_of
from baseline.catalog.loader import load_catalog
from baseline.checks.registry import CHECKS
from baseline.commands.assess import add_gate_and_exclude_arguments, parse_fail_on
from baseline.commands.operator_options import (
    add_operator_arguments,
    operator_settings,
    with_operator_options,
)
from baseline.context import RunOptions
from baseline.engine import assess
from baseline.models import Catalog, ConfigTrust, Control, ControlStatus
from baseline.policy import Policy
from baseline.terminal import one_line, say


def is_file_level(control: Control) -> bool:
    """True when the control has checks and none of them calls an external tool."""
    return bool(control.checks) and all(not CHECKS[s.check].tools for s in control.checks)


def file_level_profile(catalog: Catalog) -> Catalog:
    """The catalog narrowed to its file-level controls (used in memory, never reported)."""
    kept = tuple(c for c in catalog.controls if c.not_applicable is None and is_file_level(c))
    return replace(catalog, controls=kept)


def run(args: argparse.Namespace) -> int:
    """Assess the file-level controls and print the failing ones."""
    settings = operator_settings(args, [Path(args.path)], default_trust=ConfigTrust.NONE)
    fail_on = parse_fail_on(settings.fail_on)
    profile = file_level_profile(load_catalog(args.catalog))
    options = RunOptions(
        jobs=max(1, os.cpu_count() or 1),
        excludes=tuple(args.exclude),
        as_of=parse_as_of(args.as_of),
    )
    options = with_operator_options(options, settings)
    assessment = assess(Path(args.path), profile, options, display=args.path, quiet=True)
    for result in assessment.results:
        if result.status in (ControlStatus.FAIL, ControlStatus.ERROR):
            notes = "; ".join(e.summary for e in result.evidence if e.outcome.value != "pass")
            say(
                f"{result.status.value.upper():5} {one_line(result.control.id):8} {one_line(notes)}"
            )
    failures = Policy(fail_on).failures(assessment)
    verdict = f"{len(failures)} gated" if failures else "policy met"
    say(f"baseline precommit: {len(profile.controls)} file-level controls of "
          f"{profile.id}: {verdict}", file=sys.stdout)  # fmt: skip
    return 1 if failures else 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare `precommit` and its options."""
    parser = commands.add_parser(
        "precommit", help="only the fast file-level checks (for a pre-commit hook)"
    )
    parser.add_argument("path", nargs="?", default=".", help="the repository (default: .)")
    parser.add_argument(
        "--catalog", default="ssdf-1.1", help="built-in catalog id or a catalog file"
    )
    add_gate_and_exclude_arguments(parser)
    add_operator_arguments(parser, reads_config=False)
    parser.set_defaults(handler=run)
