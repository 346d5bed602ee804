"""Where a workflow-level `permissions` finding reaches: zizmor judges the block's place, the
question is what each job's token may do.

A job's own `permissions` replace the workflow's (GitHub does not merge them). So when every job
declares its own block, no workflow-level grant reaches any job: zizmor's `excessive-permissions`
at the workflow level, whether "default permissions used" (no top-level block) or a top-level
`read-all` or write grant (expressjs/express scorecard.yml:18 `permissions: read-all`, whose only
job sets its own at :24), is set aside as a recorded suppression (never dropped silently).

Otherwise a single-scope write grant at the workflow level (`issues: write`) is flagged for its
place: every job without a block of its own, present and future, inherits it. Whether the job
needs it is not known in general (a job that only echoes an issue title does not). It is set
aside, recorded, only when the workflow has exactly one job and that job uses an action whose
documentation says it needs that scope (`NEEDS`: dessant/lock-threads and actions/stale need
`issues` and `pull-requests`, as in requests' and pip's lock workflows; GoReleaser `contents` to
publish the release and codeql-action `security-events` to upload results, as in gin's). It
stays a finding otherwise, with two or more jobs, and `write-all` that reaches a job always.
The workflow is read as YAML, never run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import yaml

from baseline.checks.workflow_steps import action_identity
from baseline.context import Context
from baseline.models import Finding, Suppression

_JOBS = re.compile(r"^jobs\s*:", re.M)
_ONE_SCOPE = re.compile(
    r"^overly broad permissions: (?P<scope>[a-z-]+): write is overly broad "
    r"at the workflow level$"
)
NEEDS: dict[str, frozenset[str]] = {
    "dessant/lock-threads": frozenset({"issues", "pull-requests", "discussions"}),
    "actions/stale": frozenset({"issues", "pull-requests"}),
    # creates the GitHub release and uploads its assets (gin-gonic/gin goreleaser.yml:9)
    "goreleaser/goreleaser-action": frozenset({"contents"}),
    # upload-sarif and analyze send results to code scanning (gin-gonic/gin trivy-scan.yml:17)
    "github/codeql-action": frozenset({"security-events"}),
}
"""Action (owner/repo) -> the write scopes its documentation says it needs."""


def _needed(job: Any) -> frozenset[str]:
    """The write scopes the job's known actions need."""
    steps = job.get("steps") if isinstance(job, dict) else None
    needed: set[str] = set()
    for step in steps if isinstance(steps, list) else ():
        uses = step.get("uses") if isinstance(step, dict) else None
        if isinstance(uses, str):
            identity = "/".join(action_identity(uses).split("/")[:2])  # the repository
            needed |= NEEDS.get(identity, frozenset())
    return frozenset(needed)


def _jobs(ctx: Context, path: str) -> tuple[dict[str, Any], int] | None:
    """The workflow's jobs and the line of its `jobs:` key (None when unreadable)."""
    try:
        text = ctx.read_text(path)
        document = yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError):
        return None
    match = _JOBS.search(text)
    jobs = document.get("jobs") if isinstance(document, dict) else None
    if match is None or not isinstance(jobs, dict) or not jobs:
        return None
    return jobs, text.count("\n", 0, match.start()) + 1


def _why_harmless(finding: Finding, jobs: dict[str, Any], jobs_line: int) -> str | None:
    if finding.rule != "excessive-permissions" or (finding.line or 0) >= jobs_line:
        return None  # a job-level finding stays
    if all(isinstance(j, dict) and "permissions" in j for j in jobs.values()):
        if "default permissions used" in finding.message:
            return "no top-level block, but every job declares its own permissions"
        return "the workflow-level block reaches no job: every job declares its own permissions"
    if "default permissions used" in finding.message:
        return None
    scope = _ONE_SCOPE.match(finding.message)
    if scope and len(jobs) == 1 and scope["scope"] in _needed(next(iter(jobs.values()))):
        return (
            f"a workflow-level {scope['scope']}: write that reaches the workflow's only job, "
            "whose action needs it"
        )
    return None


def set_aside(ctx: Context, findings: Sequence[Finding]) -> tuple[list[Finding], list[Suppression]]:
    """The findings that stay, and a suppression for each workflow-level one that is harmless."""
    kept: list[Finding] = []
    aside: list[Suppression] = []
    parsed: dict[str, tuple[dict[str, Any], int] | None] = {}
    for finding in findings:
        if finding.path not in parsed:
            parsed[finding.path] = _jobs(ctx, finding.path)
        workflow = parsed[finding.path]
        why = _why_harmless(finding, *workflow) if workflow else None
        if why is None:
            kept.append(finding)
        else:
            aside.append(Suppression("workflow-level-permissions", finding.path, finding.line,
                                     f"{finding.rule}: {why}"))  # fmt: skip
    return kept, aside
