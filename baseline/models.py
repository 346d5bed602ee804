"""The data model: frozen dataclasses and string enums shared by every layer."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class CheckOutcome(str, enum.Enum):
    """What one check concluded about one narrow fact."""

    PASS = "pass"  # noqa: S105 - a status, not a password
    FAIL = "fail"
    ERROR = "error"
    NEEDS_REVIEW = "needs_review"
    NOT_APPLICABLE = "not_applicable"


class ControlStatus(str, enum.Enum):
    """The status of one control (an SSDF task) after evaluation."""

    PASS = "pass"  # noqa: S105 - a status, not a password
    FAIL = "fail"
    ERROR = "error"
    NEEDS_REVIEW = "needs_review"
    ATTESTED = "attested"
    WAIVED = "waived"
    NOT_APPLICABLE = "not_applicable"


class AttestationLevel(str, enum.Enum):
    """Whether a person must attest to a control for it to be met."""

    REQUIRED = "required"
    OPTIONAL = "optional"
    NONE = "none"


class Severity(str, enum.Enum):
    """Severity of a finding, normalized across tools."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more severe; for thresholds and sorting."""
        return {"info": 0, "low": 1, "medium": 2, "high": 3}[self.value]


@dataclass(frozen=True)
class ParamOverride:
    """A check parameter the assessed repository's own config set (a claim, not evidence)."""

    param: str
    value: Any
    default: Any
    """What the catalog would have used."""
    source: str
    """`file:line` of the config entry."""


@dataclass(frozen=True)
class CheckSpec:
    """A check attached to a control, with the parameters the catalog gives it."""

    check: str
    """Registered check id, e.g. `repo.has_security_policy`."""
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)
    """Parameters after catalog overrides; validated against the check's declaration."""
    overrides: tuple[ParamOverride, ...] = field(default=(), hash=False, compare=False)
    """Parameters the assessed repository's config set, with where (claims, shown as such)."""


@dataclass(frozen=True)
class Control:
    """One control of a catalog: for SSDF, one task."""

    id: str
    """Official identifier, e.g. `PW.7.2`."""
    title: str
    """Short title, in the project's own words."""
    summary: str
    """What the task asks, in the project's own words."""
    group: str
    """Group id, e.g. `PW`."""
    practice: str
    """Practice id, e.g. `PW.7`."""
    attestation: AttestationLevel
    """Whether a person must attest to it."""
    remediation: str
    """What to do when it is not met."""
    checks: tuple[CheckSpec, ...] = ()
    """Automated checks that evidence it."""
    eo14028: tuple[str, ...] = ()
    """Executive Order 14028 section references."""
    form_items: tuple[str, ...] = ()
    """CISA Common Form items this task supports."""
    references: tuple[str, ...] = ()
    """Further references (URLs)."""
    not_applicable: str | None = None
    """Reason the control was declared not applicable, if it was."""


@dataclass(frozen=True)
class Group:
    """A group of practices, e.g. PO (Prepare the Organization)."""

    id: str
    title: str
    summary: str


@dataclass(frozen=True)
class Practice:
    """A practice, e.g. PO.1, holding several tasks."""

    id: str
    group: str
    title: str
    summary: str


@dataclass(frozen=True)
class CrosswalkItem:
    """One item of a crosswalk (e.g. a CISA form item) and the tasks it maps to."""

    id: str
    title: str
    tasks: tuple[str, ...]
    section: str = ""
    eo14028: tuple[str, ...] = ()
    text: str = ""
    """The other framework's own wording of the item, verbatim (empty when not shipped)."""
    lead: str = ""
    """For a sub-item: its parent item's own wording (the stem the sub-item completes)."""
    form_tasks: tuple[str, ...] = ()
    """The other framework's own mapping of the item, as printed there."""
    mapping_note: str = ""
    """Why `tasks` differs from `form_tasks`, where the framework allows no clean map."""


@dataclass(frozen=True)
class Crosswalk:
    """A mapping from another framework's items to this catalog's controls."""

    id: str
    title: str
    catalog: str
    items: tuple[CrosswalkItem, ...]
    note: str = ""


@dataclass(frozen=True)
class RuleFile:
    """A semgrep rule file the catalog or the project config adds to the shipped pack
    (validated by baseline/tools/semgrep_rules.py)."""

    origin: str
    """`catalog:<path>` (relative to the catalog file) or `config:<path>` (to the repository)."""
    sha256: str
    """Of the bytes that were validated."""
    rules: tuple[str, ...]
    """The rule ids it declares."""
    path: str = field(default="", compare=False)
    """Where it is on this machine (for semgrep; never recorded)."""


