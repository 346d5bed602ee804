"""bandit, semgrep and zizmor failing in every way: `error` with guidance, for their controls only.

Parametrized over whichever checks in the registry declare those tools, so the cases appear as
the checks land (and are skipped, saying so, until then). The runs use a catalog that extends
ssdf-1.1, lowers the checks' `timeout` parameter, and declares not applicable every control that
needs another external tool, so each run exercises exactly one broken tool and stays fast.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from baseline import toolrun
from baseline.catalog.loader import load_catalog
from baseline.checks.registry import CHECKS
from baseline.errors import ToolError

from .doc_table import Observations, Row
from .faketools import MODES, install_fake_tool
from .harness import ROOT, Run, assess, check_run, environment

SECTION = "Tool faults"
TOOLS = ("bandit", "semgrep", "zizmor")
TARGET = ROOT / "examples" / "insecure-app"
FAST_TIMEOUT = 2
_REFERENCE: dict[str, Run] = {}


def checks_using(tool: str) -> list[str]:
    """Registered checks that run `tool`."""
    return sorted(c.id for c in CHECKS.values() if tool in c.tools)


def _fault_catalog(folder: Path, tool: str, keep: bool) -> Path:
    """A catalog where only controls without external tools, plus (if keep) those that use
    `tool`, are assessed; `tool`'s checks get a short timeout."""
    catalog = load_catalog("ssdf-1.1")
    lines = ['[catalog]', 'id = "tool-fault"', 'title = "tool faults"', 'version = "1"',
             'status = "draft"', 'extends = "ssdf-1.1"', '']  # fmt: skip
    for control in catalog.controls:
        tools = {t for spec in control.checks for t in CHECKS[spec.check].tools} - {"git"}
        if tools and not (keep and tool in tools):
            lines += ["[[not_applicable]]", f"control = {json.dumps(control.id)}",
                      'reason = "another tool is under test"', ""]  # fmt: skip
            continue
        for spec in control.checks:
            if tool in CHECKS[spec.check].tools and "timeout" in CHECKS[spec.check].params:
                lines += ["[[params]]", f"control = {json.dumps(control.id)}",
                          f"check = {json.dumps(spec.check)}",
                          f"params = {{ timeout = {FAST_TIMEOUT} }}", ""]  # fmt: skip
    path = folder / f"{tool}-{'kept' if keep else 'dropped'}.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    load_catalog(path)  # the test's own catalog must be valid
    return path


def _statuses(run: Run) -> dict[str, str]:
    return {r["control_id"]: r["status"] for r in run.record["results"]}


def _real_version(tool: str) -> str:
    try:
        return toolrun.tool_version(tool)
    except ToolError:
        return "1.0.0"
    finally:
        toolrun.tool_version.cache_clear()


def fault_row(tool: str, mode: str, factory: pytest.TempPathFactory, validator: Any) -> Row:
    """Assess the insecure example with a broken `tool`; compare with the tool left out."""
    checks = checks_using(tool)
    if mode == "hang":
        untimed = [c for c in checks if "timeout" not in CHECKS[c].params]
        assert not untimed, f"{untimed} declare no `timeout` parameter"
    base = factory.mktemp(f"{tool}-{mode}")
    fake = install_fake_tool(base / "bin", tool, mode, _real_version(tool))
    for other in TOOLS:  # a control may also use another tool: make that one fail fast
        if other != tool and checks_using(other):
            install_fake_tool(base / "bin", other, "killed-sigkill")
    broken = assess(TARGET, base / "out", "--catalog", str(_fault_catalog(base, tool, True)),
                    env=environment(fake.parent), cwd=base)  # fmt: skip
    if tool not in _REFERENCE:  # the same run for every mode: the tool's controls left out
        _REFERENCE[tool] = assess(TARGET, base / "ref", "--catalog",
                                  str(_fault_catalog(base, tool, False)), env=environment(),
                                  cwd=base)  # fmt: skip
    reference = _REFERENCE[tool]
    check_run(broken, validator)
    check_run(reference, validator)
    dependent = _dependent_controls(broken, checks)
    assert dependent, f"no control in ssdf-1.1 uses {checks}"
    for result in broken.record["results"]:
        ident = result["control_id"]
        if ident not in dependent:
            assert result["status"] == _statuses(reference)[ident], ident
            continue
        outcomes = {e["outcome"] for e in result["evidence"]}
        assert result["status"] == ("fail" if "fail" in outcomes else "error"), ident
        for item in result["evidence"]:
            if item["check"] in checks:
                assert item["outcome"] == "error", (ident, item)
                assert tool in (item["error"] or "") + item["summary"], item
    sample = next(
        e for r in broken.record["results"] for e in r["evidence"] if e["check"] in checks
    )
    return Row(
        SECTION,
        f"{tool} {mode}",
        MODES[mode],
        f"{len(dependent)} dependent control(s) `error`, every other control unchanged; "
        f"the evidence says: {_first_sentence(sample['error'] or sample['summary'])}",
    )


def _first_sentence(text: str) -> str:
    return text.split("\n", 1)[0][:160]


def _dependent_controls(run: Run, checks: Sequence[str]) -> set[str]:
    return {
        r["control_id"]
        for r in run.record["results"]
        if any(e["check"] in checks for e in r["evidence"])
    }


def _params() -> list[Any]:
    cases = []
    for tool in TOOLS:
        reason = None if checks_using(tool) else f"no registered check runs {tool} yet"
        marks = [pytest.mark.skip(reason=reason)] if reason else []
        cases += [pytest.param(tool, mode, id=f"{tool}-{mode}", marks=marks) for mode in MODES]
    return cases


def all_rows(factory: pytest.TempPathFactory, validator: Any, obs: Observations) -> list[Row]:
    """The rows of the tools that have checks (for the docs table)."""
    return [
        obs.get(SECTION, f"{t} {m}", lambda t=t, m=m: fault_row(t, m, factory, validator))
        for t in TOOLS
        if checks_using(t)
        for m in MODES
    ]


@pytest.mark.parametrize(("tool", "mode"), _params())
def test_tool_fault(tool: str, mode: str, tmp_path_factory, validator, observations,
                    fresh_tool_versions) -> None:  # fmt: skip
    observations.get(SECTION, f"{tool} {mode}",
                     lambda: fault_row(tool, mode, tmp_path_factory, validator))  # fmt: skip
