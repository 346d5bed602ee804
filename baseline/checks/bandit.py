"""`sast.bandit`: bandit over the target's Python files, read from its JSON, never its exit code.

Which files: every `.py` file of the context (symlinks never), minus the `exclude` globs and,
unless `include_tests` is set, minus test code (`test_paths`), where `assert` and fixtures are
expected. The files are passed to bandit explicitly, without `-r`, so bandit reads no
configuration from the target (`.bandit`, `[tool.bandit]`): a scanned repository cannot silence
it that way. Its `# nosec` comments still apply, as bandit users expect, and every one is
listed in the suppression audit.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from baseline.checks import (
    evidence_cache,
    memo,
    sast,
    sast_cache,
    sast_coverage,
    sast_files,
    semgrep,
)
from baseline.checks.interface import Check, Param, Params
from baseline.context import Context
from baseline.errors import ToolError
from baseline.models import CheckOutcome, Evidence, Finding, Suppression, ToolRun
from baseline.scancache import ScanCache, open_cache
from baseline.tools import bandit as bandit_tool

# Where a target could configure bandit (file -> section that holds it; "" = the whole file).
_TARGET_CONFIG = {
    ".bandit": "",
    "pyproject.toml": "[tool.bandit",
    "setup.cfg": "[bandit",
    "tox.ini": "[bandit",
}
_SCAN_KEYS = (
    "exclude", "include_tests", "test_paths", "skip", "timeout", "max_parse_errors",
    "max_file_bytes",
)  # fmt: skip

PARAMS: Mapping[str, Param] = {
    **sast.JUDGE_PARAMS,
    "min_confidence": Param(str, "medium", "lowest bandit confidence that can fail", sast.LEVELS),
    "exclude": Param(list, [], "globs of repository paths bandit must not scan", patterns=True),
    "include_tests": Param(bool, False, "scan test code too (see `test_paths`)"),
    "test_paths": sast_files.TEST_PATHS_PARAM,
    "skip": Param(list, [], "bandit test ids not to run (each listed as a suppression)"),
    "timeout": Param((int, float), 600, "seconds before bandit is stopped (then `error`)"),
    "max_parse_errors": Param(int, 5, "files bandit cannot parse before the check is `error`"),
    "max_file_bytes": sast_files.MAX_FILE_BYTES_PARAM,
    "unanalyzed_lines_allowed": sast_coverage.ALLOWED_PARAM,
}


def _parse(
    ctx: Context, document: Mapping[str, Any]
) -> tuple[list[tuple[Finding, str]], list[Suppression]]:
    lines = sast_files.SourceLines(ctx)
    return bandit_tool.parse(
        document, lambda path, line: lines.line(path, line)[: sast_files.SNIPPET_LIMIT]
    )


def _targets(ctx: Context, params: Params) -> tuple[list[str], list[Suppression]]:
    tests = None if params["include_tests"] else list(params["test_paths"])
    return sast_files.select_targets(
        ctx, lambda rel: rel.endswith(".py"), list(params["exclude"]), tests,
        int(params["max_file_bytes"]),
    )  # fmt: skip


def _gather(ctx: Context, params: Params) -> sast.Scan:
    started = time.monotonic()
    targets, dropped = _targets(ctx, params)
    timeout = float(params["timeout"])
    cache = open_cache(ctx.options.cache)
    try:
        version = sast_cache.cached_version(cache, "bandit", timeout)
        tests_known = _tests(cache, timeout)
        unknown = sorted(set(params["skip"]) - set(tests_known))
        if unknown:
            raise ToolError(
                "bandit", f"has no test {', '.join(unknown)}", "fix the `skip` parameter"
            )
        args = ["-f", "json", "-q"]
        if params["skip"]:
            args += ["-s", ",".join(params["skip"])]
        key = sast_cache.scan_key(
            {"tool": "bandit", "version": version, "args": args, "exe": _state(cache)}
        )
        per_file = sast_cache.incremental(
            ctx,
            cache,
            key,
            targets,
            lambda todo: bandit_tool.run_sharded(
                ctx.root,
                args,
                todo,
                jobs=ctx.options.jobs,
                cores=ctx.cores,
                timeout=timeout,
                version=version,
            ),
            label="bandit",
        )
    finally:
        if cache is not None:
            cache.close()
    document = bandit_tool.merge(per_file)
    # The record shows the one command equivalent to the shards and cache hits together, and
    # the exit code bandit gives for it (1 when it reports anything), so that cold and warm
    # runs give the same record. What actually ran is reported on stderr.
    run = ToolRun(
        "bandit",
        version,
        ("bandit", *args, "--", *targets),
        1 if document["results"] else 0,
        round(time.monotonic() - started, 3),
    )
    rated, unparsed = _parse(ctx, document)
    if len(unparsed) > int(params["max_parse_errors"]):
        raise ToolError(
            "bandit",
            f"could not parse {len(unparsed)} files "
            f"(first: {unparsed[0].path}: {unparsed[0].detail})",
            "fix the syntax errors, exclude those files, or raise `max_parse_errors`",
        )
    suppressions = [
        *dropped,
        *(
            Suppression("skipped-test", "", None, f"bandit test {t} not run")
            for t in params["skip"]
        ),
        *sast_files.marker_suppressions(ctx, targets, "nosec", sast_files.NOSEC, "nosec"),
        *unparsed,
    ]
    raw = sast.canonical_artifact("bandit.json", document, ("generated_at",))
    rated.sort(key=lambda pair: sast.finding_order(pair[0]))
    findings = sast.with_fingerprints("bandit", [f for f, _ in rated])
    return sast.Scan(
        tool="bandit",
        run=run,
        targets=tuple(targets),
        findings=findings,
        confidence={f.fingerprint: c for f, (_, c) in zip(findings, rated, strict=True)},
        suppressions=tuple(suppressions),
        artifact=raw,
        parse_errors=len(unparsed),
        file_digests=sast_files.digests_of(ctx, findings),
        rules=tests_known,
        notes=_notes(ctx, document),
    )


def _state(cache: ScanCache | None) -> str:
    return sast_cache.executable_state("bandit") if cache is not None else ""


def _tests(cache: ScanCache | None, timeout: float) -> tuple[str, ...]:
    if cache is None:
        return bandit_tool.known_tests(timeout)
    text = sast_cache.remembered(
        cache, f"tests:{_state(cache)}", lambda: ",".join(bandit_tool.known_tests(timeout))
    )
    return tuple(text.split(","))


def _notes(ctx: Context, document: Mapping[str, Any]) -> tuple[str, ...]:
    totals = document.get("metrics", {}).get("_totals", {})
    notes = [
        f"bandit counted {totals.get('nosec', 0)} nosec and {totals.get('skipped_tests', 0)} "
        "test-specific nosec skips"
    ]
    configs = [
        name
        for name, section in _TARGET_CONFIG.items()
        if name in ctx.files and (not section or section in ctx.read_text(name))
    ]
    if configs:
        notes.append(f"bandit settings in {', '.join(configs)} were not applied")
    return tuple(notes)


def _is_python(rel: str) -> bool:
    return rel.endswith(".py")


def _run(ctx: Context, params: Params) -> Evidence:
    narrowed = sast_files.narrowed_by_exclusion(ctx, _is_python, params["exclude"], "Python")
    targets, dropped = _targets(ctx, params)
    unread = sast_files.oversized_note(dropped, int(params["max_file_bytes"]))
    if not targets and (narrowed or unread):
        # An exclusion or the size limit emptied the scan: nothing was looked at, so nothing
        # can pass.
        return Evidence(
            BANDIT.id,
            CheckOutcome.NEEDS_REVIEW,
            "bandit scanned nothing: " + "; ".join([*narrowed, *([unread] if unread else [])]),
            suppressions=tuple(dropped),
        )
    if not any(_is_python(f) for f in ctx.files):
        return Evidence(BANDIT.id, CheckOutcome.NOT_APPLICABLE, "the target has no Python files")
    if not targets:
        return Evidence(
            BANDIT.id,
            CheckOutcome.NOT_APPLICABLE,
            "every Python file was excluded from the scan (see the suppressions)",
            suppressions=tuple(dropped),
        )
    evidence = evidence_cache.reuse_or_run(
        ctx,
        BANDIT.id,
        params,
        "bandit",
        # The coverage table depends on the languages the semgrep pack reads and on what
        # is product code.
        {"semgrep rules": semgrep.pack_digest(ctx), "scope": _scope_key(ctx)},
        lambda: _judged(ctx, params),
    )
    return sast_files.with_notes(evidence, narrowed)


def _scope_key(ctx: Context) -> str:
    scope = ctx.options.scope
    return repr((scope.globs, scope.product, sorted(s.value for s in scope.failing)))


def _judged(ctx: Context, params: Params) -> Evidence:
    scan = memo.shared_scan(
        ctx, {"tool": "bandit", **{k: params[k] for k in _SCAN_KEYS}}, lambda: _gather(ctx, params)
    )
    fail_on = sast.level_rank(params["fail_on"])
    min_conf = sast.level_rank(params["min_confidence"])

    def failing(f: Finding) -> bool:
        conf = scan.confidence.get(f.fingerprint, "")
        return (
            f.severity.rank >= fail_on and conf in sast.LEVELS and sast.level_rank(conf) >= min_conf
        )

    evidence = sast.judge(BANDIT.id, scan, params, failing)
    return _coverage(ctx, scan, params, evidence)


def _coverage(ctx: Context, scan: sast.Scan, params: Params, evidence: Evidence) -> Evidence:
    """Bandit reads Python: its table has that row, and a row for each language that neither
    bandit nor any rule of this run's semgrep pack reads (code no analyzer looked at keeps
    this check from passing too; which semgrep rules a check selects is sast.semgrep's to
    judge)."""
    tests = len(sast.selected_rules(scan.rules, params["rules"])) - len(params["skip"])
    python = sast_coverage.table(ctx, scan.targets, {"python": [("bandit", max(tests, 0))]})
    read = frozenset({"python"}) | sast_coverage.pack_languages(semgrep.run_languages(ctx))
    unread = sast_coverage.unread_elsewhere(ctx, read, int(params["max_file_bytes"]))
    rows = tuple(sorted((*python, *unread), key=lambda r: r.language))
    return sast_coverage.judge(
        evidence, rows, int(params["unanalyzed_lines_allowed"]), "no analyzer of this run reads it"
    )


BANDIT = Check(
    id="sast.bandit",
    question="Does bandit find no Python security issue at or above the severity threshold?",
    run=_run,
    params=PARAMS,
    tools=("bandit",),
)
