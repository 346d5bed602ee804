"""GitHub API checks against a loopback http.server that answers in the REST API's shapes."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from baseline.checks.github_api import ENV_API_URL, slug_from_remote
from baseline.context import RunOptions, build_context
from baseline.engine import run_check
from baseline.models import CheckOutcome, CheckSpec, Evidence

REPO = "/repos/acme/widget"
Routes = dict[str, tuple[int, Any, dict[str, str]]]


class _Handler(BaseHTTPRequestHandler):
    routes: Routes = {}
    seen: list[tuple[str, str]] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.seen.append((self.path, self.headers.get("Authorization", "")))
        status, body, headers = self.routes.get(self.path, (404, {"message": "Not Found"}, {}))
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[Routes]:
    routes: Routes = {}
    handler = type("H", (_Handler,), {"routes": routes, "seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    monkeypatch.setenv(ENV_API_URL, f"http://127.0.0.1:{server.server_address[1]}")
    try:
        yield routes
    finally:
        server.shutdown()
        server.server_close()


def _run(tmp_path: Path, check: str, online: bool = True, token: str | None = "t0k") -> Evidence:  # noqa: S107
    # The API host and repository are the operator's (the CLI resolves the environment).
    options = RunOptions(
        online=online,
        github_token=token,
        github_api_url=os.environ.get(ENV_API_URL, ""),
        github_repository="acme/widget",
    )
    ctx = build_context(tmp_path, "repo", options)
    return run_check(ctx, CheckSpec(check, {}))


def _repo(routes: Routes, branch: str = "main") -> None:
    routes[REPO] = (200, {"full_name": "acme/widget", "default_branch": branch}, {})


PROTECTION = {
    "url": "https://api.github.com/repos/acme/widget/branches/main/protection",
    "required_pull_request_reviews": {
        "required_approving_review_count": 2,
        "dismiss_stale_reviews": True,
    },
    "enforce_admins": {"enabled": True},
}
RULES = [
    {
        "type": "pull_request",
        "ruleset_source_type": "Repository",
        "ruleset_id": 7,
        "parameters": {"required_approving_review_count": 1},
    },
    {"type": "non_fast_forward", "ruleset_id": 7},
]


@pytest.mark.parametrize(
    "check",
    [
        "github.branch_protected",
        "github.reviews_required",
        "github.private_vulnerability_reporting",
    ],
)
def test_offline_or_tokenless_is_not_observable(tmp_path: Path, check: str) -> None:
    for online, token in ((False, "t0k"), (True, None)):
        evidence = _run(tmp_path, check, online=online, token=token)
        assert evidence.outcome is CheckOutcome.NEEDS_REVIEW
        assert "not observable offline" in evidence.summary


def test_classic_protection(tmp_path: Path, api: Routes) -> None:
    _repo(api)
    api[f"{REPO}/branches/main/protection"] = (200, PROTECTION, {})
    api[f"{REPO}/rules/branches/main"] = (200, [], {})
    assert _run(tmp_path, "github.branch_protected").outcome is CheckOutcome.PASS
    reviews = _run(tmp_path, "github.reviews_required")
    assert reviews.outcome is CheckOutcome.PASS and "requires 2" in reviews.summary
    assert [(r.tool, r.command, r.exit_code) for r in reviews.tool_runs] == [
        ("github-api", ("GET", "/repos/acme/widget"), 200),
        ("github-api", ("GET", "/repos/acme/widget/branches/main/protection"), 200),
        ("github-api", ("GET", "/repos/acme/widget/rules/branches/main"), 200),
    ]


def test_rulesets_only(tmp_path: Path, api: Routes) -> None:
    _repo(api, "release/1.x")
    not_protected = (404, {"message": "Branch not protected"}, {})
    api[f"{REPO}/branches/release%2F1.x/protection"] = not_protected
    api[f"{REPO}/rules/branches/release%2F1.x"] = (200, RULES, {})
    evidence = _run(tmp_path, "github.branch_protected")
    assert evidence.outcome is CheckOutcome.PASS
    assert "non_fast_forward, pull_request" in evidence.summary
    assert _run(tmp_path, "github.reviews_required").outcome is CheckOutcome.PASS


def test_unprotected(tmp_path: Path, api: Routes) -> None:
    _repo(api)
    api[f"{REPO}/branches/main/protection"] = (404, {"message": "Branch not protected"}, {})
    api[f"{REPO}/rules/branches/main"] = (200, [], {})
    assert _run(tmp_path, "github.branch_protected").outcome is CheckOutcome.FAIL
    assert _run(tmp_path, "github.reviews_required").outcome is CheckOutcome.FAIL


def test_protection_not_readable_without_admin(tmp_path: Path, api: Routes) -> None:
    _repo(api)
    api[f"{REPO}/branches/main/protection"] = (
        403,
        {"message": "Resource not accessible by integration"},
        {"x-ratelimit-remaining": "50"},
    )
    api[f"{REPO}/rules/branches/main"] = (200, [], {})
    evidence = _run(tmp_path, "github.branch_protected")
    assert evidence.outcome is CheckOutcome.NEEDS_REVIEW
    assert "admin" in evidence.summary


def test_private_vulnerability_reporting(tmp_path: Path, api: Routes) -> None:
    api[f"{REPO}/private-vulnerability-reporting"] = (200, {"enabled": True}, {})
    assert _run(tmp_path, "github.private_vulnerability_reporting").outcome is CheckOutcome.PASS
    api[f"{REPO}/private-vulnerability-reporting"] = (200, {"enabled": False}, {})
    assert _run(tmp_path, "github.private_vulnerability_reporting").outcome is CheckOutcome.FAIL


@pytest.mark.parametrize(
    ("status", "body", "headers", "outcome", "words"),
    [
        (401, {"message": "Bad credentials"}, {}, CheckOutcome.ERROR, "401"),
        (404, {"message": "Not Found"}, {}, CheckOutcome.ERROR, "404"),
        (
            403,
            {"message": "API rate limit exceeded for user"},
            {"x-ratelimit-remaining": "0"},
            CheckOutcome.NEEDS_REVIEW,
            "rate limited",
        ),
        (
            429,
            {"message": "slow down"},
            {"retry-after": "60"},
            CheckOutcome.NEEDS_REVIEW,
            "rate limited",
        ),
        (403, {"message": "Must have admin rights"}, {}, CheckOutcome.NEEDS_REVIEW, "permission"),
        (500, {"message": "boom"}, {}, CheckOutcome.ERROR, "500"),
        (302, {}, {"Location": "http://127.0.0.1:9/elsewhere"}, CheckOutcome.ERROR, "302"),
    ],
)
def test_failures(
    tmp_path: Path,
    api: Routes,
    status: int,
    body: Any,
    headers: dict[str, str],
    outcome: CheckOutcome,
    words: str,
) -> None:
    api[REPO] = (status, body, headers)
    api[f"{REPO}/private-vulnerability-reporting"] = (status, body, headers)
    for check in ("github.branch_protected", "github.private_vulnerability_reporting"):
        evidence = _run(tmp_path, check)
        assert evidence.outcome is outcome, evidence.summary
        assert words in evidence.summary


def test_token_is_sent_and_never_recorded(tmp_path: Path, api: Routes) -> None:
    api[f"{REPO}/private-vulnerability-reporting"] = (200, {"enabled": True}, {})
    evidence = _run(tmp_path, "github.private_vulnerability_reporting", token="s3cr3t-token")  # noqa: S106
    assert "s3cr3t-token" not in repr(evidence)
    assert all(b"s3cr3t-token" not in a.content for a in evidence.artifacts)


def test_plain_http_to_a_remote_host_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_API_URL, "http://api.example.invalid")
    evidence = _run(tmp_path, "github.branch_protected")
    assert evidence.outcome is CheckOutcome.ERROR
    assert "neither https nor loopback" in evidence.summary


def test_unreachable_server_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_API_URL, "http://127.0.0.1:9")
    assert _run(tmp_path, "github.branch_protected").outcome is CheckOutcome.ERROR


@pytest.mark.parametrize(
    ("url", "slug"),
    [
        ("https://github.com/acme/widget.git", "acme/widget"),
        ("https://github.com/acme/widget", "acme/widget"),
        ("git@github.com:acme/widget.git", "acme/widget"),
        ("ssh://git@github.com/acme/wid.get.git", "acme/wid.get"),
        ("https://user:tok@github.com/acme/widget.git\n", "acme/widget"),
        ("https://gitlab.com/acme/widget.git", None),
        ("https://github.com/acme/widget/../../x", None),
        ("https://github.com.evil.example/acme/widget", None),
        ("git@github.com:acme/widget;rm -rf", None),
    ],
)
def test_slug_from_remote(url: str, slug: str | None) -> None:
    assert slug_from_remote(url) == slug
