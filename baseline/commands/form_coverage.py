"""Per crosswalk item (e.g. a CISA form item): how many of its tasks have automated checks."""

from __future__ import annotations

from dataclasses import dataclass

from baseline.models import Catalog


@dataclass(frozen=True)
class ItemCoverage:
    """One crosswalk item and which of its tasks carry automated checks."""

    crosswalk: str
    item: str
    tasks: tuple[str, ...]
    automated: tuple[str, ...]

    def line(self) -> str:
        """`item 2: 7 of 13 tasks have automated checks (PO.3.2, ...)`."""
        listed = f" ({', '.join(self.automated)})" if self.automated else ""
        return (
            f"item {self.item}: {len(self.automated)} of {len(self.tasks)} tasks have "
            f"automated checks{listed}"
        )


def form_coverage(catalog: Catalog) -> list[ItemCoverage]:
    """Coverage of every item of every crosswalk the catalog carries, in crosswalk order."""
    checked = {c.id for c in catalog.controls if c.checks and c.not_applicable is None}
    return [
        ItemCoverage(
            crosswalk.id,
            item.id,
            item.tasks,
            tuple(task for task in item.tasks if task in checked),
        )
        for crosswalk in catalog.crosswalks
        for item in crosswalk.items
    ]
