"""The explicit registry of checks: every check the catalog may name is listed here."""

from __future__ import annotations

import re
from collections.abc import Mapping

from baseline.checks import (
    alternatives,
    bandit,
    dependencies,
    git_history,
    github_api,
    github_hosted,
    osv,
    repo_files,
    sbom,
    semgrep,
    workflow_probes,
    workflows_zizmor,
)
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
    workflows_zizmor.ACTIONS_PINNED_BY_SHA,
    workflows_zizmor.WORKFLOW_PERMISSIONS_LEAST_PRIVILEGE,
    workflows_zizmor.NO_DANGEROUS_TRIGGERS,
    workflows_zizmor.NO_TEMPLATE_INJECTION,
    workflows_zizmor.NO_PERSISTED_CREDENTIALS,
    workflows_zizmor.WORKFLOWS_PASS_ZIZMOR,
    workflow_probes.RUNS_CODE_ANALYSIS,
    workflow_probes.RUNS_TESTS,
    workflow_probes.SCHEDULED_SCANS,
    workflow_probes.RELEASE_SIGNS_ARTIFACTS,
    workflow_probes.RELEASE_GENERATES_SBOM,
    workflow_probes.RELEASE_GENERATES_PROVENANCE,
    dependencies.MANIFESTS_LOCKED,
    dependencies.PINNED_EXACTLY,
    dependencies.HASHES_REQUIRED,
    dependencies.UPDATE_TOOL_CONFIGURED,
    osv.NO_KNOWN_VULNERABILITIES,
    git_history.COMMIT_RECORDED,
    git_history.COMMITS_SIGNED,
    git_history.RELEASE_TAGS_SIGNED,
    github_api.BRANCH_PROTECTED,
    github_api.REVIEWS_REQUIRED,
    github_api.PRIVATE_VULNERABILITY_REPORTING,
    github_hosted.ORG_SECURITY_POLICY,
    github_hosted.ORG_CONTRIBUTING_GUIDE,
    github_hosted.CODE_SCANNING_DEFAULT_SETUP,
    alternatives.RELEASE_INTEGRITY_VERIFIABLE,
    alternatives.RELEASE_PROVENANCE_PUBLISHED,
    sbom.PRESENT_AND_VALID,
    bandit.BANDIT,
    semgrep.SEMGREP,
)

_REGISTERED: dict[str, Check] = {check.id: check for check in _ALL}
_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")

CHECKS: Mapping[str, Check] = _REGISTERED
"""Check id -> check: the built-in ones and those registered with `register_check`."""


def register_check(check: Check) -> None:
    """Make a check defined outside the package known, so catalogs may name it.

    Register before loading a catalog that names it. The id must be new and dotted
    (`acme.has_sbom_policy`); a built-in check cannot be replaced (ValueError)."""
    if not _ID.match(check.id):
        raise ValueError(f"check id {check.id!r} is not dotted lower-case words (family.name)")
    if check.id in _REGISTERED:
        raise ValueError(f"a check {check.id!r} is already registered")
    _REGISTERED[check.id] = check
