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
    # common CI names the first list missed
    "GH_PAT": "pat_secret9",
    "GITHUB_PAT": "pat_secret10",
    "GPG_PASSPHRASE": "gpg_secret11",
    "CI_JOB_JWT_V2": "jwt_secret12",
    "NUGET_APIKEY": "nuget_secret13",
    "DB_PWD": "db_secret14",
    "DOCKER_PASS": "docker_secret15",
    "npm_config__auth": "npm_secret16",
    "SIGNING_KEY": "signing_secret17",
    "SENTRY_DSN": "https://sentry_secret18@o1.ingest.sentry.io/1",
    # a credential in a URL, whatever the variable is called
    "PIP_INDEX_URL": "https://user:index_secret19@pypi.example.com/simple",
    "PIP_EXTRA_INDEX_URL": "https://ghp_secret20@pypi.example.com/simple",
    "DATABASE_URL": "postgres://app:db_secret21@db:5432/app",
}
ORDINARY = {
    "HOME": "/home/runner",
    "LANG": "C.UTF-8",
    "GIT_AUTHOR_NAME": "A. Author",
    "PWD": "/home/runner/work",
    "OLDPWD": "/home/runner",
    "PIP_INDEX_URL_PLAIN": "https://pypi.org/simple",
    # the operator's proxy: a tool that reaches the network (pip-audit) must go through it
    "HTTPS_PROXY": "http://proxyuser:proxypass@proxy:3128",
}


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
    assert is_credential(name, CREDENTIALS[name])


@pytest.mark.parametrize(
    "name",
    ["PATH", "HOME", "GIT_AUTHOR_NAME", "RUNNER_TEMP", "LANG", "PWD", "OLDPWD", "XAUTHORITY",
     "GPG_TTY", "PYTHONHASHSEED", "SOURCE_DATE_EPOCH", "HTTPS_PROXY", "https_proxy"],
)  # fmt: skip
def test_ordinary_names_are_not_taken_for_credentials(name: str) -> None:
    assert not is_credential(name, ORDINARY.get(name, "x"))
