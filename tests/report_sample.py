"""A fixed synthetic Assessment for report tests: every status, evidence kind and marking.

Built in code (no tool runs, no shipped catalog) so golden files only change when a renderer
does. `hostile_assessment()` puts attack strings everywhere untrusted text can reach.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from baseline.checks.registry import CHECKS
from baseline.models import (
    Assessment,
    Attestation,
    AttestationLevel,
    Catalog,
    CheckOutcome,
    CheckSpec,
    ConfigClaim,
    ConfigTrust,
    Control,
    ControlStatus,
    Crosswalk,
    CrosswalkItem,
    Evidence,
    EvidenceFile,
    FileDigest,
    Finding,
    Group,
    LanguageCoverage,
    Milestone,
    ParamOverride,
    Practice,
    Result,
    Severity,
    Suppression,
    ToolRun,
    TrustRecord,
    Waiver,
)

HOSTILE = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "javascript:alert(3)",
    "[click](javascript:alert(4)) | `code` **bold** <b>x</b> &amp;",
)
HOSTILE_TEXT = " ".join(HOSTILE)


def _control(
    ident: str, title: str, level: AttestationLevel, *checks: str, **kw: object
) -> Control:
    group, practice = ident.split(".")[0], ".".join(ident.split(".")[:2])
    return Control(
        id=ident,
        title=title,
        summary=f"What {ident} asks, in a sentence.",
        group=group,
        practice=practice,
        attestation=level,
        remediation=f"What to do when {ident} is not met.",
        checks=tuple(CheckSpec(c) for c in checks),
        **kw,  # type: ignore[arg-type]
    )


CONTROLS = (
    _control("PO.1.1", "Write the security requirements down", AttestationLevel.OPTIONAL,
             form_items=("1",), references=("https://example.org/po-1-1", "javascript:alert(5)")),
    _control("PO.5.1", "Separate the build environment", AttestationLevel.REQUIRED,
             form_items=("1",)),
    _control("PS.1.1", "Protect the code", AttestationLevel.NONE, "repo.has_codeowners",
             form_items=("2",)),
    _control("PW.7.2", "Analyze the code", AttestationLevel.NONE, "sast.bandit", form_items=("2",)),
    _control("PW.8.2", "Test the code", AttestationLevel.NONE, "repo.has_test_suite",
             form_items=("3",)),
    _control("RV.1.1", "Watch for vulnerability reports", AttestationLevel.NONE,
             "repo.has_security_policy", form_items=("3",)),
    _control("RV.1.3", "Run a disclosure program", AttestationLevel.NONE,
             not_applicable="the product is not distributed"),
)  # fmt: skip

CATALOG = Catalog(
    id="golden-1.0",
    title="Golden test catalog",
    version="1.0",
    status="final",
    groups=(
        Group("PO", "Prepare the Organization", ""),
        Group("PS", "Protect the Software", ""),
        Group("PW", "Produce Well-Secured Software", ""),
        Group("RV", "Respond to Vulnerabilities", ""),
    ),
    practices=(
        Practice("PO.1", "PO", "Define requirements", ""),
        Practice("PO.5", "PO", "Secure environments", ""),
        Practice("PS.1", "PS", "Protect code", ""),
        Practice("PW.7", "PW", "Review code", ""),
        Practice("PW.8", "PW", "Test code", ""),
        Practice("RV.1", "RV", "Find vulnerabilities", ""),
    ),
    controls=CONTROLS,
    crosswalks=(
        Crosswalk(
            id="cisa-common-form",
            title="CISA Common Form (test)",
            catalog="golden-1.0",
            note="Optional since OMB M-26-05; agencies may still request it.",
            items=(
                CrosswalkItem("1", "Environments are protected", ("PO.1.1", "PO.5.1"), "III",
                              text="Separating and protecting each environment;",
                              lead="Environments are secured by the following actions:",
                              form_tasks=("PO 1.1", "PO.5.1")),
                CrosswalkItem("2", "Supply chain is trustworthy", ("PS.1.1", "PW.7.2"), "III"),
                CrosswalkItem("3", "Vulnerabilities are handled", ("PW.8.2", "RV.1.1", "RV.1.3"),
                              "III", ("4e(iv)",), text="Vulnerabilities are addressed <b>x</b>.",
                              form_tasks=("PW.8.2", "RV.1.1", "RV.1.3", "PS.1.1"),
                              mapping_note="The form maps the parent item; the split is ours."),
                CrosswalkItem("4", "Code is protected", ("PS.1.1", "RV.1.3"), "III"),
            ),
        ),
    ),
    source="https://example.org/golden",
    digest="0" * 64,
)  # fmt: skip

BANDIT = ToolRun("bandit", "1.8.0", ("bandit", "-r", ".", "-f", "json"), 1)
DAY = dt.date(2026, 1, 15)


def _evidence() -> dict[str, Evidence]:
    # The engine gives every evidence its check's question (baseline/engine.py run_check).
    return {check: replace(e, question=CHECKS[check].question) for check, e in _bare().items()}


def _bare() -> dict[str, Evidence]:
    return {
        "repo.has_codeowners": Evidence(
            "repo.has_codeowners", CheckOutcome.PASS, "CODEOWNERS assigns owners",
            files=(".github/CODEOWNERS",), digests={".github/CODEOWNERS": "a" * 64},
        ),
        "sast.bandit": Evidence(
            "sast.bandit", CheckOutcome.FAIL, "bandit found 2 issues",
            findings=(
                Finding("B602", "subprocess call with shell=True", Severity.HIGH, "app/run.py",
                        12, "f" * 32, "bandit", ("CWE-78",), 'subprocess.call(cmd, shell=True)'),
                Finding("B105", "hardcoded password", Severity.LOW, "app/config.py", 3,
                        "e" * 32, "bandit", ("CWE-259",), 'PASSWORD = "hunter2"'),
            ),
            tool_runs=(BANDIT,),
            digests={"bandit.json": "b" * 64},
            suppressions=(Suppression("nosec", "app/legacy.py", 40, "# nosec B603"),),
            params={"severity": "low"},
            overrides=(ParamOverride("severity", "low", "medium", ".baseline.toml:12"),),
            coverage=(
                LanguageCoverage("kotlin", 3, 1240, (), "app/src/Main.kt"),
                LanguageCoverage("python", 4, 310, (("bandit", 68),), "app/config.py"),
            ),
        ),
        "sast.semgrep": Evidence(
            "sast.semgrep", CheckOutcome.FAIL, "semgrep found 1 issue",
            findings=(
                Finding("acme.no-pickle", "pickle of request data", Severity.HIGH, "app/run.py",
                        20, "d" * 32, "semgrep", ("CWE-502",), "pickle.loads(body)",
                        origin="config:rules/acme.yaml"),
            ),
            coverage=(
                LanguageCoverage("kotlin", 3, 1240, (), "app/src/Main.kt"),
                LanguageCoverage("python", 4, 310, (("semgrep", 13),), "app/config.py"),
            ),
        ),
        "repo.has_test_suite": Evidence(
            "repo.has_test_suite", CheckOutcome.FAIL, "no test suite found",
            findings=(Finding("no-tests", "no test files found", Severity.MEDIUM,
                              fingerprint="9" * 32),),
        ),
        "repo.has_security_policy": Evidence(
            "repo.has_security_policy", CheckOutcome.ERROR, "the check could not run",
            error="reading SECURITY.md failed: permission denied",
        ),
    }  # fmt: skip


def _results(evidence: dict[str, Evidence]) -> tuple[Result, ...]:
    c = {x.id: x for x in CONTROLS}
    attestation = Attestation(
        "PO.1.1", "Requirements are in docs/security.md and reviewed yearly.", "Ada Lovelace",
        dt.date(2026, 1, 2), dt.date(2027, 1, 2),
        (EvidenceFile("docs/security.md", "c" * 64, "c" * 64),), ("https://example.org/req",),
    )  # fmt: skip
    waiver = Waiver(
        "PW.8.2", "tests are being written", "manual QA before each release", "qa-team",
        "cto", dt.date(2026, 6, 30),
        (Milestone(dt.date(2026, 3, 1), "unit tests for the core"),
         Milestone(dt.date(2026, 5, 1), "tests in CI")),
    )  # fmt: skip
    return (
        Result(c["PO.1.1"], ControlStatus.ATTESTED, "attested", (), attestation),
        Result(c["PO.5.1"], ControlStatus.NEEDS_REVIEW, "a person must attest to this task"),
        Result(c["PS.1.1"], ControlStatus.PASS, "all checks passed",
               (evidence["repo.has_codeowners"],)),
        Result(c["PW.7.2"], ControlStatus.FAIL, "check sast.bandit failed",
               (evidence["sast.bandit"], evidence["sast.semgrep"])),
        Result(c["PW.8.2"], ControlStatus.WAIVED, "check failed; waived until 2026-06-30",
               (evidence["repo.has_test_suite"],), waiver=waiver),
        Result(c["RV.1.1"], ControlStatus.ERROR, "check repo.has_security_policy errored",
               (evidence["repo.has_security_policy"],)),
        Result(c["RV.1.3"], ControlStatus.NOT_APPLICABLE,
               "declared not applicable: the product is not distributed"),
    )  # fmt: skip


_CLAIMS = {
    "PO.1.1": (ConfigClaim("attestation", ".baseline.toml:20", "attested by Ada Lovelace on "
                           "2026-01-02 (1 evidence file): Requirements are in docs/security.md"),),
    "PW.7.2": (ConfigClaim("param", ".baseline.toml:12",
                           "sast.bandit: severity = 'low' (catalog: 'medium')"),),
    "PW.8.2": (ConfigClaim("waiver", ".baseline.toml:30",
                           "waiver until 2026-06-30, approved by cto: tests are being written"),),
    "RV.1.3": (ConfigClaim("not_applicable", ".baseline.toml:5",
                           "declared not applicable: the product is not distributed"),),
}  # fmt: skip


def _with_claims(results: tuple[Result, ...]) -> tuple[Result, ...]:
    return tuple(replace(r, config_claims=_CLAIMS.get(r.control.id, ())) for r in results)


def sample_assessment() -> Assessment:
    """The fixed assessment the golden files are rendered from."""
    return Assessment(
        target="golden-app",
        commit="0123456789abcdef0123456789abcdef01234567",
        catalog=CATALOG,
        tools={"bandit": "1.8.0"},
        generated_at="2026-01-15T12:00:00Z",
        results=_with_claims(_results(_evidence())),
        tool_version="0.1.0",
        as_of="2026-01-15",
        trust=TrustRecord(ConfigTrust.ALL, FileDigest(".baseline.toml", "5" * 64)),
    )


def _hostile_finding(i: int, text: str) -> Finding:
    return Finding(
        rule=text, message=f"message {text}", severity=Severity.HIGH,
        path=f"src/{text}.py", line=i + 1, fingerprint=f"{i:032x}", tool=text,
        cwe=(text,), snippet=f"x = '{text}'\n{text}",
    )  # fmt: skip


def hostile_assessment() -> Assessment:
    """The sample with attack strings in every place repository text can reach a report."""
    base = sample_assessment()
    findings = tuple(_hostile_finding(i, t) for i, t in enumerate(HOSTILE))
    results = []
    for r in base.results:
        evidence = tuple(
            replace(
                e,
                summary=f"{e.summary} {HOSTILE_TEXT}",
                findings=e.findings + findings,
                files=(*e.files, *(f"{t}.txt" for t in HOSTILE)),
                digests={**e.digests, HOSTILE[1]: "d" * 64},
                tool_runs=(*e.tool_runs, ToolRun(HOSTILE[0], HOSTILE[1], ("sh", HOSTILE[2]), 0)),
                suppressions=(*e.suppressions, Suppression(HOSTILE[0], HOSTILE[1], 1, HOSTILE[3])),
                error=e.error and f"{e.error} {HOSTILE_TEXT}",
            )
            for e in r.evidence
        )
        attestation = r.attestation and replace(
            r.attestation, statement=HOSTILE_TEXT, by=HOSTILE[1], urls=(HOSTILE[2],)
        )
        waiver = r.waiver and replace(r.waiver, reason=HOSTILE_TEXT, owner=HOSTILE[0])
        results.append(
            replace(r, reason=f"{r.reason} {HOSTILE[0]}", evidence=evidence,
                    attestation=attestation, waiver=waiver,
                    config_claims=(*r.config_claims,
                                   ConfigClaim("exclude", HOSTILE[1], HOSTILE_TEXT)))
        )  # fmt: skip
    return replace(base, target=f"repo{HOSTILE[1]}", results=tuple(results))
