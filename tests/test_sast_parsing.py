"""Parser and judging units of the SAST checks, over recorded bandit and semgrep output."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from baseline.checks import bandit, memo, sast, sast_files
from baseline.context import Context, RunOptions, build_context
from baseline.errors import ToolError
from baseline.models import Artifact, CheckOutcome, Finding, Severity, ToolRun
from baseline.tools import semgrep as semgrep_tool

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sast"
INSECURE = ROOT / "examples" / "insecure-app"


def _fixture(name: str) -> dict[str, object]:
    return json.loads((FIXTURES / name).read_text("utf-8"))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def insecure() -> Context:
    return build_context(INSECURE, "examples/insecure-app", RunOptions())


def test_bandit_results_become_findings_with_cwe_snippet_and_confidence(insecure: Context) -> None:
    rated, unparsed = bandit._parse(insecure, _fixture("bandit-insecure-app.json"))
    assert unparsed == []
    by_rule = {(f.rule, f.path, f.line): (f, c) for f, c in rated}
    finding, confidence = by_rule[("B602", "tasks.py", 9)]
    assert finding.severity is Severity.HIGH
    assert finding.cwe == ("CWE-78",)
    assert finding.snippet.startswith("return subprocess.check_output(")
    assert confidence == "high"
    assert all(not f.path.startswith("./") for f, _ in rated)


def test_bandit_unparsable_files_are_listed(tmp_path: Path) -> None:
    ctx = build_context(tmp_path, "t", RunOptions())
    _, unparsed = bandit._parse(ctx, _fixture("bandit-parse-error.json"))
    assert [(s.kind, s.path) for s in unparsed] == [("parse-error", "broken.py")]
    assert "syntax error" in unparsed[0].detail


def test_bandit_json_without_results_is_a_tool_error(insecure: Context) -> None:
    with pytest.raises(ToolError, match="results"):
        bandit._parse(insecure, {"errors": []})


def test_semgrep_rule_ids_lose_the_folder_prefix(insecure: Context) -> None:
    document = _fixture("semgrep-insecure-app.json")
    known = ["python.eval-exec-dynamic", "python.yaml-unsafe-load"]
    lines = sast_files.SourceLines(insecure)
    first = semgrep_tool.finding(document["results"][0], known, lines.line)  # type: ignore[index]
    assert first.rule == "python.eval-exec-dynamic"
    assert first.cwe == ("CWE-95",)
    assert first.snippet and first.snippet != "requires login"
    assert first.severity is Severity.HIGH


def test_semgrep_rule_parse_error_is_fatal_and_file_errors_are_counted() -> None:
    errors = _fixture("semgrep-rule-error.json")["errors"]
    per_file, fatal = semgrep_tool.problems(errors)  # type: ignore[arg-type]
    assert fatal and not per_file
    per_file, fatal = semgrep_tool.problems(
        [{"type": "Syntax error", "level": "warn", "path": "a.py", "message": "bad"}]
    )
    assert fatal == [] and per_file[0].path == "a.py" and per_file[0].kind == "parse-error"


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("tests/test_a.py", "**/tests/**", True),
        ("pkg/tests/sub/a.py", "**/tests/**", True),
        ("pkg/test_a.py", "**/test_*.py", True),
        ("test_a.py", "**/test_*.py", True),
        ("contest.py", "**/conftest.py", False),
        ("src/latest/a.py", "**/test/**", False),
        ("build/x.py", "build/**", True),
    ],
)
def test_glob_match(path: str, pattern: str, expected: bool) -> None:
    assert sast_files.glob_match(path, pattern) is expected


def _finding(rule: str, path: str, line: int, code: str) -> Finding:
    return Finding(rule, "m", Severity.HIGH, path, line, tool="t", snippet=code)


def test_fingerprint_ignores_line_moves_and_counts_identical_lines() -> None:
    before = sast.with_fingerprints("t", [_finding("R", "a.py", 3, "eval(x)")])
    after = sast.with_fingerprints(
        "t", [_finding("R", "a.py", 40, "eval(x)"), _finding("R", "a.py", 41, "eval(x)")]
    )
    assert before[0].fingerprint == after[0].fingerprint
    assert after[0].fingerprint != after[1].fingerprint
    changed = sast.with_fingerprints("t", [_finding("R", "a.py", 3, "eval(y)")])
    assert changed[0].fingerprint != before[0].fingerprint


def test_markers_are_found_with_their_lines(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\neval(y)  # nosec B307\nz = 2  #nosemgrep: r1\n")
    (tmp_path / "README.md").write_text("write `nosemgrep` to silence\n")
    ctx = build_context(tmp_path, "t", RunOptions())
    nosec = sast_files.marker_suppressions(ctx, ["a.py"], "nosec", sast_files.NOSEC, "nosec")
    assert [(s.path, s.line, s.detail) for s in nosec] == [("a.py", 2, "B307")]
    nosem = sast_files.marker_suppressions(
        ctx, ["a.py", "README.md"], "nosemgrep", sast_files.NOSEMGREP, "nosemgrep"
    )
    assert [(s.path, s.line, s.detail) for s in nosem] == [("a.py", 3, "r1")]


def _scan(findings: tuple[Finding, ...]) -> sast.Scan:
    return sast.Scan(
        tool="t",
        run=ToolRun("t", "1", ("t",), 0),
        targets=("a.py",),
        findings=findings,
        suppressions=(),
        artifact=Artifact("t.json", b"{}"),
        parse_errors=0,
        rules=("R1", "R2"),
    )


def test_judge_thresholds_and_rule_filters() -> None:
    low = Finding("R1", "m", Severity.LOW, "a.py", 1, tool="t")
    high = Finding("R2", "m", Severity.HIGH, "a.py", 2, tool="t")
    scan = _scan((low, high))

    def at(level: str) -> Callable[[Finding], bool]:
        return lambda f: f.severity.rank >= sast.level_rank(level)

    assert sast.judge("c", scan, {"rules": []}, at("high")).outcome is CheckOutcome.FAIL
    only_low = sast.judge("c", scan, {"rules": ["R1"]}, at("medium"))
    assert only_low.outcome is CheckOutcome.PASS and only_low.findings == (low,)
    assert only_low.digests["t.json"] == hashlib.sha256(b"{}").hexdigest()
    unknown = sast.judge("c", scan, {"rules": ["R9*"]}, at("low"))
    assert unknown.outcome is CheckOutcome.ERROR and "R9*" in unknown.summary


def test_shared_scan_gathers_once_for_concurrent_callers(tmp_path: Path) -> None:
    ctx = build_context(tmp_path, "t", RunOptions())
    calls: list[int] = []
    gate = threading.Event()

    def gather() -> sast.Scan:
        calls.append(1)
        gate.wait(5)
        return _scan(())

    threads = [
        threading.Thread(target=memo.shared_scan, args=(ctx, {"k": 1}, gather)) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    gate.set()
    for thread in threads:
        thread.join()
    assert calls == [1]
    memo.shared_scan(ctx, {"k": 2}, gather)
    assert calls == [1, 1]


def test_run_level_excludes_and_exclude_globs_are_listed(tmp_path: Path) -> None:
    for rel in ("app.py", "gen/big.py", "vendor/lib.py", "tests/test_app.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x = 1\n")
    ctx = build_context(tmp_path, "t", RunOptions(excludes=("vendor",)))
    targets, dropped = sast_files.select_targets(
        ctx, lambda rel: rel.endswith(".py"), ["gen/**"], list(sast_files.DEFAULT_TEST_PATHS)
    )
    assert targets == ["app.py"]
    assert sorted((s.kind, s.path) for s in dropped) == [
        ("path-exclude", "gen/big.py"),
        ("path-exclude", "vendor"),
        ("test-path-exclude", "tests/test_app.py"),
    ]
