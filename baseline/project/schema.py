"""The fields each table of a project config (`.baseline.toml`) may hold: the one definition
that config validation (baseline/catalog/fields.py), the config's and the record's JSON Schemas
and docs/project-config.md are derived from (baseline/project/derive.py, record_parts.py,
config_docs.py).

Every key has help text and an example (a value as TOML parses it); `record` says where the
assessment record carries it and `claim` which config claim it gives a task
(tests/test_config_keys.py runs an assessment per key with its example)."""

from __future__ import annotations

import datetime as dt

from baseline.catalog import schema as catalog_schema
from baseline.catalog.fields import Field
from baseline.models import VEX_JUSTIFICATIONS, VEX_STATUSES

SEMGREP = catalog_schema.SEMGREP
"""`[semgrep] extra_rules`: rule files or folders, relative to the repository root."""

SCOPE = catalog_schema.SCOPE
"""`[scope]`: extra globs per label (baseline/scope.py), and the labels whose findings fail;
the same table as a catalog's, whose values it extends."""

# The same entries as in a catalog that extends another: one definition serves both.
PARAMS = catalog_schema.PARAMS_OVERRIDE
NOT_APPLICABLE = catalog_schema.NOT_APPLICABLE


PRODUCT = {
    "name": Field(str, required=True, help="the product's name", example="Acme Payments",
                  record="producer.products[].name"),  # fmt: skip
    "version": Field(str, help="the version attested", example="4.2",
                     record="producer.products[].version"),  # fmt: skip
    "release_date": Field(
        dt.date, help="its release date (YYYY-MM-DD, unquoted)", example=dt.date(2026, 5, 1),
        record="producer.products[].release_date",
    ),
}  # fmt: skip

_PRODUCER_TEXT = {
    "name": ("the software producer's legal name (form section II)", "Acme Software, Inc."),
    "attestation_type": (
        "new attestation, revised attestation, or an extension (form section I)",
        "revised",
    ),
    "scope": (
        "what the attestation covers, in the producer's words (form section I)",
        "Acme Payments 4.x, all editions",
    ),
    "address": ("the producer's street address (form section II)", "1 Main Street"),
    "city": ("the producer's city (form section II)", "Springfield"),
    "state": ("state or province (form section II)", "IL"),
    "postal_code": ("postal code (form section II)", "62701"),
    "country": ("country (form section II)", "USA"),
    "website": ("the producer's website (form section II)", "https://acme.example"),
    "contact_name": ("the primary contact's name (form section II)", "Pat Lee"),
    "contact_title": ("the primary contact's title (form section II)", "Product Security Lead"),
    "contact_address": (
        "the primary contact's address (form section II)",
        "1 Main Street, Springfield",
    ),
    "contact_email": (
        "the primary contact's email address (form section II)",
        "security@acme.example",
    ),
    "contact_phone": ("the primary contact's phone number (form section II)", "+1 555 0100"),
    "signatory_name": (
        "who signs the form (section III; the signature date stays blank)",
        "Jane Doe",
    ),
    "signatory_title": ("the signatory's title (form section III)", "CEO"),
    "software_covered": (
        "what the attestation covers, as the form's section I choices: company-wide, an "
        "individual product, or multiple products or specific versions",
        "individual-product",
    ),
    "attested_by": (
        "the form's section III route: the CEO or a designee signs that all requirements are "
        "met, or a third-party assessor (3PAO) evaluated them and the assessment is attached; "
        "unset, the form shows it as to be completed by the signatory",
        "third-party-assessor",
    ),
    "third_party_assessment": (
        "title of the attached 3PAO assessment (form section III, 3PAO route)",
        "3PAO assessment of Acme Payments 4.2 (Example Assessors LLC)",
    ),
}
_PRODUCER_CHOICES = {
    "attestation_type": ("new", "revised", "extension"),
    "software_covered": ("company-wide", "individual-product", "multiple-products"),
    "attested_by": ("signatory", "third-party-assessor"),
}

PRODUCER = {
    **{
        key: Field(
            str,
            required=key == "name",
            choices=_PRODUCER_CHOICES.get(key, ()),
            help=text,
            example=example,
            record=f"producer.{key}",
        )
        for key, (text, example) in _PRODUCER_TEXT.items()
    },
    "products": Field(
        list,
        fields=PRODUCT,
        help="`[[producer.products]]`: the products the form covers",
        record="producer.products",
    ),
    "attachments": Field(
        list,
        item_kind=str,
        help="the form's ATTACHMENT(S) lines, each `title: description` (form section III)",
        example=["SBOM: CycloneDX for Acme Payments 4.2"],
        record="producer.attachments",
    ),
}
"""Producer details for the CISA Common Form's sections I-III (the signature date stays blank:
the signatory dates the form when signing it). The record's `producer` is exactly this table."""

