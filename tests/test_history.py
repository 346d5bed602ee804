"""`baseline history`: three real assessments of one repository at three commits, rendered as a
status table, findings opened and closed, an inline SVG chart; other repositories refused."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from workflow_support import cli, commit, make_repo

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# The statuses asserted rest on real bandit, semgrep and zizmor runs (three assessments).
pytestmark = pytest.mark.slow

# A file name that tries markup in HTML and Markdown, and reverses the text after it (U+202E).
HOSTILE = "<script>alert(1)<!--\u202egnp.exe"
EPOCHS = ("1780272000", "1780358400", "1780444800")  # 2026-06-01, -02, -03


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """1: a binary committed. 2: the binary gone (closed), the policy's contact gone (opened, and
    RV.1.1 fails). 3: another binary (opened, and PS.1.1 fails again)."""
    from baseline.cli import main

    base = tmp_path_factory.mktemp("history")
    repo = make_repo(base)
    (repo / "bin").mkdir()
    (repo / "bin" / HOSTILE).write_bytes(b"MZ")
    commit(repo, "binary")
    mp = pytest.MonkeyPatch()
    out = []
    try:
        for index, epoch in enumerate(EPOCHS):
            if index == 1:
                shutil.rmtree(repo / "bin")
                (repo / "SECURITY.md").write_text("# Security\n\nTell us.\n")
                commit(repo, "drop the binary and the policy's contact")
            if index == 2:
                (repo / "tools").mkdir()
                (repo / "tools" / "helper.exe").write_bytes(b"MZ")
                commit(repo, "another binary")
            mp.setenv("SOURCE_DATE_EPOCH", epoch)
            folder = base / f"r{index + 1}"
            assert main(["assess", str(repo), "--out", str(folder), "--quiet"]) == 1
            out.append(folder / "assessment.json")
    finally:
        mp.undo()
    return out


@pytest.fixture(scope="module")
def rendered(records: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The history of the three records, given out of order (history sorts them by date)."""
    from baseline.cli import main

    out = tmp_path_factory.mktemp("history-out")
    assert main(["history", str(records[2]), str(records[0]), str(records[1]),
                 "--out", str(out)]) == 0  # fmt: skip
    return out


def _commit(record: Path) -> str:
    commit_id: str = json.loads(record.read_text())["target"]["commit"]
    return commit_id[:12]


def test_status_table_and_findings_opened_and_closed(records: list[Path], rendered: Path) -> None:
    doc = json.loads((rendered / "history.json").read_text())
    labels = [_commit(r) for r in records]
    assert [r["label"] for r in doc["releases"]] == labels
    assert [r["generated_at"][:10] for r in doc["releases"]] == [
        "2026-06-01", "2026-06-02", "2026-06-03"
    ]  # fmt: skip
    status = {t["id"]: t["statuses"] for t in doc["tasks"]}
    assert status["RV.1.1"] == ["needs_review", "fail", "fail"]
    assert status["PS.1.1"] == ["fail", "needs_review", "fail"]
    assert status["PW.4.1"] == ["fail", "needs_review", "fail"]
    first, second = doc["changes"]
    assert (first["from"], first["to"], second["from"], second["to"]) == (*labels[:2], *labels[1:])
    assert [f["rule"] for f in first["opened"]] == ["security-policy-no-contact"]
    assert [f["path"] for f in first["closed"]] == [f"bin/{HOSTILE}"]
    assert [f["path"] for f in second["opened"]] == ["tools/helper.exe"]
    assert second["closed"] == []
    since = {(f["rule"], f["path"]): f["since"] for f in doc["open"]}
    assert since[("security-policy-no-contact", "SECURITY.md")] == labels[1]
    assert [s for (_, path), s in since.items() if path == "tools/helper.exe"] == [labels[2]]
    counts = [r["counts"] for r in doc["releases"]]
    assert [c["fail"] for c in counts] == [
        sum(s[i] == "fail" for s in status.values()) for i in range(3)
    ]


def test_html_table_chart_and_escaping(records: list[Path], rendered: Path) -> None:
    html = (rendered / "history.html").read_text()
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;!--" in html
    assert "\u202e" not in html  # made visible, as in report.html
    assert html.count("<svg") == 1 and 'role="img"' in html and "<figcaption" in html
    assert not re.search(r"""(href|src|url)\s*[=(]\s*["']?[a-z]+:""", html)  # nothing external
    assert "default-src &#39;none&#39;" in html
    row = html[html.index("<code>RV.1.1</code>") :].split("</tr>")[0]
    assert row.count("Needs review") == 1 and row.count("Fail *") == 1 and row.count("Fail") == 2


