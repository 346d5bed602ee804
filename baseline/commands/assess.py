"""`baseline assess`: run the checks, evaluate, write the reports, print a summary."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from baseline import service
from baseline.asof import add_as_of_argument, parse_as_of
from baseline.bundle.keyless import Keyless
from baseline.checks.sbom import CHECK_ID as SBOM_CHECK
from baseline.commands.cache_options import (
    add_cache_arguments,
    report_cache_use,
    with_cache_option,
)
from baseline.commands.online_options import add_supply_chain_arguments, with_supply_chain_options
from baseline.commands.operator_options import (
    add_operator_arguments,
    gate_policy,
    operator_settings,
    with_operator_options,
)
from baseline.context import RunOptions
from baseline.errors import InputError
from baseline.models import Assessment, ConfigTrust, ControlStatus, Result
from baseline.outdir import write_file
from baseline.report.config_claims import summary_line
from baseline.report.json_record import status_counts
from baseline.report.registry import FORMATS
from baseline.terminal import one_line, say
from baseline.tools.sbom_doc import GENERATED_NAME


def parse_formats(text: str) -> list[str]:
    """`html,md` -> ["html", "md"]; `all` -> every format; unknown names are an input error."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    if names == ["all"]:
        return list(FORMATS)
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        known = ", ".join(FORMATS)
        raise InputError.single(
            "--format", "", f"unknown format {unknown[:1] or names!r} (known: {known}, all)"
        )
    return names


def gate_failures(assessment: Assessment, fail_on: frozenset[ControlStatus]) -> list[str]:
    """Controls whose status the policy does not accept."""
    return [r.control.id for r in assessment.results if r.status in fail_on]


def status_line(results: tuple[Result, ...]) -> str:
    """`pass: 2  not_applicable: 1`: the statuses that occur, with their counts."""
    return "  ".join(f"{status}: {n}" for status, n in status_counts(results).items() if n)


def summary_text(assessment: Assessment, out: Path, failures: list[str]) -> str:
    """A short, actionable summary for the terminal."""
    lines = [
        f"{assessment.catalog.id} ({assessment.catalog.version}) on {assessment.target}"
        + (f" at {assessment.commit[:12]}" if assessment.commit else ""),
        "  " + status_line(assessment.results),
    ]
    lines.extend(
        f"  {r.status.value.upper():5} {one_line(r.control.id):8} {one_line(r.reason)}"
        for r in assessment.results
        if r.status in (ControlStatus.FAIL, ControlStatus.ERROR)
    )
    lines.append(summary_line(assessment))
    lines.append(f"Report: {out}")
    if failures:
        lines.append(f"Policy not met: {len(failures)} gate(s) failed.")
    else:
        lines.append("Policy met.")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Assess the target and write its reports."""
    formats = parse_formats(args.format)
    target = Path(args.path)
    settings = operator_settings(args, [target])
    keyless = keyless_option(args)
    check_bundle_options(args.bundle, args.sign_key, keyless)
    options = RunOptions(
        jobs=args.jobs or max(1, os.cpu_count() or 1),
        excludes=tuple(args.exclude),
        as_of=parse_as_of(args.as_of),
    )
    options = with_supply_chain_options(options, args)
    options = with_operator_options(options, settings)
    options = with_cache_option(options, args)
    out = Path(args.out)
    outcome = service.run(service.AssessmentRequest(
        target=target, display=args.path, catalog=args.catalog, config=args.config,
        config_trust=ConfigTrust.NONE if args.no_config else settings.config_trust,
        discover_config=not args.no_config, policy=gate_policy(settings), options=options,
        formats=tuple(formats), out=out,
        bundle=Path(args.bundle) if args.bundle else None,
        sign_key=Path(args.sign_key) if args.sign_key else None, keyless=keyless,
        max_waiver_days=settings.max_waiver_days, policy_file=settings.policy, quiet=args.quiet,
    ))  # fmt: skip
    report_cache_use(args.quiet)
    if args.sbom_out:
        write_generated_sbom(outcome.assessment, Path(args.sbom_out))
    failures = list(outcome.failures)
    say(summary_text(outcome.assessment, out, failures), file=sys.stdout)
    for line in gate_lines(failures):
        say(f"  {line}", file=sys.stdout)
    return outcome.exit_code


def write_generated_sbom(assessment: Assessment, path: Path) -> None:
    """Write the SBOM the run generated (the repository holds none) to `path`, atomically.

    Nothing is written when the repository holds an SBOM or the catalog runs no SBOM check;
    stderr says so, and the exit code is the assessment's."""
    made = [
        artifact.content
        for result in assessment.results
        for item in result.evidence
        for artifact in item.artifacts
        if artifact.name == GENERATED_NAME
    ]
    if not made:
        say(f"--sbom-out: no SBOM generated (the repository holds one, or {SBOM_CHECK} did not "
            f"run); {path} not written", file=sys.stderr)  # fmt: skip
        return
    write_file(path, made[-1])


