"""Caches a release job restores through a local composite action (zizmor reads only the
workflow's own steps): the shape of WebGoat/WebGoat's release.yml:19-21 and
.github/actions/java-setup/action.yml:15-20."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support import write_files

from baseline.checks import composite_cache
from baseline.context import RunOptions, build_context
from baseline.engine import run_check
from baseline.errors import ToolError
from baseline.models import CheckOutcome, CheckSpec, Evidence

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


def _persisted(root: Path) -> Evidence:
    """ci.no_persisted_credentials through the engine, as an assessment runs it."""
    ctx = build_context(root, "repo", RunOptions(jobs=1))
    return run_check(ctx, CheckSpec("ci.no_persisted_credentials", {}))


@pytest.mark.slow
def test_no_persisted_credentials_fails_on_it(tmp_path: Path) -> None:
    evidence = _persisted(_tree(tmp_path, _RELEASE))
    assert evidence.outcome is CheckOutcome.FAIL, evidence.summary
    assert "cache-poisoning" in evidence.summary


# --- the repository owner hides the cache (tests/hostile: the tree is hostile) ---------------

_OUTER = """name: outer
runs:
  using: composite
  steps:
    - uses: ./.github/actions/java-setup
"""


def _nested(tmp_path: Path, levels: int) -> str:
    """A chain of `levels` composite actions ending in java-setup; the `uses:` of its head."""
    files = {".github/actions/java-setup/action.yml": _ACTION}
    inner = "./.github/actions/java-setup"
    for n in range(levels):
        files[f".github/actions/n{n}/action.yml"] = _OUTER.replace(
            "./.github/actions/java-setup", inner
        )
        inner = f"./.github/actions/n{n}"
    write_files(tmp_path, files)
    return inner


def test_a_cache_two_composite_actions_down_is_found(tmp_path: Path) -> None:
    head = _nested(tmp_path, 2)
    write_files(
        tmp_path,
        {".github/workflows/release.yml": _RELEASE.replace("./.github/actions/java-setup", head)},
    )
    ctx = build_context(tmp_path, "repo", RunOptions(jobs=1))
    (finding,) = composite_cache.findings(ctx, "ci.no_persisted_credentials")
    assert (finding.path, finding.line) == (".github/workflows/release.yml", 15)
    assert ".github/actions/java-setup/action.yml:11" in finding.message


def test_a_cycle_of_composite_actions_ends(tmp_path: Path) -> None:
    cyc = _OUTER.replace("./.github/actions/java-setup", "./.github/actions/b")
    write_files(
        tmp_path,
        {
            ".github/actions/a/action.yml": cyc,
            ".github/actions/b/action.yml": _OUTER.replace(
                "./.github/actions/java-setup", "./.github/actions/a"
            ),
            ".github/workflows/release.yml": _RELEASE.replace(
                "./.github/actions/java-setup", "./.github/actions/a"
            ),
        },
    )
    ctx = build_context(tmp_path, "repo", RunOptions(jobs=1))
    assert composite_cache.findings(ctx, "ci.no_persisted_credentials") == []


def test_composite_actions_nested_past_githubs_limit_are_an_error(tmp_path: Path) -> None:
    head = _nested(tmp_path, 40)
    write_files(
        tmp_path,
        {".github/workflows/release.yml": _RELEASE.replace("./.github/actions/java-setup", head)},
    )
    ctx = build_context(tmp_path, "repo", RunOptions(jobs=1))
    with pytest.raises(ToolError, match="nested deeper than"):
        composite_cache.findings(ctx, "ci.no_persisted_credentials")


def test_a_fan_out_of_composite_actions_is_bounded(tmp_path: Path) -> None:
    """Each level calls the next twenty times: 20**8 expansions if nothing stops it."""
    files = {".github/actions/l8/action.yml": _ACTION.replace("actions/setup-java", "x/y")}
    for n in range(8):
        steps = "".join(f"    - uses: ./.github/actions/l{n + 1}\n" for _ in range(20))
        files[f".github/actions/l{n}/action.yml"] = (
            "name: fan\nruns:\n  using: composite\n  steps:\n" + steps
        )
    files[".github/workflows/release.yml"] = _RELEASE.replace(
        "./.github/actions/java-setup", "./.github/actions/l0"
    )
    write_files(tmp_path, files)
    ctx = build_context(tmp_path, "repo", RunOptions(jobs=1))
    with pytest.raises(ToolError, match="more than"):
        composite_cache.findings(ctx, "ci.no_persisted_credentials")


def _link_action(tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "action.yml").write_text(_ACTION)
    (tmp_path / ".github/actions").mkdir(parents=True)
    (tmp_path / ".github/actions/java-setup").symlink_to(outside)


def _link_file(tmp_path: Path) -> None:
    write_files(tmp_path, {".github/shared/setup.yml": _ACTION})
    (tmp_path / ".github/actions/java-setup").mkdir(parents=True)
    (tmp_path / ".github/actions/java-setup/action.yml").symlink_to("../../shared/setup.yml")


def _alias_bomb(tmp_path: Path) -> None:
    bomb = "k0: &k0 [x, x]\n" + "".join(
        f"k{i}: &k{i} [*k{i - 1}, *k{i - 1}]\n" for i in range(1, 40)
    )
    write_files(tmp_path, {".github/actions/java-setup/action.yml": bomb + _ACTION})


def _huge(tmp_path: Path) -> None:
    write_files(tmp_path, {".github/actions/java-setup/action.yml": _ACTION + "#" * 600_000})


@pytest.mark.parametrize(
    ("make", "uses", "why"),
    [
        (_link_action, "./.github/actions/java-setup", "link"),
        (_link_file, "./.github/actions/java-setup", "link"),
        (_alias_bomb, "./.github/actions/java-setup", "aliases"),
        (_huge, "./.github/actions/java-setup", "larger than"),
        (lambda p: None, "./../../etc", "outside the repository"),
        (lambda p: None, "./.github/../../etc", "outside the repository"),
    ],
    ids=["folder-link", "file-link", "alias-bomb", "huge", "dot-dot", "dot-dot-inside"],
)
def test_a_local_action_that_cannot_be_read_is_an_error_not_a_pass(
    tmp_path: Path, make: Any, uses: str, why: str
) -> None:
    make(tmp_path)
    write_files(
        tmp_path,
        {".github/workflows/release.yml": _RELEASE.replace("./.github/actions/java-setup", uses)},
    )
    ctx = build_context(tmp_path, "repo", RunOptions(jobs=1))
    with pytest.raises(ToolError, match=why):
        composite_cache.findings(ctx, "ci.no_persisted_credentials")


def test_the_repositorys_root_action_is_followed(tmp_path: Path) -> None:
    """`uses: ./` is the action at the repository's root (an action's own release tests)."""
    write_files(
        tmp_path,
        {
            "action.yml": _ACTION,
            ".github/workflows/release.yml": _RELEASE.replace("./.github/actions/java-setup", "./"),
        },
    )
    ctx = build_context(tmp_path, "repo", RunOptions(jobs=1))
    (finding,) = composite_cache.findings(ctx, "ci.no_persisted_credentials")
    assert "action.yml:11" in finding.message


def test_ten_composite_actions_deep_is_followed_eleven_is_an_error(tmp_path: Path) -> None:
    """java-setup under nine callers is the tenth composite action: the runner's limit."""
    head = _nested(tmp_path, 9)
    release = _RELEASE.replace("./.github/actions/java-setup", head)
    write_files(tmp_path, {".github/workflows/release.yml": release})
    ctx = build_context(tmp_path, "repo", RunOptions(jobs=1))
    assert len(composite_cache.findings(ctx, "ci.no_persisted_credentials")) == 1
    deeper = tmp_path / "deeper"
    deeper.mkdir()
    head = _nested(deeper, 10)
    write_files(deeper, {".github/workflows/release.yml": _RELEASE.replace(
        "./.github/actions/java-setup", head)})  # fmt: skip
    with pytest.raises(ToolError, match="nested deeper than 10"):
        composite_cache.findings(
            build_context(deeper, "repo", RunOptions(jobs=1)), "ci.no_persisted_credentials"
        )


