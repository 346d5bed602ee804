"""The CISA Common Form view: sections I-III, the form's own wording beside our paraphrase.

The form is presented as agency-requested evidence: OMB M-26-05 withdrew the memos that made
it mandatory (the crosswalk's `note` says so). Producer details and the producer's choices
(type of attestation, software covered, the section III route) come from the project config;
a field or choice nobody filled in is shown as still to be completed, never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from baseline.models import Assessment, ControlStatus
from baseline.report import form_text
from baseline.report.task_view import TaskView

FORM_CROSSWALK = "cisa-common-form"
TO_BE_COMPLETED = "(to be completed by the producer)"
TO_BE_COMPLETED_BY_SIGNATORY = "(to be completed by the signatory)"
ATTESTABLE_STATUSES = frozenset(
    {ControlStatus.PASS.value, ControlStatus.ATTESTED.value, ControlStatus.NOT_APPLICABLE.value}
)

PRODUCER_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("I", "attestation_type", "Type of attestation"),
    ("I", "software_covered", "Software covered"),
    ("I", "scope", "Software covered, in the producer's words (ours: not a form field)"),
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
    ("II", "contact_title", "Primary contact: title or role"),
    ("II", "contact_address", "Primary contact: address"),
    ("II", "contact_phone", "Primary contact: phone"),
    ("II", "contact_email", "Primary contact: email"),
    ("III", "signatory_name", "Signatory (CEO or designee): name"),
    ("III", "signatory_title", "Signatory: title"),
    ("III", "signature_date", "Date of signature"),
)
"""(form section, config key, label) of every producer field the form asks for."""

NOT_ON_FORM = frozenset({"scope"})
"""Producer fields that are ours, not the form's: never counted as still to complete."""

CHOICES: Mapping[str, Mapping[str, str]] = {
    "attestation_type": form_text.ATTESTATION_TYPES,
    "software_covered": form_text.SOFTWARE_COVERED,
}
"""Producer fields the form offers as checkboxes: config value -> the form's label."""


@dataclass(frozen=True)
class ProducerField:
    """One producer-supplied field: its value, or blank and marked as still to complete."""

    section: str
    key: str
    label: str
    value: str
    provided: bool
    choices: tuple[tuple[str, str, bool], ...] = ()
    """For a checkbox field: (config value, the form's label, chosen) per choice, in form order."""


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
    """Our paraphrase, shown only labelled as ours ("In short")."""
    eo14028: tuple[str, ...]
    attestable: bool
    tasks: tuple[TaskRef, ...]
    blocking: tuple[TaskRef, ...]
    """Tasks that keep the item from being attestable."""
    counts: tuple[tuple[str, int], ...]
    text: str = ""
    """The form's own wording of the item, verbatim."""
    lead: str = ""
    """For a sub-item (1a-1f, 4a-4c): the form's wording of its parent item, which it completes."""
    form_tasks: tuple[str, ...] = ()
    """The form's appendix row as printed (the tasks the form itself cites for the item)."""
    mapping_note: str = ""
    """Why `tasks` is not the appendix row, where the form's structure allows no clean map."""

    @property
    def automated(self) -> tuple[TaskRef, ...]:
        """The item's tasks that automated checks evidence."""
        return tuple(r for r in self.tasks if r.automated)


@dataclass(frozen=True)
class SectionThree:
    """Section III's own text and the producer's choice of route (never guessed)."""

    lead: str
    """The form's lead-in, with the company name in place of `[software producer]` when given."""
    notify: str
    signature_label: str
    routes: tuple[tuple[str, str, str, bool], ...]
    """(config value, our label, the form's text, chosen) per route."""
    route_chosen: bool
    third_party_assessment: str
    attachments: tuple[str, ...]
    attachments_label: str


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
    section_three: SectionThree | None = None


def _item(
    item: Any,
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
    return FormItemView(
        item.id, item.section, item.title, item.eo14028, not blocking, refs, blocking, counts,
        item.text, item.lead, item.form_tasks, item.mapping_note,
    )  # fmt: skip


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


def _field(section: str, key: str, label: str, values: Mapping[str, str]) -> ProducerField:
    value = values.get(key, "")
    choices = CHOICES.get(key, {})
    if value in choices:
        # A checkbox field keeps the config value; reports show the form's labels, one ticked.
        picked = tuple((k, text, k == value) for k, text in choices.items())
        return ProducerField(section, key, label, value, True, picked)
    options = tuple((k, text, False) for k, text in choices.items())
    return ProducerField(section, key, label, value, bool(value), options)


def _section_three(producer: Mapping[str, Any], values: Mapping[str, str]) -> SectionThree:
    route = values.get("attested_by", "")
    company = values.get("company_name", "")
    lead = form_text.SECTION_III_LEAD
    if company:
        lead = lead.replace(form_text.PRODUCER_PLACEHOLDER, company)
    attachments = producer.get("attachments", ())
    return SectionThree(
        lead=lead,
        notify=form_text.NOTIFY_AGENCIES,
        signature_label=form_text.SIGNATURE_LABEL,
        routes=tuple(
            (k, ours, form_text.ATTESTED_BY_FORM[k], k == route)
            for k, ours in form_text.ATTESTED_BY_OURS.items()
        ),
        route_chosen=route in form_text.ATTESTED_BY_OURS,
        third_party_assessment=values.get("third_party_assessment", ""),
        attachments=tuple(str(a) for a in attachments if isinstance(a, str)),
        attachments_label=form_text.ATTACHMENTS_LABEL,
    )


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
        _item(i, [by_id[t] for t in i.tasks if t in by_id], statuses) for i in crosswalk.items
    )
    values = form_producer(producer)
    fields = tuple(_field(sec, key, label, values) for sec, key, label in PRODUCER_FIELDS)
    return FormView(
        id=crosswalk.id,
        title=crosswalk.title,
        note=crosswalk.note,
        producer=fields,
        items=items,
        attestable_count=sum(1 for i in items if i.attestable),
        missing_producer_fields=sum(
            1 for f in fields if not f.provided and f.key not in NOT_ON_FORM
        ),
        section_three=_section_three(producer, values),
    )
