"""Which findings cause a failure: the ones a failed check counted.

A check's evidence keeps every finding it saw (below-threshold ones, test code, fixtures) so an
auditor can see them; the reports mark the few that made the check fail. The record does not
store that per finding, so it is worked out here the way the checks decide it: the finding is
at or above the check's own severity threshold (`fail_on`, or zizmor's `min_severity`), and for
the checks that judge findings by scope (baseline/scope.py `SCOPED_CHECKS`) its scope is one the
run did not set aside. The scopes set aside are the ones `scope.apply` names in its note ("N
finding(s) outside the product scope (1 fixture, 2 test) not counted"): the record keeps no
other trace of the project's `[scope] failing` setting.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from baseline.models import CheckOutcome, Evidence, Finding, Scope, Severity
from baseline.scope import SCOPED_CHECKS

_THRESHOLD_PARAMS = ("fail_on", "min_severity")
_LEVELS = frozenset(s.value for s in Severity)
_SET_ASIDE = re.compile(r"finding\(s\) outside the product scope \(([^()]*)\) not counted\Z")
_OUTSIDE = frozenset(s.value for s in Scope) - {Scope.PRODUCT.value}

SCOPE_NOTES: Mapping[str, str] = {
    "product": "",
    "test": "in test code",
    "fixture": "in a test fixture",
    "example": "in an example",
    "docs": "in documentation",
    "vendored": "in vendored code",
}
"""How a report labels a finding outside the product (empty: the product itself)."""


def meets_threshold(finding: Finding, params: Mapping[str, object]) -> bool:
    """Whether the finding is at or above the check's own severity threshold, when it has one."""
    for key in _THRESHOLD_PARAMS:
        level = params.get(key)
        if isinstance(level, str) and level in _LEVELS:
            return finding.severity.rank >= Severity(level).rank
    return True


def set_aside_scopes(summary: str) -> frozenset[str]:
    """The scopes `scope.apply` said it did not count: its note ends the summary, and names
    only scopes outside the product (a file name earlier in the summary cannot fake one)."""
    note = _SET_ASIDE.search(summary)
    if note is None:
        return frozenset()
    return frozenset(part.split(" ", 1)[-1] for part in note.group(1).split(", ")) & _OUTSIDE


def causes_failure(evidence: Evidence, finding: Finding) -> bool:
    """Whether this finding is one the failed check counted (never for a check that passed)."""
    if evidence.outcome is not CheckOutcome.FAIL or not meets_threshold(finding, evidence.params):
        return False
    if evidence.check in SCOPED_CHECKS:
        always = {s.value for s in SCOPED_CHECKS[evidence.check]}
        return finding.scope.value not in set_aside_scopes(evidence.summary) - always
    return True