@dataclass(frozen=True)
class Catalog:
    """A validated catalog, extensions already applied."""

    id: str
    title: str
    version: str
    status: str
    groups: tuple[Group, ...]
    practices: tuple[Practice, ...]
    controls: tuple[Control, ...]
    crosswalks: tuple[Crosswalk, ...] = ()
    source: str = ""
    published: str = ""
    digest: str = ""
    """SHA-256 over the catalog file and every file it extends or cross-walks, in load order."""
    scope: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    """The `[scope]` table (extensions merged): the defaults a project config's extends."""
    semgrep_rules: tuple[RuleFile, ...] = ()
    """Rule files `[semgrep] extra_rules` adds (the catalog's, then the project config's)."""
    semgrep_registry: tuple[str, ...] = ()
    """Registry configs (`p/...`) the catalog adds; they run only with `--online`."""

    def control(self, control_id: str) -> Control:
        """The control with this id; KeyError if absent."""
        for control in self.controls:
            if control.id == control_id:
                return control
        raise KeyError(control_id)

    def crosswalk(self, crosswalk_id: str) -> Crosswalk | None:
        """The crosswalk with this id, if the catalog carries it."""
        return next((c for c in self.crosswalks if c.id == crosswalk_id), None)


class Scope(str, enum.Enum):
    """Which part of the repository a path belongs to (see `baseline/scope.py`)."""

    PRODUCT = "product"
    TEST = "test"
    FIXTURE = "fixture"
    EXAMPLE = "example"
    DOCS = "docs"
    VENDORED = "vendored"