EVIDENCE_SHA256 = "554cde3319321f30a6b3400dc90d0fcafedfc59577828ccef10fa4bc74d1bb08"
"""The example evidence file's digest (of the bytes tests/test_config_keys.py writes)."""

EVIDENCE_FILE = {
    "path": Field(
        str, required=True,
        help="the file, relative to the config's folder (`repo:` prefix: to the repository "
        "root); it may not leave that folder nor go through a symbolic link",
        example="docs/training-2026.pdf", record="results[].attestation.evidence_files[].path",
    ),
    "sha256": Field(
        str,
        required=True,
        help="the file's SHA-256 (lowercase hex) when the attestation was written: a file that "
        "changed since makes the attestation invalid",
        example=EVIDENCE_SHA256, record="results[].attestation.evidence_files[].declared_sha256",
    ),
}  # fmt: skip

ATTESTATION = {
    "control": Field(str, required=True, help="the task attested", example="PO.2.2",
                     record="results[].attestation.control", claim="attestation"),  # fmt: skip
    "statement": Field(
        str, required=True, help="how the task is met, in the attester's words (not empty)",
        example="Every developer completes secure development training each year.",
        record="results[].attestation.statement",
    ),
    "by": Field(str, required=True, help="who attests: name and role", example="Pat Lee, CISO",
                record="results[].attestation.by"),  # fmt: skip
    "date": Field(dt.date, required=True, help="when it was attested (YYYY-MM-DD, unquoted)",
                  example=dt.date(2026, 1, 15), record="results[].attestation.date"),  # fmt: skip
    "expires": Field(
        dt.date, help="after this day the attestation no longer counts",
        example=dt.date(2027, 1, 15), record="results[].attestation.expires",
    ),
    "evidence": Field(
        list, fields=EVIDENCE_FILE, default=[],
        help="files backing the claim, each with its SHA-256 (kept in the evidence bundle)",
        example=[{"path": "docs/training-2026.pdf", "sha256": EVIDENCE_SHA256}],
        record="results[].attestation.evidence_files",
    ),
    "urls": Field(
        list, item_kind=str, default=[], help="links to evidence outside the repository",
        example=["https://intranet.example.com/training"], record="results[].attestation.urls",
    ),
}  # fmt: skip
"""`[[attestations]]`: a person's claim that a task is met (baseline/models.py Attestation)."""

MILESTONE = {
    "date": Field(
        dt.date,
        required=True,
        help="when the step is due",
        example=dt.date(2026, 9, 1),
        record="results[].waiver.milestones[].date",
    ),  # fmt: skip
    "description": Field(
        str,
        required=True,
        help="the step",
        example="Move binaries out",
        record="results[].waiver.milestones[].description",
    ),  # fmt: skip
}

WAIVER = {
    "control": Field(str, required=True, help="the failing task accepted", example="PS.1.1",
                     record="results[].waiver.control", claim="waiver"),  # fmt: skip
    "reason": Field(str, required=True, help="why it fails today (not empty)",
                    example="Legacy installer binaries are still committed.",
                    record="results[].waiver.reason"),  # fmt: skip
    "mitigation": Field(
        str, required=True, help="what limits the risk meanwhile (not empty)",
        example="Binaries are signed and their hashes are checked at release.",
        record="results[].waiver.mitigation",
    ),
    "owner": Field(str, required=True, help="who carries out the plan", example="Release team",
                   record="results[].waiver.owner"),  # fmt: skip
    "approver": Field(str, required=True, help="who accepted the risk", example="CISO",
                      record="results[].waiver.approver"),  # fmt: skip
    "expires": Field(
        dt.date, required=True,
        help="the day the waiver ends (at most the policy's `max_waiver_days`, 365 by default, "
        "after the as-of day)",
        example=dt.date(2026, 12, 31), record="results[].waiver.expires",
    ),
    "milestones": Field(list, fields=MILESTONE, default=[], help="the plan's dated steps",
                        record="results[].waiver.milestones"),  # fmt: skip
}  # fmt: skip
"""`[[waivers]]`: a POA&M entry, a failing task accepted until a date with a plan
(baseline/models.py Waiver)."""

