"""Checks that ask whether a task's evidence exists in any one of several accepted forms.

SSDF tasks name a goal, not a tool: PS.2.1 asks that acquirers can verify a release's integrity,
which Sigstore-signed artifacts (PEP 740 attestations, cosign) show as well as signed git tags.
Listing both checks under the task would fail a project that signs every artifact because its
tags are lightweight. A check of alternatives runs each one and concludes:

- `pass` when any alternative passes (the evidence that passed is cited);
- else `error` when any alternative errored (fail closed: the broken one might have passed);
- else `needs_review` when any alternative needs review;
- else `fail` when any alternative failed (every form of the evidence is absent);
- else `not_applicable`.

Every alternative's outcome and summary stay in the record (`alternatives`), so an auditor sees
which form was found and which were not, and a failing run lists every alternative's findings.
"""

from __future__ import annotations

from collections.abc import Sequence

from baseline.checks import git_history, sbom, workflow_probes
from baseline.checks.interface import Check, Param, Params
from baseline.context import Context
from baseline.errors import ToolError
from baseline.models import Alternative, CheckOutcome, Evidence

DECIDING_ORDER = (
    CheckOutcome.PASS,
    CheckOutcome.ERROR,
    CheckOutcome.NEEDS_REVIEW,
    CheckOutcome.FAIL,
    CheckOutcome.NOT_APPLICABLE,
)
"""Which alternative's outcome decides: the first of these that any alternative has."""


def _prefix(check: Check) -> str:
    """Its parameters' prefix here: `release_tags_signed_` (two probes both take `extra`)."""
    return check.id.rsplit(".", 1)[-1] + "_"


def _run_one(check: Check, ctx: Context, params: Params) -> Evidence:
    own = check.resolve(
        {
            name: params[_prefix(check) + name]
            for name in check.params
            if _prefix(check) + name in params
        }
    )
    try:
        return check.run(ctx, own)
    except ToolError as exc:
        return Evidence(check.id, CheckOutcome.ERROR, str(exc), error=exc.diagnostics())


def deciding_outcome(outcomes: Sequence[CheckOutcome]) -> CheckOutcome:
    """The first of `DECIDING_ORDER` that any alternative has (none: not applicable)."""
    return next((o for o in DECIDING_ORDER if o in outcomes), CheckOutcome.NOT_APPLICABLE)


def combine(check_id: str, parts: Sequence[Evidence]) -> Evidence:
    """The evidence of `check_id` from its alternatives' evidence (pure, for tests)."""
    outcome = deciding_outcome([p.outcome for p in parts])
    deciding = [p for p in parts if p.outcome is outcome]
    said = "; ".join(f"{p.check} {p.outcome.value}: {p.summary}" for p in parts)
    lead = {
        CheckOutcome.PASS: f"{deciding[0].check} shows it",
        CheckOutcome.ERROR: "an alternative could not be judged",
        CheckOutcome.NEEDS_REVIEW: "no alternative shows it, and one needs a person's review",
        CheckOutcome.FAIL: "none of the alternatives shows it",
        CheckOutcome.NOT_APPLICABLE: "no alternative applies",
    }[outcome]
    shown = deciding if outcome is CheckOutcome.PASS else list(parts)
    return Evidence(
        check=check_id,
        outcome=outcome,
        summary=f"{lead} ({said})",
        findings=tuple(f for p in shown for f in p.findings),
        tool_runs=tuple(r for p in parts for r in p.tool_runs),
        files=tuple(dict.fromkeys(f for p in parts for f in p.files)),
        digests={k: v for p in parts for k, v in p.digests.items()},
        suppressions=tuple(s for p in shown for s in p.suppressions),
        error="; ".join(f"{p.check}: {p.error}" for p in parts if p.error) or None,
        artifacts=tuple(a for p in parts for a in p.artifacts),
        alternatives=tuple(Alternative(p.check, p.outcome, p.summary) for p in parts),
    )


ALTERNATIVES: dict[str, tuple[str, ...]] = {}
"""Check of alternatives -> the checks it runs (for documentation and the benchmarks)."""


def _any_of(check_id: str, question: str, alternatives: Sequence[Check]) -> Check:
    params: dict[str, Param] = {
        _prefix(a) + name: spec for a in alternatives for name, spec in a.params.items()
    }
    ALTERNATIVES[check_id] = tuple(a.id for a in alternatives)

    def run(ctx: Context, given: Params) -> Evidence:
        return combine(check_id, [_run_one(a, ctx, given) for a in alternatives])

    tools = tuple(dict.fromkeys(t for a in alternatives for t in a.tools))
    return Check(id=check_id, question=question, run=run, params=params, tools=tools)


RELEASE_INTEGRITY_VERIFIABLE = _any_of(
    "release.integrity_verifiable",
    "Can acquirers verify a release's integrity: does a release workflow sign its artifacts, or "
    "are release tags signed?",
    (workflow_probes.RELEASE_SIGNS_ARTIFACTS, git_history.RELEASE_TAGS_SIGNED),
)
RELEASE_PROVENANCE_PUBLISHED = _any_of(
    "release.provenance_published",
    "Is provenance data produced: does a release workflow make an SBOM or signed build "
    "provenance, or does the repository hold a valid SBOM?",
    (
        workflow_probes.RELEASE_GENERATES_SBOM,
        workflow_probes.RELEASE_GENERATES_PROVENANCE,
        sbom.PRESENT_AND_VALID,
    ),
)
