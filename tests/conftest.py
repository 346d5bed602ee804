"""Shared fixtures: paths, a schema validator for assessment records, a CLI runner."""

from __future__ import annotations

import json
from collections.abc import Callable

import jsonschema
import pytest
from support import EXAMPLES, ROOT, load_json

from baseline.cli import main
from baseline.resources import schema_path

__all__ = ["EXAMPLES", "ROOT", "load_json"]


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
