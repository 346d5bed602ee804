"""The built-in catalogs: counts, official IDs, and the CISA form crosswalk."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from baseline.catalog.loader import builtin_ids, load_catalog
from baseline.models import AttestationLevel

V11_TASKS = {
    "PO.1.1", "PO.1.2", "PO.1.3", "PO.2.1", "PO.2.2", "PO.2.3", "PO.3.1", "PO.3.2", "PO.3.3",
    "PO.4.1", "PO.4.2", "PO.5.1", "PO.5.2", "PS.1.1", "PS.2.1", "PS.3.1", "PS.3.2", "PW.1.1",
    "PW.1.2", "PW.1.3", "PW.2.1", "PW.4.1", "PW.4.2", "PW.4.4", "PW.5.1", "PW.6.1", "PW.6.2",
    "PW.7.1", "PW.7.2", "PW.8.1", "PW.8.2", "PW.9.1", "PW.9.2", "RV.1.1", "RV.1.2", "RV.1.3",
    "RV.2.1", "RV.2.2", "RV.3.1", "RV.3.2", "RV.3.3", "RV.3.4",
}  # fmt: skip
V12_ADDED = {"PO.6.1", "PO.6.2", "PO.6.3", "PS.4.1", "PS.4.2", "PS.4.3", "PS.4.4"}
FORM_UNCITED = {"PO.1.2", "PO.2.1", "PO.2.2", "PO.2.3", "PW.1.1", "PW.1.2", "PW.1.3", "PW.4.2",
                "RV.3.1", "RV.3.2", "RV.3.4"}  # fmt: skip


def test_builtin_ids_are_listed() -> None:
    assert builtin_ids() == ["ssdf-1.1", "ssdf-1.2-draft"]
    assert builtin_ids("crosswalk") == ["cisa-common-form"]


@pytest.mark.parametrize(
    ("ident", "tasks", "practices", "status"),
    [("ssdf-1.1", 42, 19, "final"), ("ssdf-1.2-draft", 49, 21, "draft")],
)
def test_show_json_counts(run_cli, ident: str, tasks: int, practices: int, status: str) -> None:
    code, out, _ = run_cli("catalog", "show", ident, "--format", "json")
    assert code == 0
    listing = json.loads(out)
    controls = listing["controls"]
    assert listing["id"] == ident and listing["status"] == status
    assert len(controls) == tasks
    assert len({c["practice"] for c in controls}) == practices
    assert {c["group"] for c in controls} == {"PO", "PS", "PW", "RV"}
    assert all(c["title"] and c["id"].startswith(c["practice"] + ".") for c in controls)


def test_v11_has_exactly_the_official_ids() -> None:
    catalog = load_catalog("ssdf-1.1")
    assert {c.id for c in catalog.controls} == V11_TASKS
    per_group = Counter(c.group for c in catalog.controls)
    assert per_group == {"PO": 13, "PS": 4, "PW": 16, "RV": 9}


def test_v12_draft_adds_po6_and_ps4() -> None:
    draft = load_catalog("ssdf-1.2-draft")
    assert {c.id for c in draft.controls} == V11_TASKS | V12_ADDED
    assert not any(c.eo14028 for c in draft.controls)


def test_form_crosswalk_agrees_with_tasks() -> None:
    catalog = load_catalog("ssdf-1.1")
    form = catalog.crosswalk("cisa-common-form")
    assert form is not None
    assert [i.id for i in form.items] == [
        "1a",
        "1b",
        "1c",
        "1d",
        "1e",
        "1f",
        "2",
        "3",
        "4a",
        "4b",
        "4c",
    ]
    cited = {t for item in form.items for t in item.tasks}
    assert cited == V11_TASKS - FORM_UNCITED
    for control in catalog.controls:
        assert set(control.form_items) == {i.id for i in form.items if control.id in i.tasks}


def test_every_task_has_prose_and_remediation() -> None:
    for control in load_catalog("ssdf-1.1").controls:
        assert len(control.summary) > 40, control.id
        assert len(control.remediation) > 20, control.id
        assert control.attestation in AttestationLevel
