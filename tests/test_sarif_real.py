"""SARIF of a real assessment of a sub-folder of a real repository (a clone of this project's
own checkout, which CI has offline): valid SARIF 2.1.0, every URI names a file that exists from
the repository root, every result has a region or is repository-level, and a re-render from the
record gives the same bytes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest

from baseline.cli import main
from baseline.report.sarif import SRCROOT

ROOT = Path(__file__).resolve().parent.parent
SUBDIR = "examples/insecure-app"
SCHEMA = json.loads((ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def assessed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the clone, the output folder) of `baseline assess <clone>/examples/insecure-app`."""
    clone = tmp_path_factory.mktemp("sarif-real") / "repo"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{ROOT}", str(clone)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    out = clone.parent / "out"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1780272000")
        code = main(["assess", str(clone / SUBDIR), "--out", str(out), "--quiet", "--no-cache",
                     "--format", "json,sarif"])  # fmt: skip
    assert code == 1, "the insecure example fails its policy"
    return clone, out


def _run(out: Path) -> dict[str, Any]:
    run: dict[str, Any] = json.loads((out / "results.sarif").read_text("utf-8"))["runs"][0]
    return run


@pytest.mark.slow
def test_the_log_validates_and_ranks(assessed: tuple[Path, Path]) -> None:
    _, out = assessed
    document = json.loads((out / "results.sarif").read_text("utf-8"))
    jsonschema.validate(document, SCHEMA, format_checker=jsonschema.FormatChecker())
    run = document["runs"][0]
    assert json.loads((out / "assessment.json").read_text("utf-8"))["target"]["subdir"] == SUBDIR
    rules = run["tool"]["driver"]["rules"]
    assert any(r["id"].startswith("B") and r["properties"]["tool"] == "bandit" for r in rules)
    assert all(float(r["properties"]["security-severity"]) >= 0 for r in rules)
    assert run["results"] and all(r["properties"]["fails"] for r in run["results"])
    assert run["automationDetails"]["id"].endswith(f"/{SUBDIR}/")


@pytest.mark.slow
def test_every_uri_names_a_file_from_the_repository_root(assessed: tuple[Path, Path]) -> None:
    clone, out = assessed
    for result in _run(out)["results"]:
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uriBaseId"] == SRCROOT
        uri = physical["artifactLocation"]["uri"]
        path = clone / unquote(uri)
        assert path.is_dir() if uri.endswith("/") or uri == "." else path.is_file(), uri
        assert uri.startswith(f"{SUBDIR}/"), uri
        if result["properties"].get("repository_level"):
            assert "region" not in physical
        else:
            assert physical["region"]["startLine"] >= 1


@pytest.mark.slow
def test_a_render_from_the_record_gives_the_same_bytes(
    assessed: tuple[Path, Path], tmp_path: Path
) -> None:
    _, out = assessed
    assert main(["render", str(out / "assessment.json"), "--format", "sarif",
                 "--out", str(tmp_path)]) == 0  # fmt: skip
    assert (tmp_path / "results.sarif").read_bytes() == (out / "results.sarif").read_bytes()
