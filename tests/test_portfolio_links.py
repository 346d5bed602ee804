"""Portfolio heat-map cells link to each repository's report at the task, and say why the task
has its status (accessible name, and the reasons listed below the table, no JavaScript)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from support import load_json

from baseline.aggregate.portfolio import MET
from benchmarks.portfolio_records import base_record, write_records

if TYPE_CHECKING:
    from playwright.sync_api import Browser

HOSTILE_DIR = 'a#b?c"<x>'


@pytest.fixture(scope="module")
def base() -> dict[str, Any]:
    return base_record()


def _portfolio(run_cli, tmp_path: Path, base: dict[str, Any]) -> tuple[Path, list[Path]]:
    files = write_records(tmp_path / "in", 2, base)
    # The first repository has its report beside its record, in a folder with a hostile name.
    moved = tmp_path / "in" / HOSTILE_DIR / "assessment.json"
    moved.parent.mkdir()
    files[0].rename(moved)
    (moved.parent / "report.html").write_text("<!DOCTYPE html><title>r</title>", "utf-8")
    code, _, err = run_cli("aggregate", str(moved), str(files[1]), "--out", str(tmp_path / "out"))
    assert code == 0, err
    return tmp_path / "out", [moved, files[1]]


def test_cells_link_to_the_report_at_the_task_with_the_reason(
    run_cli, tmp_path: Path, base
) -> None:
    out, files = _portfolio(run_cli, tmp_path, base)
    html = (out / "portfolio.html").read_text("utf-8")
    record = load_json(files[0])
    target = record["target"]["path"]
    href = "../in/a%23b%3Fc%22%3Cx%3E/report.html"
    links = re.findall(r'<td class="s-[a-z_]+" [^>]*><a href="([^"]+)"', html)
    to_report = [link for link in links if not link.startswith("#")]
    assert len(to_report) == 42 and all(link.startswith(href + "#task-") for link in to_report)
    assert f'href="{href}#task-ps-1-1"' in html
    # The repository without a report: its cells not met link to their reason below the table.
    assert html.count('<td class="s-') == 2 * 42
    other = load_json(files[1])
    other_unmet = [r for r in other["results"] if r["status"] not in MET]
    assert len(re.findall(r'<td [^>]*><a href="#why-\d+-task-', html)) == len(other_unmet)
    # Every cell not met is described by its reason (aria-describedby: the list item below).
    result = next(r for r in record["results"] if r["status"] == "fail")
    task, fragment = result["control_id"], "task-" + result["control_id"].lower().replace(".", "-")
    cell = re.search(
        rf'href="{href}#{fragment}" aria-label="{task}: Fail \(its report\)" '
        rf'aria-describedby="(why-\d-{fragment})"',
        html,
    )
    assert cell, "the cell names and describes itself"
    item = html[html.index(f'<li id="{cell.group(1)}">') :].split("</li>")[0]
    reason = " ".join(result["reason"].split())[:60]
    assert reason.replace('"', "&#34;") in item.replace("&#39;", "'")
    # Below the table, one <details> per repository lists the reasons of the tasks not met.
    why = html[html.index('id="why"') : html.index("<h2>Worst gaps")]
    assert why.count("<details>") == 2
    unmet = [r for r in record["results"] if r["status"] not in MET]
    assert f"{target}: {len(unmet)} tasks not met" in why
    portfolio = load_json(out / "portfolio.json")
    reports = {r["target"]: r["report"] for r in portfolio["repositories"]}
    assert reports == {target: href, record_target(files[1]): None}
    assert str(tmp_path) not in html + json.dumps(portfolio)


def record_target(path: Path) -> str:
    target: str = load_json(path)["target"]["path"]
    return target


@pytest.mark.slow
def test_cell_link_opens_the_report_and_reasons_print(
    run_cli, tmp_path: Path, base, browser: Browser
) -> None:
    out, _ = _portfolio(run_cli, tmp_path, base)
    problems: list[str] = []
    page = browser.new_page()
    try:
        page.on("console", lambda m: problems.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
        page.goto((out / "portfolio.html").as_uri(), wait_until="load")
        first = page.locator('table.heat td a[href*="report.html"]').first
        name = first.get_attribute("aria-label") or ""
        assert ": " in name and name.endswith("(its report)")
        reason = page.locator("details li").first
        assert not reason.is_visible()  # closed on screen ...
        page.locator("details summary").first.click()
        assert reason.is_visible()  # ... opened by a click, without JavaScript
        page.locator("details summary").first.click()
        page.emulate_media(media="print")
        assert reason.is_visible()  # and printed open
        page.emulate_media(media="screen")
        # A cell of the repository without a report opens its reason in place.
        local = page.locator('table.heat a[href^="#why-"]').first
        target = (local.get_attribute("href") or "#")[1:]
        assert not page.locator(f"#{target}").is_visible()
        local.click()
        assert page.locator(f"#{target}").is_visible()
        description = local.evaluate(
            "e => document.getElementById(e.getAttribute('aria-describedby')).textContent"
        )
        assert len(description) > 20
        href = first.get_attribute("href") or ""
        first.click()
        page.wait_for_load_state("load")
        assert page.title() == "r"  # the report beside the record opened ...
        assert page.url.endswith("/in/a%23b%3Fc%22%3Cx%3E/report.html#" + href.split("#")[1])
        assert href.split("#")[1].startswith("task-")  # ... at the task
    finally:
        page.close()
    assert problems == []
