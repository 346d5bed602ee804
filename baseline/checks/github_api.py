"""Opt-in GitHub REST API checks: branch protection or rulesets on the default branch,
required reviews, private vulnerability reporting.

They run only with `--online` and a token (`--github-token` or GITHUB_TOKEN); otherwise the
answer is needs_review "not observable offline", never pass or fail. The API base URL and
the repository come from the operator only (RunOptions, filled from `--github-api-url` /
`--github-repository`, the policy file, or GITHUB_API_URL / BASELINE_GITHUB_API_URL /
GITHUB_REPOSITORY): never from a catalog or the repository's config, and never from the
repository's `origin` remote, which the assessed tree chose (a hostile tree could name someone
else's well-kept repository). Without an operator-given repository the checks answer
needs_review naming the flag. The token is sent only over https or to a loopback address, and
redirects are refused so it never follows a response elsewhere. 401 and unknown repositories
-> error; 403 (missing permission) and rate limits -> needs_review with the reason.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from baseline.checks.interface import Check, Param, Params
from baseline.context import Context
from baseline.models import Artifact, CheckOutcome, Evidence, ToolRun
from baseline.tools import git as gitrun
from baseline.tools.github_http import API_VERSION, ApiReply, get_json

ENV_API_URL = "BASELINE_GITHUB_API_URL"
DEFAULT_API_URL = "https://api.github.com"
_SLUG = re.compile(r"[A-Za-z0-9-]{1,39}/[A-Za-z0-9_.-]{1,100}")
_REMOTE = re.compile(
    r"^(?:https://(?:[^@/\s]+@)?github\.com/|git@github\.com:|ssh://git@github\.com/)"
    r"([A-Za-z0-9-]{1,39}/[A-Za-z0-9_.-]{1,100}?)(?:\.git)?/?$"
)
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


class Unanswered(Exception):
    """The API gave no usable answer; carries the outcome (error or needs_review) and why."""

    def __init__(self, outcome: CheckOutcome, reason: str) -> None:
        super().__init__(reason)
        self.outcome = outcome
        self.reason = reason


def slug_from_remote(url: str) -> str | None:
    """`owner/name` from a github.com remote URL (https, scp-like or ssh), else None."""
    match = _REMOTE.match(url.strip())
    return match.group(1) if match else None


def _slug(ctx: Context) -> str:
    given = ctx.options.github_repository
    if given:
        if not _SLUG.fullmatch(given):
            raise Unanswered(CheckOutcome.ERROR, f"repository {given!r} is not owner/name")
        return given
    raise Unanswered(
        CheckOutcome.NEEDS_REVIEW,
        "no repository given by the operator: pass "
        "--github-repository owner/name (Actions set GITHUB_REPOSITORY)" + _remote_hint(ctx),
    )


def _remote_hint(ctx: Context) -> str:
    """The `origin` remote's owner/name, shown as the repository's claim, never used."""
    if not ctx.git.is_repo:
        return ""
    # Read as data from the repository's config file: git is never asked (tools.git).
    url = gitrun.origin_url(ctx.root)
    slug = slug_from_remote(url) if url else None
    return (
        f"; the repository's own remote `origin` names {slug!r}, which is not trusted"
        if slug
        else ""
    )


def _base(ctx: Context) -> str:
    base = (ctx.options.github_api_url or DEFAULT_API_URL).rstrip("/")
    parts = urlsplit(base)
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in _LOOPBACK):
        raise Unanswered(
            CheckOutcome.ERROR,
            f"API URL {base!r} is neither https nor loopback: the token is not sent",
        )
    return base


@dataclass
class Api:
    """One check's conversation with the API, recorded for the evidence."""

    base: str
    token: str
    slug: str
    timeout: float
    replies: list[tuple[str, ApiReply]] = field(default_factory=list)
    params: Params | None = None
    """The check's parameters, for judges that have some beyond `timeout`."""

    def get(self, path: str, allow: tuple[int, ...] = ()) -> ApiReply:
        """GET a repository endpoint; statuses other than 200 and `allow` are unanswered."""
        return self.get_other(self.slug, path, allow)

    def get_other(self, slug: str, path: str, allow: tuple[int, ...] = ()) -> ApiReply:
        """GET an endpoint of another repository on the same (the operator's) API host.

        Used for the owner's `.github` repository; the slug is built from the operator's
        owner, and the token still goes only to the operator's host.
        """
        recorded = path if slug == self.slug else f"@{slug}{path}"
        reply = get_json(f"{self.base}/repos/{slug}{path}", self.token, self.timeout)
        self.replies.append((recorded, reply))
        if reply.status == 200 or reply.status in allow:
            return reply
        raise Unanswered(*_explain(reply, recorded))


