"""`sast.semgrep`: semgrep with the rules this project ships (`controls/rules/`), plus the rule
files the catalog or the project config adds (`[semgrep] extra_rules`, validated by
`tools.semgrep_rules`), all in one invocation (one `--config` each). Every finding names its rule's
origin (`shipped`, `catalog:<path>`, `config:<path>`). The registry only when the catalog names
a registry config and the run is `--online`; otherwise `--metrics=off` and
`--disable-version-check` keep it offline. Which files: every regular file of the context
(symlinks never) minus the `exclude` globs, passed to semgrep explicitly, so semgrep's built-in
skip list (`tests/`, `vendor/`, ...), the target's `.semgrepignore` and `.gitignore` do not
apply: the target cannot hide files from the scan. Test code is scanned once for everyone;
each check then decides (`include_tests`) whether findings in test paths count, and the ones
it sets aside are listed as suppressions. Snippets are read from the files (semgrep's JSON says
"requires login" instead).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from baseline.checks import (
    evidence_cache,
    memo,
    sast,
    sast_cache,
    sast_coverage,
    sast_files,
)
from baseline.checks.interface import Check, Param, Params
from baseline.context import Context
from baseline.cores import Reservation
from baseline.errors import ToolError
from baseline.models import CheckOutcome, Evidence, Suppression, ToolRun
from baseline.project.paths import file_sha256
from baseline.scancache import open_cache
from baseline.toolrun import argv_batches
from baseline.tools import semgrep as semgrep_tool
from baseline.tools import semgrep_doc
from baseline.tools.output import PerFile

_VOLATILE = ("time", "profiling_results")  # durations: dropped so the record stays stable
_SCAN_KEYS = ("exclude", "timeout", "max_parse_errors", "jobs", "osemgrep", "max_file_bytes")

PARAMS: Mapping[str, Param] = {
    **sast.JUDGE_PARAMS,
    "include_tests": Param(bool, False, "count findings in test code (see `test_paths`)"),
    "test_paths": sast_files.TEST_PATHS_PARAM,
    "exclude": Param(list, [], "globs of repository paths semgrep must not scan", patterns=True),
    "timeout": Param((int, float), 600, "seconds before semgrep is stopped (then `error`)"),
    "max_parse_errors": Param(
        int, 5, "files semgrep may only partly analyze; more, and the check cannot pass"
    ),
    "jobs": Param(
        int,
        1,
        "semgrep's own parallelism; 1 leaves the other cores to bandit's chunks (on pip a cold run "
        "took 0.59x the bare tools at 1 and 0.76x at 0); 0: its slot plus the scanner slots free "
        "when it starts, for code bandit does not read (benchmarks/README.md)",
        bounds=(0, 64),
    ),
    "max_file_bytes": sast_files.MAX_FILE_BYTES_PARAM,
    "unanalyzed_lines_allowed": sast_coverage.ALLOWED_PARAM,
    "osemgrep": Param(
        bool,
        True,
        "run semgrep's OCaml command line (`--experimental`): the findings of the Python one "
        "on the shipped rules, without its ~1.3 s start-up",
    ),
}


def pack_digest(ctx: Context) -> str:
    """The digest of every rule the scan runs, read once per run (every semgrep check's keys
    use it): the shipped pack, each added file's validated bytes, the registry configs."""
    added = [(f.origin, f.sha256) for f in ctx.options.semgrep_rules]
    registry = list(_registry(ctx))
    return memo.shared_scan(
        ctx,
        {"digest": "semgrep rules", "added": added, "registry": registry},
        lambda: sast_cache.scan_key(
            {
                "shipped": sast_cache.digest_files(
                    semgrep_tool.rule_files(semgrep_tool.rules_dir())
                ),
                "added": added,
                "registry": registry,
            }
        ),
    )


def _registry(ctx: Context) -> tuple[str, ...]:
    """The catalog's registry configs that run: only online."""
    return ctx.options.semgrep_registry if ctx.options.online else ()


def _configs(ctx: Context) -> list[tuple[str, str]]:
    """(`--config` argument, as the record shows it) per rule source: the shipped pack, the
    added files (by origin: the record does not name where this machine keeps them), the
    registry configs when online."""
    return [
        (str(semgrep_tool.rules_dir()), "controls/rules"),
        *((f.path, f.origin) for f in ctx.options.semgrep_rules),
        *((r, r) for r in _registry(ctx)),
    ]


def _origins(ctx: Context) -> dict[str, str]:
    """Rule id -> `shipped` / `catalog:<path>` / `config:<path>`."""
    origins = dict.fromkeys(semgrep_tool.rule_ids(semgrep_tool.rules_dir()), "shipped")
    for added in ctx.options.semgrep_rules:
        origins.update(dict.fromkeys(added.rules, added.origin))
    return origins


def _unchanged(ctx: Context) -> None:
    """An added rule file must still be the bytes that were validated and digested."""
    for added in ctx.options.semgrep_rules:
        if file_sha256(Path(added.path)) != added.sha256:
            raise ToolError(
                "semgrep",
                f"the rule file {added.origin} changed after it was validated",
                "rerun the assessment",
            )


