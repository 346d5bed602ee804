"""The 300-repository portfolio opens in real headless Chromium: it renders, nothing fails."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright import sync_api

from benchmarks.portfolio_records import write_records

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


@pytest.mark.slow
def test_portfolio_of_300_renders_in_chromium(run_cli, tmp_path: Path) -> None:
    assert shutil.which(CHROMIUM), ".ci/run installs Debian's chromium"
    files = [str(p) for p in write_records(tmp_path / "in", 300)]
    code, _, err = run_cli("aggregate", *files, "--out", str(tmp_path / "out"))
    assert code == 0, err
    page_file = tmp_path / "out" / "portfolio.html"
    problems: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: problems.append(f"{m.type}: {m.text}")
                    if m.type in ("error", "warning") else None)  # fmt: skip
            page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
            page.on("request", lambda r: None if r.url.startswith("file:")
                    else problems.append(f"request: {r.url}"))  # fmt: skip
            page.goto(page_file.as_uri(), wait_until="load")
            assert page.title().startswith("SSDF portfolio")
            assert page.locator("table.heat tbody tr").count() == 300
            assert page.locator("table.heat thead th.task").count() == 42
            # The stylesheet applied (so the CSP hash matched): failing cells are coloured.
            colour = page.locator("table.heat td.s-fail").first.evaluate(
                "e => getComputedStyle(e).backgroundColor"
            )
            assert colour == "rgb(198, 40, 40)"
            shot = page.screenshot(full_page=False)
        finally:
            browser.close()
    assert problems == []
    _assert_not_blank(shot)


def _assert_not_blank(png: bytes) -> None:
    """The screenshot has many distinct colours (a blank page has one)."""
    import io
    import zlib

    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    # Decode the PNG's IDAT stream enough to count distinct raw bytes of the pixel data.
    stream = io.BytesIO(png[8:])
    data = b""
    while chunk := stream.read(8):
        length = int.from_bytes(chunk[:4], "big")
        body = stream.read(length + 4)
        if chunk[4:8] == b"IDAT":
            data += body[:length]
    pixels = zlib.decompress(data)
    assert len(set(pixels)) > 16
