"""Checks that read the target's files: policy documents, ownership, tests, binaries, design.

They execute nothing from the target and never follow symlinks (the Context guarantees both).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from baseline.checks.interface import Check, Param, Params
from baseline.context import Context, is_excluded
from baseline.models import CheckOutcome, Evidence, Finding, Severity, fingerprint

_DOC_DIRS = ("/", ".github/", "docs/")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_URL = re.compile(r"https?://[^\s<>()\"']+")


def in_doc_dirs(names: Sequence[str]) -> list[str]:
    """Each name in the root, .github/ and docs/: where GitHub looks for community files."""
    return [f"{folder}{name}" for folder in _DOC_DIRS for name in names]


def _evidence(
    check: str,
    outcome: CheckOutcome,
    summary: str,
    ctx: Context,
    files: Sequence[str] = (),
    findings: Sequence[Finding] = (),
) -> Evidence:
    return Evidence(
        check=check,
        outcome=outcome,
        summary=summary,
        files=tuple(files),
        digests={f: ctx.sha256(f) for f in files},
        findings=tuple(findings),
    )


def _repo_finding(check: str, rule: str, message: str, path: str = "") -> Finding:
    return Finding(
        rule=rule,
        message=message,
        severity=Severity.MEDIUM,
        path=path,
        fingerprint=fingerprint(check, rule, path),
        tool="ssdf-baseline",
    )


def _missing(check: str, ctx: Context, rule: str, message: str) -> Evidence:
    return _evidence(
        check, CheckOutcome.FAIL, message, ctx, findings=[_repo_finding(check, rule, message)]
    )


# --- files an organization may define for all its repositories -------------------------------

# GitHub applies these from the organization's `.github` repository to every repository without
# its own; CODEOWNERS is not one of them (it must be in the repository).
ORG_LEVEL_MARK = "from the organization's public `.github` repository"
"""Text every org-level needs_review carries: baseline/offline.py recognises it by this."""
_ORG_LEVEL_NOTE = (
    "not in the root, .github/ or docs/; GitHub applies a {name} " + ORG_LEVEL_MARK + " to "
    "every repository without its own, which cannot be seen offline. The online check {online} "
    "settles it (run with --online, a token and --github-repository); or attest with "
    "https://github.com/<owner>/.github, or add the file here"
)


def _org_level(check: str, ctx: Context, name: str, online: str) -> Evidence:
    """An absent community file is `needs_review`, not `fail`: the organization may define it."""
    return _evidence(
        check,
        CheckOutcome.NEEDS_REVIEW,
        f"no {name} " + _ORG_LEVEL_NOTE.format(name=name, online=online),
        ctx,
    )


# --- security policy -------------------------------------------------------------------------

POLICY_NAMES = ("security.md", "security.rst", "security.txt", "security")
CONTRIBUTING_NAMES = ("contributing", "contributing.md", "contributing.rst", "contributing.txt")


def has_contact(text: str) -> bool:
    """Whether a policy's text names a contact: an email address or a URL."""
    return bool(_EMAIL.search(text) or _URL.search(text))


def _security_policy(ctx: Context, params: Params) -> Evidence:
    check = HAS_SECURITY_POLICY.id
    found = ctx.matching(in_doc_dirs(POLICY_NAMES))
    if not found:
        return _org_level(check, ctx, "SECURITY.md", "github.org_security_policy")
    with_contact = [f for f in found if has_contact(ctx.read_text(f))]
    if not with_contact:
        return _evidence(
            check,
            CheckOutcome.FAIL,
            f"{found[0]} names no contact (an email address or a URL for reporting)",
            ctx,
            files=found,
            findings=[
                _repo_finding(
                    check, "security-policy-no-contact", "policy names no contact", found[0]
                )
            ],
        )
    return _evidence(
        check,
        CheckOutcome.PASS,
        f"{with_contact[0]} gives a reporting contact",
        ctx,
        files=with_contact,
    )


HAS_SECURITY_POLICY = Check(
    id="repo.has_security_policy",
    question="Does the repository publish a security policy with a reporting contact?",
    run=_security_policy,
)


# --- simple presence checks ------------------------------------------------------------------


def _presence_check(check_id: str, question: str, patterns: Sequence[str], what: str) -> Check:
    def run(ctx: Context, params: Params) -> Evidence:
        found = ctx.matching(patterns)
        if not found:
            return _missing(check_id, ctx, f"no-{what.replace(' ', '-')}", f"no {what} found")
        return _evidence(
            check_id,
            CheckOutcome.PASS,
            f"{what} found: {', '.join(found[:5])}",
            ctx,
            files=found[:20],
        )

    return Check(id=check_id, question=question, run=run)


