"""Facts the repository's files cannot show: an absent workflow step is not an absent practice.

GitHub's CodeQL default setup is switched on in the repository's settings, not in a workflow;
it analyses the code on push and pull requests and again every week. So "no analysis step in any
workflow" is `needs_review` (with the reason and the online check that would settle it),
never `fail`. Likewise a missing (or owner-less) CODEOWNERS file: required reviews may be set
in branch rules instead (github.reviews_required is evidence of its own next to it, so it does
not settle the CODEOWNERS check: both stay). The organization-level community files are handled
by their checks (baseline/checks/repo_files.py); branch rules and private reporting by the
github.* checks.

`settle` combines, per task, such an offline `needs_review` with the online check that answers
it (baseline/checks/github_hosted.py), listed next to it in the catalog:

- the offline check decided from the files (pass or fail): the online check is moot and
  becomes `not_applicable` ("not needed"), whatever it answered (even offline or on a 403);
- the offline check needs review and the online check passed (the hosting does it): the
  offline check becomes `not_applicable` ("settled online by ..."), and the pass decides;
- the offline check could not see it (its hidden case, recognised by its text) and the online
  check failed: likewise, and the fail decides. A needs_review for another reason (another CI
  system may scan) is not settled by a fail: the fail becomes `not_applicable` instead;
- otherwise (offline, no token, 403, error) both stand: needs_review, or error.

So offline nothing passes that did not before, and online the task passes or fails on the real
answer. A catalog that lists the offline check alone keeps its needs_review (fail closed).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from baseline.checks.repo_files import ORG_LEVEL_MARK
from baseline.models import CheckOutcome, Evidence

_CODEQL = (
    "CodeQL default setup may be enabled in the repository's settings (it runs on push, pull "
    "requests and weekly without a workflow file), which cannot be seen offline; the online "
    "check github.code_scanning_default_setup settles it (run with --online, a token and "
    "--github-repository), or attest with the settings page or the code-scanning alerts"
)

_REVIEW_RULES = (
    "who must review a change may be set in the hosting's branch rules or rulesets (required "
    "approving reviews, a team as required reviewer) instead of a CODEOWNERS file, which cannot "
    "be seen offline; the online check github.reviews_required reads the branch rules (run with "
    "--online, a token and --github-repository); attest with them and the review policy"
)

SETTINGS_MAY_DO_IT: Mapping[str, str] = {
    "ci.runs_code_analysis": _CODEQL,
    "ci.scheduled_scans": _CODEQL,
    "repo.has_codeowners": _REVIEW_RULES,
}
"""Check id -> why a `fail` of it cannot be told apart, offline, from a hosting setting."""

SETTLED_ONLINE: Mapping[str, tuple[str, str]] = {
    "repo.has_security_policy": ("github.org_security_policy", ORG_LEVEL_MARK),
    "repo.has_contributing_guide": ("github.org_contributing_guide", ORG_LEVEL_MARK),
    "ci.runs_code_analysis": ("github.code_scanning_default_setup", _CODEQL),
    "ci.scheduled_scans": ("github.code_scanning_default_setup", _CODEQL),
}
"""Offline check id -> (the online check that settles its hidden case, text marking that case)."""


def apply(evidence: Evidence) -> Evidence:
    """A workflow probe's `fail` that a hosting setting may answer becomes `needs_review`."""
    why = SETTINGS_MAY_DO_IT.get(evidence.check)
    if why is None or evidence.outcome is not CheckOutcome.FAIL:
        return evidence
    return replace(
        evidence, outcome=CheckOutcome.NEEDS_REVIEW, summary=f"{evidence.summary}; but {why}"
    )


def _hidden(evidence: Evidence) -> bool:
    """Whether this is the offline needs_review that only the hosting can answer."""
    settled = SETTLED_ONLINE.get(evidence.check)
    return (
        settled is not None
        and evidence.outcome is CheckOutcome.NEEDS_REVIEW
        and settled[1] in evidence.summary
    )


def settle(evidence: Sequence[Evidence]) -> list[Evidence]:
    """One task's evidence with each offline-hidden fact and its online check combined."""
    out = list(evidence)
    for at, online in enumerate(evidence):
        settles = [
            i
            for i, e in enumerate(evidence)
            if e.check in SETTLED_ONLINE and SETTLED_ONLINE[e.check][0] == online.check
        ]
        if not settles:
            continue  # listed alone, the online check answers for itself
        open_ = [i for i in settles if evidence[i].outcome is CheckOutcome.NEEDS_REVIEW]
        names = ", ".join(evidence[i].check for i in settles)
        if not open_:
            out[at] = _moot(online, f"not needed: {names} answered from the repository's files")
        elif online.outcome is CheckOutcome.PASS or (
            online.outcome is CheckOutcome.FAIL and all(_hidden(evidence[i]) for i in open_)
        ):
            for i in open_:
                out[i] = replace(
                    evidence[i],
                    outcome=CheckOutcome.NOT_APPLICABLE,
                    summary=f"settled online by {online.check} "
                    f"({online.outcome.value}); {evidence[i].summary}",
                )
        elif online.outcome is CheckOutcome.FAIL:
            # Unsure for another reason (another CI system, say): the fail is not conclusive.
            out[at] = _moot(online, f"not conclusive: {names} needs review for another reason")
    return out


def _moot(online: Evidence, why: str) -> Evidence:
    return replace(
        online, outcome=CheckOutcome.NOT_APPLICABLE, error=None, summary=f"{why}; {online.summary}"
    )
