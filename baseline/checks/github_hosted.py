"""Opt-in GitHub API checks for what the hosting applies without a file in the repository.

- `github.org_security_policy` / `github.org_contributing_guide`: GitHub applies a SECURITY.md
  or CONTRIBUTING.md from the owner's public `.github` repository (its root, `.github/` or
  `docs/`) to every repository without its own. Offline this cannot be seen, so
  repo.has_security_policy / repo.has_contributing_guide answer needs_review; these checks
  settle it online.
- `github.code_scanning_default_setup`: CodeQL default setup is switched on in the settings and
  runs on push, pull requests and weekly without a workflow file; it settles the needs_review of
  ci.runs_code_analysis / ci.scheduled_scans when no workflow step analyses the code.

Like the other github.* checks (github_api.py) they run only with `--online` and a token, on
the operator's repository and API host only. How their answer combines with the offline check
they settle, per task, is baseline/offline.py's `settle`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence

from baseline.checks.github_api import Api, Judge, Precheck, Unanswered, online_check
from baseline.checks.interface import Check, Param
from baseline.checks.repo_files import CONTRIBUTING_NAMES, POLICY_NAMES, has_contact, in_doc_dirs
from baseline.context import Context
from baseline.models import CheckOutcome, Evidence

# GitHub's documented places for a default community health file in the `.github` repository.
_ORG_FOLDERS = ("", ".github/", "docs/")


def _own_file(check_id: str, names: Sequence[str], what: str) -> Precheck:
    def precheck(ctx: Context) -> Evidence | None:
        found = ctx.matching(in_doc_dirs(names))
        if not found:
            return None
        return Evidence(
            check_id,
            CheckOutcome.NOT_APPLICABLE,
            f"the repository has its own {what} ({found[0]}); GitHub applies the "
            "organization's only to repositories without one",
            files=tuple(found[:5]),
            digests={f: ctx.sha256(f) for f in found[:5]},
        )

    return precheck


def _org_file(filename: str, what: str, needs_contact: bool) -> Judge:
    def judge(api: Api) -> tuple[CheckOutcome, str]:
        owner = api.slug.split("/", 1)[0]
        org_repo = f"{owner}/.github"
        repo = api.get_other(org_repo, "", allow=(404,))
        if repo.status == 404:
            return CheckOutcome.FAIL, (
                f"no {what} here and the owner has no {org_repo} repository to supply one"
            )
        if not isinstance(repo.body, dict) or not isinstance(repo.body.get("private"), bool):
            raise Unanswered(
                CheckOutcome.ERROR, f"GET /repos/{org_repo}: the answer has no boolean `private`"
            )
        if repo.body["private"]:
            return CheckOutcome.FAIL, (
                f"no {what} here, and {org_repo} is private: GitHub "
                "applies community files only from a public one"
            )
        for folder in _ORG_FOLDERS:
            path = f"{folder}{filename}"
            reply = api.get_other(org_repo, f"/contents/{path}", allow=(404,))
            if reply.status == 404:
                continue
            body = reply.body
            if not isinstance(body, dict) or body.get("type") != "file":
                raise Unanswered(
                    CheckOutcome.ERROR,
                    f"GET /repos/{org_repo}/contents/{path}: the answer is not a file",
                )
            if needs_contact:
                text = _content(body)
                if text is None:
                    raise Unanswered(
                        CheckOutcome.NEEDS_REVIEW,
                        f"{org_repo}/{path} exists "
                        "but its content was not returned: read it and attest",
                    )
                if not has_contact(text):
                    return CheckOutcome.FAIL, (
                        f"{org_repo}/{path} applies here but names no "
                        "contact (an email address or a URL)"
                    )
            return CheckOutcome.PASS, (
                f"no {what} here; GitHub applies {org_repo}/{path} from the organization"
            )
        tried = ", ".join(f"{org_repo}/{f}{filename}" for f in _ORG_FOLDERS)
        return CheckOutcome.FAIL, f"no {what} here nor in {tried}"

    return judge


def _content(body: dict[str, object]) -> str | None:
    """The file's text from a contents answer (base64), or None when it is not there."""
    raw = body.get("content")
    if body.get("encoding") != "base64" or not isinstance(raw, str):
        return None
    try:
        return base64.b64decode(raw.encode("ascii"), validate=False).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return None


def _judge_default_setup(api: Api) -> tuple[CheckOutcome, str]:
    reply = api.get("/code-scanning/default-setup", allow=(403, 404))
    if reply.status in (403, 404):
        why = (
            "403: the token lacks the permission to read it (needs `security_events` "
            "read or repository administration)"
            if reply.status == 403
            else "404: code scanning is not available to this repository or token (private "
            "repositories need GitHub Advanced Security)"
        )
        raise Unanswered(
            CheckOutcome.NEEDS_REVIEW,
            f"GET /repos/<repo>/code-scanning/default-setup: {why}; {reply.message}".rstrip("; "),
        )
    body = reply.body
    state = body.get("state") if isinstance(body, dict) else None
    if state == "configured" and isinstance(body, dict):
        languages = body.get("languages")
        names = [str(x) for x in languages] if isinstance(languages, list) else []
        schedule = body.get("schedule")
        how = (
            f"languages: {', '.join(names) or 'none listed'}; schedule: "
            f"{schedule if isinstance(schedule, str) else 'unknown'}"
        )
        # `actions` analyses the workflows only: a workflow linter is not code analysis.
        if not [n for n in names if n != "actions"]:
            return CheckOutcome.FAIL, (
                f"CodeQL default setup is configured ({how}) but "
                "analyses no language of the product's code"
            )
        if api.params and api.params.get("weekly") and schedule != "weekly":
            return CheckOutcome.FAIL, (
                f"CodeQL default setup is configured ({how}) but runs on no schedule"
            )
        return CheckOutcome.PASS, (
            f"CodeQL default setup is configured ({how}); it analyses "
            "on push, pull requests and weekly"
        )
    if state == "not-configured":
        return CheckOutcome.FAIL, "CodeQL default setup is not configured"
    raise Unanswered(
        CheckOutcome.ERROR,
        "the default-setup answer has no `state` of configured or not-configured",
    )


ORG_SECURITY_POLICY: Check = online_check(
    "github.org_security_policy",
    "Without its own SECURITY.md, does the repository get one with a reporting contact from "
    "its organization's public .github repository (GitHub API)?",
    _org_file("SECURITY.md", "security policy", needs_contact=True),
    precheck=_own_file("github.org_security_policy", POLICY_NAMES, "security policy"),
)
ORG_CONTRIBUTING_GUIDE: Check = online_check(
    "github.org_contributing_guide",
    "Without its own CONTRIBUTING guide, does the repository get one from its organization's "
    "public .github repository (GitHub API)?",
    _org_file("CONTRIBUTING.md", "contributing guide", needs_contact=False),
    precheck=_own_file("github.org_contributing_guide", CONTRIBUTING_NAMES, "contributing guide"),
)
CODE_SCANNING_DEFAULT_SETUP: Check = online_check(
    "github.code_scanning_default_setup",
    "Is GitHub's CodeQL default setup configured for the repository (GitHub API)?",
    _judge_default_setup,
    extra={"weekly": Param(bool, False, "Require the weekly scheduled analysis (RV.1.2)")},
)
