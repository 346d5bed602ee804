"""The CISA Common Form pre-fill (Markdown and JSON) and its POA&M (Markdown and CSV).

Written only when the catalog carries the `cisa-common-form` crosswalk. The CSV keeps the
FedRAMP POA&M template's column names so that agencies' spreadsheets and importers map it
(docs/cisa-form.md lists which we fill); it is written with the standard `csv` module, and
every cell is defused against formula injection here, since no CSV library does that.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from baseline.jsontext import pretty
from baseline.report.form_view import TO_BE_COMPLETED, TO_BE_COMPLETED_BY_SIGNATORY, FormView
from baseline.report.interface import Rendered
from baseline.report.poam_view import PLAN_TO_BE_WRITTEN, PoamEntry
from baseline.report.templating import environment
from baseline.report.view import STATUS_LABELS, ReportView
from baseline.report.visible import visible

SECTIONS = (
    ("I", "type of attestation and software covered"),
    ("II", "software producer"),
    ("III", "signature"),
)
WORDING = {
    "text": "the form's own wording, verbatim (for a sub-item, `lead` is its parent item's)",
    "title": "ours: a paraphrase to help reading, not the form's wording",
}
BOM = "\ufeff"
FEDRAMP_COLUMNS = (
    "POAM ID", "Controls", "Weakness Name", "Weakness Description", "Weakness Detector Source",
    "Weakness Source Identifier", "Asset Identifier", "Point of Contact", "Resources Required",
    "Overall Remediation Plan", "Original Detection Date", "Scheduled Completion Date",
    "Planned Milestones", "Milestone Changes", "Status Date", "Vendor Dependency",
    "Last Vendor Check-in Date", "Vendor Dependent Product Name", "Original Risk Rating",
    "Adjusted Risk Rating", "Risk Adjustment", "False Positive", "Operational Requirement",
    "Deviation Rationale", "Supporting Documents", "Comments", "Auto-Approve",
)  # fmt: skip
"""The FedRAMP POA&M template's open-items columns A-AA, names kept (docs/cisa-form.md says
which we fill; the others stay blank for the producer)."""
OUR_COLUMNS = ("Status", "Approver", "CISA Form Items", "Repository Config Claims")
"""Appended after the template's columns, which the template allows (it forbids changing them)."""
POAM_COLUMNS = FEDRAMP_COLUMNS + OUR_COLUMNS
# A formula starts a cell with = + - @ (TAB and CR are escaped before this applies). A reader in a
# locale whose list separator is `;` splits an unquoted `a;=1+1` into two cells, and one whose
# separator is `,` splits a mis-quoted one the same way: what follows either separator (and any
# blanks) counts as a cell start too.
_FORMULA_START = re.compile(r"(^|[;,])(\s*)(?=[=+\-@])")


def _section_three(form: FormView) -> dict[str, Any] | None:
    three = form.section_three
    if three is None:
        return None
    return {
        "lead": three.lead,
        "notify_agencies": three.notify,
        "routes": [
            {"value": value, "ours": ours, "form_text": text, "chosen": chosen}
            for value, ours, text, chosen in three.routes
        ],
        "route": next((r[0] for r in three.routes if r[3]), None),
        "third_party_assessment": three.third_party_assessment or None,
        "signature_label": three.signature_label,
        "attachments": list(three.attachments),
    }


