"""The fields each table of a project config (`.baseline.toml`) may hold."""

from __future__ import annotations

import datetime as dt

from baseline.catalog import schema as catalog_schema
from baseline.catalog.fields import Field

CONFIG = {
    "catalog": Field(str),
    "excludes": Field(list, item_kind=str),
    "include": Field(list, item_kind=str),
    "params": Field(list),
    "not_applicable": Field(list),
    "producer": Field(dict),
    "attestations": Field(list),
    "waivers": Field(list),
    "scope": Field(dict),
    "semgrep": Field(dict),
}

SEMGREP = catalog_schema.SEMGREP
"""`[semgrep] extra_rules`: rule files or folders, relative to the repository root."""

SCOPE = catalog_schema.SCOPE
"""`[scope]`: extra globs per label (baseline/scope.py), and the labels whose findings fail;
the same table as a catalog's, whose values it extends."""

INCLUDED_FILE = {
    "attestations": Field(list),
    "waivers": Field(list),
}

# The same entries as in a catalog that extends another: one definition serves both.
PARAMS = catalog_schema.PARAMS_OVERRIDE
NOT_APPLICABLE = catalog_schema.NOT_APPLICABLE

PRODUCER = {
    "name": Field(str, required=True, help="the software producer's legal name (form section II)"),
    "attestation_type": Field(
        str,
        choices=("new", "revised", "extension"),
        help="new attestation, revised attestation, or an extension (form section I)",
    ),
    "scope": Field(
        str, help="what the attestation covers, in the producer's words (form section I)"
    ),
    "address": Field(str, help="the producer's street address (form section II)"),
    "city": Field(str, help="the producer's city (form section II)"),
    "state": Field(str, help="state or province (form section II)"),
    "postal_code": Field(str, help="postal code (form section II)"),
    "country": Field(str, help="country (form section II)"),
    "website": Field(str, help="the producer's website (form section II)"),
    "contact_name": Field(str, help="the primary contact's name (form section II)"),
    "contact_title": Field(str, help="the primary contact's title (form section II)"),
    "contact_address": Field(str, help="the primary contact's address (form section II)"),
    "contact_email": Field(str, help="the primary contact's email address (form section II)"),
    "contact_phone": Field(str, help="the primary contact's phone number (form section II)"),
    "signatory_name": Field(
        str, help="who signs the form (section III; the signature date stays blank)"
    ),
    "signatory_title": Field(str, help="the signatory's title (form section III)"),
    "products": Field(list, help="`[[producer.products]]`: the products the form covers"),
    "software_covered": Field(
        str,
        choices=("company-wide", "individual-product", "multiple-products"),
        help="what the attestation covers, as the form's section I choices: company-wide, an "
        "individual product, or multiple products or specific versions",
    ),
    "attested_by": Field(
        str,
        choices=("signatory", "third-party-assessor"),
        help="the form's section III route: the CEO or a designee signs that all requirements "
        "are met, or a third-party assessor (3PAO) evaluated them and the assessment is "
        "attached; unset, the form shows it as to be completed by the signatory",
    ),
    "third_party_assessment": Field(
        str, help="title of the attached 3PAO assessment (form section III, 3PAO route)"
    ),
    "attachments": Field(
        list,
        item_kind=str,
        help="the form's ATTACHMENT(S) lines, each `title: description` (form section III)",
    ),
}
"""Producer details for the CISA Common Form's sections I-III (the signature date stays blank:
the signatory dates the form when signing it). The record's JSON Schema and the documentation
of these keys are derived from this one definition (baseline/project/derive.py)."""

PRODUCT = {
    "name": Field(str, required=True, help="the product's name"),
    "version": Field(str, help="the version attested"),
    "release_date": Field(dt.date, help="its release date (YYYY-MM-DD, unquoted)"),
}

ATTESTATION = {
    "control": Field(str, required=True),
    "statement": Field(str, required=True),
    "by": Field(str, required=True),
    "date": Field(dt.date, required=True),
    "expires": Field(dt.date),
    "evidence": Field(list),
    "urls": Field(list, item_kind=str),
}

EVIDENCE_FILE = {
    "path": Field(str, required=True),
    "sha256": Field(str),
}

WAIVER = {
    "control": Field(str, required=True),
    "reason": Field(str, required=True),
    "mitigation": Field(str, required=True),
    "owner": Field(str, required=True),
    "approver": Field(str, required=True),
    "expires": Field(dt.date, required=True),
    "milestones": Field(list),
}

MILESTONE = {
    "date": Field(dt.date, required=True),
    "description": Field(str, required=True),
}
