"""Acceptance on the examples with the real tools: insecure-app fails with file:line evidence;
well-kept-app, made its own SSH-signed git repository, passes every check a repository can show
(and the GitHub API checks against a loopback server answering like a protected repository)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from support import PROBES

from baseline.checks.github_api import ENV_API_URL
from baseline.checks.registry import CHECKS
from baseline.cli import main
from baseline.context import RunOptions, build_context
from baseline.engine import run_check
from baseline.models import CheckOutcome, CheckSpec
from baseline.report.json_record import expanded
from baseline.resources import schema_path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
MINE = sorted(c for c in CHECKS if c.split(".")[0] in ("ci", "deps", "git", "github"))
_FIXED_5_4 = [{"introduced": "0"}, {"fixed": "5.4"}]
OSV_CLEAN = {
    "id": "PYSEC-2021-142",
    "aliases": ["CVE-2020-14343"],
    "affected": [
        {
            "package": {"ecosystem": "PyPI", "name": "pyyaml"},
            "ranges": [{"type": "ECOSYSTEM", "events": _FIXED_5_4}],
        }
    ],
}
OSV_HIT = {
    "id": "TEST-2099-1",
    "affected": [{"package": {"ecosystem": "PyPI", "name": "PyYAML"}, "versions": ["6.0.4"]}],
}

INSECURE_FAILS = {
    "ci.actions_pinned_by_sha": {
        (".github/workflows/ci.yml", 15),
        (".github/workflows/ci.yml", 16),
        (".github/workflows/triage.yml", 17),
    },
    "ci.workflow_permissions_least_privilege": {
        (".github/workflows/ci.yml", 2),
        (".github/workflows/ci.yml", 11),
        (".github/workflows/triage.yml", 10),
    },
    "ci.no_dangerous_triggers": {(".github/workflows/triage.yml", 6)},
    "ci.no_template_injection": {(".github/workflows/ci.yml", 22)},
    "ci.no_persisted_credentials": {
        (".github/workflows/ci.yml", 15),
        (".github/workflows/triage.yml", 17),
    },
    "deps.pinned_exactly": {("requirements.txt", n) for n in (2, 3, 4, 5)},
    "deps.hashes_required": {("requirements.txt", n) for n in (2, 3, 4, 5)},
    "deps.manifests_locked": {("requirements.txt", None)},
    "deps.update_tool_configured": {("", None)},
}
INSECURE_PROBES_FAIL = PROBES  # every workflow probe fails on the insecure app


def _git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Dev",
        "GIT_AUTHOR_EMAIL": "dev@example.org",
        "GIT_COMMITTER_NAME": "Dev",
        "GIT_COMMITTER_EMAIL": "dev@example.org",
    }
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def well_kept(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of well-kept-app as its own repository: SSH-signed commits and release tag."""
    if shutil.which("ssh-keygen") is None:
        pytest.skip("ssh-keygen is needed to sign commits")
    base = tmp_path_factory.mktemp("wk")
    key = base / "id"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    repo = base / "well-kept-app"
    shutil.copytree(EXAMPLES / "well-kept-app", repo)
    _git(repo, "init", "-q", "-b", "main")
    for name, value in (
        ("gpg.format", "ssh"),
        ("user.signingkey", str(key)),
        ("commit.gpgsign", "true"),
        ("tag.gpgsign", "true"),
    ):
        _git(repo, "config", name, value)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "wellkept 1.2.0")
    _git(repo, "tag", "-s", "v1.2.0", "-m", "wellkept 1.2.0")
    _git(repo, "remote", "add", "origin", "git@github.com:example-org/wellkept.git")
    return repo


@pytest.fixture
def osv_db(tmp_path: Path) -> Path:
    (tmp_path / "osv").mkdir()
    (tmp_path / "osv" / "PYSEC-2021-142.json").write_text(json.dumps(OSV_CLEAN))
    return tmp_path / "osv"


@pytest.mark.slow
def test_insecure_app_fails_with_locations() -> None:
    ctx = build_context(EXAMPLES / "insecure-app", "examples/insecure-app", RunOptions())
    for check, expected in INSECURE_FAILS.items():
        evidence = run_check(ctx, CheckSpec(check))
        assert evidence.outcome is CheckOutcome.FAIL, (check, evidence.summary)
        assert {(f.path, f.line) for f in evidence.findings} == expected, check
    for check in INSECURE_PROBES_FAIL:
        assert run_check(ctx, CheckSpec(check)).outcome is CheckOutcome.FAIL, check


@pytest.mark.slow
def test_well_kept_app_passes_every_check(well_kept: Path, osv_db: Path) -> None:
    ctx = build_context(well_kept, "well-kept-app", RunOptions(vuln_db=osv_db))
    offline_only = {
        "github.branch_protected",
        "github.reviews_required",
        "github.private_vulnerability_reporting",
        "github.code_scanning_default_setup",
    }
    # Its own SECURITY.md and CONTRIBUTING.md: the organization's do not apply.
    own_files = {"github.org_security_policy", "github.org_contributing_guide"}
    for check in MINE:
        evidence = run_check(ctx, CheckSpec(check))
        want = (
            CheckOutcome.NEEDS_REVIEW
            if check in offline_only
            else CheckOutcome.NOT_APPLICABLE
            if check in own_files
            else CheckOutcome.PASS
        )
        assert evidence.outcome is want, (check, evidence.summary)


