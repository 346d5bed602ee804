"""What GitHub applies without a file in the repository, asked of a loopback API server:
the organization's community files and CodeQL default setup, and how their answer settles the
offline check's needs_review per task (baseline/offline.py)."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from support import json_api

from baseline import offline
from baseline.catalog.loader import load_catalog
from baseline.checks import repo_files
from baseline.context import RunOptions, build_context
from baseline.engine import assess, run_check
from baseline.models import CheckOutcome, CheckSpec, Evidence

REPO = "/repos/acme/widget"
ORG = "/repos/acme/.github"
TOKEN = "s3cr3t-token"  # noqa: S105 - a test token


@dataclass
class Server:
    """A loopback API: path -> (status, body: JSON value or raw bytes); records each request."""

    url: str = ""
    routes: dict[str, tuple[int, Any]] = field(default_factory=dict)
    seen: list[tuple[str, str]] = field(default_factory=list)


@pytest.fixture
def servers() -> Iterator[tuple[Server, Server]]:
    """The operator's API host, and another host that must never be asked."""
    states = (Server(), Server())

    def routes(state: Server) -> Callable[[str], tuple[int, Any]]:
        return lambda path: state.routes.get(path, (404, {"message": "Not Found"}))

    with json_api(routes(states[0])) as (url0, seen0), json_api(routes(states[1])) as (url1, seen1):
        states[0].url, states[0].seen, states[1].url, states[1].seen = url0, seen0, url1, seen1
        yield states


def _options(api: Server | None, online: bool = True) -> RunOptions:
    return RunOptions(
        online=online,
        github_token=TOKEN,
        jobs=1,
        github_api_url=api.url if api else "",
        github_repository="acme/widget",
    )


def _run(tmp_path: Path, check: str, api: Server | None, online: bool = True) -> Evidence:
    ctx = build_context(tmp_path, "repo", _options(api, online))
    return run_check(ctx, CheckSpec(check, {}))


def _file(text: str, path: str) -> dict[str, Any]:
    return {
        "type": "file",
        "path": path,
        "encoding": "base64",
        "content": base64.b64encode(text.encode()).decode(),
        "download_url": f"https://raw.githubusercontent.com/acme/.github/main/{path}",
    }


PUBLIC = (200, {"full_name": "acme/.github", "private": False})


# --- the organization's community files -------------------------------------------------------


def test_org_security_policy_in_the_org_repo_passes(tmp_path: Path, servers: Any) -> None:
    api, _ = servers
    api.routes[ORG] = PUBLIC
    api.routes[f"{ORG}/contents/.github/SECURITY.md"] = (
        200,
        _file("Report to security@acme.example\n", ".github/SECURITY.md"),
    )
    evidence = _run(tmp_path, "github.org_security_policy", api)
    assert evidence.outcome is CheckOutcome.PASS, evidence.summary
    assert "acme/.github/.github/SECURITY.md" in evidence.summary
    # The evidence names every request: the root was looked at first, then .github/.
    assert [r.command[1] for r in evidence.tool_runs] == [
        ORG,
        f"{ORG}/contents/SECURITY.md",
        f"{ORG}/contents/.github/SECURITY.md",
    ]
    assert [r.exit_code for r in evidence.tool_runs] == [200, 404, 200]
    assert evidence.artifacts and evidence.digests


def test_org_contributing_guide_in_docs_passes(tmp_path: Path, servers: Any) -> None:
    api, _ = servers
    api.routes[ORG] = PUBLIC
    api.routes[f"{ORG}/contents/docs/CONTRIBUTING.md"] = (
        200,
        _file("Open a pull request.\n", "docs/CONTRIBUTING.md"),
    )
    evidence = _run(tmp_path, "github.org_contributing_guide", api)
    assert evidence.outcome is CheckOutcome.PASS, evidence.summary
    assert "acme/.github/docs/CONTRIBUTING.md" in evidence.summary


@pytest.mark.parametrize(
    ("routes", "words"),
    [
        (
            {ORG: PUBLIC},
            "nor in acme/.github/SECURITY.md, acme/.github/.github/SECURITY.md, "
            "acme/.github/docs/SECURITY.md",
        ),
        ({}, "has no acme/.github repository"),
        (
            {
                ORG: (200, {"private": True}),
                f"{ORG}/contents/SECURITY.md": (200, _file("security@acme.example", "SECURITY.md")),
            },
            "is private",
        ),
        (
            {ORG: PUBLIC, f"{ORG}/contents/SECURITY.md": (200, _file("Be nice.", "SECURITY.md"))},
            "names no contact",
        ),
    ],
)
def test_org_security_policy_absent_fails(
    tmp_path: Path, servers: Any, routes: dict[str, Any], words: str
) -> None:
    api, _ = servers
    api.routes.update(routes)
    evidence = _run(tmp_path, "github.org_security_policy", api)
    assert evidence.outcome is CheckOutcome.FAIL, evidence.summary
    assert words in evidence.summary


