"""Caches a release restores through the repository's own composite actions.

zizmor's `cache-poisoning` audit flags a caching step in a job that publishes (a workflow run
on a release, a push of tags or of a release branch; a job with a publishing action): whatever
a cache holds is built into the release, and caches are shared with the default branch's runs.
It reads a workflow's own steps only, so a release job that sets up its toolchain through a
local composite action (`uses: ./.github/actions/java-setup` with `cache: 'maven'`,
WebGoat/WebGoat release.yml:19-21 -> .github/actions/java-setup/action.yml:20) restores the
same cache unseen. This module reads those composite actions, as data, and reports each caching
step with the audit's name, so `ci.no_persisted_credentials` judges it as it judges zizmor's
own findings.

A step caches when it is one of the cache-aware actions zizmor knows (`actions/cache`, the
setup actions, ...) with its cache switched on, as zizmor reads it; `${{ inputs.NAME }}` in
the composite action is read from the calling step's `with:`, else the input's `default`. Any
other expression is read as zizmor reads it: an opt-in input set to one (`cache: ${{ env.X
}}`) caches.

The repository is hostile: composite actions are followed as the runner follows them (nested,
at most MAX_NESTING deep, a cycle read once, MAX_STEPS in all) and never through a link or out
of the tree. An action the release uses that is in the tree but cannot be read is a ToolError
(the check is then `error`), never a pass; one not in the tree at all (put there at run time)
is not followed.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping
from typing import Any

from baseline.checks.workflow_probes import effective_events
from baseline.checks.workflow_steps import action_identity
from baseline.checks.workflow_yaml import (
    LINE,
    Workflow,
    load_workflows,
    read_yaml,
    step_list,
    steps,
    triggers,
)
from baseline.context import Context
from baseline.errors import ToolError
from baseline.models import Finding, Severity, fingerprint

RELEASE_EVENTS = frozenset({"release", "push-tags"})
"""Triggers of a workflow that publishes (zizmor's own test for this audit, with a push to a
branch named like a release and a job that uses a well-known publishing action)."""
_PUBLISHERS = frozenset(
    """pypa/gh-action-pypi-publish rubygems/release-gem jreleaser/release-action
    goreleaser/goreleaser-action softprops/action-gh-release release-drafter/release-drafter
    googleapis/release-please-action redhat-actions/push-to-registry
    aws-actions/amazon-ecs-deploy-task-definition aws-actions/aws-cloudformation-github-deploy
    azure/aci-deploy azure/container-apps-deploy-action azure/functions-action azure/sql-action
    cloudflare/wrangler-action google-github-actions/deploy-appengine
    google-github-actions/deploy-cloudrun google-github-actions/deploy-cloud-functions""".split()
)

MAX_NESTING = 10
"""How deep the runner nests composite actions ("up to 10 composite actions in one workflow",
GitHub's reusing-workflow-configurations page); deeper is an error here."""
MAX_STEPS = 10_000
"""Steps read through composite actions per assessment: a fan-out (each action calling the next
many times) is refused instead of walked exponentially."""

_INPUT = re.compile(r"^\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}$")

# The cache-aware actions zizmor's cache-poisoning audit knows (crates/zizmor/src/audit/
# cache_poisoning.rs, KNOWN_CACHE_AWARE_ACTIONS): moved into a composite action, each must be
# found as it is in the workflow itself. identity -> controls, any one of which makes the step
# cache; a control is (input, whether it opts in, whether it caches when the input is absent).
# An opt-in input caches unless it is empty or false; an opt-out one (`lookup-only`,
# `cache-disabled`) unless it is true. Values zizmor reads more finely (setup-node's cache
# names, setup-uv's version-dependent `auto`, setup-buildx's pair) are read as caching.
_Control = tuple[str, bool, bool]
_CACHE_AWARE: Mapping[str, tuple[_Control, ...]] = {
    "actions/cache": (("lookup-only", False, True),),
    "actions/cache/restore": (("lookup-only", False, True),),
    "actions/setup-java": (("cache", True, False),),
    "actions/setup-go": (("cache", True, True),),
    "actions/setup-node": (("cache", True, False), ("package-manager-cache", True, True)),
    "actions/setup-python": (("cache", True, False),),
    "actions/setup-dotnet": (("cache", True, False),),
    "astral-sh/setup-uv": (("enable-cache", True, True),),
    "swatinem/rust-cache": (("lookup-only", False, True),),
    "ruby/setup-ruby": (("bundler-cache", True, False),),
    "pyo3/maturin-action": (("sccache", True, False),),
    "mlugg/setup-zig": (("use-cache", True, True),),
    "oven-sh/setup-bun": (("no-cache", False, True),),
    "determinatesystems/magic-nix-cache-action": (("use-gha-cache", True, True),),
    "graalvm/setup-graalvm": (("cache", True, False),),
    "gradle/actions/setup-gradle": (("cache-disabled", False, True),),
    "docker/setup-buildx-action": (("cache-binary", True, True),),
    "actions-rust-lang/setup-rust-toolchain": (("cache", True, True),),
    "mozilla-actions/sccache-action": (("", True, True),),
    "nix-community/cache-nix-action": (("", True, True),),
    "jdx/mise-action": (("cache", True, True),),
    "ramsey/composer-install": (("ignore-cache", False, True),),
    "awalsh128/cache-apt-pkgs-action": (("", True, True),),
}


def _caches(identity: str, inputs: Mapping[str, str]) -> bool:
    return any(_on(control, inputs) for control in _CACHE_AWARE.get(identity, ()))


def _on(control: _Control, inputs: Mapping[str, str]) -> bool:
    name, opt_in, default = control
    if name not in inputs:
        return default
    value = inputs[name].strip().strip("'\"").lower()
    if opt_in:
        return value not in ("", "false")
    return value not in ("true", "yes", "1")


def _resolved(
    inputs: tuple[tuple[str, str], ...], given: Mapping[str, str], defaults: Mapping[str, str]
) -> dict[str, str]:
    """The inner step's inputs with `${{ inputs.NAME }}` read from the caller or the default."""
    out = {}
    for key, value in inputs:
        match = _INPUT.match(value.strip())
        if match:
            name = match.group(1)
            value = given.get(name, defaults.get(name, ""))
        out[key] = value
    return out


def _composite(ctx: Context, uses: str) -> tuple[Workflow, Any, dict[str, str]] | None:
    """A local composite action: its file, its steps and its inputs' defaults; None when the
    action is not in the tree at all or is not a composite action.

    Raises ToolError when it is there but cannot be read (a link, outside the tree, too large,
    an alias bomb, malformed): what it restores is then unknown, which is never a pass.
    """
    folder = posixpath.normpath(uses.removeprefix("./").split("@", 1)[0]).strip("/")
    if folder == ".." or folder.startswith(("../", "/")):
        raise _unreadable(uses, "it points outside the repository")
    names = [f"{folder}/{n}" if folder != "." else n for n in ("action.yml", "action.yaml")]
    links = set(ctx.symlinks)
    parts = names[0].split("/")
    linked = [p for p in ("/".join(parts[:i]) for i in range(1, len(parts) + 1)) if p in links]
    linked += [n for n in names[1:] if n in links]
    if linked:
        raise _unreadable(uses, f"{linked[0]} is a symbolic link, never followed")
    rel = next((n for n in names if n in ctx.files), None)
    if rel is None:
        return None  # not in the repository (made at run time, e.g. by another checkout)
    action = read_yaml(ctx, rel)
    if action is None or action.problem:
        raise _unreadable(uses, f"{rel}: {action.problem if action else 'cannot be read'}")
    runs = action.data.get("runs")
    if not isinstance(runs, dict) or runs.get("using") != "composite":
        return None
    declared = action.data.get("inputs")
    defaults = {
        str(k): str(v.get("default", ""))
        for k, v in (declared.items() if isinstance(declared, dict) else ())
        if k != LINE and isinstance(v, dict)
    }
    return action, runs.get("steps"), defaults


def _unreadable(uses: str, why: str) -> ToolError:
    return ToolError(
        "ssdf-baseline",
        f"cannot read the local action {uses} a release job uses ({why}): the caches it "
        "restores are unknown",
        "keep the repository's composite actions as regular files inside it",
    )


def _local(uses: str) -> bool:
    return uses.startswith("./") and not uses.startswith("./.github/workflows/")


def _caching_steps(
    ctx: Context, uses: str, given: Mapping[str, str], chain: tuple[str, ...], budget: list[int]
) -> Iterator[tuple[str, str]]:
    """(action identity, file:line) of each caching step the local action `uses` runs, its
    own local composite actions followed (as the runner does, at most MAX_NESTING deep)."""
    if len(chain) >= MAX_NESTING:
        raise _unreadable(uses, f"composite actions nested deeper than {MAX_NESTING} levels")
    composite = _composite(ctx, uses)
    if composite is None:
        return
    action, raw_steps, defaults = composite
    if action.path in chain:  # a cycle: the runner refuses it; its steps are already read
        return
    for inner in step_list(action.path, "", raw_steps, action.lines, False):
        budget[0] -= 1
        if budget[0] < 0:
            raise _unreadable(uses, f"more than {MAX_STEPS} steps through composite actions")
        inputs = _resolved(inner.inputs, given, defaults)
        if _local(inner.uses):
            yield from _caching_steps(ctx, inner.uses, inputs, (*chain, action.path), budget)
            continue
        identity = action_identity(inner.uses)
        if _caches(identity, inputs):
            yield identity, f"{action.path}:{inner.line}"


def _release_branches(workflow: Workflow) -> bool:
    """A push to a branch named like a release (zizmor: any `on.push.branches` entry holding
    "release")."""
    push = triggers(workflow).get("push")
    branches = push.get("branches") if isinstance(push, dict) else None
    names = branches if isinstance(branches, list) else [branches] if branches else []
    return any("release" in str(name).lower() for name in names)


def _publisher(uses: str, inputs: Mapping[str, str]) -> bool:
    """A well-known publishing action (zizmor's KNOWN_PUBLISHER_ACTIONS): its job releases
    whatever triggers the workflow."""
    identity = action_identity(uses)
    if identity == "docker/build-push-action":
        return _on(("push", True, True), inputs)
    return identity in _PUBLISHERS


def findings(ctx: Context, check: str) -> list[Finding]:
    """A `cache-poisoning` finding for each caching step a release job reaches through a local
    composite action (at the calling step, naming the action's file and line)."""
    workflows = [w for w in load_workflows(ctx) if not w.problem]
    events = effective_events(workflows)
    found: list[Finding] = []
    budget = [MAX_STEPS]
    for workflow in workflows:
        released = bool(events.get(workflow.path, frozenset()) & RELEASE_EVENTS)
        released = released or _release_branches(workflow)
        publishing = {s.job for s in steps(workflow) if _publisher(s.uses, dict(s.inputs))}
        for step in steps(workflow):
            if not _local(step.uses) or not (released or step.job in publishing):
                continue
            for identity, where in _caching_steps(ctx, step.uses, dict(step.inputs), (), budget):
                found.append(
                    Finding(
                        rule="cache-poisoning",
                        message=(
                            "runtime artifacts potentially vulnerable to a cache poisoning "
                            "attack: the release job restores a cache through the local "
                            f"composite action {step.uses} ({identity} at {where}), which "
                            "zizmor does not follow"
                        ),
                        severity=Severity.HIGH,
                        path=workflow.path,
                        line=step.line,
                        fingerprint=fingerprint(check, "cache-poisoning", workflow.path, where),
                        tool="ssdf-baseline",
                        snippet=f"uses: {step.uses}"[:200],
                    )
                )
    # One finding per caching step a workflow reaches, however many calls lead to it (its
    # fingerprint names the workflow and the step): the first call is cited.
    first: dict[str, Finding] = {}
    for finding in found:
        first.setdefault(finding.fingerprint, finding)
    return list(first.values())
