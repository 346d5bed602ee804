"""Apply a project config to a catalog: not-applicable controls, check parameters, and the
attestations and waivers keyed by control, every reference checked against the catalog."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from baseline.catalog.fields import did_you_mean
from baseline.catalog.loader import (
    check_params,
    unattached_check,
    with_not_applicable,
    with_params,
)
from baseline.errors import InputError
from baseline.models import Attestation, Catalog, ConfigTrust, FileDigest, Waiver
from baseline.operator import DEFAULT_MAX_WAIVER_DAYS
from baseline.project.config import ProjectConfig
from baseline.project.records import Where
from baseline.scope import DEFAULT_RULES, ScopeRules, rules_from_config


@dataclass(frozen=True)
class Project:
    """Everything a config contributes to one run."""

    catalog: Catalog
    excludes: tuple[str, ...] = ()
    scope: ScopeRules = DEFAULT_RULES
    """Which paths are the product (the config's `[scope]` counts only with trust `all`)."""
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


def _known(catalog: Catalog, ident: Any, where: Where) -> bool:
    ids = [c.id for c in catalog.controls]
    if isinstance(ident, str) and ident not in ids:
        where.add("control", f"no control {ident!r} in {catalog.id}{did_you_mean(ident, ids)}")
        return False
    return isinstance(ident, str)


def _with_params(catalog: Catalog, config: ProjectConfig) -> Catalog:
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
            checks = with_params(control.checks, check_id, params)
            controls[control.id] = replace(control, checks=checks)
    return replace(catalog, controls=tuple(controls[c.id] for c in catalog.controls))


def _not_applicable(catalog: Catalog, config: ProjectConfig) -> dict[str, str]:
    reasons: dict[str, str] = {}
    for entry, where in config.not_applicable:
        if _known(catalog, entry.get("control"), where) and "reason" in entry:
            if not entry["reason"].strip():
                where.add("reason", "must explain why the control does not apply (empty)")
            else:
                reasons[entry["control"]] = entry["reason"].strip()
    return reasons


def _by_control(catalog: Catalog, entries: list[tuple[Any, Where]], what: str) -> dict[str, Any]:
    keyed: dict[str, Any] = {}
    for item, where in entries:
        if not _known(catalog, item.control, where):
            continue
        if item.control in keyed:
            where.add("control", f"a second {what} for {item.control} (one per control)")
            continue
        keyed[item.control] = item
    return dict(sorted(keyed.items()))


def bind(
    config: ProjectConfig,
    catalog: Catalog,
    trust: ConfigTrust = ConfigTrust.ALL,
    max_waiver_days: int = DEFAULT_MAX_WAIVER_DAYS,
) -> Project:
    """The run's inputs from a config; InputError lists every problem in every file.

    With `trust` attestations, parameter overrides are still validated (an operator-only key is
    refused at every level that reads the config) but not applied, and exclusions are dropped:
    only the vendor's claims count. `none` never reaches here (the config is not read)."""
    with_params = _with_params(catalog, config)
    bound = with_params if trust is ConfigTrust.ALL else catalog
    bound = with_not_applicable(bound, _not_applicable(catalog, config))
    attestations = _by_control(catalog, config.attestations, "attestation")
    waivers = _by_control(catalog, config.waivers, "waiver")
    problems = config.problems()
    if problems:
        raise InputError(problems)
    return Project(
        catalog=bound,
        excludes=config.excludes if trust is ConfigTrust.ALL else (),
        scope=rules_from_config(config.scope) if trust is ConfigTrust.ALL else DEFAULT_RULES,
        attestations=attestations,
        waivers=waivers,
        producer=config.producer,
        evidence=dict(sorted(config.evidence.items())),
        config_files=dict(sorted(config.files.items())),
        trust=trust,
        max_waiver_days=max_waiver_days,
    )
