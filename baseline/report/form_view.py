"""The CISA Common Form view (sections I-III) and its plan of action and milestones (POA&M).

The form is presented as agency-requested evidence: OMB M-26-05 withdrew the memos that made
it mandatory (the crosswalk's `note` says so). Producer details come from the project config;
a field nobody filled in is shown as blank, never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from baseline.models import Assessment, ControlStatus
from baseline.report.task_view import TaskView

FORM_CROSSWALK = "cisa-common-form"
TO_BE_COMPLETED = "(to be completed by the producer)"
ATTESTABLE_STATUSES = frozenset(
    {ControlStatus.PASS.value, ControlStatus.ATTESTED.value, ControlStatus.NOT_APPLICABLE.value}
)

PRODUCER_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("I", "attestation_type", "Type of attestation (new, revised, or extension)"),
    ("I", "scope", "Scope (the entire company's software, or the products listed)"),
    ("I", "product_name", "Software name"),
    ("I", "product_version", "Version number(s)"),
    ("I", "release_date", "Release or publish date"),
    ("II", "company_name", "Company name"),
    ("II", "address", "Address"),
    ("II", "city", "City"),
    ("II", "state", "State or province"),
    ("II", "postal_code", "Postal code"),
    ("II", "country", "Country"),
    ("II", "website", "Company website"),
    ("II", "contact_name", "Primary contact: name"),
    ("II", "contact_title", "Primary contact: title"),
    ("II", "contact_address", "Primary contact: address"),
    ("II", "contact_phone", "Primary contact: phone"),
    ("II", "contact_email", "Primary contact: email"),
    ("III", "signatory_name", "Signatory (CEO or designee): name"),
    ("III", "signatory_title", "Signatory: title"),
    ("III", "signature_date", "Date of signature"),
)
"""(form section, config key, label) of every producer field the form asks for."""


@dataclass(frozen=True)
class ProducerField:
    """One producer-supplied field: its value, or blank and marked as still to complete."""

    section: str
    key: str
    label: str
    value: str
    provided: bool


@dataclass(frozen=True)
class TaskRef:
    """A task as a form item lists it."""

    id: str
    anchor: str
    title: str
    status: str
    automated: bool
    """Whether the task has automated checks (otherwise only a person's attestation meets it)."""
    config_claims: tuple[str, ...] = ()
    """`kind at file:line: detail` for what the status rests on from the repository's config."""


@dataclass(frozen=True)
class FormItemView:
    """One section III item: attestable iff every task is pass, attested or not applicable."""

    id: str
    section: str
    title: str
    eo14028: tuple[str, ...]
    attestable: bool
    tasks: tuple[TaskRef, ...]
    blocking: tuple[TaskRef, ...]
    """Tasks that keep the item from being attestable."""
    counts: tuple[tuple[str, int], ...]

    @property
    def automated(self) -> tuple[TaskRef, ...]:
        """The item's tasks that automated checks evidence."""
        return tuple(r for r in self.tasks if r.automated)


@dataclass(frozen=True)
class FormView:
    """The form pre-fill: producer fields (sections I and II) and section III items."""

    id: str
    title: str
    note: str
    producer: tuple[ProducerField, ...]
    items: tuple[FormItemView, ...]
    attestable_count: int
    missing_producer_fields: int


@dataclass(frozen=True)
class PoamEntry:
    """A form item that cannot be attested yet, with what blocks it and the plans recorded."""

    item: str
    title: str
    tasks: tuple[TaskRef, ...]
    waivers: tuple[tuple[str, str, str, str, str], ...]
    """(task, reason, owner, expires, problem or empty) per blocking task with a waiver."""
    milestones: tuple[tuple[str, str, str], ...]
    """(date, task, description) sorted by date then task."""
    plan: str
    """Whether waivers cover the blocking tasks: every one, some, or none (`no plan recorded`)."""


def _item(
    item_id: str,
    section: str,
    title: str,
    eo: tuple[str, ...],
    tasks: Sequence[TaskView],
    statuses: tuple[str, ...],
) -> FormItemView:
    refs = tuple(
        TaskRef(
            t.id,
            t.anchor,
            t.title,
            t.status,
            t.automated,
            tuple(f"{kind} at {where}: {detail}" for kind, where, detail in t.config_claims),
        )  # fmt: skip
        for t in tasks
    )
    blocking = tuple(r for r in refs if r.status not in ATTESTABLE_STATUSES)
    counts = tuple((s, sum(1 for r in refs if r.status == s)) for s in statuses)
    return FormItemView(item_id, section, title, eo, not blocking, refs, blocking, counts)


def form_producer(producer: Mapping[str, Any]) -> dict[str, str]:
    """The form's producer fields from the project config's `[producer]` table.

    The config names the company `name` and lists `products` (name, version, release date);
    the form wants one line per field, so several products are joined with "; ".
    """
    values = {k: str(v).strip() for k, v in producer.items() if isinstance(v, str)}
    if "name" in values:
        values.setdefault("company_name", values.pop("name"))
    products = [p for p in producer.get("products", ()) if isinstance(p, Mapping)]
    for form_key, product_key in (
        ("product_name", "name"),
        ("product_version", "version"),
        ("release_date", "release_date"),
    ):
        joined = "; ".join(str(p[product_key]) for p in products if p.get(product_key))
        if joined:
            values.setdefault(form_key, joined)
    return values


def build_form(
    assessment: Assessment, tasks: Sequence[TaskView], producer: Mapping[str, Any]
) -> FormView | None:
    """The form view when the catalog carries the CISA crosswalk; None otherwise."""
    crosswalk = assessment.catalog.crosswalk(FORM_CROSSWALK)
    if crosswalk is None:
        return None
    by_id = {t.id: t for t in tasks}
    statuses = tuple(s.value for s in ControlStatus)
    items = tuple(
        _item(
            i.id,
            i.section,
            i.title,
            i.eo14028,
            [by_id[t] for t in i.tasks if t in by_id],
            statuses,
        )
        for i in crosswalk.items
    )
    values = form_producer(producer)
    fields = tuple(
        ProducerField(sec, key, label, values.get(key, ""), bool(values.get(key)))
        for sec, key, label in PRODUCER_FIELDS
    )
    return FormView(
        id=crosswalk.id,
        title=crosswalk.title,
        note=crosswalk.note,
        producer=fields,
        items=items,
        attestable_count=sum(1 for i in items if i.attestable),
        missing_producer_fields=sum(1 for f in fields if not f.provided),
    )


def _poam_entry(item: FormItemView, by_id: Mapping[str, TaskView]) -> PoamEntry:
    waivers: list[tuple[str, str, str, str, str]] = []
    milestones: list[tuple[str, str, str]] = []
    for ref in item.blocking:
        task = by_id[ref.id]
        if not task.waiver:
            continue
        w = dict(task.waiver)
        problem = "; ".join(task.waiver_problems)
        waivers.append((ref.id, w["Reason"], w["Owner"], w["Expires"], problem))
        milestones.extend((date, ref.id, text) for date, text in task.waiver_milestones)
    if not waivers:
        plan = "no plan recorded"
    elif len(waivers) == len(item.blocking):
        plan = "waiver recorded for every blocking task"
    else:
        plan = f"waivers recorded for {len(waivers)} of {len(item.blocking)} blocking tasks"
    return PoamEntry(
        item=item.id,
        title=item.title,
        tasks=item.blocking,
        waivers=tuple(waivers),
        milestones=tuple(sorted(milestones)),
        plan=plan,
    )


def build_poam(form: FormView, tasks: Sequence[TaskView]) -> tuple[PoamEntry, ...]:
    """One entry per form item that cannot be attested, in form order."""
    by_id = {t.id: t for t in tasks}
    return tuple(_poam_entry(i, by_id) for i in form.items if not i.attestable)
