"""action.yml and the example workflows: schema-valid, pinned, and clean under zizmor.

actionlint is not installable from a package registry here (its PyPI wrapper downloads the
binary from GitHub at build time), so the files are checked against JSON Schemas written for
these tests (tests/schemas/), which also require every remote action to be pinned by SHA.
"""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from support import ROOT

SCHEMAS = Path(__file__).parent / "schemas"
WORKFLOWS = sorted((ROOT / "examples" / "workflows").glob("*.yml"))


def load_yaml(path: Path) -> Any:
    """YAML as GitHub reads it: `on` is a key, not the boolean YAML 1.1 makes of it."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and True in data:
        data["on"] = data.pop(True)
    return data


def _validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


ACTION = _validator("github-action.schema.json")
WORKFLOW = _validator("github-workflow.schema.json")


def test_the_files_are_there() -> None:
    assert [p.name for p in WORKFLOWS] == ["assess.yml", "fleet.yml"]


def test_action_yml_is_valid() -> None:
    ACTION.validate(load_yaml(ROOT / "action.yml"))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_example_workflow_is_valid_and_least_privilege(path: Path) -> None:
    workflow = load_yaml(path)
    WORKFLOW.validate(workflow)
    assert workflow["permissions"] == {}  # nothing by default; each job asks for what it needs
    for job in workflow["jobs"].values():
        granted = job["permissions"]
        assert granted.get("contents") == "read"
        assert set(granted) <= {"contents", "security-events"}
        writes = {k for k, v in granted.items() if v == "write"}
        uploads_sarif = any("upload-sarif" in s.get("uses", "") for s in job["steps"])
        assert writes == ({"security-events"} if uploads_sarif else set())
        for step in job["steps"]:
            if "run" in step:
                assert "${{" not in step["run"], step
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


def test_schemas_reject_what_they_should() -> None:
    action = load_yaml(ROOT / "action.yml")
    workflow = load_yaml(WORKFLOWS[0])
    bad: list[tuple[jsonschema.protocols.Validator, Any]] = []
    tag_pinned = copy.deepcopy(action)
    tag_pinned["runs"]["steps"][0]["uses"] = "actions/setup-python@v5"
    bad.append((ACTION, tag_pinned))
    no_shell = copy.deepcopy(action)
    del no_shell["runs"]["steps"][1]["shell"]
    bad.append((ACTION, no_shell))
    both = copy.deepcopy(workflow)
    both["jobs"]["assess"]["steps"][0]["run"] = "echo hi"
    bad.append((WORKFLOW, both))
    admin = copy.deepcopy(workflow)
    admin["jobs"]["assess"]["permissions"]["contents"] = "admin"
    bad.append((WORKFLOW, admin))
    typo = copy.deepcopy(workflow)
    typo["jobs"]["assess"]["step"] = typo["jobs"]["assess"].pop("steps")
    bad.append((WORKFLOW, typo))
    for validator, document in bad:
        assert not validator.is_valid(document)


@pytest.mark.slow
def test_zizmor_finds_nothing() -> None:
    files = [str(ROOT / "action.yml"), *map(str, WORKFLOWS)]
    done = subprocess.run(["zizmor", "--offline", "--persona", "regular", "--format", "json",
                           *files], capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout) == []