def test_markdown_escapes_hostile_names(rendered: Path) -> None:
    md = (rendered / "history.md").read_text()
    assert "<script>" not in md and "\u202e" not in md
    assert "\\<script\\>alert(1)\\<\\!--" in md or "&lt;script&gt;alert(1)&lt;!--" in md
    rv = next(line for line in md.splitlines() if line.startswith("| RV.1.1 "))
    assert rv.endswith("| Needs review | Fail \\* | Fail |")


def test_history_is_byte_identical(records: list[Path], rendered: Path, tmp_path: Path) -> None:
    from baseline.cli import main

    assert main(["history", *map(str, records), "--out", str(tmp_path)]) == 0
    for name in ("history.html", "history.md", "history.json"):
        assert (tmp_path / name).read_bytes() == (rendered / name).read_bytes()


def test_records_of_another_repository_are_refused(
    records: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = json.loads(records[1].read_text())
    other["target"]["path"] = "/elsewhere/other-product"
    moved = tmp_path / "other.json"
    moved.write_text(json.dumps(other))
    code, _, err = cli(capsys, "history", str(records[0]), str(moved), "--out", str(tmp_path / "o"))
    assert code == 2
    assert f"{moved}: target.path: another product" in err
    assert not (tmp_path / "o").exists()
    # With remote URLs, the URL decides: the same URL at two paths is one product, two are not.
    same = []
    for index, (record, url) in enumerate(
        ((records[0], "https://example.org/a"), (moved, "https://example.org/a"))
    ):
        data = json.loads(record.read_text())
        data["target"]["url"] = url
        same.append(tmp_path / f"url{index}.json")
        same[-1].write_text(json.dumps(data))
    assert cli(capsys, "history", *map(str, same), "--out", str(tmp_path / "u"))[0] == 0
    data = json.loads(same[1].read_text())
    data["target"]["url"] = "https://example.org/b"
    same[1].write_text(json.dumps(data))
    code, _, err = cli(capsys, "history", *map(str, same), "--out", str(tmp_path / "v"))
    assert code == 2 and "target.url: another product" in err


def test_history_opens_in_chromium_without_errors(rendered: Path, browser: Browser) -> None:
    from a11y_audit import describe, violations

    problems: list[str] = []
    page = browser.new_page()
    try:
        page.on("console", lambda m: problems.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
        page.on("request", lambda r: None if r.url.startswith("file:")
                else problems.append(f"request: {r.url}"))  # fmt: skip
        page.goto((rendered / "history.html").as_uri(), wait_until="load")
        assert page.title().startswith("SSDF history")
        assert page.locator("svg rect").count() >= 6
        fill = page.locator("svg rect.st-fail").first.evaluate("e => getComputedStyle(e).fill")
        assert fill == "rgb(198, 40, 40)"  # the stylesheet applied: its CSP hash matched
        assert page.locator("script").count() == 0
        found = violations(page)  # WCAG 2.1 AA, as tests/test_accessibility.py audits
        assert found == [], describe(found)
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # reflow
        assert violations(page) == []
    finally:
        page.close()
    assert problems == []


def test_version_1_records_mix_with_version_2(
    records: list[Path], rendered: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A record written in version 1.0 (evidence inline) gives the same history."""
    from baseline.report.json_record import dumps, expanded

    old = expanded(json.loads(records[0].read_text()))
    del old["check_runs"]
    old["schema_version"] = "1.0"
    v1 = tmp_path / "v1.json"
    v1.write_text(dumps(old))
    out = tmp_path / "out"
    assert (
        cli(capsys, "history", str(v1), str(records[1]), str(records[2]), "--out", str(out))[0] == 0
    )
    assert (out / "history.json").read_bytes() == (rendered / "history.json").read_bytes()


def test_bad_records_are_located_and_nothing_written(
    records: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "schema_version": "2.0",\n  oops\n}\n')
    data = json.loads(records[1].read_text())
    data["results"][0]["status"] = "great"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    out = tmp_path / "out"
    code, _, err = cli(capsys, "history", str(broken), str(records[0]), str(bad), "--out", str(out))
    assert code == 2
    assert f"{broken}:3: invalid JSON" in err  # every bad file named at once
    assert f"{bad}: results[0].status: 'great' is not one of" in err
    assert not out.exists()


def test_the_same_commit_assessed_again_gets_its_own_column(
    records: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copies = []
    for day in (4, 5):
        data = json.loads(records[2].read_text())
        data["generated_at"] = f"2026-06-0{day}T00:00:00Z"
        copies.append(tmp_path / f"again{day}.json")
        copies[-1].write_text(json.dumps(data))
    out = tmp_path / "out"
    assert cli(capsys, "history", str(records[2]), *map(str, copies), "--out", str(out))[0] == 0
    label = _commit(records[2])
    doc = json.loads((out / "history.json").read_text())
    assert [r["label"] for r in doc["releases"]] == [label, f"{label} #2", f"{label} #3"]
    assert [(c["opened"], c["closed"]) for c in doc["changes"]] == [([], []), ([], [])]
