"""Apply a project config to a catalog: not-applicable controls, check parameters, and the
attestations and waivers keyed by control, every reference checked against the catalog."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from baseline.asof import real_today
from baseline.catalog.fields import did_you_mean
from baseline.catalog.loader import (
    check_params,
    unattached_check,
    with_not_applicable,
)
from baseline.checks.registry import CHECKS
from baseline.errors import InputError
from baseline.models import (
    Acceptance,
    Attestation,
    Catalog,
    CheckSpec,
    ConfigClaim,
    ConfigTrust,
    Control,
    FileDigest,
    ParamOverride,
    Waiver,
)
from baseline.operator import DEFAULT_MAX_WAIVER_DAYS
from baseline.project.config import ProjectConfig
from baseline.project.records import Where, waiver_too_long
from baseline.scope import DEFAULT_RULES, ScopeRules, rules_from_config
from baseline.tools import semgrep, semgrep_rules

Claims = dict[str, list[ConfigClaim]]


@dataclass(frozen=True)
class Project:
    """Everything a config contributes to one run."""

    catalog: Catalog
    excludes: tuple[str, ...] = ()
    scope: ScopeRules = DEFAULT_RULES
    """Which paths are the product: the catalog's `[scope]`, extended by the config's (which
    counts only with trust `all`)."""
    attestations: Mapping[str, Attestation] = field(default_factory=dict)
    waivers: Mapping[str, Waiver] = field(default_factory=dict)
    producer: Mapping[str, Any] = field(default_factory=dict)
    evidence: Mapping[str, Path] = field(default_factory=dict)
    """Config-relative evidence path -> file, for the evidence bundle."""
    config_files: Mapping[str, Path] = field(default_factory=dict)
    """The config and its included files, for the evidence bundle."""
    trust: ConfigTrust = ConfigTrust.ALL
    """How much of the config the operator let count."""
    config: FileDigest | None = None
    """The repository's config file (also when `trust` is none and it was not read)."""
    max_waiver_days: int = DEFAULT_MAX_WAIVER_DAYS
    """The policy's longest waiver, for the bounds applied to waivers."""
    accepted: tuple[Acceptance, ...] = ()
    """The config's accepted findings (a vendor claim, as waivers: none with trust `none`)."""
    claims: Mapping[str, tuple[ConfigClaim, ...]] = field(default_factory=dict)
    """Per control id: what its status may rest on from the config (not exclusions)."""
    exclude_sources: Mapping[str, str] = field(default_factory=dict)
    """Each of the config's `excludes` patterns -> `file:line` (the engine counts matches)."""


def _known(catalog: Catalog, ident: Any, where: Where) -> bool:
    ids = [c.id for c in catalog.controls]
    if isinstance(ident, str) and ident not in ids:
        where.add("control", f"no control {ident!r} in {catalog.id}{did_you_mean(ident, ids)}")
        return False
    return isinstance(ident, str)


def _overrides(
    check_id: str, spec: CheckSpec, params: Mapping[str, Any], where: Where
) -> tuple[ParamOverride, ...]:
    declared = CHECKS[check_id].params
    return tuple(
        ParamOverride(
            name,
            value,
            spec.params.get(name, declared[name].default if name in declared else None),
            where.source("params"),
        )
        for name, value in sorted(params.items())
    )


def _with_params(catalog: Catalog, config: ProjectConfig, claims: Claims) -> Catalog:
    controls = {c.id: c for c in catalog.controls}
    for entry, where in config.params:
        if not _known(catalog, entry.get("control"), where) or "params" not in entry:
            continue
        control = controls[entry["control"]]
        check_id = str(entry.get("check"))
        problem = unattached_check(control.id, control.checks, check_id)
        if problem:
            where.add("check", problem)
            continue
        params = check_params(
            where.report, (*where.path, "params"), f"{where.label}.params", check_id,
            entry["params"],
        )  # fmt: skip
        if params is not None:
            controls[control.id] = _override(control, check_id, params, where, claims)
    return replace(catalog, controls=tuple(controls[c.id] for c in catalog.controls))


