"""Dependency hygiene: lockfiles, exact pins, hashes, and an update tool (Dependabot/Renovate).

A requirements file in which every requirement is pinned exactly (`==`) is treated as the lock
of a `pyproject.toml` in the same folder (the pip-compile workflow). Nothing is installed and
no build backend runs: manifests are only read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from baseline.checks.dep_files import (
    HASHES_BESIDE,
    LOCK_HASH,
    LOCKS,
    REQUIREMENTS_GLOBS,
    ReqLine,
    declares_jvm_dependencies,
    dependency_files,
    lockfiles,
    locks_of,
    manifests,
    read_requirements,
    whole_text,
)
from baseline.checks.interface import Check, Params
from baseline.context import Context
from baseline.models import CheckOutcome, Evidence, Finding, Severity, fingerprint

UPDATE_TOOL_FILES = (
    ".github/dependabot.yml",
    ".github/dependabot.yaml",
    "/renovate.json",
    "/renovate.json5",
    ".github/renovate.json",
    ".github/renovate.json5",
    "/.renovaterc",
    "/.renovaterc.json",
    ".gitlab/renovate.json",
    ".gitlab/renovate.json5",
)


def _finding(
    check: str,
    rule: str,
    message: str,
    path: str,
    line: int | None = None,
    severity: Severity = Severity.MEDIUM,
) -> Finding:
    return Finding(
        rule=rule,
        message=message,
        severity=severity,
        path=path,
        line=line,
        fingerprint=fingerprint(check, rule, path, message),
        tool="ssdf-baseline",
    )


def _evidence(
    check: str,
    ctx: Context,
    findings: Sequence[Finding],
    files: Sequence[str],
    passed: str,
    failed: str,
) -> Evidence:
    outcome = CheckOutcome.FAIL if findings else CheckOutcome.PASS
    summary = failed.format(n=len(findings), first=_where(findings)) if findings else passed
    return Evidence(
        check,
        outcome,
        summary,
        findings=tuple(findings),
        files=tuple(files),
        digests={f: ctx.sha256(f) for f in files},
    )


def _where(findings: Sequence[Finding]) -> str:
    f = findings[0] if findings else None
    return "" if f is None else f"{f.path}:{f.line}" if f.line else f.path


def _requirements(ctx: Context) -> tuple[list[str], list[ReqLine], list[str]]:
    files = dependency_files(ctx, REQUIREMENTS_GLOBS)
    reqs: list[ReqLine] = []
    bad: list[str] = []
    for path in files:
        found, unparsed = read_requirements(ctx, path)
        reqs += found
        bad += unparsed
    return files, reqs, bad


def _folder(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _declares_dependencies(ctx: Context, path: str) -> bool:
    """A pyproject.toml only holding tool settings needs no lock, nor a pom.xml of modules."""
    jvm = declares_jvm_dependencies(ctx, path)
    if jvm is not None:
        return jvm
    if not path.endswith("pyproject.toml"):
        return True
    text = whole_text(ctx, path)
    if text is None:
        return True
    # `[ \t]*`, not `\s*`, at a line start: `^\s*` under re.M is quadratic on blank lines.
    return bool(re.search(r"^[ \t]*dependencies[ \t]*=\s*\[\s*[\"']", text, re.M)) or (
        "[tool.poetry.dependencies]" in text
    )


def _manifests_locked(ctx: Context, params: Params) -> Evidence:
    check = MANIFESTS_LOCKED.id
    req_files, reqs, _ = _requirements(ctx)
    found = [m for m in manifests(ctx) if _declares_dependencies(ctx, m)]
    if not found and not req_files:
        return Evidence(check, CheckOutcome.NOT_APPLICABLE, "no dependency manifests found")
    locks = set(lockfiles(ctx))
    pinned_reqs = {
        f
        for f in req_files
        if all(r.version for r in reqs if r.path == f) and any(r.path == f for r in reqs)
    }
    # A fully pinned requirements file locks the pyproject.toml beside it (pip-compile), but
    # not a sibling requirements file: each one must be pinned itself or have a lock.
    pinned_req_dirs = {_folder(f) for f in pinned_reqs}
    findings = []
    for manifest in found:
        folder, name = _folder(manifest), manifest.rsplit("/", 1)[-1]
        prefix = f"{folder}/" if folder else ""
        has_lock = any(f"{prefix}{lock}" in locks for lock in locks_of(name))
        if not has_lock and not (name == "pyproject.toml" and folder in pinned_req_dirs):
            findings.append(
                _finding(check, "no-lockfile", f"{name} has no lockfile next to it", manifest)
            )
    # Only a Python lock pins requirements: any other ecosystem's lock beside them (a
    # package-lock.json, a JSON file that happens to be called lockfile.json) does not.
    python_locks = {*LOCKS["pyproject.toml"], *LOCKS["Pipfile"]}
    lock_dirs = {_folder(lock) for lock in locks if lock.rsplit("/", 1)[-1] in python_locks}
    findings.extend(
        _finding(
            check,
            "requirements-not-locked",
            "requirements file is not fully pinned and has no lock",
            path,
        )
        for path in req_files
        if path not in pinned_reqs and _folder(path) not in lock_dirs
    )
    files = sorted({*found, *req_files, *locks})
    return _evidence(
        check,
        ctx,
        findings,
        files,
        f"{len(found) + len(req_files)} manifest(s), each locked "
        f"({', '.join(sorted(locks | set(req_files)))[:300]})",
        "{n} manifest(s) without a lockfile, e.g. {first}",
    )


def _pinned_exactly(ctx: Context, params: Params) -> Evidence:
    check = PINNED_EXACTLY.id
    req_files, reqs, bad = _requirements(ctx)
    locks = lockfiles(ctx)
    if not req_files and not locks:
        return Evidence(
            check,
            CheckOutcome.NOT_APPLICABLE,
            "no requirements files or lockfiles to pin dependencies",
        )
    findings = [
        _finding(
            check,
            "unpinned-requirement",
            f"not pinned to one exact version: {r.text}",
            r.path,
            r.line,
        )
        for r in reqs
        if not r.version
    ] + [
        _finding(
            check,
            "unparsable-requirement",
            "requirement line could not be parsed",
            where.rsplit(":", 1)[0],
            int(where.rsplit(":", 1)[1]),
        )
        for where in bad
    ]
    return _evidence(
        check,
        ctx,
        findings,
        sorted({*req_files, *locks}),
        f"{len(reqs)} requirement(s) pinned exactly; {len(locks)} lockfile(s)",
        "{n} requirement(s) not pinned exactly, e.g. {first}",
    )


def _hashes(ctx: Context, params: Params) -> Evidence:
    check = HASHES_REQUIRED.id
    req_files, reqs, _ = _requirements(ctx)
    locks = lockfiles(ctx)
    if not req_files and not locks:
        return Evidence(
            check,
            CheckOutcome.NOT_APPLICABLE,
            "no requirements files or lockfiles that could carry hashes",
        )
    findings = [
        _finding(check, "requirement-without-hash", f"no --hash: {r.text}", r.path, r.line)
        for r in reqs
        if not r.hashed
    ]
    for lock in locks:
        name = lock.rsplit("/", 1)[-1]
        pattern, where = LOCK_HASH[name], lock
        if name in HASHES_BESIDE:
            beside, pattern = HASHES_BESIDE[name]
            where = f"{_folder(lock)}/{beside}" if "/" in lock else beside
        text = ctx.read_text(where, 32 * 1024 * 1024) if where in ctx.files else ""
        if not re.search(pattern, text, re.M):
            findings.append(
                _finding(
                    check, "lockfile-without-hashes", "lockfile records no integrity hashes", lock
                )
            )
    return _evidence(
        check,
        ctx,
        findings,
        sorted({*req_files, *locks}),
        f"every requirement ({len(reqs)}) and lockfile ({len(locks)}) carries integrity hashes",
        "{n} requirement(s) or lockfile(s) without hashes, e.g. {first}",
    )


def _update_tool(ctx: Context, params: Params) -> Evidence:
    check = UPDATE_TOOL_CONFIGURED.id
    found = ctx.matching(UPDATE_TOOL_FILES)
    found += [p for p in ctx.matching(["/package.json"]) if '"renovate"' in ctx.read_text(p)]
    if not found:
        return Evidence(
            check,
            CheckOutcome.FAIL,
            "no Dependabot or Renovate configuration (.github/dependabot.yml, renovate.json, ...)",
            findings=(
                _finding(check, "no-update-tool", "no dependency update tool configured", ""),
            ),
        )
    return _evidence(check, ctx, [], found, f"update tool configured: {', '.join(found)}", "")


MANIFESTS_LOCKED = Check(
    id="deps.manifests_locked",
    question="Does every dependency manifest have a lockfile (or a fully pinned requirements "
    "file)?",
    run=_manifests_locked,
)
PINNED_EXACTLY = Check(
    id="deps.pinned_exactly",
    question="Is every requirement pinned to one exact version?",
    run=_pinned_exactly,
)
HASHES_REQUIRED = Check(
    id="deps.hashes_required",
    question="Do requirements and lockfiles record integrity hashes for every dependency?",
    run=_hashes,
)
UPDATE_TOOL_CONFIGURED = Check(
    id="deps.update_tool_configured",
    question="Is an automated dependency update tool (Dependabot or Renovate) configured?",
    run=_update_tool,
)
