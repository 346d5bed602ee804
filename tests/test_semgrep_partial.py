"""More files than `max_parse_errors` only partly analyzed: semgrep's findings still fail the
check, but it can never pass (real semgrep; juice-shop, hono and jellyfin each have 8-31 files
semgrep only partly parses, and every SAST cell of theirs was `error`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import write_files

from baseline.context import RunOptions, build_context
from baseline.engine import run_check
from baseline.models import CheckOutcome, CheckSpec, Evidence

pytestmark = pytest.mark.slow

# JavaScript semgrep cannot parse whole: each is a parse-error suppression.
BROKEN = {f"src/broken{i}.js": "function f( {\n  return 1 +;\n}\n" for i in range(3)}
EVAL = "import os\n\n\ndef run(code):\n    return eval(code)\n"


def _semgrep(repo: Path, **params: object) -> Evidence:
    ctx = build_context(repo, "t", RunOptions(cache=None))
    return run_check(ctx, CheckSpec("sast.semgrep", {"max_parse_errors": 2, **params}))


def _parse_errors(evidence: Evidence) -> list[str]:
    return [s.path for s in evidence.suppressions if s.kind == "parse-error"]


@pytest.mark.timeout(240)
def test_partly_analyzed_code_fails_on_findings_and_never_passes(tmp_path: Path) -> None:
    write_files(tmp_path, {**BROKEN, "app/clean.py": "def add(a, b):\n    return a + b\n"})
    clean = _semgrep(tmp_path)
    assert sorted(_parse_errors(clean)) == sorted(BROKEN), clean.summary
    assert clean.outcome is CheckOutcome.NEEDS_REVIEW, clean.summary
    assert "could not fully analyze 3 files" in clean.summary
    assert "more than max_parse_errors = 2" in clean.summary
    # What semgrep did read still counts: an eval of input fails the check.
    write_files(tmp_path, {"app/run.py": EVAL})
    failing = _semgrep(tmp_path)
    assert failing.outcome is CheckOutcome.FAIL, failing.summary
    assert [f.path for f in failing.findings if f.rule == "python.eval-exec-dynamic"] == [
        "app/run.py"
    ]
    # Within the limit, the partly parsed files are listed and the judgement is as before.
    within = _semgrep(tmp_path, max_parse_errors=5)
    assert within.outcome is CheckOutcome.FAIL and "could not fully analyze" not in within.summary
