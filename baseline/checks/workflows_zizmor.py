"""GitHub Actions hygiene from zizmor, split into questions that map to different SSDF tasks.

zizmor runs `--offline --format json --persona auditor --no-config --no-ignores` on the
workflow, action and Dependabot files (passed explicitly, so our exclusions and symlink rules
hold). Why these choices:
- `auditor` shows every finding; the default persona hides some that another audit already
  covers (a `write-all` next to a dangerous trigger), and a hidden finding cannot be cited.
- `--no-config`: the scanned repository's `zizmor.yml` could disable audits silently; it is
  listed as a suppression instead. `--no-ignores` + the `comments` zizmor reports per location:
  an inline `# zizmor: ignore[audit]` is honoured but recorded as a suppression.
A finding fails its check when its severity is at least `min_severity` (default medium) and
zizmor reports it for the `fail_persona` (default `pedantic`: zizmor puts real weaknesses such
as `permissions: write-all` and unpinned container images there). A finding at that severity
that only the `auditor` persona reports (zizmor's word: likely false positives outside an
audit, such as an explicit `persist-credentials: true` in a job that pushes, or a secret used
outside a deployment environment) makes the check `needs_review`: a person decides; it never
passes silently. Lower ones (concurrency-limits, anonymous-definition) are
counted in the summary only.
The exit code is not a verdict (`--no-exit-codes`: anything but 0 is a tool failure).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from baseline.checks import composite_cache, workflow_scope
from baseline.checks.interface import Check, Param, Params
from baseline.checks.memo import shared_scan
from baseline.context import Context
from baseline.errors import ToolError
from baseline.models import CheckOutcome, Evidence, Finding, Severity, Suppression, ToolRun
from baseline.tools.zizmor import PERSONAS, ZizmorResult, parse_zizmor, run_zizmor

INPUT_GLOBS = (
    ".github/workflows/*.yml",
    ".github/workflows/*.yaml",
    "**/action.yml",
    "**/action.yaml",
    ".github/dependabot.yml",
    ".github/dependabot.yaml",
)
CONFIG_GLOBS = ("/zizmor.yml", "/zizmor.yaml", ".github/zizmor.yml", ".github/zizmor.yaml")
MAX_INPUTS = 500

# Which zizmor audits answer which question (zizmor 1.32 audit names).
PINNING = (
    "unpinned-uses",
    "unpinned-images",
    "unpinned-tools",
    "ref-version-mismatch",
    "stale-action-refs",
    "impostor-commit",
    "ref-confusion",
)
PERMISSIONS = (
    "excessive-permissions",
    "undocumented-permissions",
    "overprovisioned-secrets",
    "secrets-inherit",
    "secrets-outside-env",
    "github-app",
)
TRIGGERS = (
    "dangerous-triggers",
    "bot-conditions",
    "unsound-condition",
    "unsound-contains",
    "self-hosted-runner",
)
INJECTION = (
    "template-injection",
    "github-env",
    "insecure-commands",
    "obfuscation",
    "unsound-ternary",
)
CREDENTIALS = (
    "artipacked",
    "cache-poisoning",
    "unredacted-secrets",
    "hardcoded-container-credentials",
    "use-trusted-publishing",
)
NAMED = frozenset(PINNING + PERMISSIONS + TRIGGERS + INJECTION + CREDENTIALS)

_SEVERITIES = tuple(s.value for s in Severity)


SetAside = Callable[[Context, Sequence[Finding]], tuple[list[Finding], list[Suppression]]]
"""The failing findings that stay, and a suppression for each one that is harmless."""


Extra = Callable[[Context, str], list[Finding]]
"""Findings of a zizmor audit that zizmor cannot see (it does not follow local actions)."""


def _zizmor_check(
    check_id: str,
    question: str,
    audits: Sequence[str] | None,
    set_aside: SetAside | None = None,
    extra: Extra | None = None,
) -> Check:
    def run(ctx: Context, params: Params) -> Evidence:
        inputs = ctx.matching(INPUT_GLOBS)
        if not any(p.startswith(".github/workflows/") or "action.y" in p for p in inputs):
            return Evidence(
                check_id,
                CheckOutcome.NOT_APPLICABLE,
                "no GitHub Actions workflows or action definitions",
            )
        if len(inputs) > MAX_INPUTS:
            raise ToolError(
                "zizmor",
                f"{len(inputs)} inputs exceed the limit of {MAX_INPUTS}",
                "exclude generated or vendored workflow files",
            )
        timeout = float(params["timeout"])
        # The six zizmor checks judge one run: audits are filtered per check afterwards.
        tool_run, stdout, audited = shared_scan(
            ctx,
            {"tool": "zizmor", "timeout": timeout},
            lambda: run_zizmor(ctx.root, inputs, timeout),
        )
        result = parse_zizmor(stdout, check_id, ctx.matching(CONFIG_GLOBS))
        if extra is not None:
            added = extra(ctx, check_id)
            result = replace(
                result,
                findings=tuple(sorted((*result.findings, *added),
                                      key=lambda f: (f.path, f.line or 0, f.rule))),
            )  # fmt: skip
        unaudited = [p for p in inputs if p not in audited]
        return _judge(check_id, ctx, inputs, tool_run, unaudited, result, audits, params, set_aside)

    return Check(
        id=check_id,
        question=question,
        run=run,
        tools=("zizmor",),
        params={
            "min_severity": Param(
                str, "medium", "Lowest zizmor severity that fails", choices=_SEVERITIES
            ),
            "timeout": Param((int, float), 120, "Seconds before zizmor is stopped"),
            "fail_persona": Param(
                str,
                "pedantic",
                "The strictest zizmor persona whose findings fail; findings only stricter "
                "personas report make the check needs_review",
                choices=PERSONAS,
            ),
        },
    )


def _judge(
    check_id: str,
    ctx: Context,
    inputs: Sequence[str],
    tool_run: ToolRun,
    unaudited: Sequence[str],
    result: ZizmorResult,
    audits: Sequence[str] | None,
    params: Params,
    set_aside: SetAside | None,
) -> Evidence:
    threshold = Severity(str(params["min_severity"])).rank
    mine = [
        f
        for f in result.findings
        if (f.rule in audits if audits is not None else f.rule not in NAMED)
    ]
    counted = [f for f in mine if f.severity.rank >= threshold]
    aside: list[Suppression] = []
    if set_aside is not None:
        counted, aside = set_aside(ctx, counted)
    strictest = PERSONAS.index(str(params["fail_persona"]))
    failing = [
        f
        for f in counted
        if PERSONAS.index(result.personas.get(f.fingerprint, "regular")) <= strictest
    ]
    to_review = [f for f in counted if f not in failing]
    below = len(mine) - len(counted) - len(aside)
    scope = ", ".join(audits) if audits is not None else "every other zizmor audit"
    note = f"; {below} lower-severity finding(s) not counted" if below else ""
    suppressions = (*result.suppressions, *aside)
    suppressed = f"; {len(suppressions)} suppression(s)" if suppressions else ""
    skipped = (
        f"; not audited (malformed or not a workflow): {', '.join(unaudited[:5])}"
        if unaudited
        else ""
    )
    review = (
        f"; {len(to_review)} finding(s) only zizmor's stricter personas report, for a "
        f"person to judge, e.g. {_cite(to_review)}"
        if to_review
        else ""
    )
    if failing:
        outcome = CheckOutcome.FAIL
        summary = (
            f"zizmor: {len(failing)} finding(s), e.g. {_cite(failing)}"
            f"{review}{note}{suppressed}{skipped}"
        )
    elif unaudited:
        outcome = CheckOutcome.NEEDS_REVIEW
        summary = (
            f"zizmor could not audit {len(unaudited)} of {len(inputs)} file(s): "
            f"{', '.join(unaudited[:5])} (malformed or not a workflow){review}{note}"
        )
    elif to_review:
        outcome = CheckOutcome.NEEDS_REVIEW
        summary = (
            f"zizmor: nothing at or above {params['min_severity']} that the "
            f"{params['fail_persona']} persona reports{review}{note}{suppressed}"
        )
    else:
        outcome = CheckOutcome.PASS
        summary = (
            f"zizmor (persona auditor) found nothing at or above {params['min_severity']} "
            f"for {scope} in {len(inputs)} file(s){note}{suppressed}"
        )
    return Evidence(
        check=check_id,
        outcome=outcome,
        summary=summary,
        findings=(*failing, *to_review),
        tool_runs=(tool_run,),
        files=tuple(inputs),
        digests={**{f: ctx.sha256(f) for f in inputs}, result.artifact.name: result.digest},
        suppressions=suppressions,
        artifacts=(result.artifact,),
    )


def _cite(findings: Sequence[Finding]) -> str:
    """`artipacked at .github/workflows/x.yml:33`: where the first finding is."""
    first = findings[0]
    return f"{first.rule} at {first.path}:{first.line}"


ACTIONS_PINNED_BY_SHA = _zizmor_check(
    "ci.actions_pinned_by_sha",
    "Are all actions, reusable workflows and images in CI pinned to immutable references?",
    PINNING,
)
WORKFLOW_PERMISSIONS_LEAST_PRIVILEGE = _zizmor_check(
    "ci.workflow_permissions_least_privilege",
    "Do workflows give their token and secrets only the permissions they need?",
    PERMISSIONS,
    workflow_scope.set_aside,
)
NO_DANGEROUS_TRIGGERS = _zizmor_check(
    "ci.no_dangerous_triggers",
    "Are workflows free of dangerous triggers (pull_request_target, workflow_run) and spoofable "
    "conditions?",
    TRIGGERS,
)
NO_TEMPLATE_INJECTION = _zizmor_check(
    "ci.no_template_injection",
    "Are workflows free of template injection (${{ github.event.* }} expanded into scripts)?",
    INJECTION,
)
NO_PERSISTED_CREDENTIALS = _zizmor_check(
    "ci.no_persisted_credentials",
    "Do workflows keep credentials out of checkouts, caches, artifacts and logs?",
    CREDENTIALS,
    extra=composite_cache.findings,
)
WORKFLOWS_PASS_ZIZMOR = _zizmor_check(
    "ci.workflows_pass_zizmor",
    "Do workflows pass zizmor's remaining audits (archived, typosquatted or vulnerable actions, "
    "Dependabot execution, ...)?",
    None,
)
