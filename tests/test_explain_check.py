"""`baseline explain CHECK`: a check's parameters with type, default and meaning, the tasks that
cite it, and an override example that the config loader accepts (issue 18, item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from baseline.catalog.loader import load_catalog
from baseline.checks.registry import CHECKS
from baseline.commands.explain import check_explanation
from baseline.service import AssessmentRequest, load

CATALOG = load_catalog("ssdf-1.1")
WITH_EXAMPLE = sorted(
    c.id
    for c in CHECKS.values()
    if c.params and any(s.check == c.id for t in CATALOG.controls for s in t.checks)
)


def test_every_parameter_is_listed_with_type_and_default() -> None:
    text = check_explanation(CATALOG, CHECKS["git.commits_signed"])
    assert "Tasks in ssdf-1.1: PS.1.1" in text
    assert "  last (integer, default 50)" in text
    assert "  count_web_flow (boolean, default true)" in text
    bounded = check_explanation(CATALOG, CHECKS["sast.bandit"])
    assert '  fail_on (string, default "medium"; one of "low", "medium", "high")' in bounded
    assert "from 1 to 67108864" in bounded


def test_alternatives_name_each_other() -> None:
    inner = check_explanation(CATALOG, CHECKS["git.release_tags_signed"])
    assert "An alternative within: release.integrity_verifiable" in inner
    outer = check_explanation(CATALOG, CHECKS["release.integrity_verifiable"])
    assert "Passes when any of these passes: ci.release_signs_artifacts, " in outer


@pytest.mark.parametrize("check", WITH_EXAMPLE)
def test_the_override_example_is_a_valid_config(check: str, tmp_path: Path) -> None:
    text = check_explanation(CATALOG, CHECKS[check])
    example = text.split("Override in .baseline.toml (docs/project-config.md):\n\n", 1)[1]
    (tmp_path / ".baseline.toml").write_text(
        "\n".join(line.removeprefix("  ") for line in example.splitlines()) + "\n"
    )
    project = load(AssessmentRequest(target=tmp_path, catalog="ssdf-1.1"))
    assert [c.kind for c in project.claims.get(example.split('"')[1], ())] == ["param"]


def test_an_unknown_name_suggests_the_check(run_cli) -> None:
    code, _, err = run_cli("explain", "sast.bandt")
    assert code == 2 and "did you mean 'sast.bandit'" in err
