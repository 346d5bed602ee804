"""`sast.semgrep`: semgrep with the rules this project ships (`controls/rules/`), plus the rule
files the catalog or the project config adds (`[semgrep] extra_rules`, validated by
`semgrep_rules`), all in one invocation (one `--config` each). Every finding names its rule's
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

import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from baseline import resources
from baseline.checks import (
    evidence_cache,
    memo,
    sast,
    sast_cache,
    sast_coverage,
    sast_files,
    semgrep_doc,
)
from baseline.checks.interface import Check, Param, Params
from baseline.checks.sast_cache import PerFile
from baseline.context import Context
from baseline.cores import Reservation
from baseline.errors import ToolError
from baseline.models import CheckOutcome, Evidence, Finding, Severity, Suppression, ToolRun
from baseline.project.paths import file_sha256
from baseline.scancache import open_cache
from baseline.toolrun import argv_batches, run_tool

_SEVERITY = {
    "CRITICAL": Severity.HIGH,
    "ERROR": Severity.HIGH,
    "HIGH": Severity.HIGH,
    "WARNING": Severity.MEDIUM,
    "MEDIUM": Severity.MEDIUM,
    "INFO": Severity.LOW,
    "LOW": Severity.LOW,
}
_VOLATILE = ("time", "profiling_results")  # durations: dropped so the record stays stable
_RULE_ID = re.compile(r"^\s*-\s*id:\s*['\"]?([\w.-]+)", re.MULTILINE)
_CWE = re.compile(r"CWE-\d+")
_SCAN_KEYS = ("exclude", "timeout", "max_parse_errors", "jobs", "osemgrep", "max_file_bytes")

PARAMS: Mapping[str, Param] = {
    **sast.JUDGE_PARAMS,
    "include_tests": Param(bool, False, "count findings in test code (see `test_paths`)"),
    "test_paths": sast_files.TEST_PATHS_PARAM,
    "exclude": Param(list, [], "globs of repository paths semgrep must not scan", patterns=True),
    "timeout": Param((int, float), 600, "seconds before semgrep is stopped (then `error`)"),
    "max_parse_errors": Param(int, 5, "files semgrep cannot fully analyze before `error`"),
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


def rules_dir() -> Path:
    """The shipped rule pack."""
    return resources.controls_dir() / "rules"


def rule_files(folder: Path) -> list[Path]:
    """Rule files of the pack (test targets named `*.test.yaml` are not rules)."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in (".yaml", ".yml") and not p.name.endswith((".test.yaml", ".test.yml"))
    )


def rule_ids(folder: Path) -> list[str]:
    """Every rule id the pack declares, longest first (for stripping semgrep's path prefix)."""
    ids = {m for p in rule_files(folder) for m in _RULE_ID.findall(p.read_text("utf-8"))}
    return sorted(ids, key=lambda i: (-len(i), i))


def pack_digest(ctx: Context) -> str:
    """The digest of every rule the scan runs, read once per run (every semgrep check's keys
    use it): the shipped pack, each added file's validated bytes, the registry configs."""
    added = [(f.origin, f.sha256) for f in ctx.options.semgrep_rules]
    registry = list(_registry(ctx))
    return memo.shared_scan(
        ctx,
        {"digest": "semgrep rules", "added": added, "registry": registry},
        lambda: sast_cache.scan_key(
            {"shipped": sast_cache.digest_files(rule_files(rules_dir())), "added": added,
             "registry": registry}
        ),
    )  # fmt: skip


def _registry(ctx: Context) -> tuple[str, ...]:
    """The catalog's registry configs that run: only online."""
    return ctx.options.semgrep_registry if ctx.options.online else ()


def _configs(ctx: Context) -> list[tuple[str, str]]:
    """(`--config` argument, as the record shows it) per rule source: the shipped pack, the
    added files (by origin: the record does not name where this machine keeps them), the
    registry configs when online."""
    return [
        (str(rules_dir()), "controls/rules"),
        *((f.path, f.origin) for f in ctx.options.semgrep_rules),
        *((r, r) for r in _registry(ctx)),
    ]


