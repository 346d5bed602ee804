"""The summary every report opens with, evidence shown once, and findings that cause failure."""

from __future__ import annotations

import re
from dataclasses import replace

from report_sample import sample_assessment

from baseline.models import (
    Assessment,
    CheckOutcome,
    Evidence,
    Finding,
    GateRecord,
    RepositoryFacts,
    Scope,
    Severity,
)
from baseline.report.failing import causes_failure
from baseline.report.html import render_html
from baseline.report.markdown import render_markdown
from baseline.report.run_view import short_command
from baseline.report.view import build_view

GATE = GateRecord(("fail", "error"), failures=("PW.7.2 is fail (--fail-on)",))
REPO = RepositoryFacts(url="https://example.org/acme/app", branch="main", changed=("app/x.py",))


def _html(a: Assessment, producer: dict[str, object] | None = None) -> str:
    return render_html(build_view(a, producer))["report.html"]


def _md(a: Assessment, producer: dict[str, object] | None = None) -> str:
    return render_markdown(build_view(a, producer))["report.md"]


def _judged() -> Assessment:
    return replace(sample_assessment(), gate=GATE, repository=REPO)


def test_the_summary_comes_first_with_verdict_gates_and_origin() -> None:
    html = _html(_judged())
    summary = html[html.index('<section id="summary"') : html.index("</section>")]
    assert html.index('id="summary"') < html.index('id="overview"') < html.index('id="tasks"')
    assert "Policy not met:</strong> 1 gate failed." in summary
    assert "<li>PW.7.2 is fail (--fail-on)</li>" in summary
    assert "https://example.org/acme/app" in summary and '<code class="wrap">main</code>' in summary
    assert (
        "<strong>dirty</strong>: 1 file differs from the commit" in summary
        and "app/x.py" in summary
    )
    assert "complete (not a shallow clone)" in summary
    assert "<strong>1 of 4</strong> form items attestable" in summary
    md = _md(_judged())
    head = md[: md.index("## Failing controls")]
    assert "**Policy not met:** 1 gate(s) failed." in head and "- PW.7.2 is fail" in head
    assert "**dirty**: 1 file(s) differ from the commit: <code>app/x.py</code>" in head


def test_an_unjudged_clean_run_says_so() -> None:
    a = replace(sample_assessment(), repository=replace(REPO, changed=(), shallow=True))
    html = _html(a)
    assert "Not judged against a policy" in html and "Policy not met" not in html
    assert "clean (no file differs from the commit)" in html
    assert "<strong>shallow clone</strong>" in html
    md = _md(a)
    assert "**Not judged against a policy**" in md and "**shallow clone**" in md


def test_title_is_the_product_then_the_repository_url_then_the_path() -> None:
    producer = {"name": "Acme Corp", "products": [{"name": "Acme Widget", "version": "2.0"}]}
    assert "<title>SSDF assessment: Acme Widget</title>" in _html(_judged(), producer)
    assert "<dt>Producer</dt><dd>Acme Corp</dd>" in _html(_judged(), producer)
    assert _md(_judged(), producer).startswith("# SSDF assessment: Acme Widget\n")
    assert "<title>SSDF assessment: https://example.org/acme/app</title>" in _html(_judged())
    assert "<title>SSDF assessment: golden-app</title>" in _html(sample_assessment())


def test_failing_findings_are_one_ranked_table_linked_to_tasks_and_evidence() -> None:
    view = build_view(_judged())
    assert view.summary is not None
    ranked = [(f.finding.severity, f.finding.rule) for f in view.summary.findings]
    assert ranked == [
        ("high", "B602"),
        ("high", "acme.no-pickle"),
        ("medium", "no-tests"),
        ("low", "B105"),
    ]
    html = _html(_judged())
    table = html[html.index('id="failing-findings"') : html.index('<nav class="toc"')]
    assert table.count('<tr class="causes">') == 4
    row = table[table.index("app/run.py:12") :].split("</tr>")[0]
    assert 'href="#task-pw-7-2"' in row and 'href="#run-sast-bandit"' in row
    waived = table[table.index("no-tests") :].split("</tr>")[0]
    assert 'href="#task-pw-8-2"' in waived and "Waived" in waived  # not a plain failure


