"""Run the catalog's checks over a target and evaluate every control."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
import traceback
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from baseline import __version__, offline, scope
from baseline.checks.registry import CHECKS
from baseline.context import Context, RunOptions, build_context
from baseline.errors import BaselineError, ToolError
from baseline.evaluate import evaluate
from baseline.models import (
    Assessment,
    Attestation,
    Catalog,
    CheckOutcome,
    CheckSpec,
    Evidence,
    Waiver,
)
from baseline.progress import Progress
from baseline.toolrun import stop_running_tools

SpecKey = tuple[str, str]


def spec_key(spec: CheckSpec) -> SpecKey:
    """Identity of a check run: checks with equal parameters run once for all their controls."""
    return spec.check, json.dumps(spec.params, sort_keys=True, default=str)


def generated_at() -> dt.datetime:
    """`SOURCE_DATE_EPOCH` when set (reproducible runs), otherwise now, in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise BaselineError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp") from None
    return dt.datetime.now(tz=dt.timezone.utc).replace(microsecond=0)


def run_check(ctx: Context, spec: CheckSpec) -> Evidence:
    """Run one check; anything it raises becomes `error` evidence, never a crash or a pass."""
    check = CHECKS[spec.check]
    params = check.resolve(spec.params)
    try:
        evidence = check.run(ctx, params)
    except ToolError as exc:
        evidence = Evidence(spec.check, CheckOutcome.ERROR, str(exc), error=exc.diagnostics())
    except Exception as exc:  # noqa: BLE001 - isolation: one broken check must not stop the run
        where = traceback.extract_tb(exc.__traceback__)[-1]
        detail = f"{type(exc).__name__}: {exc} (at {Path(where.filename).name}:{where.lineno})"
        evidence = Evidence(
            spec.check,
            CheckOutcome.ERROR,
            f"the check raised an unexpected error: {detail}",
            error=f"{detail}; please report this as a bug in ssdf-baseline",
        )
    if evidence.params != params:
        evidence = replace(evidence, params=params)
    return scope.apply(evidence, ctx.options.scope)


def run_checks(
    ctx: Context, catalog: Catalog, quiet: bool = False
) -> tuple[dict[SpecKey, Evidence], dict[str, float]]:
    """Every distinct check of the applicable controls, concurrently within `jobs`."""
    specs: dict[SpecKey, CheckSpec] = {}
    for control in catalog.controls:
        if control.not_applicable is None:
            for spec in control.checks:
                specs.setdefault(spec_key(spec), spec)
    progress = Progress(len(specs), "checks", quiet=quiet)
    timings: dict[str, float] = {}

    def timed(key: SpecKey) -> Evidence:
        started = time.monotonic()
        # What a hosting setting may do instead of a workflow is not a failure (offline.py).
        evidence = offline.apply(run_check(ctx, specs[key]))
        seconds = time.monotonic() - started
        timings[key[0] if key[1] == "{}" else f"{key[0]} {key[1]}"] = round(seconds, 3)
        progress.step(key[0], evidence.outcome.value, seconds)
        return evidence

    # Slow, tool-backed checks first so they overlap with the quick file checks; the first
    # check of each tool (and the first spec of each check) before any second one, so that
    # checks sharing one tool run (which wait for it) do not hold every worker while a
    # different tool has not started.
    def tools(k: SpecKey) -> tuple[str, ...]:
        return CHECKS[k[0]].tools

    nth = {k: sum(1 for j in specs if j[0] == k[0] and j < k) for k in specs}
    nth_of_tool = {k: sum(1 for j in specs if tools(j) == tools(k) and j < k) for k in specs}
    order = sorted(specs, key=lambda k: (not tools(k), nth_of_tool[k] > 0, nth[k], k))
    with ThreadPoolExecutor(max_workers=max(1, ctx.options.jobs)) as pool:
        try:
            results = dict(zip(order, pool.map(timed, order), strict=True))
        except BaseException:  # Ctrl-C or SIGTERM: start no more checks, stop running tools
            pool.shutdown(wait=False, cancel_futures=True)
            ctx.cores.close()  # before the kill, so no waiting scanner starts after it
            stop_running_tools()
            raise
    return results, timings


def assess(
    target: Path,
    catalog: Catalog,
    options: RunOptions,
    *,
    display: str | None = None,
    attestations: Mapping[str, Attestation] | None = None,
    waivers: Mapping[str, Waiver] | None = None,
    quiet: bool = False,
) -> Assessment:
    """Assess one target against a catalog: gather evidence, then evaluate each control."""
    when = generated_at()
    ctx = build_context(target, display or str(target), options)
    evidence, timings = run_checks(ctx, catalog, quiet=quiet)
    attestations = attestations or {}
    waivers = waivers or {}
    results = tuple(
        evaluate(
            control,
            [evidence[spec_key(s)] for s in control.checks]
            if control.not_applicable is None
            else [],
            attestations.get(control.id),
            waivers.get(control.id),
            when.date(),
        )
        for control in catalog.controls
    )
    tools = {run.tool: run.version for e in evidence.values() for run in e.tool_runs if run.version}
    return Assessment(
        target=ctx.display,
        commit=ctx.git.commit,
        catalog=catalog,
        tools=dict(sorted(tools.items())),
        generated_at=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        results=results,
        tool_version=__version__,
        timings=timings,
    )
