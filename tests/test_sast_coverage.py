"""Coverage is evidence: product code in a language no selected rule reads is `needs_review`
with the figure, never `pass`; languages are found by suffix, name and shebang."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from support import check_evidence

from baseline.checks import code_languages, sast_coverage
from baseline.evidence_record import evidence_from_json, evidence_json
from baseline.models import CheckOutcome, Evidence, LanguageCoverage
from baseline.report.coverage_view import coverage_rows
from baseline.report.json_record import from_record
from baseline.report.view import build_view
from baseline.resources import schema_path
from baseline.tools import semgrep_rules

PYTHON = "import os\n\n\ndef main() -> None:\n    print(os.getcwd())\n"
KOTLIN = "".join(f"fun f{i}(x: Int): Int = x + {i}\n" for i in range(40))
SCRIPT = "#!/usr/bin/env bash\nset -eu\necho ok\n"


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _row(evidence: Evidence, language: str) -> LanguageCoverage:
    return next(r for r in evidence.coverage if r.language == language)


@pytest.mark.parametrize(
    ("line", "language"),
    [
        (b"#!/usr/bin/env python3\n", "python"),
        (b"#!/usr/bin/python3.12 -u\n", "python"),
        (b"#!/bin/sh\n", "shell"),
        (b"#!/usr/bin/env -S node --no-warnings\n", "javascript"),
        (b"#! /usr/bin/ruby\n", "ruby"),
        (b"#!/usr/bin/perl -w\n", "perl"),
        (b"#!/usr/bin/env FOO=1 bash\n", "shell"),
        (b"#!/usr/bin/unknown\n", None),
        (b"# not a shebang\n", None),
        (b"", None),
    ],
)
def test_shebang_lines_name_the_language(line: bytes, language: str | None) -> None:
    assert code_languages.interpreter(line) == language


@pytest.mark.parametrize(
    ("rel", "language"),
    [
        ("src/App.kt", "kotlin"),
        ("a/b/Main.JAVA", "java"),
        ("Dockerfile", "dockerfile"),
        ("deploy/Dockerfile.prod", "dockerfile"),
        ("scripts/run.sh", "shell"),
        ("config.yaml", None),
        ("package.json", None),
        ("README.md", None),
        (".bashrc", None),
        ("bin/tool", None),  # no suffix: only its shebang can tell
    ],
)
def test_names_and_suffixes_name_the_language(rel: str, language: str | None) -> None:
    assert code_languages.by_name(rel) == language


def test_python_with_kotlin_and_a_shell_script_needs_review_with_the_figure(
    tmp_path: Path,
) -> None:
    target = _write(
        tmp_path,
        {
            "app/main.py": PYTHON,
            "app/Main.kt": KOTLIN,
            "bin/deploy": SCRIPT,  # extension-less: found by its shebang
            "config.yaml": "a: 1\n",  # configuration is not code
            "tests/Helper.kt": KOTLIN,  # test code is not product
        },
    )
    evidence = check_evidence(target, "sast.semgrep")
    assert evidence.outcome is CheckOutcome.NEEDS_REVIEW, evidence.summary
    assert "40 lines of Kotlin in 1 file (e.g. app/Main.kt)" in evidence.summary
    assert "3 lines of shell in 1 file (e.g. bin/deploy)" in evidence.summary
    assert "were not analyzed" in evidence.summary
    assert [r.language for r in evidence.coverage] == ["kotlin", "python", "shell"]
    kotlin, python = _row(evidence, "kotlin"), _row(evidence, "python")
    assert (kotlin.files, kotlin.lines, kotlin.analyzers) == (1, 40, ())
    assert python.lines == 5
    assert python.analyzers and python.analyzers[0][0] == "semgrep" and python.analyzers[0][1] > 5


def test_python_only_has_no_coverage_gap(tmp_path: Path) -> None:
    target = _write(tmp_path, {"app/main.py": PYTHON, "bin/tool": "#!/usr/bin/env python3\n"})
    evidence = check_evidence(target, "sast.semgrep")
    assert evidence.outcome is CheckOutcome.PASS, evidence.summary
    assert "not analyzed" not in evidence.summary
    assert [(r.language, r.files, r.lines) for r in evidence.coverage] == [("python", 2, 6)]


def test_java_with_only_python_rules_selected_needs_review(tmp_path: Path) -> None:
    target = _write(
        tmp_path,
        {"app/main.py": PYTHON, "src/Main.java": "class Main {\n  void f() {}\n}\n"},
    )
    evidence = check_evidence(target, "sast.semgrep", {"rules": ["python.*"]})
    assert evidence.outcome is CheckOutcome.NEEDS_REVIEW, evidence.summary
    assert "3 lines of Java in 1 file (e.g. src/Main.java) were not analyzed" in evidence.summary
    assert _row(evidence, "java").analyzers == ()


def test_a_secrets_rule_does_not_make_a_language_analyzed(tmp_path: Path) -> None:
    # The secrets family's regex rules read Kotlin text, but a code-analysis check that selects
    # them with the Python rules has still not analysed the Kotlin.
    target = _write(tmp_path, {"app/main.py": PYTHON, "app/Main.kt": KOTLIN})
    evidence = check_evidence(target, "sast.semgrep", {"rules": ["python.*", "secrets.*"]})
    assert evidence.outcome is CheckOutcome.NEEDS_REVIEW
    # A text check alone (secrets only) judges tokens, not code: no table, no gap.
    text = check_evidence(target, "sast.semgrep", {"rules": ["secrets.*"]})
    assert text.outcome is CheckOutcome.PASS and text.coverage == ()


def test_a_failure_stays_a_failure_and_carries_the_figure(tmp_path: Path) -> None:
    target = _write(
        tmp_path,
        {"app/main.py": "import os\n\n\ndef f(x):\n    os.system(x)\n", "app/Main.kt": KOTLIN},
    )
    evidence = check_evidence(target, "sast.semgrep")
    assert evidence.outcome is CheckOutcome.FAIL
    assert "40 lines of Kotlin in 1 file (e.g. app/Main.kt) were not analyzed" in evidence.summary


def test_the_allowance_shows_small_gaps_without_blocking(tmp_path: Path) -> None:
    target = _write(tmp_path, {"app/main.py": PYTHON, "scripts/go.sh": SCRIPT})
    evidence = check_evidence(target, "sast.semgrep", {"unanalyzed_lines_allowed": 3})
    assert evidence.outcome is CheckOutcome.PASS, evidence.summary
    assert "3 lines of shell in 1 file (e.g. scripts/go.sh) were not analyzed" in evidence.summary
    assert "within `unanalyzed_lines_allowed` = 3 lines" in evidence.summary
    assert evidence.params["unanalyzed_lines_allowed"] == 3
    blocked = check_evidence(target, "sast.semgrep", {"unanalyzed_lines_allowed": 2})
    assert blocked.outcome is CheckOutcome.NEEDS_REVIEW


def test_bandit_reports_its_python_row_with_its_test_count(tmp_path: Path) -> None:
    # Java has a semgrep pack in this run (an added rule here): bandit leaves it to semgrep.
    java_rule = (
        "rules:\n  - id: acme.java\n    message: m\n    severity: INFO\n"
        "    languages: [java]\n    pattern: foo()\n"
    )
    target = _write(tmp_path, {"app/main.py": PYTHON, "src/Main.java": "class Main {}\n",
                               "acme.yaml": java_rule})  # fmt: skip
    (added,) = semgrep_rules.load(target, ["acme.yaml"], "config", ("x", 1), (), False).files
    evidence = check_evidence(target, "sast.bandit", semgrep_rules=(added,))
    assert evidence.outcome is CheckOutcome.PASS, evidence.summary
    (row,) = evidence.coverage
    assert (row.language, row.files, row.lines) == ("python", 1, 5)
    ((tool, tests),) = row.analyzers
    assert tool == "bandit" and tests > 50
    skipped = check_evidence(target, "sast.bandit", {"skip": ["B101"]}, semgrep_rules=(added,))
    assert skipped.coverage[0].analyzers == (("bandit", tests - 1),)


def test_bandit_needs_review_for_code_no_analyzer_of_the_run_reads(tmp_path: Path) -> None:
    target = _write(tmp_path, {"app/main.py": PYTHON, "app/Main.kt": KOTLIN})
    evidence = check_evidence(target, "sast.bandit")
    assert evidence.outcome is CheckOutcome.NEEDS_REVIEW, evidence.summary
    assert (
        "40 lines of Kotlin in 1 file (e.g. app/Main.kt) were not analyzed: no analyzer of "
        "this run reads it" in evidence.summary
    )
    assert [(r.language, r.analyzers != ()) for r in evidence.coverage] == [
        ("kotlin", False),
        ("python", True),
    ]
    allowed = check_evidence(target, "sast.bandit", {"unanalyzed_lines_allowed": 40})
    assert allowed.outcome is CheckOutcome.PASS


def test_the_table_round_trips_through_the_record_and_merges_for_reports() -> None:
    rows = (
        LanguageCoverage("kotlin", 3, 1240, (), "a/B.kt"),
        LanguageCoverage("python", 2, 10, (("semgrep", 13),), "a.py"),
    )
    semgrep = Evidence("sast.semgrep", CheckOutcome.NEEDS_REVIEW, "s", coverage=rows)
    bandit = Evidence(
        "sast.bandit",
        CheckOutcome.PASS,
        "b",
        coverage=(LanguageCoverage("python", 2, 10, (("bandit", 68),), "a.py"),),
    )
    assert evidence_from_json(evidence_json(semgrep)) == semgrep
    assert "coverage" not in evidence_json(Evidence("repo.x", CheckOutcome.PASS, "s"))
    merged = coverage_rows([semgrep, bandit])
    assert [(r.language, r.lines, r.analyzers) for r in merged] == [
        ("Kotlin", 1240, ""),
        ("Python", 10, "bandit (68 tests), semgrep (13 rules)"),
    ]


def test_records_without_coverage_or_origins_still_validate_and_render() -> None:
    golden = Path(__file__).parent / "golden" / "assessment.json"
    record = json.loads(golden.read_text())
    for e in record["check_runs"]:  # version 2: each run once
        e.pop("coverage", None)
        for f in e["findings"]:
            f.pop("origin", None)
    jsonschema.validate(record, json.loads(schema_path("assessment.schema.json").read_text()))
    view = build_view(from_record(record))
    assert view.coverage == ()
    assert all(f.origin == "" for t in view.tasks for e in t.evidence for f in e.findings)


def test_an_assessment_with_unanalyzed_code_passes_no_code_analysis_task(
    run_cli, tmp_path: Path
) -> None:
    _write(tmp_path / "repo", {"app/main.py": PYTHON, "app/Main.kt": KOTLIN, "bin/deploy": SCRIPT})
    out = tmp_path / "out"
    code, _, err = run_cli("assess", str(tmp_path / "repo"), "--out", str(out), "--quiet",
                           "--format", "json,md,html")  # fmt: skip
    assert code in (0, 1), err
    record = json.loads((out / "assessment.json").read_text())
    jsonschema.validate(record, json.loads(schema_path("assessment.schema.json").read_text()))
    status = {r["control_id"]: r["status"] for r in record["results"]}
    assert status["PW.7.2"] == "needs_review"  # automated evidence alone could make it pass
    semgrep = [e for r in record["results"] for e in r["evidence"] if e["check"] == "sast.semgrep"]
    assert all(e["outcome"] != "pass" for e in semgrep if "coverage" in e)
    markdown = (out / "report.md").read_text()
    assert "| Kotlin | 1 | 40 | **not analyzed** |" in markdown
    assert "| shell | 1 | 3 | **not analyzed** |" in markdown
    assert "bandit (" in markdown and "semgrep (" in markdown
    assert '<section id="coverage">' in (out / "report.html").read_text()


def test_a_code_pack_with_a_regex_rule_is_still_a_code_pack() -> None:
    languages = {
        "secrets.a": frozenset({"regex"}), "secrets.b": frozenset({"regex"}),
        "secrets.c": frozenset({"python"}),
        "js.a": frozenset({"javascript"}), "js.b": frozenset({"javascript", "typescript"}),
        "js.c": frozenset({"generic"}),
    }  # fmt: skip
    assert sast_coverage.semgrep_readers(languages, ["secrets.*"]) is None
    assert sast_coverage.semgrep_readers(languages, ["js.*"]) == {
        "javascript": [("semgrep", 2)],
        "typescript": [("semgrep", 1)],
    }


def test_scripts_in_hidden_tooling_folders_are_not_unanalyzed_product_code(tmp_path: Path) -> None:
    # flask's and pip's .devcontainer scripts set up a developer's machine; they ship nowhere.
    from baseline.checks.sast_coverage import product_code
    from baseline.context import RunOptions, build_context

    repo = _write(tmp_path / "repo", {"app/main.py": PYTHON, ".devcontainer/setup.sh": SCRIPT,
                                      ".github/scripts/release.sh": SCRIPT,
                                      "scripts/deploy.sh": SCRIPT,
                                      ".hidden/Main.kt": KOTLIN})  # fmt: skip
    found = product_code(build_context(repo, "repo", RunOptions()))
    # Any other hidden folder is still product code: it cannot hide code from the table.
    assert found == {"app/main.py": "python", "scripts/deploy.sh": "shell",
                     ".hidden/Main.kt": "kotlin"}  # fmt: skip
