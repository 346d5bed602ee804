"""Probes over GitHub Actions workflows for what zizmor does not ask: does CI analyze code,
run tests, scan on a schedule, and do release jobs sign, produce an SBOM and provenance?

Each probe looks for known actions (`uses:`) or commands (`run:`), both parameters, and cites
the step's file and line. Workflow files are parsed safely (see workflow_yaml); a file that
cannot be parsed is listed in the evidence and never counts as showing anything.
No workflows at all -> needs_review (other CI systems are not read; a person can attest).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from baseline.checks.interface import Check, Param, Params, fingerprint
from baseline.checks.workflow_yaml import Step, Workflow, load_workflows, steps, triggers
from baseline.context import Context
from baseline.models import CheckOutcome, Evidence, Finding, Severity

ANALYSIS_USES = (
    "github/codeql-action/analyze", "github/codeql-action/init", "returntocorp/semgrep-action",
    "semgrep/semgrep-action", "pycqa/bandit-action", "shundor/python-bandit-scan",
    "sonarsource/sonarqube-scan-action", "sonarsource/sonarcloud-github-action",
    "snyk/actions", "securego/gosec", "zizmorcore/zizmor-action",
)
ANALYSIS_RUN = (
    "bandit", "semgrep", "codeql", "gosec", "brakeman", "zizmor", "spotbugs", "psalm",
    "phpstan", "flawfinder", "cppcheck", "snyk code",
)
TEST_RUN = (
    "pytest", "tox", "nox", "unittest", "npm test", "npm run test", "yarn test", "pnpm test",
    "go test", "cargo test", "mvn test", "mvn verify", "gradle test", "./gradlew test",
    "make test", "make check", "hatch test", "ctest", "rspec", "phpunit", "dotnet test",
)
DEPENDENCY_SCAN = (
    "pip-audit", "osv-scanner", "trivy", "grype", "npm audit", "safety", "cargo audit",
    "govulncheck", "dependency-check", "actions/dependency-review-action",
    "google/osv-scanner-action", "pypa/gh-action-pip-audit", "aquasecurity/trivy-action",
    "anchore/scan-action", "ossf/scorecard-action",
)
SIGN = (
    "sigstore/", "cosign sign", "cosign attest", "sigstore sign", "gpg --detach-sign",
    "gpg --sign", "gpg -b", "gpg --clearsign", "minisign -s", "signtool sign",
    "actions/attest", "jarsigner",
)
SBOM = (
    "anchore/sbom-action", "syft", "cyclonedx", "spdx-sbom-generator", "actions/attest-sbom",
    "microsoft/sbom-tool", "sbom-tool generate", "--format spdx", "--format cyclonedx",
)
PROVENANCE = (
    "slsa-framework/slsa-github-generator", "actions/attest-build-provenance",
    "in-toto", "witness run", "slsa-verifier",
)


def _matches(step: Step, needles: Sequence[str]) -> str | None:
    """The first needle found in the step's `uses:` (prefix) or `run:` (as a word)."""
    uses = step.uses.lower()
    run = step.run.lower()
    for needle in needles:
        n = needle.lower()
        if uses.startswith(n) or (n in uses and "/" in n):
            return needle
        if run and re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", run):
            return needle
    return None


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


StepFilter = Callable[[Workflow], bool]


def _probe(check_id: str, question: str, what: str, needles: Sequence[str],
           only: StepFilter | None = None, scope: str = "any workflow") -> Check:
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
        wanted = [*needles, *(str(n) for n in params["extra"])]
        hits = [
            (step, found)
            for w in workflows
            if not w.problem and (only is None or only(w))
            for step in steps(w)
            if (found := _matches(step, wanted))
        ]
        if not hits:
            unread = f"; {len(problems)} file(s) could not be read" if problems else ""
            return Evidence(
                check_id, CheckOutcome.FAIL,
                f"no step in {scope} {what} ({len(workflows)} workflow file(s) read{unread})",
                findings=(Finding(
                    rule=f"{check_id.split('.')[-1]}-missing",
                    message=f"no step in {scope} {what}", severity=Severity.MEDIUM,
                    fingerprint=fingerprint(check_id, "missing"), tool="ssdf-baseline",
                ), *problems),
                files=files, digests=digests,
            )
        where = ", ".join(f"{s.path}:{s.line} ({found})" for s, found in hits[:5])
        return Evidence(
            check_id, CheckOutcome.PASS, f"{len(hits)} step(s) {what}: {where}",
            findings=tuple(problems), files=files, digests=digests,
        )

    return Check(
        id=check_id,
        question=question,
        run=run,
        params={"extra": Param(list, [], "More action prefixes or commands that count")},
    )


def _scheduled(workflow: Workflow) -> bool:
    schedule = triggers(workflow).get("schedule")
    return isinstance(schedule, list) and any(
        isinstance(s, dict) and s.get("cron") for s in schedule
    )


RUNS_CODE_ANALYSIS = _probe(
    "ci.runs_code_analysis",
    "Does CI run a static code-analysis tool (bandit, semgrep, CodeQL, ...)?",
    "runs static code analysis",
    ANALYSIS_USES + ANALYSIS_RUN,
)
RUNS_TESTS = _probe(
    "ci.runs_tests",
    "Does CI run the test suite?",
    "runs tests",
    TEST_RUN,
)
SCHEDULED_SCANS = _probe(
    "ci.scheduled_scans",
    "Does a scheduled (cron) workflow scan the code or its dependencies?",
    "scans code or dependencies",
    ANALYSIS_USES + ANALYSIS_RUN + DEPENDENCY_SCAN,
    only=_scheduled,
    scope="a scheduled (cron) workflow",
)
RELEASE_SIGNS_ARTIFACTS = _probe(
    "ci.release_signs_artifacts",
    "Does a release job sign its artifacts (Sigstore, cosign, GPG, attestations)?",
    "signs artifacts",
    SIGN,
)
RELEASE_GENERATES_SBOM = _probe(
    "ci.release_generates_sbom",
    "Does a release job generate an SBOM (syft, CycloneDX, SPDX)?",
    "generates an SBOM",
    SBOM,
)
RELEASE_GENERATES_PROVENANCE = _probe(
    "ci.release_generates_provenance",
    "Does a release job generate build provenance (SLSA generator, attest-build-provenance)?",
    "generates build provenance",
    PROVENANCE,
)
