"""axe-core (from the npm registry, pinned in tests/a11y/package-lock.json) run in Chromium.

`npm ci --prefix tests/a11y` installs it; nothing of axe is committed. The page is audited as
the reader gets it: axe is evaluated through the DevTools protocol, which the report's CSP
does not govern, so the page keeps its CSP and no script tag is added to it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 level A and AA, what Section 508 buyers ask for.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@lru_cache(maxsize=1)
def axe_source() -> str:
    """axe.min.js as installed by npm (a clear error when `npm ci` did not run)."""
    assert AXE.exists(), f"{AXE} missing: run `npm ci --prefix tests/a11y`"
    return AXE.read_text(encoding="utf-8")


def violations(page: Page) -> list[dict[str, Any]]:
    """axe's WCAG 2.1 AA violations on the page's current state (every node of each rule)."""
    page.evaluate(axe_source())
    result: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
             const r = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                                resultTypes: ["violations"]});
             return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.map(n => ({target: n.target.join(" "),
                                         summary: n.failureSummary}))}));
           }""",
        TAGS,
    )
    return result


def describe(found: list[dict[str, Any]]) -> str:
    """One line per violating element: rule id, target and help, for the failure message."""
    lines = [f"{sum(len(v['nodes']) for v in found)} elements violate WCAG 2.1 AA:"]
    for v in found:
        lines.extend(f"  {v['id']} [{v['impact']}] {n['target']}: {v['help']}" for n in v["nodes"])
    return "\n".join(lines)
