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
    "name": Field(str, required=True),
    "attestation_type": Field(str, choices=("new", "revised", "extension")),
    "scope": Field(str),
    "address": Field(str),
    "city": Field(str),
    "state": Field(str),
    "postal_code": Field(str),
    "country": Field(str),
    "website": Field(str),
    "contact_name": Field(str),
    "contact_title": Field(str),
    "contact_address": Field(str),
    "contact_email": Field(str),
    "contact_phone": Field(str),
    "signatory_name": Field(str),
    "signatory_title": Field(str),
    "products": Field(list),
}
"""Producer details for the CISA Common Form's sections I-III (the signature date stays blank:
the signatory dates the form when signing it)."""

PRODUCT = {
    "name": Field(str, required=True),
    "version": Field(str),
    "release_date": Field(dt.date),
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