def _command(params: Params, configs: Sequence[str], jobs: int | None = None) -> list[str]:
    return semgrep_tool.command(
        configs,
        osemgrep=bool(params["osemgrep"]),
        max_file_bytes=int(params["max_file_bytes"]),
        jobs=jobs,
    )


def _scan(
    ctx: Context,
    params: Params,
    configs: Sequence[str],
    todo: list[str],
    version: str,
    slot: Reservation,
) -> dict[str, PerFile]:
    """Per-file results of semgrep over `todo`: one run, or one per batch of arguments that
    fits the command line (fatal problems raise ToolError)."""
    out: dict[str, PerFile] = {}
    wanted = int(params["jobs"])
    with slot.hold(), ctx.cores.spare(0 if wanted else ctx.options.jobs - 1) as extra:
        jobs = wanted or 1 + extra
        args = _command(params, configs, jobs)
        for batch in argv_batches(todo):
            out.update(
                semgrep_tool.scan_batch(
                    ctx.root, args, batch, timeout=float(params["timeout"]), version=version
                )
            )
    return out


def _gather(ctx: Context, params: Params) -> sast.Scan:
    # One semgrep process cannot be split (a second one would double the memory), so its core
    # slot is kept from the start: bandit's chunks fill the other slots, then this one's.
    with ctx.cores.reservation() as slot:
        return _gather_in(ctx, params, slot)