def _explain(reply: ApiReply, path: str) -> tuple[CheckOutcome, str]:
    where = f"GET /repos/{path[1:]}" if path.startswith("@") else f"GET /repos/<repo>{path}"
    if reply.status == 401:
        return CheckOutcome.ERROR, f"{where}: 401 bad credentials: check the token"
    if reply.status == 429 or (reply.status == 403 and reply.rate_limited):
        return CheckOutcome.NEEDS_REVIEW, f"{where}: rate limited; retry later"
    if reply.status == 403:
        return CheckOutcome.NEEDS_REVIEW, (
            f"{where}: 403 the token lacks permission ({reply.message or 'forbidden'})"
        )
    if reply.status == 404:
        return CheckOutcome.ERROR, f"{where}: 404 not found, or the token cannot see it"
    return CheckOutcome.ERROR, f"{where}: {reply.status or 'no answer'} {reply.message}".strip()


Judge = Callable[[Api], tuple[CheckOutcome, str]]


Precheck = Callable[[Context], Evidence | None]
"""Answers from the repository's own files before any API call (None: ask the API)."""


def online_check(
    check_id: str,
    question: str,
    judge: Judge,
    extra: dict[str, Param] | None = None,
    precheck: Precheck | None = None,
) -> Check:
    def run(ctx: Context, params: Params) -> Evidence:
        # A question the repository's own files already answer needs no API call.
        settled = precheck(ctx) if precheck else None
        if settled is not None:
            return settled
        token = ctx.options.github_token or ""
        if not ctx.options.online or not token:
            why = "no --online" if not ctx.options.online else "no token"
            return Evidence(
                check_id,
                CheckOutcome.NEEDS_REVIEW,
                f"not observable offline ({why}): run with --online and a GitHub token, or attest",
            )
        api: Api | None = None
        try:
            api = Api(_base(ctx), token, _slug(ctx), float(params["timeout"]), params=params)
            outcome, summary = judge(api)
        except Unanswered as exc:
            failed = exc.outcome is CheckOutcome.ERROR
            return Evidence(
                check_id,
                exc.outcome,
                exc.reason,
                artifacts=_artifacts(api),
                tool_runs=_runs(api),
                error=exc.reason if failed else None,
            )
        return Evidence(
            check_id,
            outcome,
            f"{api.slug}: {summary}",
            artifacts=_artifacts(api),
            tool_runs=_runs(api),
            digests={a.name: hashlib.sha256(a.content).hexdigest() for a in _artifacts(api)},
        )

    params = {
        "timeout": Param((int, float), 20, "Seconds per API request"),
        **(extra or {}),
    }
    return Check(id=check_id, question=question, run=run, params=params)


def _runs(api: Api | None) -> tuple[ToolRun, ...]:
    """Each request as a record: method and path (never the token), HTTP status as exit code."""
    if api is None:
        return ()
    return tuple(
        ToolRun("github-api", API_VERSION, ("GET", _url_path(api, path)), reply.status)
        for path, reply in api.replies
    )


def _url_path(api: Api, path: str) -> str:
    """The request's path: `@owner/name/...` names another repository than the assessed one."""
    return f"/repos/{path[1:]}" if path.startswith("@") else f"/repos/{api.slug}{path}"


def _artifacts(api: Api | None) -> tuple[Artifact, ...]:
    if api is None:
        return ()
    return tuple(
        Artifact(
            f"github{path.replace('/', '_').replace('@', '_')}.json",
            json.dumps({"status": r.status, "body": r.body}, sort_keys=True).encode(),
        )
        for path, r in api.replies
    )


def default_branch(api: Api) -> str:
    """The repository's default branch."""
    body = api.get("").body
    branch = body.get("default_branch") if isinstance(body, dict) else None
    if not isinstance(branch, str) or not branch:
        raise Unanswered(CheckOutcome.ERROR, "the repository answer names no default_branch")
    return branch


