"""Run the catalog's checks over a target and evaluate every control."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import time
import traceback
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import replace
from pathlib import Path

from baseline import accepted as accepted_findings
from baseline import offline, scope
from baseline._version import __version__
from baseline.asof import real_today
from baseline.checks.registry import CHECKS
from baseline.context import Context, RunOptions, build_context, is_excluded
from baseline.errors import BaselineError, ToolError
from baseline.evaluate import evaluate
from baseline.models import (
    Acceptance,
    Assessment,
    Attestation,
    Catalog,
    CheckOutcome,
    CheckSpec,
    ConfigClaim,
    Evidence,
    RepositoryFacts,
    Result,
    Waiver,
)
from baseline.progress import Progress
from baseline.toolrun import allow_tool_starts, stop_running_tools

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
    if evidence.overrides != spec.overrides:  # this run's, never a cached run's
        evidence = replace(evidence, overrides=spec.overrides)
    if evidence.question != check.question:
        evidence = replace(evidence, question=check.question)
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
    # Not `with`: its exit waits for every running check, and a check stuck in CPU-bound code
    # would hold an interrupted run for as long as it takes (the CLI then exits without it).
    pool = ThreadPoolExecutor(max_workers=max(1, ctx.options.jobs))
    try:
        futures = [pool.submit(timed, key) for key in order]
        results = {key: _result(future) for key, future in zip(order, futures, strict=True)}
    except BaseException:  # Ctrl-C or SIGTERM: start no more checks, stop running tools
        pool.shutdown(wait=False, cancel_futures=True)
        ctx.cores.close()  # before the kill, so no waiting scanner starts after it
        stop_running_tools()
        raise
    pool.shutdown()
    return results, timings


def _result(future: Future[Evidence]) -> Evidence:
    """The future's result, waited for in short steps: the kernel may hand a Ctrl-C to a
    worker thread, and Python raises it in the main thread only when that runs again; a
    wait without a timeout would then hold the interrupted run until the check ends."""
    while not future.done():
        wait([future], timeout=0.1)
    return future.result()


def _is_dir(ctx: Context, rel: str) -> bool:
    # A `build/` pattern matches folders only: whether an excluded entry is one decides.
    try:
        return stat.S_ISDIR(os.lstat(ctx.root / rel).st_mode)
    except OSError:
        return False


def exclude_claims(ctx: Context) -> tuple[ConfigClaim, ...]:
    """The repository config's exclude patterns that left something out, with how much.

    `--exclude` is the operator's, not a claim; only patterns the config named count.
    """
    claims = []
    for pattern, source in sorted(ctx.options.exclude_sources.items()):
        count = sum(
            1 for rel in ctx.excluded if is_excluded(rel, [pattern], is_dir=_is_dir(ctx, rel))
        )
        if count:
            paths = f"{count} path{'s' if count != 1 else ''}"
            claims.append(
                ConfigClaim(
                    "exclude", source, f"excludes {pattern!r} left {paths} out of every check"
                )
            )
    return tuple(claims)


def _with_claims(
    result: Result, claims: Mapping[str, tuple[ConfigClaim, ...]], excludes: tuple[ConfigClaim, ...]
) -> Result:
    control = result.control
    mine = (*claims.get(control.id, ()), *accepted_findings.claims(result.evidence))
    if control.checks and control.not_applicable is None:
        mine = (*mine, *excludes)
    return replace(result, config_claims=mine) if mine else result


def assess(
    target: Path,
    catalog: Catalog,
    options: RunOptions,
    *,
    display: str | None = None,
    attestations: Mapping[str, Attestation] | None = None,
    waivers: Mapping[str, Waiver] | None = None,
    claims: Mapping[str, tuple[ConfigClaim, ...]] | None = None,
    accepted: Sequence[Acceptance] = (),
    quiet: bool = False,
) -> Assessment:
    """Assess one target against a catalog: gather evidence, then evaluate each control.

    Expiry is judged on `options.as_of` (default: today, real clock), never on
    `SOURCE_DATE_EPOCH`, which pins only the timestamp. `claims` (per control) say what the
    repository's own config declared; they are kept on the results, apart from the evidence.
    `accepted` findings are laid over the evidence before any task is evaluated
    (baseline/accepted.py).
    """
    when = generated_at()
    as_of = options.as_of or real_today()
    # The rules the catalog (and, through it, the project config) adds to the semgrep pack.
    options = replace(
        options, semgrep_rules=catalog.semgrep_rules, semgrep_registry=catalog.semgrep_registry
    )
    allow_tool_starts()  # a run interrupted before, in this process, refused them
    ctx = build_context(target, display or str(target), options)
    evidence, timings = run_checks(ctx, catalog, quiet=quiet)
    evidence, matches = accepted_findings.apply(evidence, accepted, as_of)
    attestations = attestations or {}
    waivers = waivers or {}
    excludes = exclude_claims(ctx)
    results = tuple(
        _with_claims(
            evaluate(
                control,
                # An offline-hidden fact and the online check that settles it (offline.py).
                offline.settle([evidence[spec_key(s)] for s in control.checks])
                if control.not_applicable is None
                else [],
                attestations.get(control.id),
                waivers.get(control.id),
                as_of,
            ),
            claims or {},
            excludes,
        )
        for control in catalog.controls
    )
    tools = {run.tool: run.version for e in evidence.values() for run in e.tool_runs if run.version}
    return Assessment(
        target=ctx.display,
        commit=ctx.git.commit,
        repository=repository_facts(ctx),
        catalog=catalog,
        tools=dict(sorted(tools.items())),
        generated_at=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        results=results,
        tool_version=__version__,
        timings=timings,
        as_of=as_of.isoformat(),
        acceptances=matches,
    )


def repository_facts(ctx: Context) -> RepositoryFacts | None:
    """The record's view of the target's repository (None outside one)."""
    git = ctx.git
    if not git.is_repo or git.toplevel is None:
        return None
    return RepositoryFacts(
        url=git.remote_url,
        branch=git.branch,
        subdir=git.subdir,
        shallow=git.shallow,
        changed=git.changed,
    )
