"""SARIF artifact URIs are valid URI references that name exactly the file they came from.

A file name with a space, `%`, `#`, `?`, a `:` (read as a scheme: `c:evil`), non-ASCII, control
characters or a byte that is not UTF-8 must be percent-encoded (RFC 3986), or code scanning
points at another file, or at a URL. Each uri validates against the SARIF 2.1.0 schema, uses only
unreserved characters, `/` and percent escapes, and decodes back to the file's path.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

import jsonschema
import pytest

from baseline.report.json_record import expanded

from .doc_table import Observations, Row
from .harness import ROOT, environment

HOSTILE_NAMES = (
    "src/with space.py",
    "src/100%.py",
    "src/a#frag.py",
    "src/q?x=1.py",
    "c:evil.py",
    "https://evil.example/x.py",
    "src/naïve\u202e.py",
    "src/esc\x1b[2J\r.py",
    "src/bad\udcff.py",  # a byte that is not UTF-8, as the record holds it (surrogate escape)
)
_URI_REFERENCE = re.compile(r"^(?:[A-Za-z0-9._~/-]|%[0-9A-F]{2})+$")
_SCHEMA = ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json"


def _record(folder: Path) -> Path:
    record = expanded(
        json.loads((ROOT / "tests" / "golden" / "assessment.json").read_text("utf-8"))
    )
    for result in record["results"]:
        for evidence in result["evidence"]:
            if evidence["findings"] and evidence["findings"][0]["rule"] == "B602":
                template = evidence["findings"][0]
                evidence["findings"] = [
                    {**template, "path": name, "fingerprint": f"{index:032x}"}
                    for index, name in enumerate(HOSTILE_NAMES)
                ]
                evidence["files"] = list(HOSTILE_NAMES)
    path = folder / "assessment.json"
    path.write_text(json.dumps(record, ensure_ascii=True), encoding="utf-8")
    return path


def _uris(sarif: dict[str, Any]) -> list[str]:
    return [
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in sarif["runs"][0]["results"]
        for location in result["locations"]
    ]


@pytest.fixture(scope="module")
def sarif(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _render(tmp_path_factory)


def _render(factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = factory.mktemp("sarif")
    done = subprocess.run(
        [sys.executable, "-m", "baseline", "render", str(_record(folder)), "--format", "sarif",
         "--out", str(folder / "out")],
        cwd=folder, env=environment(), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    loaded: dict[str, Any] = json.loads((folder / "out" / "results.sarif").read_text("utf-8"))
    return loaded


def test_the_log_validates(sarif: dict[str, Any]) -> None:
    schema = json.loads(_SCHEMA.read_text("utf-8"))
    jsonschema.validate(sarif, schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=range(len(HOSTILE_NAMES)))
def test_each_uri_is_a_relative_reference_to_its_file(sarif: dict[str, Any], name: str) -> None:
    # The report view shows a byte that is not UTF-8 as the record's `\udcff` text: that text,
    # encoded, is what the uri names.
    wanted = name.encode("utf-8", "backslashreplace")
    matches = [u for u in _uris(sarif) if unquote_to_bytes(u) == wanted]
    assert matches, (name, _uris(sarif))
    for uri in matches:
        assert _URI_REFERENCE.match(uri), uri
        parts = urlsplit(uri)
        assert (parts.scheme, parts.netloc, parts.query, parts.fragment) == ("", "", "", ""), uri
        assert unquote_to_bytes(parts.path) == wanted


def _sarif_row(factory: pytest.TempPathFactory) -> Row:
    uris = _uris(_render(factory))
    shown = [u for u in uris if u.startswith(("src/with", "c%3A", "src/a%23", "src/esc"))]
    assert len(shown) == 4, uris
    return Row(
        "Reports and terminal output",
        "sarif-uris",
        "file names with a space, `%`, `#`, `?`, a `:` that reads as a scheme, non-ASCII, "
        "control characters and bytes that are not UTF-8, in failing findings",
        "percent-encoded relative URI references that decode to the path: "
        + ", ".join(f"`{u}`" for u in shown),
    )


def all_rows(factory: pytest.TempPathFactory, obs: Observations) -> list[Row]:
    """The rows of this file (for the docs table)."""
    return [obs.get("Reports and terminal output", "sarif-uris", lambda: _sarif_row(factory))]


def test_sarif_row(tmp_path_factory: pytest.TempPathFactory, observations: Observations) -> None:
    observations.get("Reports and terminal output", "sarif-uris",
                     lambda: _sarif_row(tmp_path_factory))  # fmt: skip