LICENSE_GLOBS = (
    "/license", "/license.*", "/licence", "/licence.*", "/copying", "/copying.*", "licenses/*",
)  # fmt: skip
HAS_LICENSE = _presence_check(
    "repo.has_license", "Does the repository declare its license?", LICENSE_GLOBS, "license"
)


def _contributing(ctx: Context, params: Params) -> Evidence:
    check = HAS_CONTRIBUTING_GUIDE.id
    found = ctx.matching(in_doc_dirs(CONTRIBUTING_NAMES))
    if not found:
        return _org_level(check, ctx, "CONTRIBUTING guide", "github.org_contributing_guide")
    return _evidence(
        check, CheckOutcome.PASS, f"contribution guide found: {', '.join(found[:5])}", ctx,
        files=found[:20],
    )  # fmt: skip


HAS_CONTRIBUTING_GUIDE = Check(
    id="repo.has_contributing_guide",
    question="Does the repository document how contributions are made and reviewed?",
    run=_contributing,
)


def _codeowners(ctx: Context, params: Params) -> Evidence:
    check = HAS_CODEOWNERS.id
    found = ctx.matching(in_doc_dirs(("codeowners",)))
    if not found:
        return _missing(
            check, ctx, "no-codeowners", "no CODEOWNERS file in the root, .github/ or docs/"
        )
    rules = [
        line
        for line in ctx.read_text(found[0]).splitlines()
        if line.strip() and not line.lstrip().startswith("#") and len(line.split()) >= 2
    ]
    if not rules:
        return _evidence(
            check,
            CheckOutcome.FAIL,
            f"{found[0]} assigns no owners (no `pattern @owner` line)",
            ctx,
            files=found,
            findings=[
                _repo_finding(check, "codeowners-empty", "CODEOWNERS assigns no owners", found[0])
            ],
        )
    return _evidence(
        check,
        CheckOutcome.PASS,
        f"{found[0]} assigns owners in {len(rules)} rule(s)",
        ctx,
        files=found,
    )


HAS_CODEOWNERS = Check(
    id="repo.has_codeowners",
    question="Does a CODEOWNERS file assign owners who review changes?",
    run=_codeowners,
)


# --- tests -----------------------------------------------------------------------------------

TEST_FILE_GLOBS = (
    "**/test_*.py",
    "**/*_test.py",
    "**/tests/*.py",
    "**/*_test.go",
    "**/*.test.js",
    "**/*.test.ts",
    "**/*.spec.js",
    "**/*.spec.ts",
    "**/*_spec.js",
    "**/*_spec.ts",
    "**/__tests__/*.js",
    "**/__tests__/*.ts",
    # mocha's default spec is `./test/*.{js,cjs,mjs}`: test files need no suffix there (express
    # keeps 112 such files, test/app.js, test/res.send.js, ...)
    "**/test/*.js",
    "**/test/*.cjs",
    "**/test/*.mjs",
    "**/test/*.ts",
    "**/tests/*.js",
    "**/tests/*.ts",
    "**/src/test/**",
    "**/*_spec.rb",
    # .NET (xUnit, NUnit, MSTest): test classes are named *Tests and live in *.Tests projects
    # (jellyfin/jellyfin tests/Jellyfin.Api.Tests/..., run by `dotnet test`)
    "**/*Tests.cs",
    "**/*.Tests/**/*.cs",
    "**/*Tests.fs",
    "**/*.Tests/**/*.fs",
)


def _test_suite(ctx: Context, params: Params) -> Evidence:
    check = HAS_TEST_SUITE.id
    found = [f for f in ctx.matching(TEST_FILE_GLOBS) if not f.endswith("__init__.py")]
    if not found:
        return _missing(
            check, ctx, "no-test-suite", "no test files found (test_*.py, *_test.go, ...)"
        )
    return _evidence(
        check,
        CheckOutcome.PASS,
        f"{len(found)} test file(s), e.g. {', '.join(found[:3])}",
        ctx,
        files=found[: int(params["max_listed"])],
    )


HAS_TEST_SUITE = Check(
    id="repo.has_test_suite",
    question="Does the repository contain an automated test suite?",
    run=_test_suite,
    params={"max_listed": Param(int, 20, "How many test files to list as evidence")},
)