def _origins(ctx: Context) -> dict[str, str]:
    """Rule id -> `shipped` / `catalog:<path>` / `config:<path>`."""
    origins = dict.fromkeys(rule_ids(rules_dir()), "shipped")
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


def _rule(check_id: str, known: Sequence[str], registry: bool = False) -> str:
    # Without --no-rewrite-rule-ids semgrep prefixes ids with the rule folder's path (bare runs
    # do); the record must not carry it. A registry rule keeps its own id.
    for rule in known:
        if check_id == rule or check_id.endswith("." + rule):
            return rule
    return check_id if registry else check_id.rsplit(".", 1)[-1]


def _cwe(metadata: Any) -> tuple[str, ...]:
    raw = metadata.get("cwe", []) if isinstance(metadata, dict) else []
    values = raw if isinstance(raw, list) else [raw]
    return tuple(sorted({m for v in values for m in _CWE.findall(str(v))}))


def _finding(
    item: Mapping[str, Any],
    known: Sequence[str],
    lines: sast_files.SourceLines,
    origins: Mapping[str, str] | None = None,
    registry: bool = False,
) -> Finding:
    extra = item.get("extra") or {}
    path, line = str(item["path"]), int(item["start"]["line"])
    rule = _rule(str(item["check_id"]), known, registry)
    return Finding(
        rule=rule,
        origin=origins.get(rule, "registry") if origins is not None else "",
        message=" ".join(str(extra.get("message", "")).split()),
        severity=_SEVERITY.get(str(extra.get("severity", "")).upper(), Severity.INFO),
        path=path,
        line=line,
        tool="semgrep",
        cwe=_cwe(extra.get("metadata")),
        snippet=lines.line(path, line)[: sast_files.SNIPPET_LIMIT],
        confidence=_confidence(extra.get("metadata")),
    )


def _confidence(metadata: Any) -> str:
    raw = metadata.get("confidence", "") if isinstance(metadata, dict) else ""
    value = str(raw).lower()
    return value if value in ("high", "medium", "low") else ""


def _one_line(text: object) -> str:
    return " ".join(str(text or "").split()).rstrip(":")


def _problems(errors: list[Any]) -> tuple[list[Suppression], list[str]]:
    """Per-file problems (the file was not fully analyzed) apart from fatal ones."""
    per_file: list[Suppression] = []
    fatal: list[str] = []
    for error in errors:
        if not isinstance(error, dict):
            fatal.append(str(error)[:200])
        elif error.get("path"):
            detail = f"{error.get('type', 'error')}: {_one_line(error.get('message'))[:200]}"
            per_file.append(Suppression("parse-error", str(error["path"]), None, detail))
        else:
            fatal.append(f"{error.get('type', 'error')}: {_one_line(error.get('message'))[:300]}")
    return per_file, fatal


def _command(params: Params, configs: Sequence[str], jobs: int | None = None) -> list[str]:
    # Without `jobs` (the recorded command): parallelism changes nothing semgrep finds, and the
    # number of cores it got must not make two runs' records differ.
    parallel = ["--jobs", str(jobs)] if jobs is not None else []
    return [
        "scan", *_cli(params), *(a for c in configs for a in ("--config", c)), "--json",
        "--metrics=off",
        "--disable-version-check", "--no-rewrite-rule-ids",
        f"--max-target-bytes={params['max_file_bytes']}", *parallel, "--",
    ]  # fmt: skip


def _cli(params: Params) -> tuple[str, ...]:
    # semgrep's `scan` starts a Python program (about 1.3 s of imports before any work) that
    # hands the matching to semgrep-core; `--experimental` runs the OCaml port of that program
    # instead. Both use the same engine: the tests hold our findings to the bare Python
    # command's on the examples.
    return ("--experimental",) if params["osemgrep"] else ()


