"""The Markdown report: GitHub-flavoured, sized for `$GITHUB_STEP_SUMMARY` (limit 1 MiB)."""

from __future__ import annotations

from baseline.report.interface import Rendered
from baseline.report.templating import environment
from baseline.report.view import STATUS_LABELS, ReportView

FILENAME = "report.md"
SIZE_LIMIT = 900 * 1024
"""Bytes; GitHub rejects a step summary over 1 MiB, so stay well below it."""
FULL_REPORT = "report.html"

_FAILING = ("fail", "error", "waived")
_REVIEW = ("needs_review",)


def _render(view: ReportView, details: bool) -> str:
    template = environment(html=False).get_template("report.md.j2")
    return template.render(
        v=view,
        labels=STATUS_LABELS,
        failing=[t for t in view.tasks if t.status in _FAILING],
        review=[t for t in view.tasks if t.status in _REVIEW],
        details=details,
        full_report=FULL_REPORT,
    )


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


def render_markdown(view: ReportView, limit: int = SIZE_LIMIT) -> Rendered:
    """`report.md`: full when it fits, else without per-task details, else cut at a line."""
    text = _render(view, details=True)
    if len(text.encode("utf-8")) > limit:
        text = _render(view, details=False)
    if len(text.encode("utf-8")) > limit:
        text = _cut(text, limit)
    return {FILENAME: text}
