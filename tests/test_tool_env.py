"""No scanner sees a credential from our environment: the scanned repository is hostile, and
a tool reading it (or a rule file, or a plugin it names) must have nothing to leak."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from baseline.toolrun import is_credential, run_tool

CREDENTIALS = {
    "GITHUB_TOKEN": "ghs_secret1",
    "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "oidc_secret2",
    "ACTIONS_RUNTIME_TOKEN": "runtime_secret3",
    "SEMGREP_APP_TOKEN": "semgrep_secret4",
    "AWS_SECRET_ACCESS_KEY": "aws_secret5",
    "BASELINE_API_TOKEN": "api_secret6",
    "npm_config__authToken": "npm_secret7",
    "DB_PASSWORD": "db_secret8",
    "SSH_AUTH_SOCK": "/tmp/agent.sock",
}
ORDINARY = {"HOME": "/home/runner", "LANG": "C.UTF-8", "GIT_AUTHOR_NAME": "A. Author"}


@pytest.mark.timeout(60)
def test_a_tool_sees_no_credential_but_the_rest_of_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tool = tmp_path / "bin" / "printenv-json"
    tool.parent.mkdir()
    tool.write_text(
        "#!/usr/bin/env python3\nimport json, os\nprint(json.dumps(dict(os.environ)))\n"
    )
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{tool.parent}{os.pathsep}{os.environ['PATH']}")
    for name, value in {**CREDENTIALS, **ORDINARY}.items():
        monkeypatch.setenv(name, value)
    done = run_tool("printenv-json", [], cwd=tmp_path, timeout=30, env={"EXTRA_GIVEN": "1"})
    seen = json.loads(done.stdout)
    assert sorted(set(CREDENTIALS) & set(seen)) == []
    assert not any(v in json.dumps(seen) for v in CREDENTIALS.values())
    assert {k: seen[k] for k in ORDINARY} == ORDINARY
    assert seen["EXTRA_GIVEN"] == "1"  # what we hand a tool on purpose still reaches it


@pytest.mark.parametrize("name", sorted(CREDENTIALS))
def test_credential_names_are_recognised(name: str) -> None:
    assert is_credential(name)


@pytest.mark.parametrize("name", ["PATH", "HOME", "GIT_AUTHOR_NAME", "RUNNER_TEMP", "LANG"])
def test_ordinary_names_are_not_taken_for_credentials(name: str) -> None:
    assert not is_credential(name)
