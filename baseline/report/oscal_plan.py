"""The OSCAL assessment plan (`oscal-assessment-plan.json`) that the assessment results import.

OSCAL's assessment results must import a plan (`import-ap`), and a plan must import a system
security plan (`import-ssp`). A source repository assessed against the SSDF has no SSP (it is a
software product, not an information system with an authorization boundary), and inventing one
would claim facts nobody recorded. So the plan written with every run says what was planned and
done (the controls, one activity per automated check, the repository and commit as subjects,
the tools as assets), and its `import-ssp` points at a back-matter resource of the plan that says
there is no SSP. The catalog is named by a back-matter resource linking NIST's published OSCAL
catalog (SSDF 1.1) and the catalog's own source.
"""

from __future__ import annotations

from baseline.report.oscal_parts import (
    OSCAL_VERSION,
    Ids,
    Json,
    assessment_assets,
    catalog_resource,
    commit_uuid,
    one_line,
    prop,
    repository_uuid,
    subject_definitions,
)
from baseline.report.view import ReportView


def activity_uuid(ids: Ids, check: str) -> str:
    """The plan's activity for one automated check (every parameter variant of it)."""
    return ids("activity", check)


def _activities(ids: Ids, view: ReportView) -> list[Json]:
    questions: dict[str, str] = {}
    tasks: dict[str, list[str]] = {}
    for t in view.tasks:
        for e in t.evidence:
            questions.setdefault(e.check, e.question)
            if t.id not in tasks.setdefault(e.check, []):
                tasks[e.check].append(t.id)
    return [
        {
            "uuid": activity_uuid(ids, check),
            "title": one_line(f"Check {check}"),
            "description": questions[check] or f"The automated check {check}.",
            "props": [prop("check", check), prop("method", "automated")],
            "related-controls": {
                "control-selections": [
                    {"include-controls": [{"control-id": c} for c in tasks[check]]}
                ]
            },
        }
        for check in sorted(tasks)
    ]


def plan_document(view: ReportView) -> Json:
    """The assessment-plan document as a dictionary."""
    ids = Ids(view)
    catalog = catalog_resource(ids, view)
    no_ssp = ids("resource", "no-ssp")
    local: Json = subject_definitions(ids, view)
    activities = _activities(ids, view)
    if activities:
        local["activities"] = activities
    return {
        "assessment-plan": {
            "uuid": ids("plan"),
            "metadata": {
                "title": one_line(f"SSDF assessment plan: {view.target}"),
                "last-modified": view.generated_at,
                "version": view.generator_version or "0",
                "oscal-version": OSCAL_VERSION,
                "links": [{"href": f"#{catalog['uuid']}", "rel": "reference"}],
            },
            "import-ssp": {
                "href": f"#{no_ssp}",
                "remarks": "No system security plan: the subject is a source repository.",
            },
            "local-definitions": local,
            "reviewed-controls": {
                "description": f"Every task of {view.catalog_title}.",
                "control-selections": [
                    {"include-controls": [{"control-id": t.id} for t in view.tasks]}
                ],
            },
            "assessment-subjects": [
                {
                    "type": "component",
                    "description": "The assessed source repository at the recorded commit.",
                    "include-subjects": [
                        {"subject-uuid": repository_uuid(ids), "type": "component"}
                    ],
                },
                {
                    "type": "inventory-item",
                    "description": "The assessed tree: the commit, and any uncommitted changes.",
                    "include-subjects": [
                        {"subject-uuid": commit_uuid(ids), "type": "inventory-item"}
                    ],
                },
            ],
            "assessment-assets": assessment_assets(ids, view),
            "back-matter": {
                "resources": [
                    catalog,
                    {
                        "uuid": no_ssp,
                        "title": "No system security plan",
                        "description": (
                            "OSCAL asks a plan to import a system security plan. The assessed "
                            "object is a software product's source repository, not an "
                            "information system, so there is none: the subjects, tools and "
                            "controls are defined in this plan, the controls by the catalog "
                            "resource."
                        ),
                    },
                ]
            },
        }
    }
