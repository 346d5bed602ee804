"""A catalog's `[scope]`: the defaults a project config's `[scope]` extends; bounded, located
globs; and the scope label on SARIF results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from baseline.catalog.loader import load_catalog
from baseline.cli import main
from baseline.errors import InputError
from baseline.models import Scope
from baseline.project.setup import load_project
from baseline.scope import rules_from_config

HEAD = '[catalog]\nid = "acme"\ntitle = "ACME"\nversion = "1"\nstatus = "final"\n'


def _catalog(path: Path, scope: str, extends: str = "ssdf-1.1") -> Path:
    path.write_text(f'{HEAD}extends = "{extends}"\n\n[scope]\n{scope}')
    return path


def test_catalog_scope_is_loaded_and_merged_along_extends(tmp_path: Path) -> None:
    base = _catalog(tmp_path / "base.toml", 'fixture = ["**/golden/**"]\nfailing = ["product"]\n')
    top = tmp_path / "top.toml"
    top.write_text(
        HEAD.replace('"acme"', '"acme-top"') + 'extends = "base.toml"\n\n[scope]\n'
        'fixture = ["**/snapshots/**"]\nfailing = ["product", "vendored"]\n'
    )
    loaded = load_catalog(top)
    assert loaded.scope == {
        "failing": ("product", "vendored"),
        "fixture": ("**/golden/**", "**/snapshots/**"),
    }
    assert load_catalog(base).scope["fixture"] == ("**/golden/**",)
    assert load_catalog("ssdf-1.1").scope == {}


def test_the_project_config_extends_the_catalogs_scope() -> None:
    catalog = {"fixture": ("**/golden/**",), "failing": ("product", "vendored")}
    only = rules_from_config({}, catalog)
    assert only.classify("pkg/golden/a.py") is Scope.FIXTURE
    assert only.classify("pkg/tests/a.py") is Scope.TEST  # built-in defaults still apply
    assert only.failing == {Scope.PRODUCT, Scope.VENDORED}
    both = rules_from_config({"test": ["qa/**"]}, catalog)
    assert both.classify("qa/x.py") is Scope.TEST
    assert both.classify("pkg/golden/a.py") is Scope.FIXTURE
    assert both.failing == {Scope.PRODUCT, Scope.VENDORED}  # the config did not say
    assert rules_from_config({"failing": ["product"]}, catalog).failing == {Scope.PRODUCT}
    assert (
        rules_from_config({"product": ["**/golden/**"]}, catalog).classify("pkg/golden/a.py")
        is Scope.PRODUCT
    )


def test_a_project_without_config_takes_the_catalogs_scope(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path / "c.toml", 'example = ["demo/**"]\n')
    target = tmp_path / "repo"
    target.mkdir()
    project = load_project(target, None, str(catalog), use_config=False)
    assert project.scope.classify("demo/app.py") is Scope.EXAMPLE
    assert (
        load_project(target, None, None, use_config=False).scope.classify("demo/app.py")
        is Scope.PRODUCT
    )


@pytest.mark.parametrize(
    ("scope", "key", "words"),
    [
        (f'fixture = ["{"a" * 1001}"]\n', "scope.fixture", "at most 1000"),
        ('failing = ["product", "prod"]\n', "scope.failing", "'prod' is not a scope label"),
        ('fixture = "tests/**"\n', "scope.fixture", "must be an array"),
        ('vendor = ["x/**"]\n', "scope.vendor", "did you mean 'vendored'"),
    ],
)
def test_bad_catalog_scope_is_a_located_error(
    tmp_path: Path, scope: str, key: str, words: str
) -> None:
    path = _catalog(tmp_path / "c.toml", scope)
    with pytest.raises(InputError) as raised:
        load_catalog(path)
    problems = raised.value.problems
    assert any(
        p.key == key and p.line == 9 and words in p.message and "c.toml" in p.file for p in problems
    ), problems


@pytest.mark.slow
def test_sarif_results_carry_the_scope_label(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A catalog whose `failing` includes tests: the test key fails, and SARIF says `test`."""
    from tests.test_scope import FIXTURES_ONLY, _repo

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780272000")
    repo = _repo(tmp_path, FIXTURES_ONLY)
    catalog = _catalog(tmp_path / "c.toml", 'failing = ["product", "test"]\n')
    out = tmp_path / "out"
    main(
        [
            "assess",
            str(repo),
            "--out",
            str(out),
            "--quiet",
            "--no-cache",
            "--catalog",
            str(catalog),
            "--format",
            "json,sarif",
        ]
    )
    sarif = json.loads((out / "results.sarif").read_text())
    scopes = {
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["properties"]["scope"])
        for r in sarif["runs"][0]["results"]
    }
    assert ("tests/certs/server.key", "test") in scopes
    assert all(s for _, s in scopes)
