"""report.md stays under GitHub's step-summary limit and degrades in steps: compact details
(only the findings that cause failure), then the summary with the failing findings, most severe
first, as many as fit; only a summary too big by itself is cut at a line."""

from __future__ import annotations

from dataclasses import replace

from report_sample import sample_assessment

from baseline.models import Assessment, Finding, Severity
from baseline.report.markdown import FILENAME, SIZE_LIMIT, render_markdown
from baseline.report.view import build_view


def _sizes() -> tuple[str, str]:
    view = build_view(sample_assessment())
    full = render_markdown(view, limit=10**9)[FILENAME]
    return full, render_markdown(view, limit=len(full.encode("utf-8")) - 1)[FILENAME]


def test_a_report_that_fits_is_whole() -> None:
    full, _ = _sizes()
    assert "**Truncated**" not in full and "sha256 of" in full  # per-check details present


def test_one_byte_over_keeps_compact_details_and_the_failing_findings() -> None:
    full, shorter = _sizes()
    assert len(shorter) < len(full)
    assert "sha256 of" not in shorter and "## Summary" in shorter
    assert "<details><summary>PW.7.2" in shorter and "**causes failure**" in shorter
    assert "**Truncated**" not in shorter


def test_a_tiny_limit_cuts_at_a_line_and_says_so() -> None:
    view = build_view(sample_assessment())
    text = render_markdown(view, limit=1200)[FILENAME]
    assert len(text.encode("utf-8")) <= 1200
    assert text.rstrip().endswith("and assessment.json for everything.")
    assert text.startswith("# SSDF assessment")


def _pip_sized(noise: int, failing: int) -> Assessment:
    """The sample with pip's volume: thousands of below-threshold bandit hits with snippets,
    cited by several tasks, and `failing` findings above the threshold."""
    a = sample_assessment()
    low = tuple(
        Finding("B101", "Use of assert detected.", Severity.LOW, f"src/pkg/mod{i}.py", 10,
                f"{i:032x}", "bandit", ("CWE-703",), "assert value is not None  # " + "x" * 200)
        for i in range(noise)
    )  # fmt: skip
    high = tuple(
        Finding("B602", f"shell=True number {i}", Severity.HIGH if i % 2 else Severity.MEDIUM,
                f"src/pkg/run{i:03}.py", 7, f"f{i:031x}", "bandit", ("CWE-78",), "call(shell=True)")
        for i in range(failing)
    )  # fmt: skip
    pw72 = next(r for r in a.results if r.control.id == "PW.7.2")
    scan = replace(pw72.evidence[0], findings=high + low, params={"fail_on": "medium"})
    results = tuple(
        replace(r, evidence=(scan, *r.evidence[1:])) if r.control.id == "PW.7.2"
        else replace(r, evidence=(*r.evidence, scan)) if r.control.id in ("PS.1.1", "PW.8.2")
        else r
        for r in a.results
    )  # fmt: skip
    return replace(a, results=results)


def test_pip_sized_report_keeps_every_failing_finding_and_counts_the_rest() -> None:
    view = build_view(_pip_sized(noise=4000, failing=14))
    full = render_markdown(view, limit=10**9)[FILENAME]
    assert len(full.encode("utf-8")) > SIZE_LIMIT  # the old renderer dropped every detail here
    text = render_markdown(view)[FILENAME]
    assert len(text.encode("utf-8")) <= SIZE_LIMIT
    assert "**Truncated**" not in text
    for i in range(14):
        assert f"src/pkg/run{i:03}.py:7" in text
    assert "4000 more finding(s) not counted" in text  # per task, under its check
    assert "mod17.py" not in text


def test_past_the_summary_the_most_severe_failing_findings_stay() -> None:
    view = build_view(_pip_sized(noise=10, failing=400))
    limit = 30_000  # the summary and about 150 of the 402 failing findings' rows
    text = render_markdown(view, limit=limit)[FILENAME]
    assert len(text.encode("utf-8")) <= limit and "**Truncated**" not in text
    shown = [line for line in text.splitlines() if "shell=True number" in line]
    assert 20 < len(shown) < 400
    assert all(line.startswith("| high |") for line in shown)  # most severe first
    # 402 cause failure: the 400, semgrep's pickle finding (high, shown) and the missing tests.
    assert f"**{402 - len(shown) - 1} more finding(s) that cause failure**" in text
    assert "<details><summary>PW.7.2" not in text  # task details went first
