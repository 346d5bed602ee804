"""SARIF that code scanning ranks: rules per scanner rule, severity, thresholds, paths from the
repository root, regions, labels for fixtures, GitHub's limits and byte-identical output."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from report_sample import BANDIT, sample_assessment

from baseline.models import (
    Assessment,
    CheckOutcome,
    Evidence,
    Finding,
    RepositoryFacts,
    Scope,
    Severity,
)
from baseline.report import sarif
from baseline.report.failing import above_threshold, causes_failure
from baseline.report.sarif import FINGERPRINT_KEY, SRCROOT, render_sarif, sarif_document
from baseline.report.view import build_view

SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)
GATED = {"fail_on": "medium", "min_confidence": "medium"}


def _run(assessment: Assessment, **options: Any) -> dict[str, Any]:
    document = sarif_document(build_view(assessment), **options)
    jsonschema.validate(document, SCHEMA, format_checker=jsonschema.FormatChecker())
    run: dict[str, Any] = document["runs"][0]
    return run


def _finding(rule: str, severity: Severity, path: str, line: int | None, **kw: Any) -> Finding:
    kw.setdefault("tool", "bandit")
    return Finding(rule, f"{rule} message", severity, path, line, f"{rule}-{path}-{line}", **kw)


def _with(*evidence: Evidence, subdir: str = "") -> Assessment:
    """The sample with PW.7.2's evidence replaced (it fails), optionally in a sub-folder."""
    base = sample_assessment()
    results = tuple(
        replace(r, evidence=evidence) if r.control.id == "PW.7.2" else r for r in base.results
    )
    facts = RepositoryFacts(subdir=subdir) if subdir else None
    return replace(base, results=results, repository=facts)


def _bandit(*findings: Finding, params: dict[str, Any] | None = None, note: str = "") -> Evidence:
    """Failing bandit evidence; `note` is what baseline/scope.py appends for uncounted scopes."""
    return Evidence(
        "sast.bandit", CheckOutcome.FAIL, "bandit found issues" + note, findings=findings,
        tool_runs=(BANDIT,), params=GATED if params is None else params,
    )  # fmt: skip


VENDORED_NOTE = "; 1 finding(s) outside the product scope (1 vendored) not counted"


def _uri(result: dict[str, Any]) -> str:
    uri: str = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    return uri


def test_one_rule_per_scanner_rule_ranked_with_help_and_tasks() -> None:
    run = _run(sample_assessment())
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["B105", "B602", "acme.no-pickle", "repo.has_test_suite"]
    by_id = {r["id"]: r for r in rules}
    b602 = by_id["B602"]
    assert b602["properties"]["security-severity"] == "8.0"
    assert b602["defaultConfiguration"]["level"] == "error"
    assert by_id["B105"]["properties"]["security-severity"] == "3.0"
    assert by_id["repo.has_test_suite"]["properties"]["security-severity"] == "5.5"
    assert b602["properties"]["tags"] == ["security", "external/cwe/cwe-78", "PW.7.2"]
    assert b602["shortDescription"]["text"] == "bandit B602: subprocess call with shell=True"
    help_text = b602["help"]["text"]
    assert "What it finds:" in help_text and "# nosec B602" in help_text
    assert "PW.7.2 Analyze the code: What to do when PW.7.2 is not met." in help_text
    assert "**PW.7.2**" in b602["help"]["markdown"]
    # A check's own finding is the check's rule, with its question as the description.
    assert by_id["repo.has_test_suite"]["shortDescription"]["text"] == (
        "`repo.has_test_suite` answers no to: Does the repository contain an automated test suite?"
    )
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["properties"]["ssdf_tasks"]
        assert result["partialFingerprints"][FINGERPRINT_KEY]


