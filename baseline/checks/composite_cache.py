"""Caches a release restores through the repository's own composite actions.

zizmor's `cache-poisoning` audit flags a caching step in a workflow that publishes (a release,
a push of tags): whatever a cache holds is built into the release, and caches are shared with
the default branch's runs. It reads a workflow's own steps only, so a release job that sets up
its toolchain through a local composite action (`uses: ./.github/actions/java-setup` with
`cache: 'maven'`, WebGoat/WebGoat release.yml:19-21 -> .github/actions/java-setup/action.yml:20)
restores the same cache unseen. This module reads those composite actions, as data, and reports
each caching step with the audit's name, so `ci.no_persisted_credentials` judges it as it judges
zizmor's own findings.

A step caches when it is `actions/cache` (or `actions/cache/restore`), or one of the setup
actions below with its cache input switched on; `${{ inputs.NAME }}` in the composite action is
read from the calling step's `with:`, else the input's `default`. Any other expression is not
guessed at: an unknown value is taken as caching only where the action caches by default.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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
)
from baseline.context import Context
from baseline.models import Finding, Severity, fingerprint

RELEASE_EVENTS = frozenset({"release", "push-tags"})
"""Triggers of a workflow that publishes (zizmor's own test for this audit)."""

_INPUT = re.compile(r"^\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}$")

# action identity -> (input that switches caching, whether it caches when the input is absent)
_SETUP_CACHE: Mapping[str, tuple[str, bool]] = {
    "actions/setup-java": ("cache", False),
    "actions/setup-python": ("cache", False),
    "actions/setup-node": ("cache", False),
    "actions/setup-go": ("cache", True),
}
_ALWAYS = frozenset({"actions/cache", "actions/cache/restore"})


def _caches(identity: str, inputs: Mapping[str, str]) -> bool:
    if identity in _ALWAYS:
        return True
    if identity not in _SETUP_CACHE:
        return False
    name, default = _SETUP_CACHE[identity]
    if name not in inputs:
        return default
    value = inputs[name].strip().strip("'\"").lower()
    if identity == "actions/setup-go":
        return value != "false"
    return value not in ("", "false")


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
    """A local composite action: its file, its steps and its inputs' defaults."""
    folder = uses.removeprefix("./").split("@", 1)[0].strip("/")
    names = [f"{folder}/{n}" for n in ("action.yml", "action.yaml")]
    action = next((read_yaml(ctx, rel) for rel in names if rel in ctx.files), None)
    runs = action.data.get("runs") if action is not None and not action.problem else None
    if action is None or not isinstance(runs, dict) or runs.get("using") != "composite":
        return None
    declared = action.data.get("inputs")
    defaults = {
        str(k): str(v.get("default", ""))
        for k, v in (declared.items() if isinstance(declared, dict) else ())
        if k != LINE and isinstance(v, dict)
    }
    return action, runs.get("steps"), defaults


def findings(ctx: Context, check: str) -> list[Finding]:
    """A `cache-poisoning` finding for each caching step a release job reaches through a local
    composite action (at the calling step, naming the action's file and line)."""
    workflows = [w for w in load_workflows(ctx) if not w.problem]
    events = effective_events(workflows)
    found: list[Finding] = []
    for workflow in workflows:
        if not events.get(workflow.path, frozenset()) & RELEASE_EVENTS:
            continue
        for step in steps(workflow):
            local = step.uses.startswith("./") and not step.uses.startswith("./.github/workflows/")
            composite = _composite(ctx, step.uses) if local else None
            if composite is None:
                continue
            action, raw_steps, defaults = composite
            for inner in step_list(action.path, step.job, raw_steps, action.lines, False):
                identity = action_identity(inner.uses)
                if not _caches(identity, _resolved(inner.inputs, dict(step.inputs), defaults)):
                    continue
                where = f"{action.path}:{inner.line}"
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
    return found
