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


def _render(view: ReportView, details: bool, limit: int | None = None) -> str | None:
    """The report's text; None as soon as it grows past `limit` bytes (the rest is not
    rendered: a repository with thousands of findings would spend most of its time on it)."""
    template = environment(html=False).get_template("report.md.j2")
    chunks = template.generate(
        v=view,
        labels=STATUS_LABELS,
        failing=[t for t in view.tasks if t.status in _FAILING],
        review=[t for t in view.tasks if t.status in _REVIEW],
        details=details,
        full_report=FULL_REPORT,
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


def render_markdown(view: ReportView, limit: int = SIZE_LIMIT) -> Rendered:
    """`report.md`: full when it fits, else without per-task details, else cut at a line."""
    text = _render(view, details=True, limit=limit)
    if text is None:
        text = _render(view, details=False) or ""
        if len(text.encode("utf-8")) > limit:
            text = _cut(text, limit)
    return {FILENAME: text}