def _gather_in(ctx: Context, params: Params, slot: Reservation) -> sast.Scan:
    started = time.monotonic()
    folder = semgrep_tool.rules_dir()
    origins = _origins(ctx)
    known = sorted(origins, key=lambda i: (-len(i), i))
    if not semgrep_tool.rule_ids(folder):
        raise ToolError("semgrep", f"no rules found in {folder}", "reinstall ssdf-baseline")
    _unchanged(ctx)
    configs = _configs(ctx)
    registry = bool(_registry(ctx))
    targets, dropped = sast_files.select_targets(
        ctx, lambda rel: True, list(params["exclude"]), None, int(params["max_file_bytes"])
    )
    # The record names the pack as shipped, not where this machine keeps it.
    shown = tuple(_command(params, [name for _, name in configs]))
    # Registry rules change upstream without notice: nothing of theirs is cached.
    cache = None if registry else open_cache(ctx.options.cache)
    try:
        version = sast_cache.cached_version(
            cache,
            "semgrep",
            float(params["timeout"]),
            (*semgrep_tool.cli(bool(params["osemgrep"])), "--version"),
        )
        key = sast_cache.scan_key(
            {
                "tool": "semgrep",
                "version": version,
                "exe": sast_cache.executable_state("semgrep") if cache is not None else "",
                "rules": pack_digest(ctx),
                "args": list(shown),  # without --jobs: its parallelism changes nothing
            }
        )
        per_file = sast_cache.incremental(
            ctx,
            cache,
            key,
            targets,
            lambda todo: _scan(ctx, params, [arg for arg, _ in configs], todo, version, slot),
            keep=semgrep_doc.lasting,
            label="semgrep",
        )
    finally:
        if cache is not None:
            cache.close()
    document = semgrep_doc.merge(per_file, version)
    # One command for the cached and fresh files together, so that cold and warm runs give
    # the same record; semgrep exits 0 without `--error` (what actually ran goes to stderr).
    run = ToolRun(
        "semgrep", version, ("semgrep", *shown, *targets), 0, round(time.monotonic() - started, 3)
    )
    unparsed, _ = semgrep_tool.problems(document["errors"])
    # More files than `max_parse_errors` only partly analyzed: what semgrep did find still
    # stands (a failing finding fails), but nothing can pass (sast.judge: needs_review).
    incomplete: tuple[str, ...] = ()
    if len(unparsed) > int(params["max_parse_errors"]):
        incomplete = (
            f"semgrep could not fully analyze {len(unparsed)} files (first: {unparsed[0].path}), "
            f"more than max_parse_errors = {params['max_parse_errors']}: the check cannot pass "
            "until they are fixed, excluded, or the limit raised",
        )
    lines = sast_files.SourceLines(ctx)

    def snippet(path: str, line: int) -> str:
        return lines.line(path, line)[: sast_files.SNIPPET_LIMIT]

    try:
        findings = [
            semgrep_tool.finding(item, known, snippet, origins, registry)
            for item in document["results"]
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise ToolError(
            "semgrep", f"unexpected result shape ({exc!r})", "reinstall semgrep"
        ) from None
    findings.sort(key=sast.finding_order)
    raw = sast.canonical_artifact("semgrep.json", document, _VOLATILE)
    skipped = semgrep_tool.not_analyzed(targets, document)
    notes = (f"semgrep analyzed {len(targets) - len(skipped)} of the files offered", *incomplete)
    return sast.Scan(
        tool="semgrep",
        run=run,
        targets=tuple(targets),
        findings=sast.with_fingerprints("semgrep", findings),
        suppressions=(
            *dropped,
            *sast_files.marker_suppressions(
                ctx, targets, "nosemgrep", sast_files.NOSEMGREP, "nosemgrep"
            ),
            *unparsed,
            *skipped,
        ),
        artifact=raw,
        parse_errors=len(unparsed),
        file_digests=sast_files.digests_of(ctx, findings),
        rules=tuple(sorted(known)),
        notes=notes,
        incomplete=bool(incomplete),
    )


def _set_aside_tests(scan: sast.Scan, params: Params) -> sast.Scan:
    if params["include_tests"]:
        return scan
    patterns = list(params["test_paths"])
    in_tests = [
        f
        for f in sast.selected(scan.findings, params["rules"])
        if sast_files.in_test_paths(f.path, patterns)
    ]
    if not in_tests:
        return scan
    aside = tuple(
        Suppression("test-path", f.path, f.line, f"{f.rule}: finding in test code not counted")
        for f in in_tests
    )
    kept = tuple(f for f in scan.findings if f not in in_tests)
    return replace(scan, findings=kept, suppressions=(*scan.suppressions, *aside))


def _run(ctx: Context, params: Params) -> Evidence:
    narrowed = sast_files.narrowed_by_exclusion(ctx, lambda rel: True, params["exclude"], "")
    scope = ctx.options.scope
    rules = {
        "rules": pack_digest(ctx),
        "scope": repr((scope.globs, scope.product, sorted(s.value for s in scope.failing))),
        # Registry configs that did not run (offline) change the judgement, not the scan.
        "registry": list(ctx.options.semgrep_registry),
    }
    evidence = (
        _judged(ctx, params)  # registry rules change upstream: never replayed
        if _registry(ctx)
        else evidence_cache.reuse_or_run(
            ctx, SEMGREP.id, params, "semgrep", rules, lambda: _judged(ctx, params)
        )
    )
    if evidence.outcome is CheckOutcome.NOT_APPLICABLE and narrowed:
        # An exclusion emptied the scan: nothing was looked at, so nothing can pass.
        return replace(
            evidence,
            outcome=CheckOutcome.NEEDS_REVIEW,
            summary="semgrep scanned nothing: " + "; ".join(narrowed),
        )
    return sast_files.with_notes(evidence, narrowed)


def _judged(ctx: Context, params: Params) -> Evidence:
    key = {"tool": "semgrep", **{k: params[k] for k in _SCAN_KEYS}}
    scan = memo.shared_scan(ctx, key, lambda: _gather(ctx, params))
    unread = sast_files.oversized_note(scan.suppressions, int(params["max_file_bytes"]))
    if not scan.targets and unread:
        return Evidence(SEMGREP.id, CheckOutcome.NEEDS_REVIEW, unread)
    if not scan.targets:
        return Evidence(SEMGREP.id, CheckOutcome.NOT_APPLICABLE, "no files left to scan")
    fail_on = sast.level_rank(params["fail_on"])
    evidence = sast.judge(
        SEMGREP.id, _set_aside_tests(scan, params), params, lambda f: f.severity.rank >= fail_on
    )
    evidence = replace(
        evidence,
        digests={
            **evidence.digests,
            **{f"rules {f.origin}": f.sha256 for f in ctx.options.semgrep_rules},
        },
    )
    return _offline_registry(ctx, _coverage(ctx, scan, params, evidence))


def _offline_registry(ctx: Context, evidence: Evidence) -> Evidence:
    """Registry rules the catalog asked for did not run offline: no pass without them."""
    skipped = ctx.options.semgrep_registry if not ctx.options.online else ()
    if not skipped:
        return evidence
    note = f"the catalog's registry rules ({', '.join(skipped)}) did not run: they need --online"
    outcome = (
        CheckOutcome.NEEDS_REVIEW if evidence.outcome is CheckOutcome.PASS else evidence.outcome
    )
    return replace(
        evidence,
        outcome=outcome,
        summary=f"{evidence.summary}; {note}",
        passing_outcome=CheckOutcome.NEEDS_REVIEW,
    )


def run_languages(ctx: Context) -> dict[str, frozenset[str]]:
    """Rule id -> languages, for every rule of this run's semgrep pack (shipped and added)."""
    return {
        **sast_coverage.rule_languages(tuple(semgrep_tool.rule_files(semgrep_tool.rules_dir()))),
        **sast_coverage.read_languages(Path(f.path) for f in ctx.options.semgrep_rules),
    }


def _coverage(ctx: Context, scan: sast.Scan, params: Params, evidence: Evidence) -> Evidence:
    """The coverage table; a clean scan of code no selected rule reads is `needs_review`."""
    readers = sast_coverage.semgrep_readers(run_languages(ctx), params["rules"])
    if readers is None:
        return evidence
    rows = sast_coverage.table(ctx, scan.targets, readers)
    return sast_coverage.judge(
        evidence, rows, int(params["unanalyzed_lines_allowed"]), "no selected rule reads that code"
    )


SEMGREP = Check(
    id="sast.semgrep",
    question="Do the project's semgrep rules find nothing at or above the severity threshold?",
    run=_run,
    params=PARAMS,
    tools=("semgrep",),
)