def gate_lines(failures: list[str]) -> list[str]:
    """Unmet gates for the terminal: the --fail-on ones on one line (they are listed above)."""
    by_status = [f.split()[0] for f in failures if f.endswith("(--fail-on)")]
    lines = [f"gate --fail-on: {', '.join(by_status)}"] if by_status else []
    return lines + [f"gate: {f}" for f in failures if not f.endswith("(--fail-on)")]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare `assess` and its options."""
    parser = commands.add_parser("assess", help="assess a repository against a catalog")
    parser.add_argument(
        "path", nargs="?", default=".", help="the repository to assess (default: .)"
    )
    parser.add_argument(
        "--out", default="baseline-report", help="output folder (default: baseline-report)"
    )
    parser.add_argument(
        "--catalog",
        default=None,
        help="built-in catalog id or a catalog file (default: the config's, else ssdf-1.1)",
    )
    parser.add_argument(
        "--format", default="all", help=f"comma-separated: {', '.join(FORMATS)} or all"
    )
    parser.add_argument(
        "--jobs", type=int, default=0, help="checks and scanner processes at once (default: cores)"
    )
    add_gate_and_exclude_arguments(parser)
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument(
        "--sbom-out",
        metavar="FILE",
        help="when the repository holds no SBOM, also write the one generated from its "
        "lockfiles (CycloneDX 1.6 JSON) to FILE",
    )
    add_project_options(parser)
    add_supply_chain_arguments(parser)
    add_operator_arguments(parser)
    add_cache_arguments(parser)
    parser.set_defaults(handler=run)


def add_gate_and_exclude_arguments(parser: argparse.ArgumentParser) -> None:
    """`--fail-on`, `--exclude` and `--as-of`, the same for every command that assesses."""
    add_as_of_argument(parser)
    parser.add_argument(
        "--fail-on",
        default=None,
        help="statuses that make the run exit 1, or none (default: the policy's, else fail,error)",
    )
    parser.add_argument(
        "--exclude", action="append", default=[], help="glob of paths to skip (repeatable)"
    )


def keyless_option(args: argparse.Namespace) -> Keyless | None:
    """`--sign-keyless` (and its instance) as the run's keyless signing, or None."""
    trust_config = getattr(args, "sigstore_trust_config", None)
    if not getattr(args, "sign_keyless", False):
        if trust_config:
            raise InputError.single("--sigstore-trust-config", "", "is for --sign-keyless")
        return None
    return Keyless(Path(trust_config) if trust_config else None)


def check_bundle_options(
    bundle: str | None, sign_key: str | None, keyless: Keyless | None = None
) -> None:
    """Refuse unusable bundle options before the run rather than after the reports."""
    if sign_key and not bundle:
        raise InputError.single("--sign-key", "", "signs a bundle: give --bundle DIR too")
    if keyless is not None and not bundle:
        raise InputError.single("--sign-keyless", "", "signs a bundle: give --bundle DIR too")
    if sign_key:
        from baseline.bundle.sign import load_private  # cryptography loads only when signing

        load_private(sign_key)
    if keyless is not None:
        keyless.check()


def add_project_options(parser: argparse.ArgumentParser) -> None:
    """Options for the project config, policy gates and the evidence bundle."""
    parser.add_argument(
        "--config", help="project config (default: the target's .baseline.toml or pyproject.toml)"
    )
    parser.add_argument("--no-config", action="store_true", help="ignore the target's config")
    parser.add_argument(
        "--require",
        action="append",
        default=[],
        help="controls that must be pass, attested, not_applicable or waived (comma-separated)",
    )
    parser.add_argument(
        "--require-form-item",
        action="append",
        default=[],
        help="CISA form items whose tasks must all be met (comma-separated, e.g. 4a)",
    )
    parser.add_argument("--bundle", help="also write a verifiable evidence bundle to this folder")
    parser.add_argument("--sign-key", help="Ed25519 private key (PEM) to sign the bundle with")
    parser.add_argument(
        "--sign-keyless",
        action="store_true",
        help="also sign the bundle keyless with Sigstore, as the ambient OIDC identity (GitHub "
        "Actions with `permissions: id-token: write`); online: Fulcio and Rekor "
        "(needs the sigstore extra)",
    )
    parser.add_argument(
        "--sigstore-trust-config",
        metavar="FILE",
        help="with --sign-keyless: the Sigstore instance (ClientTrustConfig JSON: signing "
        "config and trusted root; default: Sigstore's public production instance)",
    )
