"""Shared fixtures: paths, a schema validator for assessment records, a CLI runner."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import jsonschema
import pytest
from support import EXAMPLES, ROOT, load_json

from baseline.cli import main
from baseline.resources import schema_path
from baseline.toolrun import allow_tool_starts

if TYPE_CHECKING:
    from playwright.sync_api import Browser

__all__ = ["EXAMPLES", "ROOT", "load_json"]

# The CLI caches scans in the user's cache folder by default: the suite (and the CLI processes
# it starts) must never read or write the real one, so it gets a folder of its own.
_CACHE_HOME = tempfile.TemporaryDirectory(prefix="baseline-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE_HOME.name


@pytest.fixture(autouse=True)
def _tools_start_again() -> Iterator[None]:
    """An interrupted run refuses every later tool start in its process (so that none starts
    after the stop); the next test starts as a new process would."""
    yield
    allow_tool_starts()


@pytest.fixture(scope="session")
def assessment_validator() -> jsonschema.protocols.Validator:
    """A validator for assessment.json records against the shipped schema."""
    schema = json.loads(schema_path("assessment.schema.json").read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run `baseline ARGS...` in-process; returns (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, driven by Playwright, launched once per test module (the launch
    arguments are benchmarks/report_print.py's: no background connections, no first-run UI)."""
    from playwright.sync_api import sync_playwright

    from benchmarks.report_print import ARGS, CHROMIUM

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: apt-get install chromium"
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()
