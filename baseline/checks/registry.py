"""The explicit registry of checks: every check the catalog may name is listed here."""

from __future__ import annotations

from collections.abc import Mapping

from baseline.checks import bandit, repo_files, semgrep
from baseline.checks.interface import Check

_ALL: tuple[Check, ...] = (
    repo_files.HAS_SECURITY_POLICY,
    repo_files.HAS_LICENSE,
    repo_files.HAS_CODEOWNERS,
    repo_files.HAS_CONTRIBUTING_GUIDE,
    repo_files.HAS_TEST_SUITE,
    repo_files.NO_BINARY_ARTIFACTS,
    repo_files.HAS_THREAT_MODEL,
    repo_files.HAS_DESIGN_RECORDS,
    bandit.BANDIT,
    semgrep.SEMGREP,
)

CHECKS: Mapping[str, Check] = {check.id: check for check in _ALL}
"""Check id -> check."""
