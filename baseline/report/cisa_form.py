"""The CISA Common Form pre-fill (Markdown and JSON) and its POA&M (Markdown and CSV).

Written only when the catalog carries the `cisa-common-form` crosswalk.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from baseline.jsontext import pretty
from baseline.report.form_view import TO_BE_COMPLETED, FormView
from baseline.report.interface import Rendered
from baseline.report.templating import environment
from baseline.report.view import STATUS_LABELS, ReportView
from baseline.report.visible import visible

SECTIONS = (
    ("I", "type of attestation and software covered"),
    ("II", "software producer"),
    ("III", "signature"),
)
# A formula starts a cell with = + - @ (TAB and CR are escaped before this applies). A reader in a
# locale whose list separator is `;` splits an unquoted `a;=1+1` into two cells, and one whose
# separator is `,` splits a mis-quoted one the same way: what follows either separator (and any
# blanks) counts as a cell start too.
_FORMULA_START = re.compile(r"(^|[;,])(\s*)(?=[=+\-@])")


def form_document(view: ReportView, form: FormView) -> dict[str, Any]:
    """The JSON pre-fill: producer fields (null when blank), items with status and tasks."""
    return {
        "form": form.id,
        "title": form.title,
        "note": form.note,
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
                p.key: {"label": p.label, "value": p.value if p.provided else None}
                for p in form.producer
                if p.section == section
            }
            for section, _ in SECTIONS
        },
        "blank_fields_note": f"null values are {TO_BE_COMPLETED[1:-1]}",
        "items": [
            {
                "id": i.id,
                "section": i.section,
                "title": i.title,
                "eo14028": list(i.eo14028),
                "attestable": i.attestable,
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


def poam_csv(view: ReportView) -> str:
    """One row per blocking task of every item that cannot be attested."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["item", "item_title", "task", "task_title", "status", "plan", "waiver_reason",
         "waiver_owner", "waiver_expires", "waiver_problem", "milestones",
         "rests_on_repository_config"]
    )  # fmt: skip
    for p in view.poam:
        waivers = {w[0]: w for w in p.waivers}
        for r in p.tasks:
            _, reason, owner, expires, problem = waivers.get(r.id, ("", "", "", "", ""))
            milestones = "; ".join(f"{d}: {text}" for d, task, text in p.milestones if task == r.id)
            row = [p.item, p.title, r.id, r.title, r.status, p.plan, reason, owner, expires,
                   problem, milestones, "; ".join(r.config_claims)]  # fmt: skip
            writer.writerow([_cell(c) for c in row])
    for a in view.accepted:  # one entry per accepted finding: completion is the expiry
        finding = f"{a.rule} at {a.location}" if a.rule else a.fingerprint
        row = ["accepted-finding", finding, ", ".join(a.tasks), a.message, a.state,
               f"accepted, approved by {a.approver}", a.reason, a.owner, a.expires, "", "",
               f"accepted_finding: {a.fingerprint}"]  # fmt: skip
        writer.writerow([_cell(c) for c in row])
    return out.getvalue()


def render_form(view: ReportView) -> Rendered:
    """`cisa-form.md`, `cisa-form.json`, `poam.md`, `poam.csv`; nothing without the crosswalk."""
    form = view.form
    if form is None:
        return {}
    env = environment(html=False)
    common = {"v": view, "f": form, "labels": STATUS_LABELS}
    return {
        "cisa-form.md": env.get_template("cisa-form.md.j2").render(
            sections=SECTIONS, to_be_completed=TO_BE_COMPLETED, **common
        ),
        "cisa-form.json": pretty(form_document(view, form)) + "\n",
        "poam.md": env.get_template("poam.md.j2").render(poam=view.poam, **common),
        "poam.csv": poam_csv(view),
    }
