"""The in-toto Statement (v1) over an assessment: subject the commit, predicate the summary."""

from __future__ import annotations

from typing import Any

from baseline.jsontext import pretty
from baseline.models import Assessment
from baseline.report.json_record import status_counts

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://ssdf-baseline.invalid/predicate/assessment/v1"


def subject(assessment: Assessment, record_sha256: str) -> list[dict[str, Any]]:
    """The assessed commit, named by the repository's URL when it has one (`git+URL`, with
    `#folder` for a folder inside it), else by the target's path; without git, the assessment
    record itself."""
    if assessment.commit:
        facts = assessment.repository
        if facts is not None and facts.url:
            name = f"git+{facts.url}" + (f"#{facts.subdir}" if facts.subdir else "")
        else:
            name = f"git+{assessment.target}"
        return [{"name": name, "digest": {"gitCommit": assessment.commit}}]
    return [{"name": "reports/assessment.json", "digest": {"sha256": record_sha256}}]


def _repository(assessment: Assessment) -> dict[str, Any]:
    facts = assessment.repository
    if facts is None:
        return {"commit": assessment.commit}
    return {
        "url": facts.url,
        "commit": assessment.commit,
        "branch": facts.branch,
        "folder": facts.subdir,
        "shallow": facts.shallow,
        # The commit is the subject, but a dirty tree is not exactly that commit.
        "dirty": bool(facts.changed),
        "changed_files": list(facts.changed),
    }


def statement(assessment: Assessment, manifest_sha256: str, record_sha256: str) -> bytes:
    """The statement as deterministic JSON bytes."""
    catalog = assessment.catalog
    doc = {
        "_type": STATEMENT_TYPE,
        "subject": subject(assessment, record_sha256),
        "predicateType": PREDICATE_TYPE,
        "predicate": {
            "generator": {"name": "ssdf-baseline", "version": assessment.tool_version},
            "generated_at": assessment.generated_at,
            "target": assessment.target,
            "repository": _repository(assessment),
            "catalog": {"id": catalog.id, "version": catalog.version, "digest": catalog.digest},
            "summary": status_counts(assessment.results),
            "controls": {r.control.id: r.status.value for r in assessment.results},
            "record": {"path": "reports/assessment.json", "sha256": record_sha256},
            "manifest": {"path": "manifest.json", "sha256": manifest_sha256},
        },
    }
    return (pretty(doc) + "\n").encode("utf-8")
