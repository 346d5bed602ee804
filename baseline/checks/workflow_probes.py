"""Probes over GitHub Actions workflows for what zizmor does not ask: does CI analyze the
product's code, run its tests, scan on a schedule, and do release workflows sign, produce an
SBOM and provenance?

A probe passes only when a step DOES the thing (workflow_steps: actions by identity, version
and inputs; scripts parsed as shell commands and followed into make/tox/nox/package.json and
local composite actions), in a workflow whose triggers fit the probe:

- tests and code analysis: push, pull_request, pull_request_target, merge_group or schedule
  (they must run on changes; a manual-only workflow proves nothing about every change);
- signing, SBOM, provenance: release, push of tags (`on.push.tags`), create (a tag) or
  workflow_dispatch: how releases are cut. A push to branches or a pull request runs CI,
  and signing a test artifact there is not signing a release;
- scheduled scans: schedule with a cron.
A reusable workflow (`workflow_call`) runs with the triggers of the workflows here that call it.

Mentioning a tool is not running it: `pip install bandit`, `echo "syft"` and a cosign
installer without a `cosign sign` prove nothing. zizmor and other workflow linters do not
analyse the product's code. Evidence cites each proving step: file, line, job, step name,
the command and the chain through task files. Workflow files are parsed safely (see
workflow_yaml); a file that cannot be parsed is listed and never counts as showing anything.
No workflows at all -> needs_review (other CI systems are not read; a person can attest).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from baseline.checks import probe_rules as rules
from baseline.checks.interface import Check, Param, Params
from baseline.checks.memo import shared_scan
from baseline.checks.workflow_steps import StepView, local_callers, view
from baseline.checks.workflow_yaml import Workflow, load_workflows, steps, triggers
from baseline.context import Context
from baseline.models import CheckOutcome, Evidence, Finding, Severity, fingerprint

CHANGE_EVENTS = frozenset(
    {"push", "pull_request", "pull_request_target", "merge_group", "schedule"}
)
RELEASE_EVENTS = frozenset({"push-tags", "release", "create", "workflow_dispatch"})
_ASKS_NOTHING = frozenset({"--help", "-h", "--version", "-V", "version", "help"})
SCHEDULE_EVENTS = frozenset({"schedule"})
MAX_CITED = 10


@dataclass(frozen=True)
class Proof:
    """One step that does what a probe asks, and what it runs."""

    view: StepView
    does: str
    where: str
    via: tuple[str, ...] = ()

    def text(self) -> str:
        """`file:line job J step "S": runs X (via make ci -> Makefile:7)`."""
        chain = f" (via {' -> '.join(self.via)} at {self.where})" if self.via else ""
        return f"{self.view.label}: {self.does}{chain}"


Prover = Callable[[Context, StepView, str], list[Proof]]
"""(context, step, extra needles joined) -> proofs."""
MAX_NOTES = 3


def _unparsed(workflows: Sequence[Workflow]) -> list[Finding]:
    return [
        Finding(
            rule="workflow-unparsed",
            message=f"workflow not read: {w.problem}",
            severity=Severity.INFO,
            path=w.path,
            fingerprint=fingerprint("workflow-unparsed", w.path),
            tool="ssdf-baseline",
        )
        for w in workflows
        if w.problem
    ]


def effective_events(workflows: Sequence[Workflow]) -> dict[str, frozenset[str]]:
    """Each workflow's triggers; a reusable workflow inherits those of its local callers."""
    own = {w.path: _events(w) for w in workflows}
    callers = local_callers([w for w in workflows if not w.problem])
    for _ in range(3):
        for callee, paths in callers.items():
            if callee in own:
                for caller in paths:
                    own[callee] |= own.get(caller, set())
    return {path: frozenset(events) for path, events in own.items()}


def _events(workflow: Workflow) -> set[str]:
    """The workflow's own triggers; a push filtered on tags also reads as `push-tags`."""
    found = triggers(workflow)
    events = {e for e in found if e != "workflow_call"}
    push = found.get("push")
    if isinstance(push, dict) and ("tags" in push or "tags-ignore" in push):
        events.add("push-tags")
    return events


def _scheduled(workflow: Workflow) -> bool:
    schedule = triggers(workflow).get("schedule")
    return isinstance(schedule, list) and any(
        isinstance(s, dict) and s.get("cron") for s in schedule
    )


def _views(ctx: Context, workflows: Sequence[Workflow]) -> list[StepView]:
    return shared_scan(
        ctx,
        {"workflow-step-views": [w.path for w in workflows]},
        lambda: [view(ctx, s) for w in workflows if not w.problem for s in steps(w)],
    )


def _proof_finding(check_id: str, proof: Proof) -> Finding:
    path, _, line = proof.view.label.partition(" ")[0].rpartition(":")
    return Finding(
        rule=f"{check_id.split('.')[-1]}-step",
        message=f"proved by {proof.text()}",
        severity=Severity.INFO,
        path=path,
        line=int(line) if line.isdigit() else None,
        fingerprint=fingerprint(
            check_id,
            "step",
            proof.view.step.path,
            proof.view.step.job,
            proof.view.step.name,
            proof.does,
        ),
        tool="ssdf-baseline",
    )


def _near_misses(judge: rules.Judge, views: Sequence[StepView]) -> str:
    notes = [f"{v.label}: {note}" for v in views if (note := rules.mentions(judge, v))]
    if not notes:
        return ""
    more = f"; and {len(notes) - MAX_NOTES} more" if len(notes) > MAX_NOTES else ""
    return "; not counted: " + "; ".join(notes[:MAX_NOTES]) + more


