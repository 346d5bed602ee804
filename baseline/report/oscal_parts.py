"""What the OSCAL assessment plan and results share: deterministic UUIDs, props, the assessed
repository and commit as assessment subjects, the tools as assessment assets, and the catalog
reference.

The catalog reference: NIST publishes SP 800-218 (SSDF 1.1) as an OSCAL catalog in
usnistgov/oscal-content; its task ids are written as in the publication (`PO.1.1`, class
`task`) and each task's statement part is `statement_PO.1.1`. Our `control-id`s are those ids,
so the published catalog resolves them. No OSCAL catalog of the SSDF 1.2 draft is published:
its runs name our catalog file and its digest instead.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from baseline.report.view import ReportView, is_web_url

OSCAL_VERSION = "1.1.2"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:ssdf-baseline:oscal")
PROP_NS = "urn:ssdf-baseline"
PLAN_FILENAME = "oscal-assessment-plan.json"

PUBLISHED_CATALOGS = {
    "ssdf-1.1": "https://raw.githubusercontent.com/usnistgov/oscal-content/main/nist.gov/"
    "SP800-218/ver1/json/NIST_SP800-218_ver1_catalog.json",
}
"""Our catalog id -> NIST's published OSCAL catalog with the same control ids."""

Json = dict[str, Any]


class Ids:
    """Deterministic UUIDs scoped to one assessment (target, commit, catalog digest, time)."""

    def __init__(self, view: ReportView) -> None:
        self._seed = "\x1f".join((view.target, view.commit, view.catalog_digest, view.generated_at))

    def __call__(self, *parts: str) -> str:
        return str(uuid.uuid5(NAMESPACE, "\x1f".join((self._seed, *parts))))


def prop(name: str, value: str) -> Json:
    """A prop in our namespace: one line (OSCAL forbids line breaks, empty values and leading
    or trailing blanks in a prop value; a path or branch name from the repository may hold any)."""
    return {"name": name, "ns": PROP_NS, "value": " ".join(value.split()) or "(none)"}


def one_line(text: str) -> str:
    """OSCAL titles are single lines."""
    return " ".join(text.split()) or "(untitled)"


def published_catalog(view: ReportView) -> str:
    """NIST's OSCAL catalog of this run's catalog, or empty when NIST publishes none."""
    return PUBLISHED_CATALOGS.get(view.catalog_id, "")


def control_target(view: ReportView, task_id: str) -> Json:
    """A finding's target: the task's statement in NIST's catalog where that catalog exists
    (`statement_PO.1.1` is its part id), otherwise the task itself as the objective."""
    if published_catalog(view):
        return {"type": "statement-id", "target-id": f"statement_{task_id}"}
    return {"type": "objective-id", "target-id": task_id}


def catalog_resource(ids: Ids, view: ReportView) -> Json:
    """The back-matter resource naming the catalog the assessment followed."""
    links = [u for u in (published_catalog(view), view.catalog_source) if u]
    resource: Json = {
        "uuid": ids("resource", "catalog"),
        "title": one_line(f"{view.catalog_title} ({view.catalog_id} {view.catalog_version})"),
        "description": (
            f"The controls assessed: catalog {view.catalog_id} (sha256 {view.catalog_digest})"
            + (
                ", whose task ids are those of NIST's published OSCAL catalog (linked)."
                if published_catalog(view)
                else "."
            )
        ),
        "props": [prop("catalog", view.catalog_id), prop("catalog-sha256", view.catalog_digest)],
    }
    if links:
        resource["rlinks"] = [
            {"href": u, "media-type": "application/oscal.catalog+json" if u.endswith(".json")
             else "text/html"} for u in links
        ]  # fmt: skip
    return resource


# --- assessment subjects: the repository and the assessed commit ------------------------------


def repository_uuid(ids: Ids) -> str:
    """The component standing for the assessed repository."""
    return ids("subject", "repository")


def commit_uuid(ids: Ids) -> str:
    """The inventory item standing for the assessed commit (and working tree)."""
    return ids("subject", "commit")


def _repository_url(view: ReportView) -> str:
    url = view.repository.url if view.repository else None
    return url or ""


def subject_title(view: ReportView) -> str:
    """`<URL or path> at <commit> (dirty)`: what the observations are about."""
    where = _repository_url(view) or view.target
    dirty = " (with uncommitted changes)" if view.repository and view.repository.changed else ""
    return one_line(f"{where} at {view.commit or 'no commit'}{dirty}")


