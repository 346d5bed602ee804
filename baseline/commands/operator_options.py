"""The operator's options, declared once for `assess`, `assess-many` and `precommit`.

`--policy FILE` (kept outside the assessed repository), `--config-trust`, and the settings that
only the operator may give: `--github-api-url`, `--github-repository`, `--allowed-signers`.
Precedence: the command line, then the policy file, then the environment (GITHUB_API_URL,
BASELINE_GITHUB_API_URL, GITHUB_REPOSITORY), then the defaults.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from baseline.checks.github_api import ENV_API_URL
from baseline.context import RunOptions
from baseline.errors import InputError
from baseline.models import ConfigTrust
from baseline.operator import DEFAULT_MAX_WAIVER_DAYS, OperatorSettings, inside_tree
from baseline.policy import Policy, parse_fail_on, split_ids
from baseline.project.policy_file import PolicyFile, load_policy

TRUST_CHOICES = tuple(t.value for t in ConfigTrust)


def add_operator_arguments(
    parser: argparse.ArgumentParser, default_trust: ConfigTrust = ConfigTrust.ALL
) -> None:
    """Declare the operator's options (`default_trust`: the command's default, for the help)."""
    group = parser.add_argument_group("operator (never taken from the assessed repository)")
    group.add_argument(
        "--policy",
        metavar="FILE",
        help="the operator's policy file (TOML, outside the assessed tree)",
    )
    group.add_argument(
        "--config-trust",
        choices=TRUST_CHOICES,
        default=None,
        help=(
            "how much of the repository's own config counts: none, attestations (the "
            f"vendor's claims only) or all (default: the policy's, else "
            f"{default_trust.value})"
        ),
    )
    group.add_argument(
        "--github-api-url",
        metavar="URL",
        default=None,
        help="GitHub REST API base URL for --online (default: the policy's, "
        "$GITHUB_API_URL, else https://api.github.com)",
    )
    group.add_argument(
        "--github-repository",
        metavar="OWNER/NAME",
        default=None,
        help="repository the github.* checks ask about (default: the policy's, "
        "else $GITHUB_REPOSITORY; never the repository's remote)",
    )
    group.add_argument(
        "--allowed-signers",
        metavar="FILE",
        default=None,
        help="trusted SSH allowed-signers file for git signature verification",
    )


def _first(*values: str | None) -> str:
    return next((v for v in values if v), "")


def operator_settings(
    args: argparse.Namespace,
    targets: Sequence[Path],
    env: Mapping[str, str] | None = None,
    default_trust: ConfigTrust = ConfigTrust.ALL,
) -> OperatorSettings:
    """The operator's decisions from the command line, the policy file and the environment.

    A policy file or allowed-signers file inside an assessed tree is refused (exit 2)."""
    env = os.environ if env is None else env
    policy = load_policy(Path(args.policy), list(targets)) if args.policy else None
    signers = Path(args.allowed_signers) if args.allowed_signers else None
    if signers is not None and not signers.is_file():
        raise InputError.single(str(signers), "", "--allowed-signers: no such file")
    signers = signers or (policy.allowed_signers if policy else None)
    for target in targets:
        if signers is not None and inside_tree(signers, target):
            raise InputError.single(
                str(signers),
                "",
                "the allowed-signers file lies inside the "
                f"assessed repository ({target}): the repository would "
                "choose its own trusted keys; keep it outside the tree",
            )
    given = policy or PolicyFile()
    trust = args.config_trust or (given.config_trust.value if given.config_trust else None)
    fail_on = (
        args.fail_on
        if args.fail_on is not None
        else (",".join(given.fail_on) or "none" if given.fail_on is not None else "fail,error")
    )
    return OperatorSettings(
        config_trust=ConfigTrust(trust) if trust else default_trust,
        fail_on=fail_on,
        require=split_ids([*getattr(args, "require", ()), *given.require]),
        require_form_items=split_ids(
            [*getattr(args, "require_form_item", ()), *given.require_form_items]
        ),
        github_api_url=_first(
            args.github_api_url,
            given.github_api_url,
            env.get(ENV_API_URL),
            env.get("GITHUB_API_URL"),
        ),
        github_repository=_first(
            args.github_repository, given.github_repository, env.get("GITHUB_REPOSITORY")
        ),
        allowed_signers=signers,
        max_waiver_days=given.max_waiver_days or DEFAULT_MAX_WAIVER_DAYS,
        policy=policy.digest if policy else None,
    )


def with_operator_options(options: RunOptions, settings: OperatorSettings) -> RunOptions:
    """The run options carrying the operator-only settings the checks read."""
    return dataclasses.replace(
        options,
        github_api_url=settings.github_api_url,
        github_repository=settings.github_repository,
        allowed_signers=settings.allowed_signers,
    )


def gate_policy(settings: OperatorSettings) -> Policy:
    """The gate the operator set: `--fail-on`, `--require`, `--require-form-item`."""
    return Policy(parse_fail_on(settings.fail_on), settings.require, settings.require_form_items)