@pytest.mark.parametrize(
    ("status", "body", "outcome", "words"),
    [
        (
            403,
            {"message": "Resource not accessible by integration"},
            CheckOutcome.NEEDS_REVIEW,
            "403 the token lacks permission",
        ),
        (401, {"message": "Bad credentials"}, CheckOutcome.ERROR, "401"),
        (200, b"{not json", CheckOutcome.ERROR, "no boolean `private`"),
        (500, {"message": "boom"}, CheckOutcome.ERROR, "500"),
    ],
)
def test_org_security_policy_unanswered(
    tmp_path: Path, servers: Any, status: int, body: Any, outcome: CheckOutcome, words: str
) -> None:
    api, _ = servers
    api.routes[ORG] = (status, body)
    evidence = _run(tmp_path, "github.org_security_policy", api)
    assert evidence.outcome is outcome, evidence.summary
    assert words in evidence.summary
    assert "/repos/acme/.github" in evidence.summary


def test_garbled_contents_answer_is_an_error(tmp_path: Path, servers: Any) -> None:
    api, _ = servers
    api.routes[ORG] = PUBLIC
    api.routes[f"{ORG}/contents/SECURITY.md"] = (200, b"\x00garbled")
    evidence = _run(tmp_path, "github.org_security_policy", api)
    assert evidence.outcome is CheckOutcome.ERROR
    assert "not a file" in evidence.summary


def test_own_file_needs_no_api_call(tmp_path: Path, servers: Any) -> None:
    api, _ = servers
    (tmp_path / "SECURITY.md").write_text("security@acme.example\n")
    evidence = _run(tmp_path, "github.org_security_policy", api)
    assert evidence.outcome is CheckOutcome.NOT_APPLICABLE
    assert evidence.files == ("SECURITY.md",)
    assert api.seen == []


@pytest.mark.parametrize(
    "check",
    [
        "github.org_security_policy",
        "github.org_contributing_guide",
        "github.code_scanning_default_setup",
    ],
)
def test_offline_is_not_observable(tmp_path: Path, servers: Any, check: str) -> None:
    api, _ = servers
    evidence = _run(tmp_path, check, api, online=False)
    assert evidence.outcome is CheckOutcome.NEEDS_REVIEW
    assert "not observable offline" in evidence.summary
    assert api.seen == []


def test_token_goes_only_to_the_operators_host(tmp_path: Path, servers: Any) -> None:
    api, other = servers
    api.routes[ORG] = PUBLIC
    # The answer points elsewhere (a download_url): nothing follows it.
    contents = _file("security@acme.example", "SECURITY.md")
    contents["download_url"] = f"{other.url}/SECURITY.md"
    api.routes[f"{ORG}/contents/SECURITY.md"] = (200, contents)
    api.routes[f"{REPO}/code-scanning/default-setup"] = (
        200,
        {"state": "configured", "languages": ["python"]},
    )
    for check in ("github.org_security_policy", "github.code_scanning_default_setup"):
        evidence = _run(tmp_path, check, api)
        assert evidence.outcome is CheckOutcome.PASS, evidence.summary
        assert TOKEN not in repr(evidence)
    assert other.seen == []
    assert api.seen and all(auth == f"Bearer {TOKEN}" for _, auth in api.seen)
    assert {path for path, _ in api.seen} <= {
        ORG,
        f"{ORG}/contents/SECURITY.md",
        f"{REPO}/code-scanning/default-setup",
    }


# --- CodeQL default setup ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "outcome", "words"),
    [
        (
            200,
            {"state": "configured", "languages": ["python", "actions"], "schedule": "weekly"},
            CheckOutcome.PASS,
            "configured (languages: python, actions; schedule: weekly)",
        ),
        (200, {"state": "not-configured", "languages": []}, CheckOutcome.FAIL, "not configured"),
        (
            200,
            {"state": "configured", "languages": ["actions"]},
            CheckOutcome.FAIL,
            "analyses no language of the product",
        ),
        (
            403,
            {"message": "Resource not accessible by integration"},
            CheckOutcome.NEEDS_REVIEW,
            "token lacks the permission",
        ),
        (404, {"message": "Not Found"}, CheckOutcome.NEEDS_REVIEW, "not available"),
        (403, {"message": "API rate limit exceeded"}, CheckOutcome.NEEDS_REVIEW, "403"),
        (200, b"<html>garbled", CheckOutcome.ERROR, "no `state`"),
        (200, {"state": "weird"}, CheckOutcome.ERROR, "no `state`"),
        (401, {"message": "Bad credentials"}, CheckOutcome.ERROR, "401"),
    ],
)
def test_code_scanning_default_setup(
    tmp_path: Path, servers: Any, status: int, body: Any, outcome: CheckOutcome, words: str
) -> None:
    api, _ = servers
    api.routes[f"{REPO}/code-scanning/default-setup"] = (status, body)
    evidence = _run(tmp_path, "github.code_scanning_default_setup", api)
    assert evidence.outcome is outcome, evidence.summary
    assert words in evidence.summary
    assert [r.command for r in evidence.tool_runs] == [
        ("GET", f"{REPO}/code-scanning/default-setup")
    ]


