"""Which part of the repository a path belongs to: the product, or tests, fixtures, examples,
documentation or vendored code.

One place decides it for every check. Findings outside the product are reported with their
label and, by default, do not fail a check: a throw-away TLS key under `tests/`, a tutorial's
`SECRET_KEY = "dev"` under `docs/` or an `examples/*/requirements.txt` is not the product the
vendor ships. The project config's `[scope]` table adds globs per label (and `product` globs that
win over every default), or names the scopes that fail (`failing = ["product", "vendored"]`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from baseline.globs import matches_any
from baseline.models import CheckOutcome, Evidence, Finding, Scope, Severity

# The first label whose globs match wins: a fixture under tests/ is a fixture, vendored code
# under docs/ is vendored.
DEFAULTS: tuple[tuple[Scope, tuple[str, ...]], ...] = (
    (Scope.VENDORED, (
        "**/_vendor/**", "**/vendor/**", "**/vendored/**", "**/third_party/**",
        "**/third-party/**", "**/node_modules/**", "**/site-packages/**",
    )),
    (Scope.FIXTURE, (
        "**/tests/data/**", "**/test/data/**", "**/testdata/**", "**/test_data/**",
        "**/fixtures/**", "**/fixture/**", "**/__fixtures__/**",
    )),
    (Scope.TEST, (
        "**/test/**", "**/tests/**", "**/testing/**", "**/test_*.py", "**/*_test.py",
        "**/conftest.py", "**/tests.py", "**/*_test.go", "**/*.test.js", "**/*.test.ts",
        "**/*.spec.js", "**/*.spec.ts", "**/*_spec.js", "**/*_spec.ts", "**/__tests__/**",
        "**/src/test/**", "**/*_spec.rb", "**/spec/**",
    )),
    (Scope.EXAMPLE, ("**/examples/**", "**/example/**", "**/samples/**", "**/tutorial/**")),
    (Scope.DOCS, ("docs/**", "**/docs_src/**")),
)  # fmt: skip

SCOPE_LABELS = tuple(s.value for s in Scope)

_JVM_SOURCE = re.compile(
    r"^(?P<root>(?:.*/)?src/[A-Za-z]+/(?:java|kotlin|scala|groovy)/)(?:.*/)?(?P<file>[^/]+)$"
)


def layout_path(path: str) -> str:
    """The path the scope globs read: inside a JVM source root (`src/main/java/`, `src/test/
    kotlin/`, ...) the folders are a package name, not a layout, so they are left out:
    `src/main/java/com/example/App.java` is the product, not an example, and
    `src/main/java/org/springframework/samples/petclinic/Owner.java` is not a sample. What comes
    before the root still counts (`examples/demo/src/main/java/...` is an example)."""
    match = _JVM_SOURCE.match(path)
    return f"{match['root']}{match['file']}" if match else path


@dataclass(frozen=True)
class ScopeRules:
    """The globs per label, and which labels fail a check."""

    globs: tuple[tuple[Scope, tuple[str, ...]], ...] = DEFAULTS
    product: tuple[str, ...] = ()
    """Globs that are the product whatever else they match."""
    failing: frozenset[Scope] = field(default_factory=lambda: frozenset({Scope.PRODUCT}))

    def classify(self, path: str) -> Scope:
        """The label of one repository-relative POSIX path (`""`: the repository, product)."""
        if not path or matches_any(path, self.product):
            return Scope.PRODUCT
        seen = layout_path(path)
        for label, globs in self.globs:
            if matches_any(seen, globs):
                return label
        return Scope.PRODUCT

    def patterns(self, *labels: Scope) -> tuple[str, ...]:
        """Every glob of these labels, in order (for tools that take exclusion globs)."""
        return tuple(g for label, globs in self.globs if label in labels for g in globs)


DEFAULT_RULES = ScopeRules()


def rules_from_config(
    table: Mapping[str, Sequence[str]], base: Mapping[str, Sequence[str]] | None = None
) -> ScopeRules:
    """Rules from a `[scope]` table: extra globs per label, `product`, `failing`.

    `base` is the catalog's `[scope]`, the defaults the project config's `table` extends: the
    globs of both add to the built-in ones; the config's `failing`, when given, replaces the
    catalog's. Both tables were validated (lists of strings, known labels, bounded globs).
    """
    extra: dict[str, list[str]] = {}
    failing: Sequence[str] = ()
    for source in (base or {}, table):
        for key, values in source.items():
            if key == "failing":
                failing = values or failing
            else:
                extra.setdefault(key, []).extend(values)
    globs = tuple((label, (*extra.get(label.value, ()), *globs)) for label, globs in DEFAULTS)
    return ScopeRules(
        globs=globs,
        product=tuple(extra.get("product", ())),
        failing=frozenset(Scope(x) for x in failing) if failing else frozenset({Scope.PRODUCT}),
    )


SCOPED_CHECKS: Mapping[str, frozenset[Scope]] = {
    "repo.no_binary_artifacts": frozenset({Scope.VENDORED}),
    "deps.manifests_locked": frozenset(),
    "deps.pinned_exactly": frozenset(),
    "deps.hashes_required": frozenset(),
    "deps.no_known_vulnerabilities": frozenset(),
    "sast.bandit": frozenset(),
    "sast.semgrep": frozenset(),
}
"""Checks whose findings are per-file defects, and the scopes that fail them besides the rules'
`failing` ones: a vendored executable ships with the product, so it still fails
`repo.no_binary_artifacts`. Other checks (a security policy under docs/, a workflow) keep their
outcome; their findings are still labelled."""


def counts_at_threshold(finding: Finding, params: Mapping[str, object]) -> bool:
    """Whether a finding is at or above the check's own threshold (`fail_on`), when it has one."""
    level = params.get("fail_on")
    if isinstance(level, str) and level in ("low", "medium", "high"):
        return finding.severity.rank >= Severity(level).rank
    return True


def apply(evidence: Evidence, rules: ScopeRules = DEFAULT_RULES) -> Evidence:
    """Label every finding; a scoped check that failed only on non-failing scopes passes.

    The findings stay in the evidence, labelled, and the summary says why they do not count.
    """
    labelled = tuple(replace(f, scope=rules.classify(f.path)) for f in evidence.findings)
    evidence = replace(evidence, findings=labelled) if labelled != evidence.findings else evidence
    if evidence.check not in SCOPED_CHECKS:
        return evidence
    failing = rules.failing | SCOPED_CHECKS[evidence.check]
    # Which scopes count is part of the record: reports tell a failing finding from a shown one.
    evidence = replace(evidence, counted_scopes=tuple(s.value for s in Scope if s in failing))
    if evidence.outcome is not CheckOutcome.FAIL:
        return evidence
    counting = [f for f in labelled if counts_at_threshold(f, evidence.params)]
    outside = [f for f in counting if f.scope not in failing]
    if not outside:
        return evidence
    note = _NOTE.format(count=len(outside), tally=_tally(outside))
    if len(outside) < len(counting):
        return replace(evidence, summary=f"{evidence.summary}; {note}")
    return replace(evidence, outcome=CheckOutcome.PASS, summary=f"{evidence.summary}; {note}")


_NOTE = "{count} finding(s) outside the product scope ({tally}) not counted"


def _tally(findings: Iterable[Finding]) -> str:
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.scope.value] = counts.get(f.scope.value, 0) + 1
    return ", ".join(f"{n} {label}" for label, n in sorted(counts.items()))