def _document(done: Any) -> Mapping[str, Any]:
    document = sast.load_json(done.stdout)
    if document is None or not isinstance(document.get("results"), list):
        tail = done.stderr.decode("utf-8", "replace").strip()[-300:]
        raise ToolError(
            "semgrep",
            f"exited {done.run.exit_code} without a valid JSON report ({tail or 'no message'})",
            "run the command shown in the evidence by hand to see what semgrep reports",
        )
    if not isinstance(document.get("errors", []), list):
        raise ToolError("semgrep", "its JSON `errors` is not a list", "reinstall semgrep")
    return document


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
        for batch in argv_batches(todo):
            out.update(_scan_batch(ctx, params, configs, batch, version, jobs))
    return out


def _scan_batch(
    ctx: Context, params: Params, configs: Sequence[str], batch: list[str], version: str, jobs: int
) -> dict[str, PerFile]:
    done = run_tool(
        "semgrep",
        [*_command(params, configs, jobs), *batch],
        cwd=ctx.root,
        timeout=params["timeout"],
        version=version,
    )
    document = _document(done)
    _, fatal = _problems(document.get("errors", []))
    if fatal or done.run.exit_code not in (0, 1):
        raise ToolError(
            "semgrep",
            f"exited {done.run.exit_code}: {'; '.join(fatal) or 'no error reported'}",
            "check the rule pack with `semgrep --test controls/rules` and rerun the command",
        )
    return semgrep_doc.split(document, batch)


def _gather(ctx: Context, params: Params) -> sast.Scan:
    # One semgrep process cannot be split (a second one would double the memory), so its core
    # slot is kept from the start: bandit's chunks fill the other slots, then this one's.
    with ctx.cores.reservation() as slot:
        return _gather_in(ctx, params, slot)


def _gather_in(ctx: Context, params: Params, slot: Reservation) -> sast.Scan:
    started = time.monotonic()
    folder = rules_dir()
    origins = _origins(ctx)
    known = sorted(origins, key=lambda i: (-len(i), i))
    if not rule_ids(folder):
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
            cache, "semgrep", float(params["timeout"]), (*_cli(params), "--version")
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
    unparsed, _ = _problems(document["errors"])
    if len(unparsed) > int(params["max_parse_errors"]):
        raise ToolError(
            "semgrep",
            f"could not fully analyze {len(unparsed)} files (first: {unparsed[0].path})",
            "fix or exclude those files, or raise `max_parse_errors`",
        )
    lines = sast_files.SourceLines(ctx)
    try:
        findings = [_finding(item, known, lines, origins, registry) for item in document["results"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise ToolError(
            "semgrep", f"unexpected result shape ({exc!r})", "reinstall semgrep"
        ) from None
    findings.sort(key=sast.finding_order)
    raw = sast.canonical_artifact("semgrep.json", document, _VOLATILE)
    skipped = _not_analyzed(targets, document)
    notes = (f"semgrep analyzed {len(targets) - len(skipped)} of the files offered",)
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
    )


def _not_analyzed(targets: Sequence[str], document: Mapping[str, Any]) -> list[Suppression]:
    """Offered files semgrep left out (binary, minified, over its size limit): blind spots."""
    paths = document.get("paths")
    scanned = paths.get("scanned") if isinstance(paths, dict) else None
    if not isinstance(scanned, list):
        raise ToolError("semgrep", "its JSON lists no scanned paths", "reinstall semgrep")
    seen = set(scanned)
    detail = "semgrep did not analyze it (binary, minified or over its size limit)"
    return [Suppression("not-analyzed", rel, None, detail) for rel in targets if rel not in seen]


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
    return replace(evidence, outcome=outcome, summary=f"{evidence.summary}; {note}")


def run_languages(ctx: Context) -> dict[str, frozenset[str]]:
    """Rule id -> languages, for every rule of this run's semgrep pack (shipped and added)."""
    return {
        **sast_coverage.rule_languages(tuple(rule_files(rules_dir()))),
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