def test_code_scanning_default_setup_without_schedule(tmp_path: Path, servers: Any) -> None:
    # RV.1.2 asks for recurring scans: a setup without its weekly run does not show them.
    api, _ = servers
    api.routes[f"{REPO}/code-scanning/default-setup"] = (
        200,
        {"state": "configured", "languages": ["python"], "schedule": None},
    )
    ctx = build_context(tmp_path, "repo", _options(api))
    spec = "github.code_scanning_default_setup"
    assert run_check(ctx, CheckSpec(spec, {})).outcome is CheckOutcome.PASS
    weekly = run_check(ctx, CheckSpec(spec, {"weekly": True}))
    assert weekly.outcome is CheckOutcome.FAIL and "runs on no schedule" in weekly.summary


# --- settling, per task -----------------------------------------------------------------------


def test_offline_mark_matches_the_repo_files_text() -> None:
    assert repo_files.ORG_LEVEL_MARK == offline.SETTLED_ONLINE["repo.has_security_policy"][1]


def _hidden_policy(tmp_path: Path) -> Evidence:
    ctx = build_context(tmp_path, "repo", RunOptions(jobs=1))
    check = repo_files.HAS_SECURITY_POLICY
    evidence = check.run(ctx, check.resolve({}))
    assert evidence.outcome is CheckOutcome.NEEDS_REVIEW
    return evidence


def _outcomes(evidence: list[Evidence]) -> list[str]:
    return [e.outcome.value for e in evidence]


def test_settle(tmp_path: Path) -> None:
    hidden = _hidden_policy(tmp_path)
    online = "github.org_security_policy"
    for answer, want in (
        ("pass", ["not_applicable", "pass"]),
        ("fail", ["not_applicable", "fail"]),
        ("needs_review", ["needs_review", "needs_review"]),
        ("error", ["needs_review", "error"]),
    ):
        settled = offline.settle([hidden, Evidence(online, CheckOutcome(answer), "x")])
        assert _outcomes(settled) == want, answer
    assert (
        "settled online by github.org_security_policy (pass)"
        in offline.settle([hidden, Evidence(online, CheckOutcome.PASS, "x")])[0].summary
    )
    # Decided from the files: the online answer, whatever it is, is not needed.
    own = Evidence("repo.has_security_policy", CheckOutcome.PASS, "SECURITY.md gives a contact")
    for answer in CheckOutcome:
        settled = offline.settle([own, Evidence(online, answer, "x")])
        assert _outcomes(settled) == ["pass", "not_applicable"]
    # Alone, the offline check keeps its needs_review (fail closed).
    assert offline.settle([hidden]) == [hidden]
    # A needs_review for another reason (another CI may scan): a pass settles it (the
    # hosting analyses the code), a fail does not (it is not conclusive).
    other = Evidence("ci.runs_code_analysis", CheckOutcome.NEEDS_REVIEW, "other CI, unsure")
    setup = "github.code_scanning_default_setup"
    assert _outcomes(offline.settle([other, Evidence(setup, CheckOutcome.PASS, "x")])) == [
        "not_applicable",
        "pass",
    ]
    assert _outcomes(offline.settle([other, Evidence(setup, CheckOutcome.FAIL, "x")])) == [
        "needs_review",
        "not_applicable",
    ]


def test_assessment_online_and_offline(
    tmp_path: Path, servers: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780272000")
    api, _ = servers
    api.routes[ORG] = PUBLIC
    api.routes[f"{ORG}/contents/SECURITY.md"] = (200, _file("security@acme.example", "SECURITY.md"))
    api.routes[f"{REPO}/code-scanning/default-setup"] = (
        200,
        {"state": "configured", "languages": ["python"], "schedule": "weekly"},
    )
    (tmp_path / "app.py").write_text("x = 1\n")
    catalog = load_catalog("ssdf-1.1")

    def run(online: bool) -> dict[tuple[str, str], str]:
        done = assess(tmp_path, catalog, _options(api, online), quiet=True)
        return {(r.control.id, e.check): e.outcome.value for r in done.results for e in r.evidence}

    offline_run = run(False)
    assert offline_run[("RV.1.3", "repo.has_security_policy")] == "needs_review"
    assert offline_run[("RV.1.3", "github.org_security_policy")] == "needs_review"
    assert offline_run[("RV.1.2", "ci.scheduled_scans")] == "needs_review"
    online_run = run(True)
    assert online_run[("RV.1.3", "repo.has_security_policy")] == "not_applicable"
    assert online_run[("RV.1.3", "github.org_security_policy")] == "pass"
    assert online_run[("RV.1.2", "ci.scheduled_scans")] == "not_applicable"
    assert online_run[("RV.1.2", "github.code_scanning_default_setup")] == "pass"
    assert online_run[("PW.7.2", "github.code_scanning_default_setup")] == "pass"
