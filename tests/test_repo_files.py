"""The repository-file checks, each with positive and negative cases on generated trees."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from support import EXAMPLES, write_files

from baseline.checks import repo_files
from baseline.checks.interface import Check
from baseline.context import Context, RunOptions, build_context
from baseline.models import CheckOutcome, Evidence


def tree(root: Path, files: dict[str, str | bytes]) -> Context:
    write_files(root, files)
    return build_context(root, str(root), RunOptions(jobs=1))


def run(check: Check, ctx: Context) -> Evidence:
    return check.run(ctx, check.resolve({}))


@pytest.mark.parametrize("where", ["SECURITY.md", ".github/SECURITY.md", "docs/security.rst"])
def test_security_policy_with_contact_passes(tmp_path: Path, where: str) -> None:
    ctx = tree(tmp_path, {where: "Report issues to security@example.org within 90 days."})
    evidence = run(repo_files.HAS_SECURITY_POLICY, ctx)
    assert evidence.outcome is CheckOutcome.PASS
    assert evidence.files == (where,)
    assert evidence.digests[where] == hashlib.sha256((tmp_path / where).read_bytes()).hexdigest()


def test_security_policy_without_contact_fails(tmp_path: Path) -> None:
    ctx = tree(tmp_path, {"SECURITY.md": "Please be nice."})
    evidence = run(repo_files.HAS_SECURITY_POLICY, ctx)
    assert evidence.outcome is CheckOutcome.FAIL
    assert evidence.findings[0].path == "SECURITY.md"


def test_missing_security_policy_needs_review_and_names_the_org_policy(tmp_path: Path) -> None:
    # GitHub applies the owner's `.github` repository's SECURITY.md: absent here is not absent.
    evidence = run(repo_files.HAS_SECURITY_POLICY, tree(tmp_path, {"README.md": "hi"}))
    assert evidence.outcome is CheckOutcome.NEEDS_REVIEW
    assert "organization's public `.github` repository" in evidence.summary


def test_security_policy_symlink_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("security@example.org")
    repo = tmp_path / "repo"
    repo.mkdir()
    os.symlink(outside, repo / "SECURITY.md")
    evidence = run(repo_files.HAS_SECURITY_POLICY, tree(repo, {}))
    assert evidence.outcome is not CheckOutcome.PASS and not evidence.files


@pytest.mark.parametrize(
    ("check", "present", "absent"),
    [
        (repo_files.HAS_LICENSE, {"LICENSE": "MIT"}, {"README.md": "x"}),
        (repo_files.HAS_LICENSE, {"COPYING.txt": "GPL"}, {"docs/LICENSE-notes.md": "x"}),
        (repo_files.HAS_CODEOWNERS, {".github/CODEOWNERS": "* @org/team\n"}, {"OWNERS": "x"}),
        (repo_files.HAS_TEST_SUITE, {"tests/test_app.py": "x"}, {"src/app.py": "x"}),
        (repo_files.HAS_TEST_SUITE, {"pkg/handler_test.go": "x"}, {"tests/__init__.py": ""}),
        # expressjs/express keeps its mocha suite as test/app.js, test/acceptance/auth.js, ...
        # (mocha's default `./test/*.js`, no .test/.spec suffix); a lib/ file is no test.
        (repo_files.HAS_TEST_SUITE, {"test/app.js": "x", "lib/app.js": "x"}, {"lib/test.js": "x"}),
        # jellyfin/jellyfin: xUnit classes in tests/Jellyfin.Api.Tests/ (`dotnet test`)
        (
            repo_files.HAS_TEST_SUITE,
            {"tests/Jellyfin.Api.Tests/Controllers/UserControllerTests.cs": "x"},
            {"Jellyfin.Api/Controllers/UserController.cs": "x"},
        ),
    ],
)
def test_presence_checks(
    tmp_path: Path, check: Check, present: dict[str, str], absent: dict[str, str]
) -> None:
    good = run(check, tree(tmp_path / "good", present))
    assert good.outcome is CheckOutcome.PASS and good.files
    bad = run(check, tree(tmp_path / "bad", absent))
    assert bad.outcome is CheckOutcome.FAIL and bad.findings


def test_contributing_guide_present_passes_absent_needs_review(tmp_path: Path) -> None:
    check = repo_files.HAS_CONTRIBUTING_GUIDE
    good = run(check, tree(tmp_path / "good", {".github/CONTRIBUTING.md": "x"}))
    assert good.outcome is CheckOutcome.PASS and good.files
    bad = run(check, tree(tmp_path / "bad", {"README.md": "x"}))
    assert bad.outcome is CheckOutcome.NEEDS_REVIEW


def test_codeowners_without_owners_fails(tmp_path: Path) -> None:
    ctx = tree(tmp_path, {"CODEOWNERS": "# owners to be decided\n\n"})
    assert run(repo_files.HAS_CODEOWNERS, ctx).outcome is CheckOutcome.FAIL


def test_binary_artifacts_found_by_suffix_and_magic(tmp_path: Path) -> None:
    ctx = tree(
        tmp_path,
        {"lib/tool.jar": b"PK\x03\x04", "bin/helper": b"\x7fELF\x02\x01", "src/a.py": "x = 1\n",
         "docs/logo.png": b"\x89PNG"},
    )  # fmt: skip
    evidence = run(repo_files.NO_BINARY_ARTIFACTS, ctx)
    assert evidence.outcome is CheckOutcome.FAIL
    assert sorted(f.path for f in evidence.findings) == ["bin/helper", "lib/tool.jar"]
    allowed = repo_files.NO_BINARY_ARTIFACTS.run(ctx, {"allow": ["lib/*", "bin"]})
    assert allowed.outcome is CheckOutcome.PASS


def test_no_binary_artifacts_passes_on_source(tmp_path: Path) -> None:
    ctx = tree(tmp_path, {"src/a.py": "print('MZ')\n", "README.md": "MZ at start"})
    evidence = run(repo_files.NO_BINARY_ARTIFACTS, ctx)
    assert evidence.outcome is CheckOutcome.PASS


@pytest.mark.parametrize(
    ("check", "doc"),
    [
        (repo_files.HAS_THREAT_MODEL, "docs/threat-model.md"),
        (repo_files.HAS_DESIGN_RECORDS, "docs/adr/0001-choose-db.md"),
    ],
)
def test_documents_need_review_either_way(tmp_path: Path, check: Check, doc: str) -> None:
    found = run(check, tree(tmp_path / "with", {doc: "# doc"}))
    assert found.outcome is CheckOutcome.NEEDS_REVIEW and found.files == (doc,)
    assert doc in found.digests
    missing = run(check, tree(tmp_path / "without", {"README.md": "x"}))
    assert missing.outcome is CheckOutcome.NEEDS_REVIEW and not missing.files
    assert "attest" in missing.summary


def test_examples_differ_where_they_should() -> None:
    options = RunOptions(jobs=1)
    kept = build_context(EXAMPLES / "well-kept-app", "well-kept-app", options)
    insecure = build_context(EXAMPLES / "insecure-app", "insecure-app", options)
    for check in (repo_files.HAS_SECURITY_POLICY, repo_files.HAS_LICENSE, repo_files.HAS_CODEOWNERS,
                  repo_files.HAS_CONTRIBUTING_GUIDE, repo_files.HAS_TEST_SUITE):  # fmt: skip
        assert run(check, kept).outcome is CheckOutcome.PASS, check.id
        # No contribution guide may mean the organization's one applies: needs review.
        absent = (
            CheckOutcome.NEEDS_REVIEW
            if check is repo_files.HAS_CONTRIBUTING_GUIDE
            else (CheckOutcome.FAIL)
        )
        assert run(check, insecure).outcome is absent, check.id


def test_windows_executable_needs_a_pe_header(tmp_path: Path) -> None:
    pe = bytearray(128)
    pe[0:2] = b"MZ"
    pe[60:64] = (64).to_bytes(4, "little")
    pe[64:68] = b"PE\x00\x00"
    ctx = tree(tmp_path, {"tools/setup": bytes(pe), "notes.txt": "MZ" + "x" * 100})
    evidence = run(repo_files.NO_BINARY_ARTIFACTS, ctx)
    assert [f.path for f in evidence.findings] == ["tools/setup"]


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("**/test_*.py", "a/b/test_x.py", True),
        ("**/test_*.py", "test_x.py", True),
        ("**/test_*.py", "a/btest_x.py", False),
        ("license.*", "license.txt", True),
        ("license.*", "docs/license.txt", True),  # no slash: a name at any depth (gitignore)
        ("/license.*", "docs/license.txt", False),  # a leading slash: the root only
        ("/license.*", "license.txt", True),
        ("**/src/test/**", "x/src/test/a", True),
        ("**/src/test/**", "x/src/test/a/b", True),
        (".github/workflows/*.y*ml", ".github/workflows/ci.yml", True),
        ("**/*.y[a]ml", ".github/workflows/a.yaml", True),
        ("[!a]b", "cb", True),
        ("[!a]b", "ab", False),
        ("a?c", "a/c", False),
        ("a.c", "abc", False),
    ],
)
def test_context_globs(tmp_path: Path, pattern: str, path: str, expected: bool) -> None:
    ctx = tree(tmp_path, {path: "x"})
    assert ctx.matching([pattern]) == ([path] if expected else [])
    assert ctx.matching([pattern.upper()]) == ([path] if expected else [])  # case-insensitive
