"""`baseline explain TASK`: what a task asks, what evidences it, what a person must attest."""

from __future__ import annotations

import argparse
import textwrap

from baseline.catalog.loader import load_catalog
from baseline.checks.registry import CHECKS
from baseline.commands.form_coverage import form_coverage
from baseline.errors import InputError
from baseline.models import AttestationLevel, Catalog, Control
from baseline.terminal import say


def explanation(catalog: Catalog, control: Control) -> str:
    """The full explanation of one control, as text."""
    practice = next(p for p in catalog.practices if p.id == control.practice)
    wrap = textwrap.TextWrapper(width=88, initial_indent="  ", subsequent_indent="  ")
    lines = [f"{control.id}  {control.title}", f"Practice {practice.id}: {practice.title}", ""]
    lines += [wrap.fill(control.summary), ""]
    if control.eo14028:
        lines.append(f"EO 14028: {', '.join(control.eo14028)}")
    for crosswalk in catalog.crosswalks:
        items = [i for i in crosswalk.items if control.id in i.tasks]
        if items:
            lines.append(f"{crosswalk.title}: items {', '.join(i.id for i in items)}")
            wanted = {i.id for i in items}
            lines.extend(
                f"  {cov.line()}"
                for cov in form_coverage(catalog)
                if cov.crosswalk == crosswalk.id and cov.item in wanted
            )
    lines += ["", "Automated evidence:"]
    if control.checks:
        for spec in control.checks:
            params = f" {dict(spec.params)}" if spec.params else ""
            lines.append(f"  - {spec.check}{params}: {CHECKS[spec.check].question}")
    else:
        lines.append("  none: no tool can observe this task from a repository")
    lines += ["", "Attestation:"]
    if control.attestation is AttestationLevel.REQUIRED:
        lines.append("  required: a person must attest, with evidence, for this task to be met")
    elif control.attestation is AttestationLevel.OPTIONAL:
        lines.append("  optional: the checks can meet it; an attestation adds a person's word")
    else:
        lines.append("  none: the checks alone decide")
    if control.not_applicable:
        lines += ["", f"Declared not applicable: {control.not_applicable}"]
    lines += ["", "Remediation:", wrap.fill(control.remediation)]
    return "\n".join(lines)


def coverage_text(catalog: Catalog) -> str:
    """Per crosswalk item, how many of its tasks have automated checks."""
    lines: list[str] = []
    for crosswalk in catalog.crosswalks:
        lines.append(f"{crosswalk.title}:")
        lines.extend(
            f"  {cov.line()}" for cov in form_coverage(catalog) if cov.crosswalk == crosswalk.id
        )
    return "\n".join(lines) if lines else f"{catalog.id} carries no crosswalk"


def run(args: argparse.Namespace) -> int:
    """Print the explanation of a task."""
    catalog = load_catalog(args.catalog)
    if args.task is None:
        say(coverage_text(catalog))
        return 0
    wanted = args.task.strip().upper().replace(" ", ".")
    try:
        control = catalog.control(wanted)
    except KeyError:
        from baseline.catalog.fields import did_you_mean

        hint = did_you_mean(wanted, [c.id for c in catalog.controls])
        raise InputError.single(
            args.task, "", f"no task {wanted!r} in {catalog.id}{hint}"
        ) from None
    say(explanation(catalog, control))
    return 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare `explain`."""
    parser = commands.add_parser(
        "explain", help="explain what an SSDF task asks and how it is evidenced"
    )
    parser.add_argument(
        "task",
        nargs="?",
        default=None,
        help="task id, e.g. PW.7.2 (none: per form item, how many tasks have automated checks)",
    )
    parser.add_argument(
        "--catalog", default="ssdf-1.1", help="built-in catalog id or a catalog file"
    )
    parser.set_defaults(handler=run)
