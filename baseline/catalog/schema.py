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

SEMGREP = {
    "extra_rules": Field(
        list,
        item_kind=str,
        help="semgrep rule files or folders run with the shipped rules (relative to the "
        "repository root for a project config, to the file for a catalog; an id a shipped rule "
        "already has is refused)",
        default=[],
        example=["ci/semgrep/"],
        claim="rules",
    )
}
"""`[semgrep]` (a catalog's or a project config's): rule files or folders added to the shipped
pack (baseline/tools/semgrep_rules.py)."""

_SCOPE_HELP = {
    "product": ("globs of the product: they win over every other label's", "src/**"),
    "test": ("globs of test code, on top of the defaults (`**/tests/**`, ...)", "qa/**"),
    "fixture": ("globs of test data and fixtures", "data/**"),
    "example": ("globs of examples and samples", "demo/**"),
    "docs": ("globs of documentation", "manual/**"),
    "vendored": ("globs of vendored third-party code", "external/**"),
}
SCOPE = {
    **{
        label: Field(
            list,
            item_kind=str,
            help=text,
            default=[],
            example=[glob],
            claim="scope",
            record="results[].config_claims[].detail",
        )  # fmt: skip
        for label, (text, glob) in _SCOPE_HELP.items()
    },
    "failing": Field(
        list,
        item_kind=str,
        help="the labels whose findings fail a check (the others are reported, labelled)",
        default=["product"],
        example=["product", "vendored"],
        claim="scope",
        record="results[].config_claims[].detail",
    ),
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
    "control": Field(
        str, required=True, help="the task that does not apply", example="PW.6.1",
        record="results[].control_id", claim="not_applicable",
    ),
    "reason": Field(
        str, required=True, help="why it does not apply (not empty)",
        example="Interpreted language: no compiler or build flags.",
        record="results[].control.not_applicable",
    ),
}  # fmt: skip

PARAMS_OVERRIDE = {
    "control": Field(
        str, required=True, help="the task whose check takes the parameters", example="PS.1.1",
        record="results[].control_id", claim="param",
    ),
    "check": Field(
        str, required=True, help="the check, as attached to that task in the catalog",
        example="repo.no_binary_artifacts", record="check_runs[].check",
    ),
    "params": Field(
        dict, required=True,
        help="parameter values laid over the catalog's (`baseline catalog show` lists them)",
        example={"allow": ["docs/*.png"]}, record="check_runs[].overrides",
    ),
}  # fmt: skip

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
