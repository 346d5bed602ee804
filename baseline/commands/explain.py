"""`baseline explain TASK`: what a task asks, what evidences it, what a person must attest."""

from __future__ import annotations

import argparse
import textwrap

from baseline.catalog.loader import load_catalog
from baseline.checks.alternatives import ALTERNATIVES
from baseline.checks.interface import Check, Param
from baseline.checks.registry import CHECKS
from baseline.commands.form_coverage import form_coverage
from baseline.errors import InputError
from baseline.models import AttestationLevel, Catalog, Control
from baseline.project.derive import toml_value
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


def _kind(param: Param) -> str:
    kinds = param.kind if isinstance(param.kind, tuple) else (param.kind,)
    names = {"str": "string", "int": "integer", "float": "number", "bool": "boolean",
             "list": "list"}  # fmt: skip
    return " or ".join(names.get(k.__name__, k.__name__) for k in kinds)


def _toml(value: object) -> str:
    # Defaults may be tuples (immutable in the check's definition); TOML writes them as arrays.
    return toml_value(list(value) if isinstance(value, tuple) else value)


def check_explanation(catalog: Catalog, check: Check) -> str:
    """What a check asks, the tools it runs, its parameters (type, default, meaning, bounds,
    choices) and the tasks of the catalog that cite it, with a config example."""
    lines = [check.id, f"  {check.question}", ""]
    lines.append(f"Tools: {', '.join(check.tools) if check.tools else 'none (reads files)'}")
    tasks = [c for c in catalog.controls if any(s.check == check.id for s in c.checks)]
    lines.append(f"Tasks in {catalog.id}: {', '.join(c.id for c in tasks) or 'none'}")
    if members := ALTERNATIVES.get(check.id):
        lines.append(f"Passes when any of these passes: {', '.join(members)}")
    if within := [k for k, members in ALTERNATIVES.items() if check.id in members]:
        lines.append(f"An alternative within: {', '.join(within)} (its parameters there are "
                     "prefixed with this check's name)")  # fmt: skip
    lines += ["", "Parameters:"]
    if not check.params:
        lines.append("  none")
    for name, param in check.params.items():
        extra = ""
        if param.choices:
            extra += f"; one of {', '.join(_toml(c) for c in param.choices)}"
        if param.bounds:
            extra += f"; from {param.bounds[0]} to {param.bounds[1]}"
        lines.append(f"  {name} ({_kind(param)}, default {_toml(param.default)}{extra})")
        lines.append(f"      {param.help}")
    if check.params and tasks:
        name, param = next(iter(check.params.items()))
        lines += ["", "Override in .baseline.toml (docs/project-config.md):", "",
                  "  [[params]]", f'  control = "{tasks[0].id}"', f'  check = "{check.id}"',
                  f"  params = {{ {name} = {_toml(param.default)} }}"]  # fmt: skip
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
    if args.task.strip() in CHECKS:
        say(check_explanation(catalog, CHECKS[args.task.strip()]))
        return 0
    wanted = args.task.strip().upper().replace(" ", ".")
    try:
        control = catalog.control(wanted)
    except KeyError:
        from baseline.catalog.fields import did_you_mean

        hint = did_you_mean(args.task.strip(), [c.id for c in catalog.controls] + list(CHECKS))
        raise InputError.single(
            args.task, "", f"no task or check {args.task.strip()!r} in {catalog.id}{hint}"
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
        help="task id, e.g. PW.7.2, or check id, e.g. sast.bandit (its parameters); none: per "
        "form item, how many tasks have automated checks",
    )
    parser.add_argument(
        "--catalog", default="ssdf-1.1", help="built-in catalog id or a catalog file"
    )
    parser.set_defaults(handler=run)