def _override(
    control: Control, check_id: str, params: Mapping[str, Any], where: Where, claims: Claims
) -> Control:
    """The control with the config's parameters laid over its `check_id` checks, each
    override kept on the check (for its evidence) and as a claim (for the task)."""
    checks = []
    for spec in control.checks:
        if spec.check != check_id:
            checks.append(spec)
            continue
        made = _overrides(check_id, spec, params, where)
        kept = tuple(o for o in spec.overrides if o.param not in params)
        checks.append(CheckSpec(spec.check, {**spec.params, **params}, (*kept, *made)))
        claims.setdefault(control.id, []).extend(
            ConfigClaim(
                "param", o.source, f"{check_id}: {o.param} = {o.value!r} (catalog: {o.default!r})"
            )
            for o in made
        )
    return replace(control, checks=tuple(checks))


def _not_applicable(catalog: Catalog, config: ProjectConfig, claims: Claims) -> dict[str, str]:
    reasons: dict[str, str] = {}
    for entry, where in config.not_applicable:
        if _known(catalog, entry.get("control"), where) and "reason" in entry:
            if not entry["reason"].strip():
                where.add("reason", "must explain why the control does not apply (empty)")
            else:
                reasons[entry["control"]] = entry["reason"].strip()
                claims.setdefault(entry["control"], []).append(
                    ConfigClaim(
                        "not_applicable",
                        where.source(),
                        f"declared not applicable: {reasons[entry['control']]}",
                    )  # fmt: skip
                )
    return reasons


def _by_control(
    catalog: Catalog, entries: list[tuple[Any, Where]], what: str, claims: Claims
) -> dict[str, Any]:
    keyed: dict[str, Any] = {}
    for item, where in entries:
        if not _known(catalog, item.control, where):
            continue
        if item.control in keyed:
            where.add("control", f"a second {what} for {item.control} (one per control)")
            continue
        keyed[item.control] = item
        claims.setdefault(item.control, []).append(ConfigClaim(what, where.source(), _said(item)))
    return dict(sorted(keyed.items()))


def _said(item: Attestation | Waiver) -> str:
    if isinstance(item, Waiver):
        return (
            f"waiver until {item.expires.isoformat()}, approved by {item.approver}: {item.reason}"
        )
    files = len(item.evidence_files)
    backing = f"{files} evidence file{'s' if files != 1 else ''}" if files else "no evidence file"
    return f"attested by {item.by} on {item.date.isoformat()} ({backing}): {item.statement}"


def check_waiver_bounds(
    config: ProjectConfig, as_of: dt.date, max_waiver_days: int = DEFAULT_MAX_WAIVER_DAYS
) -> None:
    """Locate every waiver that runs longer than `max_waiver_days` past `as_of`."""
    for waiver, where in config.waivers:
        why = waiver_too_long(waiver, as_of, max_waiver_days)
        if why:
            where.add("expires", why)
    seen: set[str] = set()
    for accepted, where in config.accepted_findings:
        why = waiver_too_long(accepted, as_of, max_waiver_days)
        if why:
            where.add("expires", why)
        if accepted.fingerprint in seen:
            where.add("fingerprint", f"{accepted.fingerprint!r} is accepted twice (once each)")
        seen.add(accepted.fingerprint)


def _scope_claim(config: ProjectConfig) -> ConfigClaim:
    listed = "; ".join(f"{key} = {list(value)!r}" for key, value in sorted(config.scope.items()))
    return ConfigClaim(
        "scope",
        config.reporters[0].source(("scope",)),
        f"which paths are the product, and which findings fail: {listed}",
    )


def _extra_rules(config: ProjectConfig, catalog: Catalog) -> semgrep_rules.Loaded:
    """The config's `[semgrep] extra_rules`, validated against the repository root (always,
    whatever the trust: a bad entry is an error at every level that reads the config)."""
    if not config.extra_rules:
        return semgrep_rules.Loaded()
    report = config.reporters[0]
    root = config.repo or config.folder
    shown = str(Path(config.file).parent) if root == config.folder else str(root)
    shipped = semgrep.rule_ids(semgrep.rules_dir())
    taken = [*shipped, *(r for f in catalog.semgrep_rules for r in f.rules)]
    where = (report.file, report.lines.line(("semgrep", "extra_rules")))
    return semgrep_rules.load(root, config.extra_rules, "config", where, taken,
                              allow_registry=False, shown_base=shown)  # fmt: skip


