"""The HTML report: one self-contained file for auditors, safe to open whatever the repo holds.

Every value from the assessment is autoescaped; the only stylesheet is inline and pinned by
its SHA-256 in a Content-Security-Policy that allows no script, no fetch, no form, no base.
"""

from __future__ import annotations

from markupsafe import Markup

from baseline.report.failing import SCOPE_NOTES
from baseline.report.form_view import TO_BE_COMPLETED
from baseline.report.interface import Rendered
from baseline.report.templating import content_security_policy, environment, read_static
from baseline.report.view import STATUS_LABELS, ReportView

FILENAME = "report.html"


def render_html(view: ReportView) -> Rendered:
    """`report.html` for the view."""
    css = read_static("report.css")
    template = environment(html=True).get_template("report.html.j2")
    text = template.render(
        v=view,
        # The stylesheet is our own file, not assessment data; its hash is in the CSP.
        css=Markup(css),  # noqa: S704 - trusted, shipped with the package
        csp=content_security_policy(css),
        labels=STATUS_LABELS,
        to_be_completed=TO_BE_COMPLETED,
        scope_notes=SCOPE_NOTES,
        runs={r.anchor: r for r in view.runs},
        task_status={t.id: t.status for t in view.tasks},
    )
    return {FILENAME: text}
