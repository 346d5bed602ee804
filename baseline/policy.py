"""Policy gates: statuses that fail a run, and controls or form items that must be met."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from baseline.catalog.fields import did_you_mean
from baseline.errors import InputError
from baseline.models import Assessment, Catalog, ControlStatus
from baseline.report.config_claims import nothing_assessed

CONTROL_MET = frozenset(
    {ControlStatus.PASS, ControlStatus.ATTESTED, ControlStatus.NOT_APPLICABLE, ControlStatus.WAIVED}
)
"""A required control may be waived: the POA&M makes the gap explicit and time-limited."""
FORM_ITEM_MET = frozenset(
    {ControlStatus.PASS, ControlStatus.ATTESTED, ControlStatus.NOT_APPLICABLE}
)
"""A form item is attestable only when all its tasks are met outright (DESIGN.md)."""
FORM = "cisa-common-form"
GATE_STATUSES = ("fail", "error", "needs_review")
"""The statuses `--fail-on` (and a policy file's `fail_on`) may name."""


def split_ids(values: Iterable[str]) -> tuple[str, ...]:
    """`["PW.7.2,RV.1.3", "PO.1.1"]` -> the ids, in order, without blanks or repeats."""
    ids = [i.strip() for v in values for i in v.split(",") if i.strip()]
    return tuple(dict.fromkeys(ids))


def parse_fail_on(text: str) -> frozenset[ControlStatus]:
    """`fail,error` -> the statuses that make the run exit 1."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    if names == ["none"]:
        return frozenset()
    bad = [n for n in names if n not in GATE_STATUSES]
    if bad:
        raise InputError.single(
            "--fail-on", "", f"{bad[0]!r} is not one of {', '.join(GATE_STATUSES)}"
        )
    return frozenset(ControlStatus(n) for n in names)


@dataclass(frozen=True)
class Policy:
    """What the run must satisfy."""

    fail_on: frozenset[ControlStatus]
    controls: tuple[str, ...] = ()
    form_items: tuple[str, ...] = ()

    def validate(self, catalog: Catalog) -> None:
        """Unknown control or form-item ids are an input error, not a silent pass."""
        ids = [c.id for c in catalog.controls]
        form = catalog.crosswalk(FORM)
        items = [i.id for i in form.items] if form else []
        problems = [
            f"--require: no control {c!r} in {catalog.id}{did_you_mean(c, ids)}"
            for c in self.controls
            if c not in ids
        ]
        for item in self.form_items:
            if form is None:
                problems.append(f"--require-form-item: {catalog.id} has no {FORM}")
            elif item not in items:
                problems.append(
                    f"--require-form-item: no form item {item!r}{did_you_mean(item, items)}"
                )
        if problems:
            raise InputError.single("command line", "", "; ".join(problems))

    def failures(self, assessment: Assessment) -> list[str]:
        """One line per unmet gate, naming the control or form item and its status."""
        status = {r.control.id: r.status for r in assessment.results}
        lines = [
            f"{r.control.id} is {r.status.value} (--fail-on)"
            for r in assessment.results
            if r.status in self.fail_on
        ]
        lines += [
            f"{c} is {status[c].value}, required to be met (--require)"
            for c in self.controls
            if status[c] not in CONTROL_MET
        ]
        lines += nothing_assessed_gate(assessment)
        form = assessment.catalog.crosswalk(FORM)
        for item in form.items if form else ():
            if item.id not in self.form_items:
                continue
            unmet = [
                f"{t} {status[t].value}" for t in item.tasks if status.get(t) not in FORM_ITEM_MET
            ]
            if unmet:
                lines.append(f"form item {item.id} is not attestable: {', '.join(unmet)}")
        return lines


def nothing_assessed_gate(assessment: Assessment) -> list[str]:
    """A gate line when the repository's config declared every task not applicable: a run
    that looked at nothing cannot meet any policy, whatever `--fail-on` says."""
    if not nothing_assessed(assessment):
        return []
    return [
        f"all {len(assessment.results)} tasks are declared not applicable by the repository's "
        "own configuration: nothing was assessed"
    ]