@pytest.mark.slow
def test_no_persisted_credentials_is_an_error_on_a_linked_action(tmp_path: Path) -> None:
    _link_file(tmp_path)
    write_files(tmp_path, {".github/workflows/release.yml": _RELEASE})
    evidence = _persisted(tmp_path)
    assert evidence.outcome is CheckOutcome.ERROR, evidence.summary
    assert "is a symbolic link" in evidence.summary


_SETUP = """name: setup
runs:
  using: composite
  steps:
    - uses: {uses}
{with_}"""


@pytest.mark.parametrize(
    ("uses", "with_", "found"),
    [
        # zizmor 1.32 flags each of these in a release workflow's own steps
        ("gradle/actions/setup-gradle@v4", "", True),
        ("actions/setup-node@v4", "", True),  # package-manager-cache is on by default
        ("Swatinem/rust-cache@v2", "", True),
        ("astral-sh/setup-uv@v6", "", True),
        ("Mozilla-Actions/sccache-action@v0.0.9", "", True),
        ("ruby/setup-ruby@v1", "      with:\n        bundler-cache: true\n", True),
        # ... and not these
        ("actions/cache@v4", "      with:\n        lookup-only: true\n", False),
        ("gradle/actions/setup-gradle@v4", "      with:\n        cache-disabled: true\n", False),
        ("ruby/setup-ruby@v1", "", False),
        ("actions/setup-python@v5", "      with:\n        cache: ${{ env.X }}\n", True),
    ],
)
def test_each_cache_aware_action_zizmor_knows_is_followed(
    tmp_path: Path, uses: str, with_: str, found: bool
) -> None:
    """Moving a caching step into a composite action must not hide it: each was a silent
    pass of ci.no_persisted_credentials (the module knew four setup actions)."""
    write_files(
        tmp_path,
        {
            ".github/actions/java-setup/action.yml": _SETUP.format(uses=uses, with_=with_),
            ".github/workflows/release.yml": _RELEASE,
        },
    )
    ctx = build_context(tmp_path, "repo", RunOptions(jobs=1))
    assert bool(composite_cache.findings(ctx, "ci.no_persisted_credentials")) is found