def test_each_check_run_appears_once_and_tasks_link_to_it() -> None:
    a = _judged()
    pw72 = next(r for r in a.results if r.control.id == "PW.7.2")
    twice = replace(a.results[2], evidence=(*a.results[2].evidence, pw72.evidence[0]))
    a = replace(a, results=(*a.results[:2], twice, *a.results[3:]))
    html = _html(a)
    assert html.count('id="run-sast-bandit"') == 1
    assert html.count("bandit.json") == 1  # its digest is listed once, in the run
    run = html[html.index('id="run-sast-bandit"') :].split("</article>")[0]
    assert 'href="#task-ps-1-1"' in run and 'href="#task-pw-7-2"' in run
    assert html.count('href="#run-sast-bandit"') >= 3  # from both tasks and the summary


def _scan(findings: tuple[Finding, ...], summary: str = "bandit found issues") -> Evidence:
    return Evidence(
        "sast.bandit", CheckOutcome.FAIL, summary, findings=findings, params={"fail_on": "medium"}
    )


def _finding(severity: Severity, path: str, scope: Scope = Scope.PRODUCT) -> Finding:
    return Finding("B101", "assert used", severity, path, 1, fingerprint=path, scope=scope)


def test_below_threshold_and_set_aside_findings_do_not_cause_failure() -> None:
    high = _finding(Severity.HIGH, "app/a.py")
    low = _finding(Severity.LOW, "app/b.py")
    fixture = _finding(Severity.HIGH, "tests/fixtures/c.py", Scope.FIXTURE)
    e = replace(_scan((high, low, fixture)), counted_scopes=("product",))
    assert [causes_failure(e, f) for f in e.findings] == [True, False, False]
    assert not causes_failure(replace(e, outcome=CheckOutcome.PASS), high)
    # The project counted fixtures (`[scope] failing`): the fixture finding fails the check.
    widened = replace(_scan((fixture,)), counted_scopes=("fixture", "product"))
    assert causes_failure(widened, fixture)


def _with_fixture_failure() -> Assessment:
    a = sample_assessment()
    fixture = Finding(
        "binary-artifact", "committed binary artifact (.exe file)", Severity.MEDIUM,
        "tests/fixtures/tool.exe", None, "7" * 32, scope=Scope.FIXTURE,
    )  # fmt: skip
    e = Evidence("repo.has_test_suite", CheckOutcome.FAIL, "a fixture fails", findings=(fixture,))
    results = tuple(replace(r, evidence=(e,)) if r.control.id == "PW.8.2" else r for r in a.results)
    return replace(a, results=results)


def test_a_failing_finding_in_a_fixture_is_labelled_in_html_and_markdown() -> None:
    html = _html(_with_fixture_failure())
    table = html[html.index('id="failing-findings"') : html.index('<nav class="toc"')]
    row = table[table.index("tests/fixtures/tool.exe") :].split("</tr>")[0]
    assert '<span class="scope-note">(in a test fixture)</span>' in row
    run = html[html.index('id="run-repo-has-test-suite"') :].split("</article>")[0]
    assert "in a test fixture" in run and "Findings that cause failure" in run
    md = _md(_with_fixture_failure())
    summary_rows = [line for line in md.splitlines() if "tests/fixtures/tool.exe" in line]
    assert summary_rows and all("(in a test fixture)" in line for line in summary_rows)
    assert any("**causes failure**" in line for line in summary_rows)  # the task's own table


def test_long_commands_are_shortened_with_a_count() -> None:
    paths = [f"src/m{i}.py" for i in range(1070)]
    assert short_command(["bandit", "-f", "json", "-q", "--", *paths]) == (
        "bandit -f json -q -- ... +1,070 paths"
    )
    assert short_command(["tool", *paths[:20]]) == (
        "tool src/m0.py src/m1.py src/m2.py src/m3.py src/m4.py src/m5.py src/m6.py ... +13 arguments"
    )
    assert short_command(["git", "log", "--format=%H"]) == "git log --format=%H"


def test_summary_output_is_byte_identical_across_renders() -> None:
    a = _judged()
    assert _html(a) == _html(a) and _md(a) == _md(a)
    assert not re.search(r"0x[0-9a-f]{6,}", _html(a))  # no object reprs leak into the page
