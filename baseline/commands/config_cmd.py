"""`baseline config check`: validate a project config and say what of it counts, and why not.

The same loader as `assess` reads it (a bad key is located, exit 2); then every attestation and
waiver is judged as a run would judge it on the as-of day (evidence present, digests matching,
dates), so a vendor learns before a bid which claims would not count. Exit 1 when one would not.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from baseline.asof import add_as_of_argument, parse_as_of, real_today
from baseline.commands.operator_options import TRUST_CHOICES
from baseline.context import RunOptions
from baseline.evaluate import attestation_problems, waiver_problems
from baseline.models import ConfigTrust
from baseline.service import AssessmentRequest, load
from baseline.terminal import one_line, say

_IGNORED = {
    ConfigTrust.NONE: "nothing of the config counts (--config-trust none)",
    ConfigTrust.ATTESTATIONS: "its catalog choice, parameter overrides, excludes, [scope] and "
    "[semgrep] rules do not count (--config-trust attestations)",
}


def check_lines(request: AssessmentRequest) -> tuple[list[str], int]:
    """What the config declares and whether each claim counts; (lines, claims not counting)."""
    project = load(request)
    today = request.options.as_of or real_today()
    if project.config is None:
        return [f"{request.target}: no project config (.baseline.toml or pyproject.toml)"], 0
    lines = [
        f"config: {project.config.path} (sha256 {project.config.sha256[:16]}...)",
        f"trust: {project.trust.value}; catalog: {project.catalog.id} {project.catalog.version}",
    ]
    if project.trust in _IGNORED:
        lines.append(f"  {_IGNORED[project.trust]}")
    lapsed = 0
    for control, attestation in sorted(project.attestations.items()):
        problems = attestation_problems(attestation, today)
        lapsed += bool(problems)
        verdict = "does NOT count: " + "; ".join(problems) if problems else "counts"
        files = len(attestation.evidence_files)
        lines.append(one_line(f"attestation {control} by {attestation.by}, "
                              f"{files} evidence file(s): {verdict}"))  # fmt: skip
    for control, waiver in sorted(project.waivers.items()):
        problems = waiver_problems(waiver, today)
        lapsed += bool(problems)
        verdict = "does NOT waive: " + "; ".join(problems) if problems else "in force"
        lines.append(one_line(f"waiver {control} (owner {waiver.owner}, expires "
                              f"{waiver.expires.isoformat()}): {verdict}"))  # fmt: skip
    na = [c for c in project.catalog.controls if c.not_applicable]
    lines += [one_line(f"not applicable {c.id}: {c.not_applicable}") for c in na]
    params = sorted((k, c.detail) for k, claims in project.claims.items() for c in claims
                    if c.kind == "param")  # fmt: skip
    lines += [one_line(f"parameter {control}: {detail}") for control, detail in params]
    lines += [one_line(f"exclude {p} ({where})") for p, where in project.exclude_sources.items()]
    lines.append(f"judged on {today.isoformat()}: {lapsed} claim(s) would not count")
    return lines, lapsed


def run(args: argparse.Namespace) -> int:
    """Print the check; exit 1 when an attestation or waiver would not count."""
    request = AssessmentRequest(
        target=Path(args.path), config=args.config, catalog=args.catalog,
        config_trust=ConfigTrust(args.config_trust), options=_options(args),
    )  # fmt: skip
    lines, lapsed = check_lines(request)
    say("\n".join(lines))
    return 1 if lapsed else 0


def _options(args: argparse.Namespace) -> RunOptions:
    return RunOptions(as_of=parse_as_of(args.as_of))


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare `config check`."""
    parser = commands.add_parser("config", help="work with a project config (.baseline.toml)")
    actions = parser.add_subparsers(dest="config_command", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check", help="validate the config and say which attestations and waivers count"
    )
    check.add_argument("path", nargs="?", default=".", help="the repository (default: .)")
    check.add_argument("--config", help="the config file (default: the repository's own)")
    check.add_argument("--catalog", help="built-in catalog id or catalog file")
    check.add_argument("--config-trust", choices=TRUST_CHOICES, default="all",
                       help="how much of the config counts (default: all)")  # fmt: skip
    add_as_of_argument(check)
    check.set_defaults(handler=run)
    keys = actions.add_parser(
        "keys", help="every config key: type, default, meaning, example (docs/project-config.md)"
    )
    keys.set_defaults(handler=run_keys)


def run_keys(args: argparse.Namespace) -> int:
    """Print the documentation of every config key, derived from the loader's definitions (the
    same text as docs/project-config.md, so a generated config can point at a command)."""
    from baseline.project.config_docs import docs_page

    say(docs_page().rstrip("\n"))
    return 0