@dataclass(frozen=True)
class Protection:
    """What protects the default branch: classic protection (None: absent; 'unknown':
    not readable with this token) and the ruleset rules that apply."""

    branch: str
    classic: dict[str, Any] | str | None
    rules: tuple[dict[str, Any], ...]


def protection(api: Api) -> Protection:
    """Classic branch protection and ruleset rules of the default branch."""
    branch = default_branch(api)
    quoted = quote(branch, safe="")
    reply = api.get(f"/branches/{quoted}/protection", allow=(403, 404))
    classic: dict[str, Any] | str | None
    if reply.status == 200 and isinstance(reply.body, dict):
        classic = reply.body
    elif reply.status == 404 and "not protected" in reply.message.lower():
        classic = None
    else:
        classic = "unknown"
    rules = api.get(f"/rules/branches/{quoted}").body
    if not isinstance(rules, list):
        raise Unanswered(CheckOutcome.ERROR, "the rules answer is not a list")
    return Protection(branch, classic, tuple(r for r in rules if isinstance(r, dict)))


# --- the three questions ----------------------------------------------------------------------

_PROTECTING_RULES = frozenset(
    {
        "pull_request",
        "non_fast_forward",
        "deletion",
        "update",
        "required_status_checks",
        "required_signatures",
    }
)


def _judge_protected(api: Api) -> tuple[CheckOutcome, str]:
    found = protection(api)
    kinds = sorted({str(r.get("type")) for r in found.rules} & _PROTECTING_RULES)
    if isinstance(found.classic, dict) or kinds:
        how = ["branch protection"] if isinstance(found.classic, dict) else []
        how += [f"ruleset rules ({', '.join(kinds)})"] if kinds else []
        by = " and ".join(how)
        return CheckOutcome.PASS, f"default branch {found.branch!r} protected by {by}"
    if found.classic == "unknown":
        raise Unanswered(
            CheckOutcome.NEEDS_REVIEW,
            f"default branch {found.branch!r}: no "
            "ruleset applies and classic protection is not readable with this "
            "token (needs admin read)",
        )
    return CheckOutcome.FAIL, f"default branch {found.branch!r} has no protection and no rulesets"


def _approvals(found: Protection) -> int:
    counts = [
        int(r.get("parameters", {}).get("required_approving_review_count", 0) or 0)
        for r in found.rules
        if r.get("type") == "pull_request"
    ]
    if isinstance(found.classic, dict):
        reviews = found.classic.get("required_pull_request_reviews") or {}
        counts.append(int(reviews.get("required_approving_review_count", 0) or 0))
    return max(counts, default=0)


def _judge_reviews(minimum: int) -> Judge:
    def judge(api: Api) -> tuple[CheckOutcome, str]:
        found = protection(api)
        approvals = _approvals(found)
        if approvals >= minimum:
            return CheckOutcome.PASS, (
                f"default branch {found.branch!r} requires {approvals} approving review(s)"
            )
        if found.classic == "unknown" and approvals == 0:
            raise Unanswered(
                CheckOutcome.NEEDS_REVIEW,
                "classic protection not readable "
                "with this token (needs admin read); no ruleset requires "
                "reviews",
            )
        return CheckOutcome.FAIL, (
            f"default branch {found.branch!r} requires {approvals} "
            f"approving review(s); {minimum} wanted"
        )

    return judge


def _judge_pvr(api: Api) -> tuple[CheckOutcome, str]:
    body = api.get("/private-vulnerability-reporting").body
    enabled = body.get("enabled") if isinstance(body, dict) else None
    if not isinstance(enabled, bool):
        raise Unanswered(CheckOutcome.ERROR, "the answer has no boolean `enabled`")
    if enabled:
        return CheckOutcome.PASS, "private vulnerability reporting is enabled"
    return CheckOutcome.FAIL, "private vulnerability reporting is disabled"


BRANCH_PROTECTED = online_check(
    "github.branch_protected",
    "Is the default branch protected by branch protection or rulesets (GitHub API)?",
    _judge_protected,
)
REVIEWS_REQUIRED = online_check(
    "github.reviews_required",
    "Does the default branch require approving reviews before merge (GitHub API)?",
    _judge_reviews(1),
)
PRIVATE_VULNERABILITY_REPORTING = online_check(
    "github.private_vulnerability_reporting",
    "Is GitHub private vulnerability reporting enabled for the repository (GitHub API)?",
    _judge_pvr,
)