def subject_refs(ids: Ids, view: ReportView) -> list[Json]:
    """The subjects of every automated observation: the commit and its repository."""
    return [
        {"subject-uuid": commit_uuid(ids), "type": "inventory-item", "title": subject_title(view)},
        {"subject-uuid": repository_uuid(ids), "type": "component",
         "title": one_line(_repository_url(view) or view.target)},
    ]  # fmt: skip


def subject_definitions(ids: Ids, view: ReportView) -> Json:
    """Components and inventory items of the plan's local definitions."""
    r = view.repository
    url = _repository_url(view)
    facts = [
        prop("repository-url", url or "(not recorded)"),
        prop("path", view.target),
        *([prop("subdir", r.subdir)] if r and r.subdir else []),
    ]
    component: Json = {
        "uuid": repository_uuid(ids),
        "type": "software",
        "title": one_line(url or view.target),
        "description": "The source repository assessed"
        + (" (its URL is its own remote.origin.url, unverified)." if url else "."),
        "props": facts,
        "status": {"state": "operational"},
    }
    if is_web_url(url):
        component["links"] = [{"href": url, "rel": "reference"}]
    item: Json = {
        "uuid": commit_uuid(ids),
        "description": f"The assessed tree: {subject_title(view)}.",
        "props": [
            prop("commit", view.commit or "(none)"),
            prop("branch", (r.branch if r else None) or "(detached or unknown)"),
            prop("dirty", "unknown" if r is None else str(bool(r.changed)).lower()),
            prop("shallow", "unknown" if r is None else str(r.shallow).lower()),
            *([prop("changed-files", str(len(r.changed)))] if r and r.changed else []),
        ],
        "implemented-components": [{"component-uuid": repository_uuid(ids)}],
    }
    return {"components": [component], "inventory-items": [item]}


# --- assessment assets: the tools -------------------------------------------------------------

GENERATOR = "ssdf-baseline"


def tool_uuid(ids: Ids, name: str) -> str:
    """The assessment-asset component of one tool (by name: one version per run)."""
    return ids("tool", name)


def tool_versions(view: ReportView) -> dict[str, str]:
    """Every tool the run used with its version: the record's tools, every tool run of every
    check, and ssdf-baseline itself (which runs the checks that call no tool)."""
    versions = {GENERATOR: view.generator_version or "unknown"}
    for t in view.tasks:
        for e in t.evidence:
            for r in e.tool_runs:
                if r.version or r.tool not in versions:
                    versions[r.tool] = r.version or versions.get(r.tool, "")
    versions.update({k: v for k, v in view.tools if v})
    return dict(sorted(versions.items()))


def assessment_assets(ids: Ids, view: ReportView) -> Json:
    """The tools as components, all on one platform: this run."""
    tools = tool_versions(view)
    return {
        "components": [
            {
                "uuid": tool_uuid(ids, name),
                "type": "software",
                "title": one_line(f"{name} {version}"),
                "description": f"Assessment tool {name}, version {version or 'unknown'}.",
                "props": [prop("tool", name), prop("version", version or "unknown")],
                "status": {"state": "operational"},
            }
            for name, version in tools.items()
        ],
        "assessment-platforms": [
            {
                "uuid": ids("platform"),
                "title": one_line(f"{GENERATOR} {view.generator_version}"),
                "uses-components": [{"component-uuid": tool_uuid(ids, n)} for n in tools],
            }
        ],
    }


def tool_actors(ids: Ids, names: Iterable[str]) -> list[Json]:
    """Origin actors of type tool, one per tool, in name order."""
    return [{"type": "tool", "actor-uuid": tool_uuid(ids, n)} for n in sorted(set(names))]


# --- links to evidence ------------------------------------------------------------------------

_BLOB = {"github.com": "/blob/", "gitlab.com": "/-/blob/"}


def permalink(view: ReportView, path: str, line: int | None) -> str:
    """A web link to `path` (relative to the assessed folder) at the assessed commit, for
    repositories on hosts whose link form is known; empty otherwise."""
    url = _repository_url(view)
    if not (path and view.commit and is_web_url(url)):
        return ""
    host = url.split("/")[2].lower()
    blob = _BLOB.get(host)
    if blob is None:
        return ""
    subdir = view.repository.subdir if view.repository else ""
    full = "/".join(p for p in (subdir.strip("/"), path) if p)
    anchor = f"#L{line}" if line else ""
    return f"{url.removesuffix('.git')}{blob}{view.commit}/{quote(full)}{anchor}"
