"""Compare two assessments: controls that regressed or improved, findings new or resolved."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from baseline.models import Assessment, ControlStatus, Finding

_LEVEL = {
    ControlStatus.PASS: 0,
    ControlStatus.ATTESTED: 0,
    ControlStatus.NOT_APPLICABLE: 0,
    ControlStatus.WAIVED: 1,
    ControlStatus.NEEDS_REVIEW: 2,
    ControlStatus.ERROR: 3,
    ControlStatus.FAIL: 4,
}
"""Status order, best first: met, waived, needs review, error, fail. Equal levels are a change
(pass -> attested) but neither a regression nor an improvement."""


@dataclass(frozen=True)
class ControlChange:
    """One control whose status differs between the runs."""

    control: str
    old: str
    new: str
    reason: str
    """Why the new status is what it is."""


@dataclass(frozen=True)
class FindingChange:
    """A finding present in only one of the runs."""

    key: str
    controls: tuple[str, ...]
    finding: Finding


@dataclass(frozen=True)
class SetupChange:
    """Something the two runs were made with that differs: a tool's version, the catalog, the
    generator, the config or its trust level. Statuses compared across such a change may differ
    for that reason alone."""

    what: str
    old: str
    new: str


@dataclass(frozen=True)
class Diff:
    """Everything that differs, each list in a stable order."""

    old: dict[str, Any]
    new: dict[str, Any]
    regressed: tuple[ControlChange, ...]
    improved: tuple[ControlChange, ...]
    changed: tuple[ControlChange, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]
    new_findings: tuple[FindingChange, ...]
    resolved_findings: tuple[FindingChange, ...]
    setup: tuple[SetupChange, ...] = ()
    """How the runs were made differently (tools, catalog, generator, config), in a stable order."""

    @property
    def is_regression(self) -> bool:
        """A control got worse or a new finding appeared (what `--fail-on-regression` gates)."""
        return bool(self.regressed or self.new_findings)


def finding_key(check: str, finding: Finding) -> str:
    """The fingerprint; for a finding without one, what identifies it apart from its line."""
    if finding.fingerprint:
        return finding.fingerprint
    return "\x1f".join((check, finding.tool, finding.rule, finding.path, finding.message))


def _findings(assessment: Assessment) -> dict[str, FindingChange]:
    found: dict[str, tuple[list[str], Finding]] = {}
    for result in assessment.results:
        for evidence in result.evidence:
            for finding in evidence.findings:
                controls, _ = found.setdefault(finding_key(evidence.check, finding), ([], finding))
                if result.control.id not in controls:
                    controls.append(result.control.id)
    return {k: FindingChange(k, tuple(c), f) for k, (c, f) in found.items()}


def _meta(a: Assessment) -> dict[str, Any]:
    return {"target": a.target, "commit": a.commit, "catalog": a.catalog.id,
            "generated_at": a.generated_at}  # fmt: skip


def _setup(a: Assessment) -> dict[str, str]:
    """What a run was made with, as `what -> value` ("" when not recorded)."""
    trust = a.trust
    config = trust.config if trust is not None else None
    made = {
        "generator": a.tool_version,
        "catalog": f"{a.catalog.id} {a.catalog.version}".strip(),
        "catalog digest": a.catalog.digest,
        "config trust": trust.config_trust.value if trust is not None else "",
        "config": f"{config.path} sha256:{config.sha256}" if config is not None else "",
        "as of": a.as_of,
    }
    return made | {f"tool {name}": version for name, version in a.tools.items()}


def _setup_changes(old: Assessment, new: Assessment) -> tuple[SetupChange, ...]:
    before, after = _setup(old), _setup(new)
    keys = sorted(before.keys() | after.keys(), key=lambda k: (k.startswith("tool "), k))
    return tuple(
        SetupChange(k, before.get(k, "") or "(none)", after.get(k, "") or "(none)")
        for k in keys
        if before.get(k, "") != after.get(k, "")
    )


def _order(change: FindingChange) -> tuple[Any, ...]:
    f = change.finding
    return (-f.severity.rank, f.path, f.line or 0, f.rule, change.key)


def diff(old: Assessment, new: Assessment) -> Diff:
    """What changed from `old` to `new`."""
    before = {r.control.id: r for r in old.results}
    after = {r.control.id: r for r in new.results}
    regressed: list[ControlChange] = []
    improved: list[ControlChange] = []
    changed: list[ControlChange] = []
    for ident, result in after.items():
        prior = before.get(ident)
        if prior is None or prior.status is result.status:
            continue
        change = ControlChange(ident, prior.status.value, result.status.value, result.reason)
        delta = _LEVEL[result.status] - _LEVEL[prior.status]
        (regressed if delta > 0 else improved if delta < 0 else changed).append(change)
    old_f, new_f = _findings(old), _findings(new)
    return Diff(
        old=_meta(old),
        new=_meta(new),
        regressed=tuple(regressed),
        improved=tuple(improved),
        changed=tuple(changed),
        added=tuple(i for i in after if i not in before),
        removed=tuple(i for i in before if i not in after),
        new_findings=tuple(sorted((new_f[k] for k in new_f.keys() - old_f), key=_order)),
        resolved_findings=tuple(sorted((old_f[k] for k in old_f.keys() - new_f), key=_order)),
        setup=_setup_changes(old, new),
    )