def _rules_claims(config: ProjectConfig, catalog: Catalog, added: semgrep_rules.Loaded,
                  claims: Claims) -> None:  # fmt: skip
    """Added rules change what semgrep looks for: a claim on every task a semgrep check
    evidences (they can only add findings; the claim says whose rules they are)."""
    source = config.reporters[0].source(("semgrep", "extra_rules"))
    listed = ", ".join(
        f"{f.origin} ({len(f.rules)} rules, sha256 {f.sha256[:12]})" for f in added.files
    )
    claim = ConfigClaim("rules", source, f"semgrep rules added by the repository: {listed}")
    for control in catalog.controls:
        semgrep_checked = any(s.check == "sast.semgrep" for s in control.checks)
        if control.not_applicable is None and semgrep_checked:
            claims.setdefault(control.id, []).append(claim)


def _exclude_sources(config: ProjectConfig) -> dict[str, str]:
    return dict.fromkeys(config.excludes, config.reporters[0].source(("excludes",)))


def bind(
    config: ProjectConfig,
    catalog: Catalog,
    trust: ConfigTrust = ConfigTrust.ALL,
    as_of: dt.date | None = None,
    max_waiver_days: int = DEFAULT_MAX_WAIVER_DAYS,
    catalog_claim: ConfigClaim | None = None,
) -> Project:
    """The run's inputs from a config; InputError lists every problem in every file.

    With `trust` attestations, parameter overrides are still validated (an operator-only key is
    refused at every level that reads the config) but not applied, and exclusions are dropped:
    only the vendor's claims count. `none` never reaches here (the config is not read).
    Waivers are bounded: one that expires more than `max_waiver_days` after `as_of` (default:
    today, real clock) is refused. `catalog_claim`, when the config chose the catalog from a
    file of its own, is recorded on every task.
    """
    claims: Claims = {}
    with_params = _with_params(catalog, config, claims)
    if trust is not ConfigTrust.ALL:
        claims = {}  # validated, not applied: nothing rests on them
    bound = with_params if trust is ConfigTrust.ALL else catalog
    bound = with_not_applicable(bound, _not_applicable(catalog, config, claims))
    attestations = _by_control(catalog, config.attestations, "attestation", claims)
    waivers = _by_control(catalog, config.waivers, "waiver", claims)
    check_waiver_bounds(config, as_of or real_today(), max_waiver_days)
    added = _extra_rules(config, catalog)
    problems = config.problems() + added.problems
    if problems:
        raise InputError(problems)
    if added.files and trust is ConfigTrust.ALL:
        bound = replace(bound, semgrep_rules=(*bound.semgrep_rules, *added.files))
        _rules_claims(config, bound, added, claims)
    if catalog_claim is not None:
        for control in catalog.controls:
            claims.setdefault(control.id, []).insert(0, catalog_claim)
    if config.scope and trust is ConfigTrust.ALL:
        # What counts as the product decides which findings fail: a claim on every task a
        # check evidences.
        scoped = _scope_claim(config)
        for control in bound.controls:
            if control.checks and control.not_applicable is None:
                claims.setdefault(control.id, []).append(scoped)
    return Project(
        catalog=bound,
        excludes=config.excludes if trust is ConfigTrust.ALL else (),
        # The catalog's `[scope]` is the default the config's extends (with trust `all`).
        scope=rules_from_config(config.scope if trust is ConfigTrust.ALL else {}, catalog.scope),
        attestations=attestations,
        waivers=waivers,
        producer=config.producer,
        evidence=dict(sorted(config.evidence.items())),
        config_files=dict(sorted(config.files.items())),
        trust=trust,
        max_waiver_days=max_waiver_days,
        accepted=tuple(a for a, _ in config.accepted_findings),
        claims={k: tuple(v) for k, v in sorted(claims.items())},
        exclude_sources=_exclude_sources(config) if trust is ConfigTrust.ALL else {},
    )