def _probe(
    check_id: str, question: str, what: str, judge: rules.Judge, events: frozenset[str], scope: str
) -> Check:
    prover = _prover(judge)

    def run(ctx: Context, params: Params) -> Evidence:
        workflows = load_workflows(ctx)
        files = tuple(w.path for w in workflows)
        digests = {f: ctx.sha256(f) for f in files}
        problems = _unparsed(workflows)
        if not workflows:
            return Evidence(
                check_id,
                CheckOutcome.NEEDS_REVIEW,
                "no GitHub Actions workflows (.github/workflows/); other CI systems are not "
                f"read: attest if one {what}",
            )
        active = effective_events(workflows)
        extra = "\n".join(str(n) for n in params["extra"])
        chosen = [
            w
            for w in workflows
            if not w.problem
            and active.get(w.path, frozenset()) & events
            and (events != SCHEDULE_EVENTS or _scheduled(w))
        ]
        chosen_paths = {w.path for w in chosen}
        views = [v for v in _views(ctx, workflows) if v.step.path in chosen_paths]
        proofs = [proof for step_view in views for proof in prover(ctx, step_view, extra)]
        # Cite first what runs on the fitting event itself (a tag push or a release before a
        # manual dispatch, a push before a schedule).
        proofs.sort(
            key=lambda p: (
                -len(
                    active.get(p.view.step.path, frozenset())
                    & events - {"workflow_dispatch", "schedule"}
                )
            )
        )
        if not proofs:
            unread = f"; {len(problems)} file(s) could not be read" if problems else ""
            return Evidence(
                check_id,
                CheckOutcome.FAIL,
                f"no step in {scope} {what} ({len(workflows)} workflow file(s) read, "
                f"{len(chosen)} with fitting triggers{unread}){_near_misses(judge, views)}",
                findings=(
                    Finding(
                        rule=f"{check_id.split('.')[-1]}-missing",
                        message=f"no step in {scope} {what}",
                        severity=Severity.MEDIUM,
                        fingerprint=fingerprint(check_id, "missing"),
                        tool="ssdf-baseline",
                    ),
                    *problems,
                ),
                files=files,
                digests=digests,
            )
        # One proof per step (a tox run over nine envs is one step that runs tests).
        unique = list({p.view.label: p for p in reversed(proofs)}.values())[::-1]
        where = "; ".join(p.text() for p in unique[:3])
        more = f"; and {len(unique) - 3} more" if len(unique) > 3 else ""
        return Evidence(
            check_id,
            CheckOutcome.PASS,
            f"{len(unique)} step(s) {what}: {where}{more}",
            findings=(*(_proof_finding(check_id, p) for p in unique[:MAX_CITED]), *problems),
            files=files,
            digests=digests,
        )

    return Check(
        id=check_id,
        question=question,
        run=run,
        params={
            "extra": Param(
                list,
                [],
                "More action identities (owner/repo) or commands "
                "(program and leading arguments) that count",
            )
        },
    )


def _prover(judge: rules.Judge) -> Prover:
    def prove(ctx: Context, step_view: StepView, extra: str) -> list[Proof]:
        needles = [n for n in extra.split("\n") if n]
        out: list[Proof] = []
        for use in step_view.uses:
            does = judge.use(ctx, use, step_view) or rules.extra_use(use, needles)
            if does:
                out.append(Proof(step_view, does, use.where, use.via))
        for run in step_view.runs:
            if _ASKS_NOTHING & set(run.args):
                continue  # `cosign sign --help` signs nothing
            does = (
                judge.run(ctx, run)
                or (judge.step_run(run, step_view) if judge.step_run else None)
                or rules.extra_run(run, needles)
            )
            if does:
                out.append(Proof(step_view, does, run.where, run.via))
        return out

    return prove


RUNS_CODE_ANALYSIS = _probe(
    "ci.runs_code_analysis",
    "Does CI run a static code analyzer over the product's code (CodeQL, semgrep, bandit, "
    "ruff's S rules, gosec, ...)?",
    "runs a static code analyzer over the product's code",
    rules.CODE_ANALYSIS,
    CHANGE_EVENTS,
    "a workflow run on push, pull request or schedule",
)
RUNS_TESTS = _probe(
    "ci.runs_tests",
    "Does CI run the test suite?",
    "runs tests",
    rules.TESTS,
    CHANGE_EVENTS,
    "a workflow run on push, pull request or schedule",
)
SCHEDULED_SCANS = _probe(
    "ci.scheduled_scans",
    "Does a scheduled (cron) workflow scan the code or its dependencies?",
    "scans code or dependencies",
    rules.SCHEDULED_SCAN,
    SCHEDULE_EVENTS,
    "a scheduled (cron) workflow",
)
RELEASE_SIGNS_ARTIFACTS = _probe(
    "ci.release_signs_artifacts",
    "Does a release workflow sign its artifacts (Sigstore, PEP 740 attestations, cosign, GPG)?",
    "signs artifacts",
    rules.SIGNING,
    RELEASE_EVENTS,
    "a release workflow (release, tag push or creation, dispatch)",
)
RELEASE_GENERATES_SBOM = _probe(
    "ci.release_generates_sbom",
    "Does a release workflow generate an SBOM (syft, CycloneDX, SPDX)?",
    "generates an SBOM",
    rules.SBOM,
    RELEASE_EVENTS,
    "a release workflow (release, tag push or creation, dispatch)",
)
RELEASE_GENERATES_PROVENANCE = _probe(
    "ci.release_generates_provenance",
    "Does a release workflow generate build provenance (SLSA generator, "
    "attest-build-provenance, PEP 740 attestations)?",
    "generates build provenance",
    rules.PROVENANCE,
    RELEASE_EVENTS,
    "a release workflow (release, tag push or creation, dispatch)",
)
