"""What rests on the assessed repository's own config: record codec and summary line.

The repository's config (attestations, waivers, not-applicable, parameter overrides,
exclusions, its own catalog) is a claim, not an observation; every report shows it apart from
what the tools observed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from baseline.models import Assessment, ConfigClaim, ConfigTrust, FileDigest

Json = dict[str, Any]


def claims_json(claims: Iterable[ConfigClaim]) -> list[Json]:
    """Claims as the record holds them."""
    return [{"kind": c.kind, "source": c.source, "detail": c.detail} for c in claims]


def claims_from_json(items: Sequence[Mapping[str, Any]]) -> tuple[ConfigClaim, ...]:
    """Claims back from the record."""
    return tuple(ConfigClaim(c["kind"], c["source"], c["detail"]) for c in items)


def tasks_resting_on_config(a: Assessment) -> int:
    """How many task statuses rest on the repository's own configuration."""
    return sum(1 for r in a.results if r.config_claims)


def declared_not_applicable(a: Assessment) -> int:
    """How many tasks the repository's own config declared not applicable."""
    return sum(1 for r in a.results if any(c.kind == "not_applicable" for c in r.config_claims))


def nothing_assessed(a: Assessment) -> bool:
    """Whether the repository's config declared every task not applicable."""
    return bool(a.results) and declared_not_applicable(a) == len(a.results)


def config_in_use(a: Assessment) -> FileDigest | None:
    """The repository's config the run applied (None: none, or left unread by the operator)."""
    trust = a.trust
    if trust is None or trust.config is None or trust.config_trust is ConfigTrust.NONE:
        return None
    return trust.config


def summary_line(a: Assessment) -> str:
    """One sentence for every report's summary; loud when nothing was really assessed."""
    total = len(a.results)
    resting = tasks_resting_on_config(a)
    used = config_in_use(a)
    trust = a.trust
    if used is None:
        unread = trust.config if trust is not None else None
        why = f"{unread.path} not read: --config-trust none" if unread else "none used"
        return f"0 of {total} task statuses rest on the repository's own configuration ({why})."
    level = f"; --config-trust {trust.config_trust.value}" if trust is not None else ""
    line = (
        f"{resting} of {total} task statuses rest on the repository's own configuration "
        f"({used.path}, sha256 {used.sha256}{level})."
    )
    declared_na = declared_not_applicable(a)
    if nothing_assessed(a):
        line += (
            f" WARNING: the repository's configuration declares all {total} tasks not "
            "applicable: nothing was assessed."
        )
    elif declared_na:
        line += f" {declared_na} declared not applicable by it."
    return line