@pytest.mark.parametrize(
    ("on", "publish", "found"),
    [
        ("push:\n    branches: [release/v1]", "", True),
        ("push:\n    branches: [main]", "      - uses: pypa/gh-action-pypi-publish@release/v1\n", True),
        ("push:\n    branches: [main]", "      - uses: docker/build-push-action@v6\n", True),
        ("push:\n    branches: [main]",
         "      - uses: docker/build-push-action@v6\n        with:\n          push: false\n", False),
        ("push:\n    branches: [main]", "", False),
    ],
    ids=["release-branch", "pypi-publish", "docker-push", "docker-no-push", "plain-ci"],
)  # fmt: skip
def test_a_job_that_publishes_is_a_release_whatever_its_trigger(
    tmp_path: Path, on: str, publish: str, found: bool
) -> None:
    """zizmor's audit also counts a push to a release branch and a job with a publishing
    action; a cache restored through a composite action there was a silent pass."""
    head, _, tail = _RELEASE.partition("      - run: mvn")
    workflow = head + publish + "      - run: mvn" + tail
    workflow = workflow.replace("push:\n    tags:\n      - v*", on)
    write_files(
        tmp_path,
        {".github/workflows/release.yml": workflow,
         ".github/actions/java-setup/action.yml": _ACTION},
    )  # fmt: skip
    ctx = build_context(tmp_path, "repo", RunOptions(jobs=1))
    assert bool(composite_cache.findings(ctx, "ci.no_persisted_credentials")) is found


def test_a_caching_step_reached_twice_is_one_finding(tmp_path: Path) -> None:
    twice = _RELEASE.replace(
        "      - run: mvn", "      - uses: ./.github/actions/java-setup\n      - run: mvn"
    )
    ctx = build_context(_tree(tmp_path, twice), "repo", RunOptions(jobs=1))
    (finding,) = composite_cache.findings(ctx, "ci.no_persisted_credentials")
    assert finding.line == 15  # the first call
