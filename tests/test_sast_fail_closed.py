"""A missing, hanging or babbling bandit/semgrep makes exactly the controls that need it `error`."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from support import only_git_on_path

from baseline.catalog.loader import load_catalog
from baseline.checks.registry import CHECKS
from baseline.context import RunOptions
from baseline.engine import assess
from baseline.models import Assessment, Catalog, CheckOutcome, CheckSpec

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "examples" / "well-kept-app"

HANG = "#!/bin/sh\nexec sleep 300\n"
GARBAGE = "#!/bin/sh\necho 'this is not json {'\nexit 0\n"
CRASH = "#!/bin/sh\necho 'Traceback (most recent call last): boom' >&2\nexit 2\n"


def _catalog(broken: set[str], timeout: float | None) -> Catalog:
    """ssdf-1.1 with a short timeout on the checks of the broken tools (a hang ends quickly)."""
    catalog = load_catalog("ssdf-1.1")
    if timeout is None:
        return catalog

    def adjust(spec: CheckSpec) -> CheckSpec:
        if spec.check.removeprefix("sast.") in broken:
            return CheckSpec(spec.check, {**spec.params, "timeout": timeout})
        return spec

    controls = tuple(
        dataclasses.replace(c, checks=tuple(adjust(s) for s in c.checks)) for c in catalog.controls
    )
    return dataclasses.replace(catalog, controls=controls)


def _run(broken: set[str], timeout: float | None = None) -> Assessment:
    return assess(TARGET, _catalog(broken, timeout), RunOptions(jobs=2), quiet=True)


@pytest.fixture(scope="module")
def healthy() -> dict[str, str]:
    """Control statuses with the real tools: what every unaffected control must keep."""
    statuses = {r.control.id: r.status.value for r in _run(set()).results}
    assert statuses["PW.7.2"] == "pass"  # the well-kept app passes both tools
    return statuses


def _fake_path(tmp_path: Path, fakes: dict[str, str]) -> str:
    folder = tmp_path / "fakebin"
    folder.mkdir()
    for name, body in fakes.items():
        script = folder / name
        script.write_text(body)
        script.chmod(0o755)
    return f"{folder}{os.pathsep}{os.environ['PATH']}"


def _assert_only_dependents_error(
    assessment: Assessment, broken: set[str], healthy: dict[str, str], needle: str
) -> None:
    for result in assessment.results:
        tools = {tool for s in result.control.checks for tool in CHECKS[s.check].tools}
        if tools & broken:
            # A failing check elsewhere in the control outranks the error (status rule, step 2).
            others_fail = any(
                e.outcome is CheckOutcome.FAIL and not set(CHECKS[e.check].tools) & broken
                for e in result.evidence
            )
            assert result.status.value == ("fail" if others_fail else "error"), result.control.id
            for item in result.evidence:
                if set(CHECKS[item.check].tools) & broken:
                    assert item.outcome is CheckOutcome.ERROR
                    assert needle in item.summary and item.error, item.summary
        else:
            assert result.status.value == healthy[result.control.id], result.control.id


@pytest.mark.parametrize("tool", ["bandit", "semgrep"])
@pytest.mark.parametrize(
    ("body", "needle"),
    [(GARBAGE, ""), (CRASH, ""), (HANG, "timed out")],
    ids=["garbage", "crash", "hang"],
)
def test_a_broken_tool_errors_only_its_controls(
    tool: str,
    body: str,
    needle: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    healthy: dict[str, str],
) -> None:
    monkeypatch.setenv("PATH", _fake_path(tmp_path, {tool: body}))
    timeout = 3 if body == HANG else None
    _assert_only_dependents_error(_run({tool}, timeout), {tool}, healthy, needle)


def test_absent_tools_error_their_controls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, healthy: dict[str, str]
) -> None:
    monkeypatch.setenv("PATH", only_git_on_path(tmp_path / "onlygit"))
    assessment = _run(set())
    # Only git is on PATH: every other tool is missing (pip-audit runs only with --online).
    _assert_only_dependents_error(assessment, {"bandit", "semgrep", "zizmor"}, healthy, "not found")
    errors = [e.error or "" for r in assessment.results for e in r.evidence if e.error]
    assert any("pip install bandit" in e for e in errors)
    assert any("pip install semgrep" in e for e in errors)


def test_semgrep_rule_pack_errors_are_not_a_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, healthy: dict[str, str]
) -> None:
    broken = tmp_path / "controls" / "rules"
    broken.mkdir(parents=True)
    (broken / "bad.yaml").write_text("rules:\n- id: bad\n  languages: [python]\n  pattern: [\n")
    monkeypatch.setattr("baseline.tools.semgrep.rules_dir", lambda: broken)
    _assert_only_dependents_error(_run(set()), {"semgrep"}, healthy, "exited")


def _rendezvous(me: str, other: str, folder: Path, report: str, help_text: str = "") -> str:
    """A fake tool that announces its scan and reports only once the other tool's scan began."""
    return f"""#!/bin/sh
case "$1" in
  --version) echo "{me} 1.0.0"; exit 0 ;;
  -h) printf '{help_text}'; exit 0 ;;
esac
touch '{folder}/{me}'
i=0
while [ ! -e '{folder}/{other}' ]; do
  i=$((i+1)); [ $i -gt 200 ] && exit 9
  sleep 0.1
done
echo '{report}'
"""


def test_bandit_and_semgrep_scan_at_the_same_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each fake waits (up to 20 s) for the other to start: run one after the other, the first
    # gives up with exit 9 and its checks are `error`.
    meeting = tmp_path / "meeting"
    meeting.mkdir()
    bandit_json = '{"results": [], "errors": [], "metrics": {"_totals": {}}}'
    semgrep_json = '{"results": [], "errors": [], "paths": {"scanned": []}}'
    fakes = {
        "bandit": _rendezvous(
            "bandit", "semgrep", meeting, bandit_json, "\\tB101\\tassert_used\\n"
        ),
        "semgrep": _rendezvous("semgrep", "bandit", meeting, semgrep_json),
    }
    monkeypatch.setenv("PATH", _fake_path(tmp_path, fakes))
    general = _catalog(set(), None)
    controls = tuple(
        dataclasses.replace(c, checks=tuple(s for s in c.checks if not s.params.get("rules")))
        for c in general.controls
    )
    assessment = assess(
        TARGET, dataclasses.replace(general, controls=controls), RunOptions(jobs=2), quiet=True
    )
    outcomes = {
        e.check: e.outcome for r in assessment.results for e in r.evidence if e.check[:5] == "sast."
    }
    assert outcomes == {"sast.bandit": CheckOutcome.PASS, "sast.semgrep": CheckOutcome.PASS}
