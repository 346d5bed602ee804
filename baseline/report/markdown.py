"""The Markdown report: GitHub-flavoured, sized for `$GITHUB_STEP_SUMMARY` (limit 1 MiB).

Past the size limit it degrades in steps, keeping what a reader needs first: the per-task
details keep only the findings that cause failure (the rest counted, commands shortened), then
they go altogether, then the findings that cause failure are
kept from the most severe down as far as they fit, with a count of the rest. Only a report
whose summary alone is too big is cut at a line.
"""

from __future__ import annotations

from baseline.report.failing import SCOPE_NOTES
from baseline.report.interface import Rendered
from baseline.report.templating import environment
from baseline.report.view import STATUS_LABELS, ReportView

FILENAME = "report.md"
SIZE_LIMIT = 900 * 1024
"""Bytes; GitHub rejects a step summary over 1 MiB, so stay well below it."""
FULL_REPORT = "report.html"

_FAILING = ("fail", "error", "waived")
_REVIEW = ("needs_review",)


def _failing_count(view: ReportView) -> int:
    return len(view.summary.findings) if view.summary else 0


def _render(
    view: ReportView, details: bool, shown: int, limit: int | None = None, compact: bool = False
) -> str | None:
    """The report's text with the first `shown` failing findings, per-task details when
    `details` (`compact`: only the findings that cause failure, commands shortened, digests
    and suppressions counted); None as soon as it grows past
    `limit` bytes (the rest is not rendered: a repository with thousands of findings would
    spend most of its time on it)."""
    template = environment(html=False).get_template("report.md.j2")
    chunks = template.generate(
        v=view,
        labels=STATUS_LABELS,
        failing=[t for t in view.tasks if t.status in _FAILING],
        review=[t for t in view.tasks if t.status in _REVIEW],
        details=details,
        compact=compact,
        full_report=FULL_REPORT,
        shown=shown,
        dropped=sum(r.other_count for r in view.runs),
        scope_notes=SCOPE_NOTES,
        runs={r.anchor: r for r in view.runs},
        task_status={t.id: t.status for t in view.tasks},
    )
    kept: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk.encode("utf-8"))
        if limit is not None and size > limit:
            return None
        kept.append(chunk)
    return "".join(kept)


def _cut(text: str, limit: int) -> str:
    """Whole lines up to `limit` bytes, then a pointer to the full report."""
    note = (
        f"\n\n**Truncated** to stay under GitHub's summary size limit: see {FULL_REPORT} "
        "and assessment.json for everything.\n"
    )
    budget = limit - len(note.encode("utf-8"))
    kept: list[str] = []
    size = 0
    for line in text.splitlines(keepends=True):
        size += len(line.encode("utf-8"))
        if size > budget:
            break
        kept.append(line)
    return "".join(kept).rstrip("\n") + note


def _most_failing_that_fit(view: ReportView, limit: int) -> str | None:
    """The summary with as many failing findings as fit (a binary search over how many:
    each row's size depends on its text), or None when not even the summary fits."""
    best = _render(view, details=False, shown=0, limit=limit)
    low, high = 0, _failing_count(view)
    while best is not None and low < high:
        middle = (low + high + 1) // 2
        text = _render(view, details=False, shown=middle, limit=limit)
        if text is None:
            high = middle - 1
        else:
            low, best = middle, text
    return best


def render_markdown(view: ReportView, limit: int = SIZE_LIMIT) -> Rendered:
    """`report.md`: full when it fits; else with compact details; else the summary, every
    failing finding that fits and counts of the rest; else cut at a line."""
    every = _failing_count(view)
    text = _render(view, details=True, shown=every, limit=limit)
    if text is None:
        text = _render(view, details=True, shown=every, limit=limit, compact=True)
    if text is None:
        text = _render(view, details=False, shown=every, limit=limit)
    if text is None:
        text = _most_failing_that_fit(view, limit)
    if text is None:
        text = _cut(_render(view, details=False, shown=0) or "", limit)
    return {FILENAME: text}
