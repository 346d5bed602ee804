"""Parser units: recorded zizmor 1.32.0 JSON (auditor persona) and the safe workflow loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from baseline.checks.workflow_yaml import MAX_BYTES, parse_workflow, steps, triggers
from baseline.errors import ToolError
from baseline.models import Severity
from baseline.tools.zizmor import parse_zizmor

RECORDED = Path(__file__).resolve().parent / "fixtures" / "zizmor"


def test_recorded_insecure_app_output() -> None:
    raw = (RECORDED / "insecure-app.auditor.json").read_bytes()
    result = parse_zizmor(raw, "ci.x")
    located = {(f.rule, f.path, f.line) for f in result.findings}
    # rows are 0-based in zizmor's JSON; the workflow lines are 1-based
    assert ("template-injection", ".github/workflows/ci.yml", 22) in located
    assert ("dangerous-triggers", ".github/workflows/triage.yml", 6) in located
    assert ("excessive-permissions", ".github/workflows/triage.yml", 10) in located
    assert ("unpinned-uses", ".github/workflows/ci.yml", 15) in located
    severities = {f.rule: f.severity for f in result.findings}
    assert severities["anonymous-definition"] is Severity.INFO
    assert severities["concurrency-limits"] is Severity.LOW
    assert all(f.tool == "zizmor" and f.fingerprint for f in result.findings)
    assert result.artifact.content == raw


def test_fingerprints_do_not_depend_on_lines() -> None:
    raw = (RECORDED / "insecure-app.auditor.json").read_bytes()
    shifted = raw.replace(b'"row": 21', b'"row": 40')
    first = {f.fingerprint for f in parse_zizmor(raw, "c").findings}
    second = {f.fingerprint for f in parse_zizmor(shifted, "c").findings}
    assert first == second


def test_ignore_comment_becomes_suppression() -> None:
    result = parse_zizmor((RECORDED / "ignore-comment.auditor.json").read_bytes(), "c")
    assert "unpinned-uses" not in {f.rule for f in result.findings}
    assert [(s.kind, s.line) for s in result.suppressions] == [("zizmor-ignore", 10)]


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"not json",
        b'{"ident": "x"}',
        b'[{"ident": "x"}]',
        b'[{"ident": "x", "locations": []}]',
        b'[{"ident":"x","desc":"d","determinations":{"severity":"High"},"locations":[{"symbolic":'
        b'{"key":{"Local":{"verbatim_path":"a.yml"}},"kind":"Primary"},"concrete":{"location":'
        b'{"start_point":{"row":-1}}}}]}]',
    ],
)
def test_garbage_is_a_tool_error(garbage: bytes) -> None:
    with pytest.raises(ToolError):
        parse_zizmor(garbage, "c")


def test_loader_records_lines_and_on_key() -> None:
    wf = parse_workflow("w.yml", b"on:\n  push:\njobs:\n  a:\n    steps:\n      - run: pytest\n")
    assert wf.problem == ""
    assert "push" in triggers(wf)
    [step] = list(steps(wf))
    assert (step.line, step.run, step.job) == (6, "pytest", "a")


def test_loader_refuses_alias_bomb_and_huge_files() -> None:
    bomb = b'a: &a ["x","x"]\n' + b"".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n".encode()
        for i in range(9)
    )
    assert "aliases" in parse_workflow("b.yml", bomb).problem
    assert "larger than" in parse_workflow("h.yml", b"#" * (MAX_BYTES + 1)).problem


def test_loader_reports_malformed_with_line() -> None:
    wf = parse_workflow("m.yml", b"jobs:\n  a:\n    steps: [\n")
    assert wf.problem.startswith("malformed YAML at line")
    assert parse_workflow("l.yml", b"- a\n- b\n").problem == "not a mapping at the top level"


def test_loader_never_constructs_python_objects() -> None:
    wf = parse_workflow("p.yml", b"x: !!python/object/apply:os.system ['true']\n")
    assert wf.problem.startswith("malformed YAML")


def test_recursive_alias_does_not_hang() -> None:
    wf = parse_workflow("r.yml", b"jobs: &j\n  a:\n    steps: *j\n")
    assert list(steps(wf)) == []
