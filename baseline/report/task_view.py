"""One task as every report shows it (its own module: the form view and the report view both
read it, and neither imports the other)."""

from __future__ import annotations

from dataclasses import dataclass

from baseline.report.evidence_view import EvidenceView


@dataclass(frozen=True)
class TaskView:
    """One SSDF task (control) with its status and everything behind it."""

    id: str
    anchor: str
    title: str
    summary: str
    group: str
    practice: str
    status: str
    reason: str
    remediation: str
    attestation_level: str
    form_items: tuple[str, ...]
    references: tuple[str, ...]
    """Only http(s) URLs from the catalog: the only links a report makes."""
    evidence: tuple[EvidenceView, ...]
    attestation: tuple[tuple[str, str], ...]
    """(label, value) rows of the recorded attestation; empty when none."""
    attestation_files: tuple[tuple[str, str, str], ...]
    """(path, declared sha256, actual sha256 or `missing`) per attestation evidence file."""
    attestation_problems: tuple[str, ...]
    waiver: tuple[tuple[str, str], ...]
    waiver_milestones: tuple[tuple[str, str], ...]
    waiver_problems: tuple[str, ...]
    findings_count: int
    suppressions_count: int
    automated: bool
    """Whether automated checks evidence the task (declared in the catalog, not N/A)."""
    evidence_role: str
    """How the checks count: `supporting evidence: an attestation is required` when the catalog
    says automated evidence cannot suffice for the task, else empty."""
    config_claims: tuple[tuple[str, str, str], ...] = ()
    """(kind label, `file:line`, detail): what the status rests on from the repository's
    own config, shown apart from what the tools observed."""