# --- binary artifacts ------------------------------------------------------------------------

_BINARY_SUFFIXES = frozenset(
    "exe dll so dylib a o obj lib class jar war ear pyc pyo pyd whl egg msi deb rpm apk dmg "
    "iso bin elf com scr zip tar gz tgz bz2 xz 7z rar".split()
)
# Executable formats recognised by their first bytes whatever the file is called.
_MAGIC = {
    b"\x7fELF": "ELF executable",
    b"\xca\xfe\xba\xbe": "Mach-O or Java class",
    b"\xfe\xed\xfa\xce": "Mach-O executable",
    b"\xfe\xed\xfa\xcf": "Mach-O executable",
    b"\xcf\xfa\xed\xfe": "Mach-O executable",
    b"\xce\xfa\xed\xfe": "Mach-O executable",
}


def _binary_kind(ctx: Context, rel: str) -> str | None:
    suffix = rel.rsplit(".", 1)[-1].lower() if "." in rel.rsplit("/", 1)[-1] else ""
    if suffix in _BINARY_SUFFIXES:
        return f".{suffix} file"
    head = ctx.read_bytes(rel, 4096)
    if _is_windows_executable(head):
        return "Windows executable"
    return next((kind for magic, kind in _MAGIC.items() if head.startswith(magic)), None)


def _is_windows_executable(head: bytes) -> bool:
    # "MZ" alone is too common in text; a real PE file points at a "PE\0\0" header.
    if not head.startswith(b"MZ") or len(head) < 64:
        return False
    offset = int.from_bytes(head[60:64], "little")
    return head[offset : offset + 4] == b"PE\x00\x00"


def _binary_artifacts(ctx: Context, params: Params) -> Evidence:
    check = NO_BINARY_ARTIFACTS.id
    allowed = [str(p) for p in params["allow"]]
    found: list[Finding] = []
    for rel in ctx.files:
        kind = _binary_kind(ctx, rel)
        if kind and not is_excluded(rel, allowed):
            found.append(
                _repo_finding(check, "binary-artifact", f"committed binary artifact ({kind})", rel)
            )
    if found:
        return _evidence(
            check,
            CheckOutcome.FAIL,
            f"{len(found)} binary artifact(s) committed, e.g. {found[0].path}",
            ctx,
            findings=found,
        )
    return _evidence(
        check, CheckOutcome.PASS, f"none of {len(ctx.files)} files is a binary artifact", ctx
    )


NO_BINARY_ARTIFACTS = Check(
    id="repo.no_binary_artifacts",
    question="Is the repository free of committed executables, archives and bytecode?",
    run=_binary_artifacts,
    params={
        "allow": Param(list, [], "Glob patterns of binary files that are expected", patterns=True)
    },
)


# --- documents a person must judge -----------------------------------------------------------


def _document_check(check_id: str, question: str, patterns: Sequence[str], what: str) -> Check:
    def run(ctx: Context, params: Params) -> Evidence:
        found = ctx.matching(patterns)
        if not found:
            return _evidence(
                check_id,
                CheckOutcome.NEEDS_REVIEW,
                f"no {what} in the repository; if one is kept elsewhere, attest to it with the "
                "document as evidence",
                ctx,
            )
        return _evidence(
            check_id,
            CheckOutcome.NEEDS_REVIEW,
            f"{what} found ({', '.join(found[:3])}); a person must judge whether it is current "
            "and adequate",
            ctx,
            files=found[:20],
        )

    return Check(id=check_id, question=question, run=run)


THREAT_MODEL_GLOBS = (
    "**/*threat*model*", "**/*threat-model*", "**/*threatmodel*", "**/*.tm7",
    "**/*attack*surface*", "docs/security/*",
)  # fmt: skip
HAS_THREAT_MODEL = _document_check(
    "repo.has_threat_model",
    "Does the repository keep a threat model or attack-surface analysis?",
    THREAT_MODEL_GLOBS,
    "threat model",
)

DESIGN_GLOBS = (
    "**/adr/*", "**/adrs/*", "**/decisions/*", "**/rfcs/*", "/design.md", "docs/design*",
    "**/architecture*.md", "docs/architecture/*",
)  # fmt: skip
HAS_DESIGN_RECORDS = _document_check(
    "repo.has_design_records",
    "Does the repository keep design documents or architecture decision records?",
    DESIGN_GLOBS,
    "design records",
)