def test_only_findings_that_fail_their_check_are_exported_and_the_rest_counted() -> None:
    failing = _finding("B602", Severity.HIGH, "app/run.py", 12, confidence="high")
    low = _finding("B105", Severity.LOW, "app/config.py", 3, confidence="high")
    unsure = _finding("B301", Severity.MEDIUM, "app/load.py", 5, confidence="low")
    vendored = _finding("B602", Severity.HIGH, "app/_vendor/x.py", 1, scope=Scope.VENDORED,
                        confidence="high")  # fmt: skip
    run = _run(_with(_bandit(failing, low, unsure, vendored, note=VENDORED_NOTE)))
    mine = [r for r in run["results"] if r["properties"]["check"] == "sast.bandit"]
    assert [(_uri(r), r["properties"]["fails"]) for r in mine] == [("app/run.py", True)]
    assert run["properties"]["findings_left_out"] == 3
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert note["message"]["text"].startswith("3 finding(s) below their check's failing threshold")
    everything = _run(
        _with(_bandit(failing, low, unsure, vendored, note=VENDORED_NOTE)), everything=True
    )
    levels = {
        (_uri(r), r["level"])
        for r in everything["results"]
        if r["properties"]["check"] == "sast.bandit"
    }
    assert levels == {("app/run.py", "error"), ("app/config.py", "note"), ("app/load.py", "note"),
                      ("app/_vendor/x.py", "note")}  # fmt: skip
    assert everything["properties"]["findings_left_out"] == 0


def test_a_failing_check_without_a_failing_finding_is_one_result_of_its_own() -> None:
    note = _finding("workflow-unparsed", Severity.INFO, ".github/workflows/ci.yml", None)
    evidence = Evidence("ci.runs_tests", CheckOutcome.FAIL, "no step runs the tests",
                        findings=(note,), files=(".github/workflows/ci.yml",))  # fmt: skip
    run = _run(_with(evidence))
    (result,) = [r for r in run["results"] if r["ruleId"] == "ci.runs_tests"]
    assert result["message"]["text"] == "no step runs the tests (SSDF PW.7.2)"
    location = result["locations"][0]["physicalLocation"]
    # Repository-level: at the file the check examined, without a region.
    assert location["artifactLocation"]["uri"] == ".github/workflows/ci.yml"
    assert "region" not in location and result["properties"]["repository_level"]


@pytest.mark.parametrize(("subdir", "root"), [("", "."), ("services/api", "services/api/")])
def test_paths_are_relative_to_the_repository_root(subdir: str, root: str) -> None:
    run = _run(_with(_bandit(_finding("B602", Severity.HIGH, "app/run.py", 12)), subdir=subdir))
    assert set(run["originalUriBaseIds"]) == {SRCROOT}
    prefix = f"{subdir}/" if subdir else ""
    uris = {_uri(r) for r in run["results"]}
    assert f"{prefix}app/run.py" in uris and root in uris, uris
    for result in run["results"]:
        for location in result["locations"]:
            assert location["physicalLocation"]["artifactLocation"]["uriBaseId"] == SRCROOT
    assert run["automationDetails"]["id"] == "ssdf-baseline/golden-1.0/" + (
        f"{subdir}/" if subdir else ""
    )


def test_every_result_has_a_region_or_is_repository_level() -> None:
    whole_file = _finding("binary-artifact", Severity.MEDIUM, "bin/tool.exe", None,
                          tool="ssdf-baseline")  # fmt: skip
    evidence = Evidence("repo.no_binary_artifacts", CheckOutcome.FAIL, "1 binary",
                        findings=(whole_file,))  # fmt: skip
    run = _run(_with(evidence, _bandit(_finding("B602", Severity.HIGH, "a.py", 0))))
    for result in run["results"]:
        physical = result["locations"][0]["physicalLocation"]
        if result["properties"].get("repository_level"):
            assert "region" not in physical
        else:
            assert physical["region"]["startLine"] >= 1
    assert {_uri(r) for r in run["results"]} >= {"bin/tool.exe", "a.py"}


def test_a_failing_finding_in_a_fixture_is_labelled() -> None:
    key = _finding("private-key", Severity.HIGH, "tests/fixtures/server.key", 1,
                   scope=Scope.FIXTURE, tool="ssdf-baseline")  # fmt: skip
    evidence = Evidence("repo.no_private_keys", CheckOutcome.FAIL, "1 private key",
                        findings=(key,))  # fmt: skip
    run = _run(_with(evidence))
    (result,) = [r for r in run["results"] if r["ruleId"] == "repo.no_private_keys"]
    assert result["properties"]["scope"] == "fixture"
    assert result["properties"]["tags"] == ["test-fixture"]
    assert ", in a test fixture (SSDF PW.7.2)" in result["message"]["text"]
    product = [r for r in run["results"] if r["properties"]["scope"] == "product"]
    assert product and all("tags" not in r["properties"] for r in product)


