"""Known vulnerabilities in exactly pinned Python dependencies.

Sources, in order: a local OSV database (`--vuln-db PATH`: one OSV JSON record, a list of them,
`{"vulns": [...]}`, or a folder of such files; fully offline), or with `--online` pip-audit
against its public service. With neither the answer is needs_review, never pass. Reading and
matching OSV data and running pip-audit is the adapter's (baseline/tools/osv.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from baseline.checks.dep_files import (
    REQUIREMENTS_GLOBS,
    declares_jvm_dependencies,
    dependency_files,
    locked_python,
    lockfiles,
    manifests,
    read_requirements,
)
from baseline.checks.interface import Check, Param, Params
from baseline.context import Context
from baseline.models import CheckOutcome, Evidence, Finding, Scope, Severity, fingerprint
from baseline.tools import osv as osv_tool

Pin = tuple[str, str, str, int | None]  # name, version, path, line


def pinned_python(ctx: Context) -> list[Pin]:
    """Exactly pinned Python dependencies from requirements files and Python lockfiles."""
    pins: list[Pin] = []
    for path in dependency_files(ctx, REQUIREMENTS_GLOBS):
        reqs, _ = read_requirements(ctx, path)
        pins += [
            (r.name, r.version, r.path, r.line)
            for r in reqs
            if r.version is not None and r.version != "url"
        ]
    for lock in lockfiles(ctx):
        pins += [(name, version, lock, None) for name, version in locked_python(ctx, lock)]
    return sorted(set(pins), key=lambda p: (p[2], p[3] or 0, p[0], p[1]))


def _finding(pin: Pin, vuln_id: str, detail: str) -> Finding:
    name, version, path, line = pin
    return Finding(
        rule=vuln_id,
        message=f"{name}=={version} is affected by {vuln_id}{detail}",
        severity=Severity.HIGH,
        path=path,
        line=line,
        fingerprint=fingerprint("deps.no_known_vulnerabilities", vuln_id, path, name, version),
        tool="osv" if not detail.startswith(" (pip-audit") else "pip-audit",
        component=purl(name, version),
    )


def purl(name: str, version: str) -> str:
    """The package URL of a PyPI distribution (the purl spec's pypi type: the name lowercased,
    `_` as `-`); two lines of the spec, not worth a dependency."""
    return f"pkg:pypi/{name.lower().replace('_', '-')}@{version}"


def _match_db(ctx: Context, pins: list[Pin], db: Path) -> Evidence:
    check = NO_KNOWN_VULNERABILITIES.id
    try:
        index = osv_tool.load_osv(db)
    except ValueError as exc:
        return Evidence(
            check,
            CheckOutcome.ERROR,
            f"the --vuln-db could not be read: {exc}",
            error=f"{exc}; pass an OSV JSON file or a folder of them",
        )
    findings = [
        _finding(pin, str(rec["id"]), _aliases(rec))
        for pin in pins
        for rec in index.get(pin[0], [])
        if osv_tool.affects(rec, pin[0], pin[1])
    ]
    return _judge(
        ctx, pins, findings, f"local OSV data ({sum(map(len, index.values()))} PyPI record(s))"
    )


def _aliases(record: Mapping[str, Any]) -> str:
    aliases = [str(a) for a in record.get("aliases") or []][:3]
    return f" ({', '.join(aliases)})" if aliases else ""


def _judge(ctx: Context, pins: list[Pin], findings: list[Finding], source: str) -> Evidence:
    files = sorted({p[2] for p in pins})
    outcome = CheckOutcome.FAIL if findings else CheckOutcome.PASS
    counted = f"{len(pins)} pinned Python dependencies, from {source}"
    summary = (
        f"{len(findings)} known vulnerability match(es) in {counted}"
        if findings
        else f"no known vulnerability in {counted}"
    )
    return Evidence(
        NO_KNOWN_VULNERABILITIES.id,
        outcome,
        summary,
        findings=tuple(findings),
        files=tuple(files),
        digests={f: ctx.sha256(f) for f in files},
    )


def _pip_audit(ctx: Context, pins: list[Pin], timeout: float) -> Evidence:
    run, vulns = osv_tool.pip_audit({(p[0], p[1]) for p in pins}, timeout)
    findings = [
        _finding(pin, str(v["id"]), " (pip-audit)")
        for pin in pins
        for v in vulns.get((pin[0], pin[1]), [])
    ]
    return replace(_judge(ctx, pins, findings, "pip-audit (online)"), tool_runs=(run,))


def _nothing_pinned(ctx: Context) -> Evidence:
    """No pinned Python dependency: unknown, not clean, when the product declares any others."""
    check = NO_KNOWN_VULNERABILITIES.id
    declared = [
        f
        for f in sorted(
            {*manifests(ctx), *lockfiles(ctx), *dependency_files(ctx, REQUIREMENTS_GLOBS)}
        )
        if ctx.options.scope.classify(f) is Scope.PRODUCT and _declares(ctx, f)
    ]
    if not declared:
        return Evidence(
            check,
            CheckOutcome.NOT_APPLICABLE,
            "no exactly pinned Python dependencies to look up, and no other "
            "dependency manifest in the product",
        )
    return Evidence(
        check,
        CheckOutcome.NEEDS_REVIEW,
        f"dependencies are declared ({', '.join(declared[:3])}) but none is an exactly "
        "pinned Python dependency this check can look up (other ecosystems and "
        "version ranges are not resolved); run the ecosystem's audit (npm audit, "
        "govulncheck, pip-audit on the resolved set) and attest to it",
        files=tuple(declared[:20]),
        digests={f: ctx.sha256(f) for f in declared[:20]},
    )


def _declares(ctx: Context, path: str) -> bool:
    """A pyproject.toml holding only tool settings declares no dependency, nor a pom.xml of
    modules."""
    jvm = declares_jvm_dependencies(ctx, path)
    if jvm is not None:
        return jvm
    if not path.endswith("pyproject.toml"):
        return True
    text = ctx.read_text(path)
    return "dependencies" in text


def _no_known_vulnerabilities(ctx: Context, params: Params) -> Evidence:
    check = NO_KNOWN_VULNERABILITIES.id
    pins = pinned_python(ctx)
    if not pins:
        return _nothing_pinned(ctx)
    if ctx.options.vuln_db is not None:
        return _match_db(ctx, pins, ctx.options.vuln_db)
    if ctx.options.online:
        return _pip_audit(ctx, pins, float(params["timeout"]))
    return Evidence(
        check,
        CheckOutcome.NEEDS_REVIEW,
        f"no vulnerability data available offline for {len(pins)} pinned Python "
        "dependencies: pass --vuln-db PATH (OSV JSON) or --online",
    )


NO_KNOWN_VULNERABILITIES = Check(
    id="deps.no_known_vulnerabilities",
    question="Are the pinned Python dependencies free of known vulnerabilities?",
    run=_no_known_vulnerabilities,
    params={"timeout": Param((int, float), 300, "Seconds before pip-audit is stopped")},
    tools=("pip-audit",),
)
