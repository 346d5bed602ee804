"""`baseline precommit`: the fast, file-level checks only, for a pre-commit hook.

Only controls whose every check runs without an external tool are assessed, so the hook takes
a fraction of a second and never needs bandit, semgrep or a network. Controls that need a tool
are left to the full `baseline assess` in CI; they are not reported here at all, rather than
reported on partial evidence. The repository's config is read as `assess` reads it (the same
`--config-trust`), through the same run (`baseline/service.py`), so a task the config declares
not applicable is not applicable here too.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

from baseline import service
from baseline.asof import parse_as_of
from baseline.checks.registry import CHECKS
from baseline.commands.assess import add_gate_and_exclude_arguments, status_line
from baseline.commands.operator_options import (
    add_operator_arguments,
    gate_policy,
    operator_settings,
    with_operator_options,
)
from baseline.context import RunOptions
from baseline.models import Catalog, Control, ControlStatus
from baseline.terminal import one_line, say


def is_file_level(control: Control) -> bool:
    """True when the control has checks and none of them calls an external tool."""
    return bool(control.checks) and all(not CHECKS[s.check].tools for s in control.checks)


def file_level_profile(catalog: Catalog) -> Catalog:
    """The catalog narrowed to its file-level controls (used in memory, never reported)."""
    kept = tuple(c for c in catalog.controls if is_file_level(c))
    return replace(catalog, controls=kept)


def run(args: argparse.Namespace) -> int:
    """Assess the file-level controls and print the failing ones."""
    target = Path(args.path)
    settings = operator_settings(args, [target])
    options = RunOptions(
        jobs=max(1, os.cpu_count() or 1),
        excludes=tuple(args.exclude),
        as_of=parse_as_of(args.as_of),
    )
    outcome = service.run(service.AssessmentRequest(
        target=target, display=args.path, catalog=args.catalog, config=args.config,
        config_trust=settings.config_trust, policy=gate_policy(settings),
        options=with_operator_options(options, settings), narrow=file_level_profile,
        max_waiver_days=settings.max_waiver_days, policy_file=settings.policy,
    ))  # fmt: skip
    for result in outcome.assessment.results:
        if result.status in (ControlStatus.FAIL, ControlStatus.ERROR):
            notes = "; ".join(e.summary for e in result.evidence if e.outcome.value != "pass")
            say(
                f"{result.status.value.upper():5} {one_line(result.control.id):8} {one_line(notes)}"
            )
    profile = outcome.project.catalog
    verdict = f"{len(outcome.failures)} gated" if outcome.failures else "policy met"
    shown = status_line(outcome.assessment.results)
    say(
        f"baseline precommit: {len(profile.controls)} file-level controls of "
        f"{profile.id} ({shown}): {verdict}",
        file=sys.stdout,
    )
    return outcome.exit_code


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare `precommit` and its options."""
    parser = commands.add_parser(
        "precommit", help="only the fast file-level checks (for a pre-commit hook)"
    )
    parser.add_argument("path", nargs="?", default=".", help="the repository (default: .)")
    parser.add_argument(
        "--catalog",
        default=None,
        help="built-in catalog id or a catalog file (default: the config's, else ssdf-1.1)",
    )
    parser.add_argument(
        "--config", help="project config (default: the target's .baseline.toml or pyproject.toml)"
    )
    add_gate_and_exclude_arguments(parser)
    add_operator_arguments(parser)
    parser.set_defaults(handler=run)