def _many(count: int) -> Evidence:
    severities = (Severity.LOW, Severity.HIGH, Severity.MEDIUM)
    findings = tuple(
        _finding(f"B{i % 7}", severities[i % 3], f"src/f{i:03}.py", i + 1) for i in range(count)
    )
    return _bandit(*findings, params={})


def test_the_result_limit_keeps_the_most_severe_and_says_how_many_were_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sarif, "MAX_RESULTS", 10)
    run = _run(_with(_many(30)))
    severities = [r["properties"]["severity"] for r in run["results"]]
    assert len(severities) == 10 and set(severities) == {"high"}
    # 30 findings and the sample's waived one: 10 kept
    assert run["properties"]["results_dropped_for_limits"] == 21
    (dropped,) = [
        n for n in run["invocations"][0]["toolExecutionNotifications"] if n["level"] == "warning"
    ]
    assert dropped["message"]["text"].startswith("21 result(s) dropped, the least severe first")
    ranked = [r["ruleIndex"] for r in run["results"]]
    assert len(ranked) == 10 and max(ranked) < len(run["tool"]["driver"]["rules"])


def test_the_size_limit_keeps_the_file_under_it() -> None:
    view = build_view(_with(_many(200)))
    whole = render_sarif(view)["results.sarif"].encode("utf-8")
    limit = len(whole) // 3
    document = sarif_document(view, max_bytes=limit)
    text = (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    assert len(text) <= limit
    kept = document["runs"][0]["results"]
    assert 0 < len(kept) < 201
    assert document["runs"][0]["properties"]["results_dropped_for_limits"] == 201 - len(kept)
    assert kept[0]["properties"]["severity"] == "high"


def test_the_same_input_gives_the_same_bytes_whatever_the_finding_order() -> None:
    evidence = _many(40)
    shuffled = replace(evidence, findings=tuple(reversed(evidence.findings)))
    first = render_sarif(build_view(_with(evidence)))
    assert first == render_sarif(build_view(_with(evidence)))
    assert first == render_sarif(build_view(_with(shuffled)))


@pytest.mark.parametrize(
    ("severity", "confidence", "params", "expected"),
    [
        (Severity.MEDIUM, "high", GATED, True),
        (Severity.LOW, "high", GATED, False),
        (Severity.HIGH, "low", GATED, False),
        (Severity.HIGH, "", GATED, True),
        (Severity.LOW, "", {"min_severity": "low"}, True),
        (Severity.INFO, "", {}, False),
        (Severity.LOW, "", {}, True),
    ],
)
def test_above_threshold(
    severity: Severity, confidence: str, params: dict[str, Any], expected: bool
) -> None:
    finding = Finding("r", "m", severity, "a.py", 1, confidence=confidence)
    assert above_threshold(finding, params) is expected


def test_only_a_failed_check_run_has_failing_findings() -> None:
    finding = Finding("B602", "m", Severity.HIGH, "a.py", 1)
    assert causes_failure(_bandit(finding), finding)
    assert not causes_failure(replace(_bandit(finding), outcome=CheckOutcome.PASS), finding)
    # A check that is not judged per file keeps every scope: a key in a fixture still fails it.
    fixture = replace(finding, scope=Scope.FIXTURE)
    key = Evidence("repo.no_private_keys", CheckOutcome.FAIL, "key", findings=(fixture,))
    assert causes_failure(key, fixture)


def test_the_scopes_a_check_counted_are_read_from_the_record() -> None:
    """`counted_scopes` is what the run counted; a summary's text never decides it."""
    product = Finding("B602", "m", Severity.HIGH, "a.py", 1)
    test_code = replace(product, path="tests/t.py", scope=Scope.TEST)
    # `[scope] failing = ["product", "test"]`: both counted, both fail.
    widened = replace(_bandit(product, test_code), counted_scopes=("product", "test"))
    assert causes_failure(widened, test_code) and causes_failure(widened, product)
    narrow = replace(_bandit(product, test_code), counted_scopes=("product",))
    assert not causes_failure(narrow, test_code) and causes_failure(narrow, product)
    # Text that looks like the note of old decides nothing; a record without the field (written
    # before it existed) gets the default: the product counts, test code does not.
    posing = "; 1 finding(s) outside the product scope (1 product) not counted"
    older = _bandit(product, test_code, note=posing)
    assert causes_failure(older, product) and not causes_failure(older, test_code)