def fingerprint(*parts: str) -> str:
    """A stable finding id from the parts that identify it (never from line numbers)."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:32]


VEX_STATUSES = ("not_affected", "affected", "fixed", "under_investigation")
"""OpenVEX statuses (https://github.com/openvex/spec, v0.2.0)."""

VEX_JUSTIFICATIONS = (
    "component_not_present",
    "vulnerable_code_not_present",
    "vulnerable_code_not_in_execute_path",
    "vulnerable_code_cannot_be_controlled_by_adversary",
    "inline_mitigations_already_exist",
)
"""OpenVEX justifications for `not_affected`."""


@dataclass(frozen=True)
class Acceptance:
    """One finding accepted by its fingerprint (the config's `[[accepted_findings]]`): it stays
    in every report, marked, and no longer fails its check until it expires."""

    fingerprint: str
    reason: str
    owner: str
    approver: str
    expires: dt.date
    vex_status: str = ""
    justification: str = ""
    impact_statement: str = ""
    source: str = ""
    """`file:line` of the entry."""


@dataclass(frozen=True)
class AcceptanceMatch:
    """An acceptance and what it matched in a run: the check runs holding its finding (none:
    unmatched, reported and changing nothing) and whether it had expired."""

    acceptance: Acceptance
    checks: tuple[str, ...] = ()
    """The check ids whose findings carry the fingerprint."""
    expired: bool = False


@dataclass(frozen=True)
class Finding:
    """One thing a check found, with where it is."""

    rule: str
    """Tool rule id (`B602`, `python.subprocess-shell-true`) or check-specific id."""
    message: str
    severity: Severity
    path: str = ""
    """Repository-relative POSIX path; empty for a repository-level finding."""
    line: int | None = None
    """1-based line, when the finding has one."""
    fingerprint: str = ""
    """Stable id that survives unrelated edits (rule + path + normalized code)."""
    tool: str = ""
    cwe: tuple[str, ...] = ()
    snippet: str = ""
    """A short excerpt of the code at the location (untrusted text)."""
    scope: Scope = Scope.PRODUCT
    """The part of the repository its path lies in; only `product` findings fail by default."""
    origin: str = ""
    """Where the rule came from: `shipped`, `catalog:<path>` or `config:<path>` (semgrep rules);
    empty for a tool's own rules and for checks."""
    confidence: str = ""
    """How sure the tool is that the finding is real: `high`, `medium` or `low` (bandit's
    `issue_confidence`, a semgrep rule's `metadata.confidence`); empty when it does not say."""
    component: str = ""
    """For a vulnerability of a dependency: its package URL (`pkg:pypi/name@version`)."""
    accepted: Acceptance | None = None
    """The project config's acceptance of this finding (by fingerprint), in force or expired."""
    acceptance_expired: bool = False
    """The acceptance had expired on the as-of day: the finding counts again."""


@dataclass(frozen=True)
class Suppression:
    """Something that silenced a tool: a `# nosec`, a `# nosemgrep`, an exclusion."""

    kind: str
    """`nosec`, `nosemgrep`, `path-exclude`, `skipped-test`, ..."""
    path: str
    line: int | None
    detail: str


@dataclass(frozen=True)
class ToolRun:
    """One invocation of an external tool, as recorded for the evidence."""

    tool: str
    version: str
    command: tuple[str, ...]
    exit_code: int | None
    duration_s: float = field(default=0.0, compare=False)
    """Wall time; kept out of the canonical record so reports stay deterministic."""


@dataclass(frozen=True)
class Alternative:
    """One of the checks a check of alternatives ran, and what it concluded."""

    check: str
    outcome: CheckOutcome
    summary: str


@dataclass(frozen=True)
class Artifact:
    """Raw output kept for the evidence bundle (not embedded in the JSON record)."""

    name: str
    content: bytes = field(repr=False)


@dataclass(frozen=True)
class LanguageCoverage:
    """One language of the product code a SAST check was offered, and what analyzed it."""

    language: str
    """`python`, `kotlin`, `shell`, ... (baseline/checks/code_languages.py)."""
    files: int
    lines: int
    analyzers: tuple[tuple[str, int], ...] = ()
    """(analyzer, how many of its rules or tests are written for this language); empty when
    nothing analyzed it."""
    example: str = ""
    """The first such file, for the reader to find them."""


@dataclass(frozen=True)
class Evidence:
    """What one check gathered and concluded. A check never decides a control's status."""

    check: str
    outcome: CheckOutcome
    summary: str
    findings: tuple[Finding, ...] = ()
    tool_runs: tuple[ToolRun, ...] = ()
    files: tuple[str, ...] = ()
    """Repository files the conclusion rests on."""
    digests: Mapping[str, str] = field(default_factory=dict, hash=False)
    """SHA-256 per evidence file or artifact name."""
    suppressions: tuple[Suppression, ...] = ()
    error: str | None = None
    """For `error`: what failed and what the user should do."""
    artifacts: tuple[Artifact, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)
    """The parameters the check ran with."""
    overrides: tuple[ParamOverride, ...] = field(default=(), hash=False)
    """Parameters the repository's config changed from the catalog's, with where."""
    alternatives: tuple[Alternative, ...] = ()
    """For a check that passes when any of several checks passes: each one's conclusion."""
    question: str = field(default="", hash=False)
    """The yes/no question the check answers (set by the engine from the check's definition),
    so that reports can name it without knowing the checks."""
    coverage: tuple[LanguageCoverage, ...] = ()
    """For code analysis: per language of the product code, files, lines and analyzers."""
    counted_scopes: tuple[str, ...] = ()
    """For a check whose findings are per-file defects (baseline/scope.py SCOPED_CHECKS): the
    scope labels whose findings counted toward its outcome; the others were shown, not counted."""
    failing: tuple[str, ...] | None = field(default=None, compare=False, hash=False)
    """Fingerprints of the findings that fail the check at its threshold, when the check says
    (None: every finding counts), so that accepting findings can judge the rest alike."""
    passing_outcome: CheckOutcome = field(default=CheckOutcome.PASS, compare=False, hash=False)
    """The outcome when no finding fails (code analysis with unread files: `needs_review`)."""


@dataclass(frozen=True)
class EvidenceFile:
    """A file offered as evidence for an attestation."""

    path: str
    declared_sha256: str | None
    """Digest written in the attestation, if any."""
    actual_sha256: str | None
    """Digest of the file now; None when it is missing."""


@dataclass(frozen=True)
class Attestation:
    """A person's claim that a control is met, with evidence."""

    control: str
    statement: str
    by: str
    date: dt.date
    expires: dt.date | None = None
    evidence_files: tuple[EvidenceFile, ...] = ()
    urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class Milestone:
    """A dated step of a plan of action."""

    date: dt.date
    description: str


@dataclass(frozen=True)
class Waiver:
    """A POA&M entry: an accepted, time-limited failure with a plan."""

    control: str
    reason: str
    mitigation: str
    owner: str
    approver: str
    expires: dt.date
    milestones: tuple[Milestone, ...] = ()


@dataclass(frozen=True)
class ConfigClaim:
    """Something a task's status rests on that the assessed repository's config declared.

    Kinds: `attestation`, `waiver`, `not_applicable`, `param`, `exclude`, `catalog`, `scope`,
    `rules`, `accepted_finding`.
    """

    kind: str
    source: str
    """`file:line` (or `file`) of the declaration."""
    detail: str


@dataclass(frozen=True)
class Result:
    """The evaluated status of one control and everything behind it."""

    control: Control
    status: ControlStatus
    reason: str
    """Why the status is what it is, in one sentence."""
    evidence: tuple[Evidence, ...] = ()
    attestation: Attestation | None = None
    attestation_problems: tuple[str, ...] = ()
    """Why a given attestation does not count (empty when it counts or is absent)."""
    waiver: Waiver | None = None
    waiver_problems: tuple[str, ...] = ()
    config_claims: tuple[ConfigClaim, ...] = ()
    """What this status rests on from the repository's own config (shown apart from tools)."""


class ConfigTrust(str, enum.Enum):
    """How much of the assessed repository's own config the operator lets count."""

    NONE = "none"
    """The repository's config is not read at all."""
    ATTESTATIONS = "attestations"
    """The vendor's claims count (attestations, waivers, not-applicable, producer); what changes
    what the tools look at or how they judge (parameters, exclusions, catalog) does not."""
    ALL = "all"
    """Everything in the config counts (within the policy's bounds)."""


@dataclass(frozen=True)
class FileDigest:
    """A file an input came from: the path as given and the SHA-256 of its bytes."""

    path: str
    sha256: str


@dataclass(frozen=True)
class TrustRecord:
    """What the operator decided about the repository's config, for the record and reports."""

    config_trust: ConfigTrust
    config: FileDigest | None = None
    """The repository's config (also when `none` left it unread); None when there is none."""
    policy: FileDigest | None = None
    """The operator's policy file, when one was given."""
    config_in_target: bool | None = None
    """Whether the config lies in the assessed repository (its own claim) or was given from
    outside it by the operator (`--config ../compliance/ssdf.toml`); None when there is none."""


@dataclass(frozen=True)
class GateRecord:
    """The policy the run was judged against, and its verdict, for the record."""

    fail_on: tuple[str, ...]
    """Statuses that fail the run (`--fail-on`, or the policy file's `fail_on`)."""
    require: tuple[str, ...] = ()
    """Tasks that must be met (`--require`)."""
    require_form_items: tuple[str, ...] = ()
    """CISA form items that must be attestable (`--require-form-item`)."""
    failures: tuple[str, ...] = ()
    """Every unmet gate, one line each; empty: the policy is met."""


@dataclass(frozen=True)
class RepositoryFacts:
    """Where the assessed code comes from, as git tells it (the record's `target`)."""

    url: str | None = None
    """`remote.origin.url`, normalized, without credentials: the repository's own claim."""
    branch: str | None = None
    """The checked-out branch (None: detached HEAD)."""
    subdir: str = ""
    """The target's folder inside the repository ("" : the repository root)."""
    shallow: bool = False
    """A shallow clone: history and tags before its depth were not seen."""
    changed: tuple[str, ...] = ()
    """Files that differ from the commit (the tree is dirty when there are any)."""


@dataclass(frozen=True)
class Assessment:
    """One run over one target: the canonical record every report is rendered from."""

    target: str
    commit: str | None
    catalog: Catalog
    tools: Mapping[str, str]
    generated_at: str
    results: tuple[Result, ...]
    tool_version: str = ""
    timings: Mapping[str, float] = field(default_factory=dict, compare=False, hash=False)
    """Seconds per check; printed, never written into deterministic reports."""
    producer: Mapping[str, Any] = field(default_factory=dict, hash=False)
    """The software producer's details for the CISA form (from the project config)."""
    trust: TrustRecord | None = field(default=None, hash=False)
    """The operator's trust decision about the repository's config (None: not recorded)."""
    as_of: str = ""
    """The day (YYYY-MM-DD) expiry of waivers and attestations was judged on."""
    repository: RepositoryFacts | None = field(default=None, hash=False)
    """What git says about the target (None: not a git repository, or not recorded)."""
    gate: GateRecord | None = field(default=None, hash=False)
    """The policy and its verdict (None: the run was not judged, e.g. a library caller's)."""
    acceptances: tuple[AcceptanceMatch, ...] = field(default=(), hash=False)
    """The config's accepted findings and what each matched (unmatched ones included)."""
