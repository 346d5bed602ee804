"""`baseline explain` shows, per CISA form item, how many of its tasks have automated checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import EXAMPLES, load_json

from baseline.catalog.loader import load_catalog
from baseline.cli import main
from baseline.commands.form_coverage import form_coverage


def test_coverage_counts_match_the_catalog() -> None:
    catalog = load_catalog("ssdf-1.1")
    by_item = {c.item: c for c in form_coverage(catalog)}
    item2 = by_item["2"]
    assert len(item2.tasks) == 13
    checked = {c.id for c in catalog.controls if c.checks}
    assert set(item2.automated) == set(item2.tasks) & checked
    assert {"PO.3.2", "PW.4.1", "PW.4.4", "PS.2.1"} <= set(item2.automated)
    assert "PO.1.1" not in item2.automated  # organizational: attestation only


def test_explain_without_task_lists_every_item(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain"]) == 0
    out = capsys.readouterr().out
    lines = re.findall(r"item (\w+): (\d+) of (\d+) tasks have automated checks", out)
    assert {item for item, _, _ in lines} >= {"1a", "1f", "2", "3", "4a"}
    assert all(int(n) <= int(total) for _, n, total in lines)


def test_explain_task_shows_its_items(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "PO.3.2"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"item 2: \d+ of 13 tasks have automated checks", out)
    assert "ci.actions_pinned_by_sha" in out


def test_reports_show_automated_tasks_per_form_item(run_cli, tmp_path: Path) -> None:

    out = tmp_path / "out"
    run_cli(
        "assess",
        str(EXAMPLES / "insecure-app"),
        "--out",
        str(out),
        "--quiet",
        "--format",
        "form,html",
    )
    expected = {c.item: list(c.automated) for c in form_coverage(load_catalog("ssdf-1.1"))}
    items = load_json(out / "cisa-form.json")["items"]
    assert {i["id"]: i["automated_tasks"] for i in items} == expected
    assert expected["2"] and expected["1e"] == []  # 1e cites PO.5.2 only: attestation only
    two = next(i for i in items if i["id"] == "2")
    markdown = (out / "cisa-form.md").read_text()
    assert f"| {len(two['automated_tasks'])} of {len(two['tasks'])} |" in markdown
    assert "attestation only" in (out / "report.html").read_text()
