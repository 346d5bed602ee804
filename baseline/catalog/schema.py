"""The fields each table of a catalog or crosswalk file may hold."""

from __future__ import annotations

from baseline.catalog.fields import Field

ATTESTATION_LEVELS = ("required", "optional", "none")

CATALOG_FILE = {
    "catalog": Field(dict, required=True),
    "groups": Field(list),
    "practices": Field(list),
    "controls": Field(list),
    "not_applicable": Field(list),
    "params": Field(list),
    "scope": Field(dict),
    "semgrep": Field(dict),
}

SEMGREP = {"extra_rules": Field(list, item_kind=str)}
"""`[semgrep]` (a catalog's or a project config's): rule files or folders added to the shipped
pack (baseline/checks/semgrep_rules.py)."""

SCOPE = {
    label: Field(list, item_kind=str)
    for label in ("product", "test", "fixture", "example", "docs", "vendored", "failing")
}
"""`[scope]` (a catalog's or a project config's): extra globs per label (baseline/scope.py),
and the labels whose findings fail."""

CATALOG = {
    "id": Field(str, required=True),
    "title": Field(str, required=True),
    "version": Field(str, required=True),
    "status": Field(str, required=True, choices=("final", "draft")),
    "published": Field(str),
    "source": Field(str),
    "description": Field(str),
    "crosswalks": Field(list, item_kind=str),
    "extends": Field(str),
}

GROUP = {
    "id": Field(str, required=True),
    "title": Field(str, required=True),
    "summary": Field(str),
}

PRACTICE = {
    "id": Field(str, required=True),
    "group": Field(str, required=True),
    "title": Field(str, required=True),
    "summary": Field(str),
}

CONTROL = {
    "id": Field(str, required=True),
    "practice": Field(str, required=True),
    "title": Field(str, required=True),
    "summary": Field(str, required=True),
    "attestation": Field(str, required=True, choices=ATTESTATION_LEVELS),
    "remediation": Field(str, required=True),
    "eo14028": Field(list, item_kind=str),
    "form_items": Field(list, item_kind=str),
    "references": Field(list, item_kind=str),
    "checks": Field(list),
}

CONTROL_CHECK = {
    "id": Field(str, required=True),
    "params": Field(dict),
}

NOT_APPLICABLE = {
    "control": Field(str, required=True),
    "reason": Field(str, required=True),
}

PARAMS_OVERRIDE = {
    "control": Field(str, required=True),
    "check": Field(str, required=True),
    "params": Field(dict, required=True),
}

CROSSWALK_FILE = {
    "crosswalk": Field(dict, required=True),
    "items": Field(list),
}

CROSSWALK = {
    "id": Field(str, required=True),
    "title": Field(str, required=True),
    "catalog": Field(str, required=True),
    "note": Field(str),
}

CROSSWALK_ITEM = {
    "id": Field(str, required=True),
    "title": Field(str, required=True),
    "section": Field(str),
    "eo14028": Field(list, item_kind=str),
    "tasks": Field(list, required=True, item_kind=str),
    "text": Field(str),
    "lead": Field(str),
    "form_tasks": Field(list, item_kind=str),
    "mapping_note": Field(str),
}
"""`text` is the framework's own wording (verbatim), `lead` its parent item's stem, `title` our
paraphrase; `form_tasks` the framework's own mapping as printed, `mapping_note` why `tasks`
differs from it."""