def test_well_kept_app_without_vulnerability_data_needs_review(well_kept: Path) -> None:
    evidence = run_check(
        build_context(well_kept, "w", RunOptions()), CheckSpec("deps.no_known_vulnerabilities")
    )
    assert evidence.outcome is CheckOutcome.NEEDS_REVIEW


def test_well_kept_app_known_vulnerability_fails(well_kept: Path, tmp_path: Path) -> None:
    (tmp_path / "hit.json").write_text(json.dumps([OSV_HIT]))
    ctx = build_context(well_kept, "w", RunOptions(vuln_db=tmp_path / "hit.json"))
    evidence = run_check(ctx, CheckSpec("deps.no_known_vulnerabilities"))
    assert evidence.outcome is CheckOutcome.FAIL
    assert {(f.path, f.line) for f in evidence.findings} == {
        ("requirements.txt", 7),
        ("requirements-dev.txt", 62),
    }


class _Protected(BaseHTTPRequestHandler):
    answers: dict[str, Any] = {
        "/repos/example-org/wellkept": {"default_branch": "main"},
        "/repos/example-org/wellkept/branches/main/protection": {
            "required_pull_request_reviews": {"required_approving_review_count": 1}
        },
        "/repos/example-org/wellkept/rules/branches/main": [],
        "/repos/example-org/wellkept/private-vulnerability-reporting": {"enabled": True},
    }

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        known = self.path in self.answers and self.headers["Authorization"] == "Bearer tkn"
        body = json.dumps(self.answers[self.path] if known else {"message": "Not Found"}).encode()
        self.send_response(200 if known else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Protected)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    monkeypatch.setenv(ENV_API_URL, f"http://127.0.0.1:{server.server_address[1]}")
    yield
    server.shutdown()
    server.server_close()


def test_well_kept_app_online_github_checks(well_kept: Path, github: None) -> None:
    # The repository and API host are the operator's: the origin remote is never used.
    options = RunOptions(
        online=True,
        github_token="tkn",  # noqa: S106
        github_api_url=os.environ[ENV_API_URL],
        github_repository="example-org/wellkept",
    )
    ctx = build_context(well_kept, "w", options)
    for check in (
        "github.branch_protected",
        "github.reviews_required",
        "github.private_vulnerability_reporting",
    ):
        evidence = run_check(ctx, CheckSpec(check))
        assert evidence.outcome is CheckOutcome.PASS, (check, evidence.summary)
        assert evidence.summary.startswith("example-org/wellkept: ")


@pytest.mark.slow
def test_cli_record_validates(
    tmp_path: Path, osv_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(
        [
            "assess",
            str(EXAMPLES / "insecure-app"),
            "--out",
            str(out),
            "--format",
            "json",
            "--quiet",
            "--vuln-db",
            str(osv_db),
        ]
    )
    capsys.readouterr()
    assert code == 1
    record = json.loads((out / "assessment.json").read_text())
    schema = json.loads(schema_path("assessment.schema.json").read_text())
    jsonschema.validate(record, schema)
    statuses = {r["control_id"]: r["status"] for r in record["results"]}
    assert statuses["PO.3.2"] == "fail" and statuses["PW.4.1"] == "fail"


def test_missing_vuln_db_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "assess",
            str(tmp_path),
            "--out",
            str(tmp_path / "o"),
            "--quiet",
            "--vuln-db",
            str(tmp_path / "absent"),
        ]
    )
    assert code == 2
    assert "--vuln-db" in capsys.readouterr().err


@pytest.mark.slow
def test_cli_online_record_validates(
    well_kept: Path, github: None, osv_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(
        [
            "assess",
            str(well_kept),
            "--out",
            str(out),
            "--format",
            "json",
            "--quiet",
            "--online",
            "--github-token",
            "tkn",
            "--vuln-db",
            str(osv_db),
            "--github-repository",
            "example-org/wellkept",
        ]
    )
    capsys.readouterr()
    record = json.loads((out / "assessment.json").read_text())
    jsonschema.validate(record, json.loads(schema_path("assessment.schema.json").read_text()))
    outcomes = {
        e["check"]: e["outcome"] for r in expanded(record)["results"] for e in r["evidence"]
    }
    # What the repository's files answer needs no hosted answer (offline.settle).
    moot = {
        "github.org_security_policy",
        "github.org_contributing_guide",
        "github.code_scanning_default_setup",
    }
    assert {c: o for c, o in outcomes.items() if c in MINE and o != "pass"} == dict.fromkeys(
        moot, "not_applicable"
    )
    assert "tkn" not in (out / "assessment.json").read_text()
    assert code in (0, 1)  # other tasks still need attestations
