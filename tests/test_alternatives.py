"""Checks of alternatives (PS.2.1: signed artifacts or signed tags; PS.3.2: an SBOM or signed
build provenance) and the CODEOWNERS check that branch rules can stand in for offline."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from baseline import offline
from baseline.checks.alternatives import ALTERNATIVES, combine
from baseline.context import RunOptions, build_context
from baseline.engine import run_check
from baseline.models import CheckOutcome, CheckSpec, Evidence

P, F, E, R, N = (
    CheckOutcome.PASS,
    CheckOutcome.FAIL,
    CheckOutcome.ERROR,
    CheckOutcome.NEEDS_REVIEW,
    CheckOutcome.NOT_APPLICABLE,
)

# PEP 740 attestations through Trusted Publishing, as pip-audit and sigstore-python publish.
TRUSTED_PUBLISHING = """\
on:
  release:
    types: [published]
permissions: {}
jobs:
  publish:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          persist-credentials: false
      - run: python -m build
      - uses: pypa/gh-action-pypi-publish@76f52bc884231f62b9a034ebfe128415bbaabdfc # v1.12.4
"""


@pytest.mark.parametrize(
    ("outcomes", "want"),
    [
        ((P, F), P),
        ((F, P), P),
        ((P, E), P),  # one form of the evidence is enough
        ((F, E), E),
        ((E, R), E),  # a broken alternative might have passed: fail closed
        ((F, R), R),
        ((R, N), R),
        ((F, F), F),
        ((F, N), F),  # no tags at all and nothing signed: still a fail
        ((N, N), N),
    ],
)
def test_the_first_of_pass_error_review_fail_decides(
    outcomes: tuple[CheckOutcome, CheckOutcome], want: CheckOutcome
) -> None:
    parts = [Evidence(f"a.check{i}", o, f"said {o.value}") for i, o in enumerate(outcomes)]
    combined = combine("x.any", parts)
    assert combined.outcome is want
    assert [(a.check, a.outcome) for a in combined.alternatives] == [
        ("a.check0", outcomes[0]),
        ("a.check1", outcomes[1]),
    ]
    assert "a.check0 " + outcomes[0].value + ": said" in combined.summary


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), *args],
        check=True,
        capture_output=True,
        env={
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "a",
            "GIT_AUTHOR_EMAIL": "a@example.org",
            "GIT_COMMITTER_NAME": "a",
            "GIT_COMMITTER_EMAIL": "a@example.org",
            "GIT_AUTHOR_DATE": "2026-05-01T00:00:00Z",
            "GIT_COMMITTER_DATE": "2026-05-01T00:00:00Z",
            "PATH": "/usr/bin:/bin",
        },
    )


def _released(tmp_path: Path, workflow: str | None) -> Path:
    """A repository with two lightweight (unsigned) release tags, and the given release flow."""
    repo = tmp_path / "repo"
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / "app.py").write_text("x = 1\n")
    if workflow is not None:
        (repo / ".github" / "workflows" / "release.yml").write_text(workflow)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "one")
    _git(repo, "tag", "v1.0.0")
    _git(repo, "tag", "v1.0.1")
    return repo


def test_signed_artifacts_with_lightweight_tags_pass_integrity(tmp_path: Path) -> None:
    repo = _released(tmp_path, TRUSTED_PUBLISHING)
    evidence = run_check(
        build_context(repo, "repo", RunOptions()), CheckSpec("release.integrity_verifiable")
    )
    assert evidence.outcome is P, evidence.summary
    parts = {a.check: a.outcome for a in evidence.alternatives}
    assert parts == {"ci.release_signs_artifacts": P, "git.release_tags_signed": F}
    assert evidence.summary.startswith("ci.release_signs_artifacts shows it")
    # the step that proves it is cited, and only the passing alternative's findings are kept
    assert ".github/workflows/release.yml:" in evidence.summary
    assert all(f.rule != "unsigned-tag" for f in evidence.findings)
    assert all(not f.rule.startswith("unsigned") for f in evidence.findings)


def test_nothing_signed_fails_integrity_with_every_alternatives_findings(tmp_path: Path) -> None:
    unsigned = (
        TRUSTED_PUBLISHING.split("      - uses: pypa/")[0] + "      - run: twine upload dist/*\n"
    )
    repo = _released(tmp_path, unsigned)
    evidence = run_check(
        build_context(repo, "repo", RunOptions()), CheckSpec("release.integrity_verifiable")
    )
    assert evidence.outcome is F, evidence.summary
    assert evidence.summary.startswith("none of the alternatives shows it")
    assert "2 of the last 2 release tag(s) unsigned" in evidence.summary
    assert evidence.findings  # the unsigned tags are listed


def test_alternative_parameters_are_prefixed_and_reach_their_check(tmp_path: Path) -> None:
    repo = _released(tmp_path, None)
    ctx = build_context(repo, "repo", RunOptions())
    evidence = run_check(
        ctx, CheckSpec("release.integrity_verifiable", {"release_tags_signed_pattern": "v9.*"})
    )
    tags = next(a for a in evidence.alternatives if a.check == "git.release_tags_signed")
    assert tags.outcome is N, tags.summary  # no tag matches v9.*
    sbom = run_check(ctx, CheckSpec("release.provenance_published"))
    assert set(sbom.params) >= {
        "release_generates_sbom_extra",
        "release_generates_provenance_extra",
    }
    assert set(ALTERNATIVES["release.provenance_published"]) == {
        "ci.release_generates_sbom",
        "ci.release_generates_provenance",
        "sbom.present_and_valid",
    }


def test_provenance_without_an_sbom_is_provenance_data(tmp_path: Path) -> None:
    repo = _released(tmp_path, TRUSTED_PUBLISHING)
    evidence = run_check(
        build_context(repo, "repo", RunOptions()), CheckSpec("release.provenance_published")
    )
    assert evidence.outcome is P, evidence.summary
    assert {a.check: a.outcome for a in evidence.alternatives} == {
        "ci.release_generates_sbom": F,
        "ci.release_generates_provenance": P,
        "sbom.present_and_valid": F,  # no SBOM in the repository
    }


@pytest.mark.parametrize("codeowners", [None, "@org/team-without-a-pattern\n# di\n"])
def test_no_working_codeowners_needs_review_offline(tmp_path: Path, codeowners: str | None) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "app.py").write_text("x = 1\n")
    if codeowners is not None:
        (repo / "CODEOWNERS").write_text(codeowners)
    raw = run_check(build_context(repo, "repo", RunOptions()), CheckSpec("repo.has_codeowners"))
    assert raw.outcome is F  # the fact: no owner is assigned by a file
    evidence = offline.apply(raw)
    assert evidence.outcome is R
    assert "github.reviews_required" in evidence.summary
    assert evidence.findings == raw.findings  # the missing or owner-less file stays listed