def form_document(view: ReportView, form: FormView) -> dict[str, Any]:
    """The JSON pre-fill: producer fields (null when blank), items with the form's own wording
    (`text`, `lead`), our paraphrase (`title`), status and tasks, and section III's text."""
    return {
        "form": form.id,
        "title": form.title,
        "note": form.note,
        "wording": WORDING,
        "assessment": {
            "target": view.target,
            "commit": view.commit or None,
            "catalog": view.catalog_id,
            "catalog_digest": view.catalog_digest,
            "generated_at": view.generated_at,
            "generator_version": view.generator_version,
            "repository_config": view.config_line,
        },
        "sections": {
            section: {
                p.key: {
                    "label": p.label,
                    "value": p.value if p.provided else None,
                    **(
                        {
                            "choices": [
                                {"value": k, "form_label": t, "chosen": c} for k, t, c in p.choices
                            ]
                        }  # fmt: skip
                        if p.choices
                        else {}
                    ),
                }
                for p in form.producer
                if p.section == section
            }
            for section, _ in SECTIONS
        },
        "blank_fields_note": f"null values are {TO_BE_COMPLETED[1:-1]}",
        "section_iii": _section_three(form),
        "items": [
            {
                "id": i.id,
                "section": i.section,
                "text": i.text or None,
                "lead": i.lead or None,
                "title": i.title,
                "eo14028": list(i.eo14028),
                "attestable": i.attestable,
                "form_tasks": list(i.form_tasks),
                "mapping_note": i.mapping_note or None,
                "tasks": [
                    {
                        "id": r.id,
                        "title": r.title,
                        "status": r.status,
                        "automated": r.automated,
                        "rests_on_repository_config": list(r.config_claims),
                    }
                    for r in i.tasks
                ],
                "blocking_tasks": [r.id for r in i.blocking],
                "automated_tasks": [r.id for r in i.automated],
            }
            for i in form.items
        ],
        "attestable_items": form.attestable_count,
    }


def _cell(value: str) -> str:
    """A cell no spreadsheet evaluates: controls shown as escapes, every formula start quoted."""
    text = visible(value).replace("\n", "\\n").replace("\t", "\\t")
    return _FORMULA_START.sub(r"\1\2'", text)


def _row(view: ReportView, p: PoamEntry) -> dict[str, str]:
    claims = dict.fromkeys(c for r in p.tasks for c in r.config_claims)
    comments = [f"Suggested (catalog): {text}" for text in p.remediation]
    return {
        "POAM ID": p.id,
        "Controls": ", ".join(r.id for r in p.tasks),
        "Weakness Name": p.name,
        "Weakness Description": p.description,
        "Weakness Detector Source": p.detector,
        "Weakness Source Identifier": p.source_id,
        "Asset Identifier": f"{view.target} @ {view.commit}" if view.commit else view.target,
        "Point of Contact": p.owner,
        "Overall Remediation Plan": p.plan,
        "Original Detection Date": p.detected,
        "Scheduled Completion Date": p.scheduled,
        "Planned Milestones": "; ".join(f"{d}: {text}" for d, text in p.milestones),
        "Status Date": p.detected,
        "Original Risk Rating": p.risk,
        "Deviation Rationale": p.reason,
        "Supporting Documents": "; ".join(f"report.html#{r.anchor}" for r in p.tasks),
        "Comments": "; ".join(comments),
        "Status": p.status,
        "Approver": p.approver,
        "CISA Form Items": ", ".join(p.items),
        "Repository Config Claims": "; ".join(claims),
    }


def poam_csv(view: ReportView) -> str:
    """One row per weakness, in the FedRAMP POA&M template's columns (then ours), UTF-8 with a
    byte-order mark so that spreadsheets read it as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(POAM_COLUMNS)
    for p in view.poam:
        row = _row(view, p)
        writer.writerow([_cell(row.get(column, "")) for column in POAM_COLUMNS])
    return BOM + out.getvalue()


def render_form(view: ReportView) -> Rendered:
    """`cisa-form.md`, `cisa-form.json`, `poam.md`, `poam.csv`; nothing without the crosswalk."""
    form = view.form
    if form is None:
        return {}
    env = environment(html=False)
    common = {"v": view, "f": form, "labels": STATUS_LABELS}
    return {
        "cisa-form.md": env.get_template("cisa-form.md.j2").render(
            sections=SECTIONS,
            to_be_completed=TO_BE_COMPLETED,
            by_signatory=TO_BE_COMPLETED_BY_SIGNATORY,
            **common,
        ),
        "cisa-form.json": pretty(form_document(view, form)) + "\n",
        "poam.md": env.get_template("poam.md.j2").render(
            poam=view.poam,
            to_be_written=PLAN_TO_BE_WRITTEN,
            to_be_completed=TO_BE_COMPLETED,
            **common,
        ),
        "poam.csv": poam_csv(view),
    }
