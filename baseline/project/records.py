"""Attestations and POA&M waivers from a config's `[[attestations]]` and `[[waivers]]` tables."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from baseline.catalog.fields import Reporter
from baseline.catalog.locate import KeyPath
from baseline.models import Acceptance, Attestation, EvidenceFile, Milestone, Waiver
from baseline.operator import DEFAULT_MAX_WAIVER_DAYS
from baseline.project import schema
from baseline.project.paths import file_sha256, locate, not_regular_reason

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# A missing `sha256` is reported by _evidence with the file's digest now (one message, with the
# value to write), not by the generic "is required but missing".
_EVIDENCE_FILE = {
    **schema.EVIDENCE_FILE,
    "sha256": replace(schema.EVIDENCE_FILE["sha256"], required=False),
}
REPO_PREFIX = "repo:"
"""Evidence path prefix: relative to the assessed repository instead of the config's folder."""


@dataclass(frozen=True)
class Roots:
    """Where evidence paths may point: the config's folder, and the repository when known."""

    config: Path
    repo: Path | None = None

    def locate(self, rel: str) -> tuple[Path | None, str | None]:
        """The file a declared evidence path names, or why it may not be used."""
        if not rel.startswith(REPO_PREFIX):
            return locate(self.config, rel)
        if self.repo is None:
            return None, f"{rel!r}: '{REPO_PREFIX}' paths need a repository to assess"
        return locate(self.repo, rel[len(REPO_PREFIX) :])


@dataclass(frozen=True)
class Where:
    """Where an entry was written, so later checks (unknown control...) can point at it."""

    report: Reporter
    path: KeyPath
    label: str

    def add(self, key: str, message: str) -> None:
        """Record a problem at `key` of this entry."""
        self.report.add((*self.path, key), f"{self.label}.{key}", message)

    def source(self, key: str | None = None) -> str:
        """`file:line` of this entry (or of one of its keys), for claims in the record."""
        return self.report.source((*self.path, key) if key else self.path)


def _day(value: dt.date) -> dt.date:
    # A TOML datetime is also a date; keep only the day, as the form does.
    return value.date() if isinstance(value, dt.datetime) else value


def _text(entry: dict[str, Any], key: str, where: Where) -> str:
    value = str(entry.get(key, "")).strip()
    if key in entry and not value:
        where.add(key, "must not be empty")
    return value


def _evidence(
    items: list[Any], where: Where, roots: Roots, sources: dict[str, Path]
) -> tuple[EvidenceFile, ...]:
    files: list[EvidenceFile] = []
    for index, item in enumerate(items):
        sub = Where(
            where.report, (*where.path, "evidence", index), f"{where.label}.evidence[{index}]"
        )
        entry = where.report.table(item, _EVIDENCE_FILE, sub.path, sub.label)
        if "path" not in entry:
            continue
        path, why = roots.locate(entry["path"])
        if path is None:
            sub.add("path", why or "unusable path")
            continue
        kind = not_regular_reason(path)
        if kind is not None and kind != "does not exist":  # a FIFO would block; a folder is no file
            sub.add("path", f"{entry['path']!r} {kind}")
            continue
        actual = file_sha256(path)
        declared = entry.get("sha256")
        if declared is None or not _SHA256.match(declared):
            now = f"; the file's sha256 now is {actual}" if actual else " (and the file is missing)"
            what = "is required" if not declared else f"{declared!r} is not a lowercase hex SHA-256"
            sub.add("sha256", f"{what}, to detect later changes{now}")
            continue
        if actual is not None:
            sources[entry["path"]] = path
        files.append(EvidenceFile(entry["path"], declared, actual))
    return tuple(files)


def read_attestation(
    item: Any, where: Where, roots: Roots, sources: dict[str, Path]
) -> Attestation | None:
    """One attestation, its evidence files digested now; None (with problems) when unusable."""
    entry = where.report.table(item, schema.ATTESTATION, where.path, where.label)
    if not {"control", "statement", "by", "date"} <= entry.keys():
        return None
    evidence = _evidence(entry.get("evidence", []), where, roots, sources)
    return Attestation(
        control=entry["control"],
        statement=_text(entry, "statement", where),
        by=_text(entry, "by", where),
        date=_day(entry["date"]),
        expires=_day(entry["expires"]) if "expires" in entry else None,
        evidence_files=evidence,
        urls=tuple(entry.get("urls", ())),
    )


def waiver_too_long(
    waiver: Waiver | Acceptance, as_of: dt.date, max_waiver_days: int = DEFAULT_MAX_WAIVER_DAYS
) -> str | None:
    """Why a waiver's (or an accepted finding's) expiry is further away than the policy allows,
    or None when it is not.

    A waiver is a plan with a deadline: one that runs for decades waives nothing, it hides.
    """
    limit = as_of + dt.timedelta(days=max_waiver_days)
    if waiver.expires <= limit:
        return None
    what = "a waiver" if isinstance(waiver, Waiver) else "an accepted finding"
    return (
        f"{waiver.expires.isoformat()} is more than {max_waiver_days} days after "
        f"{as_of.isoformat()} (the as-of date); {what} may run at most {max_waiver_days} days "
        f"(until {limit.isoformat()}): set an earlier date and renew it when it comes"
    )


def read_acceptance(item: Any, where: Where) -> Acceptance | None:
    """One `[[accepted_findings]]` entry; None (with problems) when unusable."""
    entry = where.report.table(item, schema.ACCEPTED_FINDING, where.path, where.label)
    if not {"fingerprint", "reason", "owner", "approver", "expires"} <= entry.keys():
        return None
    # A justification only ever explains `not_affected`: it implies that status.
    status = entry.get("vex_status", "not_affected" if "justification" in entry else "")
    if "justification" in entry and status != "not_affected":
        where.add("justification", 'only a `vex_status = "not_affected"` takes a justification')
    return Acceptance(
        fingerprint=_text(entry, "fingerprint", where),
        reason=_text(entry, "reason", where),
        owner=_text(entry, "owner", where),
        approver=_text(entry, "approver", where),
        expires=_day(entry["expires"]),
        vex_status=status,
        justification=entry.get("justification", ""),
        impact_statement=str(entry.get("impact_statement", "")).strip(),
        source=where.source(),
    )


def read_waiver(item: Any, where: Where) -> Waiver | None:
    """One POA&M entry; None (with problems) when unusable."""
    entry = where.report.table(item, schema.WAIVER, where.path, where.label)
    milestones: list[Milestone] = []
    for index, raw in enumerate(entry.get("milestones", [])):
        path, label = (*where.path, "milestones", index), f"{where.label}.milestones[{index}]"
        step = where.report.table(raw, schema.MILESTONE, path, label)
        if {"date", "description"} <= step.keys():
            milestones.append(Milestone(_day(step["date"]), step["description"]))
    required = {"control", "reason", "mitigation", "owner", "approver", "expires"}
    if not required <= entry.keys():
        return None
    return Waiver(
        control=entry["control"],
        reason=_text(entry, "reason", where),
        mitigation=_text(entry, "mitigation", where),
        owner=_text(entry, "owner", where),
        approver=_text(entry, "approver", where),
        expires=_day(entry["expires"]),
        milestones=tuple(sorted(milestones, key=lambda m: m.date)),
    )
