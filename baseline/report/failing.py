"""Whether a finding is one that makes its check fail, judged from what the record holds.

A check keeps every finding it saw (below-threshold ones, test code, vendored code) so reports
can count them; only some of them are why the check failed. The record holds what decides it:
the check run's outcome, its threshold parameters (`fail_on` of bandit and semgrep, bandit's
`min_confidence`, `min_severity` of the zizmor checks) and each finding's severity, confidence
and scope label. A finding causes failure when its check run failed and it is at or above those
thresholds, and, for the checks whose findings are per-file defects (baseline/scope.py
SCOPED_CHECKS), its scope is one the run counted (the evidence's `counted_scopes`, which the
record keeps). A record written before it kept them gets the default: the product, plus the
check's own scopes (a vendored binary still fails `repo.no_binary_artifacts`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from baseline.models import CheckOutcome, Evidence, Finding, Scope, Severity
from baseline.scope import DEFAULT_RULES, SCOPED_CHECKS

_LEVELS = frozenset(s.value for s in Severity)
_SEVERITY_PARAMS = ("fail_on", "min_severity")
"""Check parameters that name the lowest severity that fails (sast.*, the zizmor checks)."""


def _at_least(value: str, param: Any) -> bool:
    if not isinstance(param, str) or param not in _LEVELS or value not in _LEVELS:
        return True
    return Severity(value).rank >= Severity(param).rank


def above_threshold(finding: Finding, params: Mapping[str, Any]) -> bool:
    """At or above the check's own severity threshold (and bandit's confidence threshold, when
    the finding says how confident the tool is); a check without one judges every finding but
    notes (`info`: a proof, a workflow it could not read)."""
    named = [params[p] for p in _SEVERITY_PARAMS if p in params]
    if not named:
        return finding.severity is not Severity.INFO
    severe = all(_at_least(finding.severity.value, p) for p in named)
    confidence = params.get("min_confidence")
    return severe and (not finding.confidence or _at_least(finding.confidence, confidence))


def causes_failure(evidence: Evidence, finding: Finding) -> bool:
    """Whether this finding is one the check run failed on (see the module docstring); a
    finding the project config accepts (in force) never is (baseline/accepted.py)."""
    if finding.accepted is not None and not finding.acceptance_expired:
        return False
    if evidence.outcome is not CheckOutcome.FAIL or not above_threshold(finding, evidence.params):
        return False
    if evidence.check in SCOPED_CHECKS:
        return finding.scope in _counted(evidence)
    return True


def _counted(evidence: Evidence) -> frozenset[Scope]:
    """The scopes whose findings counted: as the run recorded them, else the default."""
    if evidence.counted_scopes:
        return frozenset(Scope(s) for s in evidence.counted_scopes)
    return DEFAULT_RULES.failing | SCOPED_CHECKS[evidence.check]


SCOPE_NOTES: Mapping[str, str] = {
    "product": "",
    "test": "in test code",
    "fixture": "in a test fixture",
    "example": "in an example",
    "docs": "in documentation",
    "vendored": "in vendored code",
}
"""How a report labels a finding outside the product (empty: the product itself)."""
