"""The CISA form view quotes the form's own wording, verbatim, and marks our paraphrase as ours.

The reference is tests/fixtures/cisa/cisa-form-reference.md: the form's text (final, March 2024)
as the project's reference collected it from public transcriptions (a U.S. Government work).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from report_sample import sample_assessment

from baseline.catalog.loader import load_catalog
from baseline.models import (
    Assessment,
    CheckOutcome,
    ControlStatus,
    Evidence,
    Finding,
    Milestone,
    Result,
    Severity,
    Waiver,
)
from baseline.report import form_text
from baseline.report.mdtext import md as md_text
from baseline.report.view import build_view
from baseline.report.write import render_all

REFERENCE = Path(__file__).parent / "fixtures" / "cisa" / "cisa-form-reference.md"
CATALOG = load_catalog("ssdf-1.1")
CROSSWALK = CATALOG.crosswalk("cisa-common-form")
assert CROSSWALK is not None
ITEMS = {i.id: i for i in CROSSWALK.items}


def _reference_rows() -> dict[str, str]:
    """Item id -> the form's text, from the reference's table."""
    rows = {}
    for line in REFERENCE.read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 3 and re.fullmatch(r"\d[a-f]?", cells[1]):
            rows[cells[1]] = cells[2]
    return rows


def _flat_reference() -> str:
    return " ".join(REFERENCE.read_text("utf-8").split())


def assessment_with(statuses: dict[str, ControlStatus], **evidence: Any) -> Assessment:
    """The shipped SSDF 1.1 catalog, every task `pass` unless given."""
    results = tuple(
        Result(c, statuses.get(c.id, ControlStatus.PASS), "as set by the test",
               evidence.get(c.id.replace(".", "_"), ()))
        for c in CATALOG.controls
    )  # fmt: skip
    return replace(sample_assessment(), catalog=CATALOG, results=results)


def test_every_item_is_the_forms_wording_verbatim() -> None:
    rows = _reference_rows()
    assert set(rows) == {"1", "1a", "1b", "1c", "1d", "1e", "1f", "2", "3", "4"}
    for ident, item in ITEMS.items():
        if ident in rows:
            assert item.text == rows[ident], ident
    for sub in ("1a", "1b", "1c", "1d", "1e", "1f"):
        assert ITEMS[sub].lead == rows["1"], sub
    item4 = ITEMS["4a"].lead + "".join(f" {x}) {ITEMS['4' + x].text}" for x in "abc")
    assert item4 == rows["4"]
    assert ITEMS["4b"].lead == ITEMS["4c"].lead == ITEMS["4a"].lead
    # The qualifiers the issue found dropped are there.
    assert "or comparable processes" in ITEMS["4a"].lead
    assert "consistent and reasonable steps" in ITEMS["1d"].text and "undue" in ITEMS["1d"].text
    assert "to the greatest extent feasible" in ITEMS["3"].text


def test_section_three_text_is_the_forms() -> None:
    flat = _flat_reference()
    for text in (form_text.SECTION_III_LEAD, form_text.NOTIFY_AGENCIES,
                 form_text.SIGNATURE_LABEL, form_text.THIRD_PARTY_ASSESSOR,
                 form_text.ATTACHMENTS_LABEL):  # fmt: skip
        assert text in flat, text


def _known_form_texts(company: str = "") -> set[str]:
    lead = form_text.SECTION_III_LEAD
    if company:
        lead = lead.replace(form_text.PRODUCER_PLACEHOLDER, company)
    texts = {i.text for i in ITEMS.values()} | {i.lead for i in ITEMS.values() if i.lead}
    return texts | {lead, form_text.NOTIFY_AGENCIES, *form_text.ATTESTED_BY_FORM.values()}


def test_the_markdown_marks_whose_words_are_whose() -> None:
    md = render_all(assessment_with({}), ["form"])["cisa-form.md"]
    quoted = re.findall(r"^> \*\*Form:\*\* (.*)$", md, re.MULTILINE)
    unescaped = {re.sub(r"\\([\[\]])", r"\1", q) for q in quoted}
    # Everything marked as the form's is the form's, and all of the form's text is there.
    assert unescaped == _known_form_texts()
    for item in ITEMS.values():
        assert f"**In short (ours):** {item.title}" in md
        assert f"Form:** {item.title}" not in md
    doc = json.loads(render_all(assessment_with({}), ["form"])["cisa-form.json"])
    assert {i["id"]: i["text"] for i in doc["items"]} == {k: v.text for k, v in ITEMS.items()}
    assert "ours" in doc["wording"]["title"]


def test_section_three_choice_is_never_guessed() -> None:
    unset = render_all(assessment_with({}), ["form"])
    assert "Which applies: _(to be completed by the signatory)_" in unset["cisa-form.md"]
    assert "[x]" not in unset["cisa-form.md"]
    assert json.loads(unset["cisa-form.json"])["section_iii"]["route"] is None
    producer = {"name": "Acme Corp", "attested_by": "third-party-assessor",
                "third_party_assessment": "Assessment by Example 3PAO, 2026-02-01"}  # fmt: skip
    chosen = render_all(assessment_with({}), ["form"], producer=producer)
    md = chosen["cisa-form.md"]
    assert "[x] **In short (ours):** Verified by a third-party assessor" in md
    assert "[ ] **In short (ours):** All requirements met" in md
    assert "Assessment attached: Assessment by Example 3PAO, 2026-02-01" in md
    assert "(to be completed by the signatory)" not in md
    assert f"> **Form:** {form_text.NOTIFY_AGENCIES}" in md
    assert "to the best of my knowledge, Acme Corp presently makes" in md
    three = json.loads(chosen["cisa-form.json"])["section_iii"]
    assert three["route"] == "third-party-assessor" and three["notify_agencies"]
    html = render_all(assessment_with({}), ["html"], producer=producer)["report.html"]
    assert "[x] <strong>In short (ours):</strong> Verified by a third-party assessor" in html


PRODUCER = {
    "name": "Acme Corp", "attestation_type": "extension", "software_covered": "multiple-products",
    "scope": "Acme Payments 4.x", "address": "1 Main St", "city": "Springfield",
    "state": "IL", "postal_code": "62701", "country": "USA", "website": "https://acme.example",
    "contact_name": "Pat Lee", "contact_title": "PSIRT lead", "contact_address": "2 Main St",
    "contact_email": "psirt@acme.example", "contact_phone": "+1 555 0100",
    "signatory_name": "Jane Doe", "signatory_title": "CEO", "attested_by": "signatory",
    "attachments": ["SBOM: CycloneDX for 4.2"],
    "products": [{"name": "Acme Payments", "version": "4.2", "release_date": "2026-05-01"}],
}  # fmt: skip


def test_every_section_one_and_two_field_is_settable_and_shown() -> None:
    files = render_all(assessment_with({}), ["form"], producer=PRODUCER)
    md, doc = files["cisa-form.md"], json.loads(files["cisa-form.json"])
    for key, value in PRODUCER.items():
        if isinstance(value, str) and key not in (
            "attestation_type",
            "software_covered",
            "attested_by",
        ):
            assert md_text(value) in md, key
    assert "[x] **In short (ours):** All requirements met" in md
    assert "[x] Attestation following extension or waiver" in md
    assert "[x] Multiple products or specific versions" in md and "[ ] Company-wide" in md
    assert "| Software name | Acme Payments |" in md and "- SBOM: CycloneDX for 4.2" in md
    section_one = doc["sections"]["I"]
    assert section_one["software_covered"]["value"] == "multiple-products"
    assert [c["form_label"] for c in section_one["software_covered"]["choices"]] == list(
        form_text.SOFTWARE_COVERED.values()
    )
    blank = [k for s in ("I", "II") for k, f in doc["sections"][s].items() if f["value"] is None]
    assert blank == []


def test_each_sub_item_has_its_own_tasks_and_4c_is_not_blocked_by_compiler_settings() -> None:
    item4 = [re.sub(r"^([A-Z]{2}) ", r"\1.", t) for t in ITEMS["4a"].form_tasks]
    assert set().union(*(ITEMS[x].tasks for x in ("4a", "4b", "4c"))) == set(item4)
    assert set(ITEMS["4c"].tasks) == {"RV.1.1", "RV.1.3", "RV.2.1", "RV.2.2"}
    for ident, item in ITEMS.items():
        cited = [re.sub(r"^([A-Z]{2}) ", r"\1.", t) for t in item.form_tasks]
        assert bool(item.mapping_note) == (list(item.tasks) != cited), ident
    failing = {"PW.6.1": ControlStatus.FAIL, "PW.6.2": ControlStatus.FAIL}
    form = build_view(assessment_with(failing)).form
    assert form is not None
    attestable = {i.id: i.attestable for i in form.items}
    assert attestable["4c"] and not attestable["4a"] and attestable["4b"]


def test_the_docs_table_shows_each_items_mapping() -> None:
    doc = (Path(__file__).parent.parent / "docs" / "cisa-form.md").read_text("utf-8")
    for item in ITEMS.values():
        row = f"| {item.id} | {', '.join(item.tasks)} | "
        assert row in doc, row
        assert ("ours" in doc.split(row, 1)[1].split("\n", 1)[0]) == bool(item.mapping_note)


BANDIT = Evidence(
    "sast.bandit", CheckOutcome.FAIL, "bandit found 1 issue",
    findings=(Finding("B602", "shell=True", Severity.HIGH, "app/run.py", 3, "a" * 32, "bandit"),),
)  # fmt: skip


@pytest.mark.parametrize("fmt", ["poam.csv", "poam.md"])
def test_one_entry_per_weakness_however_many_items_it_touches(fmt: str) -> None:
    statuses = {"PO.5.1": ControlStatus.NEEDS_REVIEW, "PW.5.1": ControlStatus.FAIL,
                "PW.7.2": ControlStatus.FAIL}  # fmt: skip
    assessment = assessment_with(statuses, PW_5_1=(BANDIT,), PW_7_2=(BANDIT,))
    poam = build_view(assessment).poam
    assert [(p.id, [t.id for t in p.tasks], p.items) for p in poam] == [
        ("check:sast.bandit", ["PW.5.1", "PW.7.2"], ("4a", "4b")),
        ("attest:PO.5.1", ["PO.5.1"], ("1a", "1b", "1c", "1d", "1f", "2", "3")),
    ]
    text = render_all(assessment, ["form"])[fmt]
    assert text.count("attest:PO.5.1") == (2 if fmt == "poam.md" else 1)  # table + section


def test_a_waiver_is_one_entry_with_its_plan_and_an_expired_one_stays_open() -> None:
    waiver = Waiver(
        "PO.5.1", "build hosts move to a new provider", "builds run on ephemeral runners",
        "platform-team", "ciso", dt.date(2026, 3, 31),
        (Milestone(dt.date(2026, 2, 1), "new provider contracted"),),
    )  # fmt: skip
    base = assessment_with({})
    results = tuple(
        replace(r, status=ControlStatus.WAIVED, waiver=waiver) if r.control.id == "PO.5.1" else r
        for r in base.results
    )
    poam = build_view(replace(base, results=results)).poam
    assert len(poam) == 1
    (entry,) = poam
    assert entry.id == "waiver:PO.5.1" and entry.items == ("1a", "1b", "1c", "1d", "1f", "2", "3")
    assert (entry.plan, entry.owner, entry.approver, entry.scheduled) == (
        "builds run on ephemeral runners", "platform-team", "ciso", "2026-03-31",
    )  # fmt: skip
    assert entry.milestones == (("2026-02-01", "new provider contracted"),)
    assert entry.status == "risk accepted until 2026-03-31 (waiver)"
    expired = tuple(
        replace(r, status=ControlStatus.FAIL, waiver_problems=("expired on 2026-03-31",))
        if r.waiver
        else r
        for r in results
    )
    (entry,) = build_view(replace(base, results=expired)).poam
    assert entry.status == "open: the waiver is not in force (expired on 2026-03-31)"
    assert entry.has_plan and entry.plan == "builds run on ephemeral runners"
