"""What rests on the assessed repository's own config: record codec and summary line.

The repository's config (attestations, waivers, not-applicable, parameter overrides,
exclusions, its own catalog) is a claim, not an observation; every report shows it apart from
what the tools observed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from baseline.models import Assessment, ConfigClaim, ParamOverride

Json = dict[str, Any]


def claims_json(claims: Iterable[ConfigClaim]) -> list[Json]:
    """Claims as the record holds them."""
    return [{"kind": c.kind, "source": c.source, "detail": c.detail} for c in claims]


def claims_from_json(items: Sequence[Mapping[str, Any]]) -> tuple[ConfigClaim, ...]:
    """Claims back from the record."""
    return tuple(ConfigClaim(c["kind"], c["source"], c["detail"]) for c in items)


def overrides_json(overrides: Iterable[ParamOverride]) -> list[Json]:
    """Parameter overrides as the record holds them."""
    return [
        {"param": o.param, "value": o.value, "default": o.default, "source": o.source}
        for o in overrides
    ]


def overrides_from_json(items: Sequence[Mapping[str, Any]]) -> tuple[ParamOverride, ...]:
    """Parameter overrides back from the record."""
    return tuple(ParamOverride(o["param"], o["value"], o["default"], o["source"]) for o in items)


def config_json(a: Assessment) -> Json:
    """The top-level `config` entry: which config, its digest, how many tasks rest on it."""
    return {
        "file": a.config_file,
        "sha256": a.config_sha256,
        "tasks_resting_on_config": sum(1 for r in a.results if r.config_claims),
    }


def summary_line(a: Assessment) -> str:
    """One sentence for every report's summary; loud when nothing was really assessed."""
    total = len(a.results)
    resting = sum(1 for r in a.results if r.config_claims)
    if not a.config_file:
        return f"0 of {total} task statuses rest on the repository's own configuration (none used)."
    digest = f", sha256 {a.config_sha256}" if a.config_sha256 else ""
    line = (
        f"{resting} of {total} task statuses rest on the repository's own configuration "
        f"({a.config_file}{digest})."
    )
    declared_na = sum(
        1 for r in a.results if any(c.kind == "not_applicable" for c in r.config_claims)
    )
    if total and declared_na == total:
        line += (
            f" WARNING: the repository's configuration declares all {total} tasks not "
            "applicable: nothing was assessed."
        )
    elif declared_na:
        line += f" {declared_na} declared not applicable by it."
    return line
