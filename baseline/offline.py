"""Facts the repository's files cannot show: an absent workflow step is not an absent practice.

GitHub's CodeQL default setup is switched on in the repository's settings, not in a workflow;
it analyses the code on push and pull requests and again every week. So "no analysis step in any
workflow" is `needs_review` (with the reason and the online question that would settle it),
never `fail`. The organization-level community files are handled by their checks
(baseline/checks/repo_files.py); branch rules and private reporting by the github.* checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from baseline.models import CheckOutcome, Evidence

_CODEQL = (
    "CodeQL default setup may be enabled in the repository's settings (it runs on push, pull "
    "requests and weekly without a workflow file), which cannot be seen offline; it is settled "
    "by GET /repos/{owner}/{repo}/code-scanning/default-setup (state `configured`), an online "
    "check not built yet: attest with the settings page or the code-scanning alerts as evidence"
)

SETTINGS_MAY_DO_IT: Mapping[str, str] = {
    "ci.runs_code_analysis": _CODEQL,
    "ci.scheduled_scans": _CODEQL,
}
"""Check id -> why a `fail` of it cannot be told apart, offline, from a hosting setting."""


def apply(evidence: Evidence) -> Evidence:
    """A workflow probe's `fail` that a hosting setting may answer becomes `needs_review`."""
    why = SETTINGS_MAY_DO_IT.get(evidence.check)
    if why is None or evidence.outcome is not CheckOutcome.FAIL:
        return evidence
    return replace(
        evidence, outcome=CheckOutcome.NEEDS_REVIEW, summary=f"{evidence.summary}; but {why}"
    )