ACCEPTED_FINDING = {
    "fingerprint": Field(
        str, required=True,
        help="the finding's fingerprint, as `baseline findings RECORD` prints it",
        example="d01e848232ae4a726851f18fff63f200", record="accepted_findings[].fingerprint",
        claim="accepted_finding",
    ),
    "reason": Field(str, required=True, help="why the finding is accepted (not empty)",
                    example="The subprocess call only ever receives a constant.",
                    record="accepted_findings[].reason"),  # fmt: skip
    "owner": Field(str, required=True, help="who keeps the acceptance under review",
                   example="Payments team", record="accepted_findings[].owner"),  # fmt: skip
    "approver": Field(str, required=True, help="who accepted the risk", example="CISO",
                      record="accepted_findings[].approver"),  # fmt: skip
    "expires": Field(
        dt.date, required=True,
        help="the day the acceptance ends and the finding counts again (at most the policy's "
        "`max_waiver_days` after the as-of day, as a waiver)",
        example=dt.date(2026, 12, 31), record="accepted_findings[].expires",
    ),
    "vex_status": Field(
        str, choices=VEX_STATUSES,
        help="the OpenVEX status, for a vulnerability of a dependency (exported as OpenVEX)",
        example="not_affected", record="accepted_findings[].vex_status",
    ),
    "justification": Field(
        str, choices=VEX_JUSTIFICATIONS,
        help="the OpenVEX justification of a `not_affected` status (implies that status when "
        "`vex_status` is not given)",
        example="vulnerable_code_not_in_execute_path", record="accepted_findings[].justification",
    ),
    "impact_statement": Field(
        str, help="free text: why the product is not affected, or what the impact is",
        example="Only the CLI calls it, with a fixed argument.",
        record="accepted_findings[].impact_statement",
    ),
}  # fmt: skip
"""`[[accepted_findings]]`: one finding accepted by fingerprint until a date: it stays in every
report, marked, and no longer fails its check (baseline/models.py Acceptance)."""

INCLUDED_FILE = {
    "attestations": Field(
        list,
        fields=ATTESTATION,
        help="attestations, as in the config",
        record="results[].attestation",
        claim="attestation",
    ),  # fmt: skip
    "waivers": Field(
        list,
        fields=WAIVER,
        help="waivers, as in the config",
        record="results[].waiver",
        claim="waiver",
    ),  # fmt: skip
}
"""A file named by `include`: it holds attestations and waivers only."""

CONFIG = {
    "catalog": Field(
        str,
        default="ssdf-1.1",
        help="the catalog to assess against: a built-in id (`ssdf-1.1`, `ssdf-1.2-draft`) or a "
        "`.toml` catalog file beside this config (a claim on every task); the command line's "
        "`--catalog` wins, and only trust `all` lets it count",
        example="ssdf-1.1",
        claim="catalog",
    ),
    "excludes": Field(
        list,
        item_kind=str,
        default=[],
        help="glob patterns (repository-relative; `*` crosses `/`, as `--exclude`) of paths no "
        "check looks at; each pattern that leaves something out is a claim on every task",
        example=["build/**"],
        record="results[].config_claims[].detail",
        claim="exclude",
    ),
    "include": Field(
        list,
        item_kind=str,
        default=[],
        help="files holding more `[[attestations]]` and `[[waivers]]` (relative to this "
        "config's folder)",
        example=["baseline-attestations.toml"],
        claim="waiver",
    ),
    "params": Field(
        list,
        fields=PARAMS,
        default=[],
        help="parameters for a check attached to a task",
        record="check_runs[].overrides",
        claim="param",
    ),  # fmt: skip
    "not_applicable": Field(
        list,
        fields=NOT_APPLICABLE,
        default=[],
        help="tasks that do not apply to this product, each with the reason",
        record="results[].control.not_applicable",
        claim="not_applicable",
    ),
    "producer": Field(
        dict,
        fields=PRODUCER,
        help="who produces the software, for the CISA Secure Software Development Attestation Form",
        record="producer",
    ),  # fmt: skip
    "attestations": Field(
        list,
        fields=ATTESTATION,
        default=[],
        help="a person's claim that a task is met, with evidence",
        record="results[].attestation",
        claim="attestation",
    ),  # fmt: skip
    "waivers": Field(
        list,
        fields=WAIVER,
        default=[],
        help="POA&M entries: a failing task accepted until a date, with a plan",
        record="results[].waiver",
        claim="waiver",
    ),  # fmt: skip
    "accepted_findings": Field(
        list,
        fields=ACCEPTED_FINDING,
        default=[],
        help="single findings accepted by fingerprint until a date (`baseline accept` writes one)",
        record="accepted_findings",
        claim="accepted_finding",
    ),  # fmt: skip
    "scope": Field(
        dict,
        fields=SCOPE,
        help="which paths are the product, and which labels' findings fail (extends the "
        "catalog's `[scope]`; a claim on every task a check evidences)",
        example={"fixture": ["data/**"]},
        record="results[].config_claims[].detail",
        claim="scope",
    ),
    "semgrep": Field(
        dict,
        fields=SEMGREP,
        help="semgrep rules of your own",
        example={"extra_rules": ["ci/semgrep/"]},
        claim="rules",
    ),  # fmt: skip
}
"""The top level of `.baseline.toml` (or of `[tool.baseline]` in pyproject.toml)."""
