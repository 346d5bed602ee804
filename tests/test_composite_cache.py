"""Caches a release job restores through a local composite action (zizmor reads only the
workflow's own steps): the shape of WebGoat/WebGoat's release.yml:19-21 and
.github/actions/java-setup/action.yml:15-20."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import write_files

from baseline.checks import composite_cache
from baseline.context import RunOptions, build_context
from baseline.engine import run_check
from baseline.models import CheckOutcome, CheckSpec

_ACTION = """name: setup-java
description: "Install Temurin JDK"
inputs:
  cache:
    description: "Cache mode for actions/setup-java"
    required: false
    default: "maven"
runs:
  using: "composite"
  steps:
    - name: Set up Temurin Java 25
      uses: actions/setup-java@c1e323688fd81a25caa38c78aa6df2d33d3e20d9 # v4.8.0
      with:
        distribution: temurin
        java-version: '25'
        cache: ${{ inputs.cache }}
"""
_RELEASE = """name: "Release Pipeline"
on:
  push:
    tags:
      - v*
permissions:
  contents: read
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0
        with:
          persist-credentials: false
      - name: Set up JDK
        uses: ./.github/actions/java-setup
        with:
          cache: 'maven'
      - run: mvn --no-transfer-progress install -DskipTests
"""


def _tree(tmp_path: Path, workflow: str) -> Path:
    write_files(
        tmp_path,
        {
            ".github/workflows/release.yml": workflow,
            ".github/actions/java-setup/action.yml": _ACTION,
        },
    )
    return tmp_path


@pytest.mark.parametrize(
    ("workflow", "found"),
    [
        (_RELEASE, True),
        (_RELEASE.replace("cache: 'maven'", "cache: ''"), False),  # switched off by the caller
        (_RELEASE.replace("        with:\n          cache: 'maven'\n", ""), True),  # default
        (_RELEASE.replace("tags:\n      - v*", "branches: [main]"), False),  # CI, not a release
    ],
    ids=["caller-maven", "caller-off", "input-default", "branch-push"],
)
def test_composite_cache_in_a_release_is_found(tmp_path: Path, workflow: str, found: bool) -> None:
    ctx = build_context(_tree(tmp_path, workflow), "repo", RunOptions(jobs=1))
    findings = composite_cache.findings(ctx, "ci.no_persisted_credentials")
    assert bool(findings) is found
    if found:
        (finding,) = findings
        assert (finding.rule, finding.path, finding.line) == (
            "cache-poisoning",
            ".github/workflows/release.yml",
            15,
        )
        assert ".github/actions/java-setup/action.yml:11" in finding.message


@pytest.mark.slow
def test_no_persisted_credentials_fails_on_it(tmp_path: Path) -> None:
    ctx = build_context(_tree(tmp_path, _RELEASE), "repo", RunOptions(jobs=1))
    evidence = run_check(ctx, CheckSpec("ci.no_persisted_credentials", {}))
    assert evidence.outcome is CheckOutcome.FAIL, evidence.summary
    assert "cache-poisoning" in evidence.summary
