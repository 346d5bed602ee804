"""OSCAL that GRC tools import: trestle accepts every document, the plan reference resolves,
each check run is one observation with its subjects, tools and evidence, and every task that is
not satisfied says why."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from report_sample import hostile_assessment, sample_assessment
from trestle.core.base_model import OscalBaseModel
from trestle.core.validator_factory import validator_factory
from trestle.oscal.assessment_plan import AssessmentPlan
from trestle.oscal.assessment_results import AssessmentResults

from baseline.models import Assessment, ControlStatus, RepositoryFacts
from baseline.report.json_record import to_record
from baseline.report.oscal import STATUS_REASONS
from baseline.report.oscal_parts import PUBLISHED_CATALOGS
from baseline.report.write import REPORT_FILES, render_all

GOLDEN = Path(__file__).parent / "golden"
RESULTS, PLAN = "oscal-assessment-results.json", "oscal-assessment-plan.json"
MODELS: dict[str, tuple[str, type[OscalBaseModel]]] = {
    RESULTS: ("assessment-results", AssessmentResults),
    PLAN: ("assessment-plan", AssessmentPlan),
}
NIST_ID = re.compile(r"^(PO|PS|PW|RV)\.\d+\.\d+$")


def trestle_problems(name: str, text: str) -> list[str]:
    """What trestle says about one document: the model (schema) and every validator that
    `trestle validate` runs (duplicates, references, links, catalog, rule parameters)."""
    key, model_type = MODELS[name]
    model = model_type.model_validate(json.loads(text)[key])
    return [
        type(v).__name__
        for v in validator_factory.get_all()
        if not v.model_is_valid(model, True, None)
    ]


def _on_github(a: Assessment, catalog_id: str = "ssdf-1.1") -> Assessment:
    facts = RepositoryFacts(url="https://github.com/acme/app", branch="main", subdir="svc",
                            changed=("app/run.py",))  # fmt: skip
    return replace(a, repository=facts, catalog=replace(a.catalog, id=catalog_id))


def _docs(a: Assessment) -> tuple[dict[str, Any], dict[str, Any]]:
    files = render_all(a, ["oscal"])
    assert sorted(files) == [PLAN, RESULTS]
    return json.loads(files[RESULTS])["assessment-results"], json.loads(files[PLAN])[
        "assessment-plan"
    ]


@pytest.mark.parametrize("name", sorted(MODELS))
def test_trestle_accepts_every_golden(name: str) -> None:
    assert trestle_problems(name, (GOLDEN / name).read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "build",
    [sample_assessment, hostile_assessment, lambda: _on_github(sample_assessment()),
     lambda: _on_github(hostile_assessment())],
    ids=["sample", "hostile", "sample-on-github", "hostile-on-github"],
)  # fmt: skip
def test_trestle_accepts_what_we_render(build: Any) -> None:
    files = render_all(build(), ["oscal"])
    assert {name: trestle_problems(name, files[name]) for name in MODELS} == {RESULTS: [], PLAN: []}


def test_line_breaks_from_the_repository_do_not_break_single_line_fields() -> None:
    # A folder or branch name may hold a line break; OSCAL titles and prop values may not.
    a = _on_github(sample_assessment())
    odd = replace(a, target="repo\nname ", repository=replace(a.repository, branch="a\nb"))
    files = render_all(odd, ["oscal"])
    assert {name: trestle_problems(name, files[name]) for name in MODELS} == {RESULTS: [], PLAN: []}
    assert '"value": "a b"' in files[PLAN]


def test_trestle_catches_a_duplicate_uuid() -> None:
    # The validators are live: a repeated observation UUID (issue 16's bug) is rejected.
    results, _ = _docs(sample_assessment())
    observations = results["results"][0]["observations"]
    observations[1]["uuid"] = observations[0]["uuid"]
    text = json.dumps({"assessment-results": results})
    assert "DuplicatesValidator" in trestle_problems(RESULTS, text)


def test_the_plan_reference_resolves_to_the_plan_written_beside() -> None:
    results, plan = _docs(sample_assessment())
    assert results["import-ap"]["href"] == PLAN and PLAN in REPORT_FILES
    # The plan's own references resolve inside it: no SSP (said so), and the catalog.
    resources = {r["uuid"]: r for r in plan["back-matter"]["resources"]}
    no_ssp = resources[plan["import-ssp"]["href"].removeprefix("#")]
    assert "no system security plan" in no_ssp["title"].lower()
    catalog_link = plan["metadata"]["links"][0]["href"].removeprefix("#")
    assert resources[catalog_link]["props"][0]["value"] == "golden-1.0"
    # The results name the same catalog resource.
    (ar_catalog,) = results["back-matter"]["resources"]
    assert ar_catalog == resources[catalog_link]
    assert results["results"][0]["links"][0]["href"] == f"#{catalog_link}"


def test_ssdf_runs_reference_nist_published_catalog_with_its_control_ids() -> None:
    results, plan = _docs(_on_github(sample_assessment()))
    (catalog,) = results["back-matter"]["resources"]
    assert catalog["rlinks"][0]["href"] == PUBLISHED_CATALOGS["ssdf-1.1"]
    assert catalog["rlinks"][0]["href"].startswith("https://raw.githubusercontent.com/usnistgov/")
    (result,) = results["results"]
    ids = [c["control-id"] for c in
           result["reviewed-controls"]["control-selections"][0]["include-controls"]]  # fmt: skip
    assert ids and all(NIST_ID.match(i) for i in ids)
    # NIST's catalog names each task's statement part `statement_<task id>`.
    targets = {f["target"]["target-id"] for f in result["findings"]}
    assert targets == {f"statement_{i}" for i in ids}
    assert {f["target"]["type"] for f in result["findings"]} == {"statement-id"}
    # A catalog NIST does not publish in OSCAL keeps the task as the objective.
    other, _ = _docs(sample_assessment())
    assert {f["target"]["target-id"] for f in other["results"][0]["findings"]} == set(ids)
    links = [r["href"] for r in other["back-matter"]["resources"][0].get("rlinks", ())]
    assert PUBLISHED_CATALOGS["ssdf-1.1"] not in links


def test_each_check_run_is_one_observation_that_every_task_using_it_references() -> None:
    a = sample_assessment()
    results, plan = _docs(a)
    (result,) = results["results"]
    automated = [o for o in result["observations"] if o["methods"] == ["TEST"]]
    assert len(automated) == len(to_record(a)["check_runs"])
    uuids = [o["uuid"] for o in result["observations"]]
    assert len(uuids) == len(set(uuids))
    by_task = {f["target"]["target-id"]: f for f in result["findings"]}
    for task in a.results:
        related = [r["observation-uuid"] for r in
                   by_task[task.control.id].get("related-observations", ())]  # fmt: skip
        assert set(related) <= set(uuids)
        assert len([u for u in related if u in {o["uuid"] for o in automated}]) == len(
            {(e.check, json.dumps(sorted(e.params.items()))) for e in task.evidence}
        )
    # The plan has one activity per check, with the tasks it serves.
    activities = {a["title"]: a for a in plan["local-definitions"]["activities"]}
    assert "Check sast.bandit" in activities


def test_observations_have_the_commit_and_repository_as_subjects_and_tools_as_origins() -> None:
    results, plan = _docs(_on_github(sample_assessment()))
    local = plan["local-definitions"]
    (component,) = local["components"]
    (item,) = local["inventory-items"]
    facts = {p["name"]: p["value"] for p in item["props"]}
    assert facts == {"commit": "0123456789abcdef0123456789abcdef01234567", "branch": "main",
                     "dirty": "true", "shallow": "false", "changed-files": "1"}  # fmt: skip
    assert component["title"] == "https://github.com/acme/app"
    subjects = {s["subject-uuid"] for group in plan["assessment-subjects"]
                for s in group["include-subjects"]}  # fmt: skip
    assert subjects == {component["uuid"], item["uuid"]}
    assets = plan["assessment-assets"]["components"]
    tools = {c["uuid"]: {p["name"]: p["value"] for p in c["props"]} for c in assets}
    assert {"tool": "bandit", "version": "1.8.0"} in tools.values()
    for o in results["results"][0]["observations"]:
        if o["methods"] != ["TEST"]:
            continue
        assert {s["subject-uuid"] for s in o["subjects"]} == {component["uuid"], item["uuid"]}
        for actor in o["origins"][0]["actors"]:
            assert actor["type"] == "tool" and actor["actor-uuid"] in tools
    bandit = next(o for o in results["results"][0]["observations"]
                  if o["title"].startswith("Check sast.bandit"))  # fmt: skip
    (actor,) = bandit["origins"][0]["actors"]
    assert tools[actor["actor-uuid"]]["tool"] == "bandit"


def test_attestations_are_observations_by_a_party_named_in_the_metadata() -> None:
    results, _ = _docs(sample_assessment())
    parties = {p["uuid"]: p["name"] for p in results["metadata"]["parties"]}
    attestation = next(o for o in results["results"][0]["observations"]
                       if o["methods"] == ["EXAMINE"])  # fmt: skip
    (actor,) = attestation["origins"][0]["actors"]
    assert actor["type"] == "party" and parties[actor["actor-uuid"]] == "Ada Lovelace"


def test_findings_link_to_the_line_at_the_commit_and_carry_their_scope() -> None:
    results, _ = _docs(_on_github(sample_assessment()))
    evidence = [e for o in results["results"][0]["observations"]
                for e in o.get("relevant-evidence", ())]  # fmt: skip
    run = next(e for e in evidence if e["description"].startswith("app/run.py:12:"))
    assert run["href"] == (
        "https://github.com/acme/app/blob/0123456789abcdef0123456789abcdef01234567"
        "/svc/app/run.py#L12"
    )
    assert {p["name"]: p["value"] for p in run["props"]} == {"severity": "high", "scope": "product"}
    assert any(e["description"].startswith("sha256 ") for e in evidence)
    # No link where the host's link form is unknown, or no URL was recorded.
    for a in (sample_assessment(), replace(_on_github(sample_assessment()),
              repository=RepositoryFacts(url="https://git.example.org/acme/app"))):  # fmt: skip
        plain, _ = _docs(a)
        assert "href" not in json.dumps(
            [
                o.get("relevant-evidence")
                for o in plain["results"][0]["observations"]
                if o["methods"] == ["TEST"]
            ]  # fmt: skip
        )


def test_hostile_paths_are_percent_encoded_in_links() -> None:
    results, _ = _docs(_on_github(hostile_assessment()))
    hrefs = [e["href"] for o in results["results"][0]["observations"]
             for e in o.get("relevant-evidence", ()) if "href" in e]  # fmt: skip
    assert hrefs
    for href in hrefs:
        assert not re.search(r"[\s<>\"'`]", href), href


def test_not_satisfied_says_why_with_our_status_as_the_reason() -> None:
    results, _ = _docs(sample_assessment())
    status = {f["target"]["target-id"]: f["target"]["status"]
              for f in results["results"][0]["findings"]}  # fmt: skip
    assert {k: (v["state"], v["reason"]) for k, v in status.items()} == {
        "PO.1.1": ("satisfied", "attested"),
        "PO.5.1": ("not-satisfied", "needs_review"),
        "PS.1.1": ("satisfied", "pass"),
        "PW.7.2": ("not-satisfied", "fail"),
        "PW.8.2": ("not-satisfied", "waived"),
        "RV.1.1": ("not-satisfied", "error"),
        "RV.1.3": ("satisfied", "not_applicable"),
    }
    remarks = {v["remarks"] for k, v in status.items()}
    assert len(remarks) == len(status), "each status is explained in its own words"
    assert "could not conclude" in status["RV.1.1"]["remarks"]
    assert "waiver" in status["PW.8.2"]["remarks"]
    assert set(STATUS_REASONS) == {s.value for s in ControlStatus}, "every status is explained"


def test_byte_identical_when_rendered_again_or_from_the_record() -> None:
    from baseline.report.json_record import from_record

    a = _on_github(sample_assessment())
    first = render_all(a, ["oscal"])
    assert render_all(a, ["oscal"]) == first
    assert render_all(from_record(json.loads(json.dumps(to_record(a)))), ["oscal"]) == first


@pytest.mark.slow
def test_trestle_cli_validates_a_real_repository_run(tmp_path: Path) -> None:
    # The project's own checkout is a real repository in CI (no network needed): clone it, so
    # the run sees a clean tree with a commit, assess it, and run `trestle validate` on both.
    from baseline.catalog.loader import load_catalog
    from baseline.context import RunOptions
    from baseline.engine import assess

    root = Path(__file__).resolve().parent.parent
    clone = tmp_path / "project"
    git = shutil.which("git")
    assert git is not None
    subprocess.run([git, "clone", "--quiet", "--no-local", str(root), str(clone)], check=True,
                   capture_output=True, timeout=120)  # fmt: skip
    assessment = assess(clone, load_catalog("ssdf-1.1"), RunOptions(jobs=2), quiet=True)
    files = render_all(assessment, ["oscal"])
    results = json.loads(files[RESULTS])["assessment-results"]["results"][0]
    assert any(o["methods"] == ["TEST"] and o.get("relevant-evidence") for o in
               results["observations"])  # fmt: skip
    trestle = shutil.which("trestle", path=str(Path(sys.executable).parent))
    assert trestle is not None
    subprocess.run([trestle, "init"], cwd=tmp_path, check=True, capture_output=True, timeout=120)
    for folder, name in (("assessment-results", RESULTS), ("assessment-plans", PLAN)):
        target = tmp_path / folder / "run" / f"{MODELS[name][0]}.json"
        target.parent.mkdir(parents=True)
        target.write_text(files[name], encoding="utf-8")
        done = subprocess.run([trestle, "validate", "-f", str(target)], cwd=tmp_path,
                              capture_output=True, text=True, timeout=240, check=False)  # fmt: skip
        assert done.returncode == 0 and "VALID: Model" in done.stdout, done.stdout + done.stderr
