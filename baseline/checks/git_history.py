"""Git facts: the assessed commit, signed commits among the last N, signed release tags.

Every git call goes through tools.git.run_git, so git never reads the repository's own config
(its `gpg.program`, `gpg.ssh.program`, `allowedSignersFile`, filters, hooks...). The signing
programs are pinned as well (the operator's global config must not pick them either), and the
operator's allowed-signers file is used only when given (`--allowed-signers` or the policy
file, never a catalog or the repository's config), else /dev/null: SSH signatures then read as
present but unverified (`U`).
Signature presence is what git reports offline (`%G?` other than `N`); `G` means verified.
Commits whose committer is GitHub <noreply@github.com> carry GitHub's web-flow signature
(merges made in the web interface) and are counted apart from developers' own signatures.

A target inside a larger repository is judged by that repository's history (history belongs
to the repository, not to a folder); the evidence says so.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from baseline.asof import real_today
from baseline.checks.interface import Check, Param, Params
from baseline.context import Context
from baseline.errors import ToolError
from baseline.models import CheckOutcome, Evidence, Finding, Severity, ToolRun, fingerprint
from baseline.toolrun import tool_version
from baseline.tools import git as gitrun

WEB_FLOW = ("GitHub", "noreply@github.com")
_ARMOR = (
    "-----BEGIN PGP SIGNATURE-----",
    "-----BEGIN SSH SIGNATURE-----",
    "-----BEGIN SIGNED MESSAGE-----",
)


def _signing_args(allowed_signers: str) -> tuple[str, ...]:
    return (
        "-c",
        "gpg.program=gpg",
        "-c",
        "gpg.ssh.program=ssh-keygen",
        "-c",
        "gpg.x509.program=gpgsm",
        "-c",
        "gpg.ssh.revocationFile=",
        "-c",
        f"gpg.ssh.allowedSignersFile={allowed_signers or os.devnull}",
        "-c",
        "log.showSignature=false",
    )


@dataclass
class _Git:
    ctx: Context
    allowed_signers: str = ""
    timeout: float = 60

    def __post_init__(self) -> None:
        self.runs: list[ToolRun] = []

    def __call__(self, *args: str) -> str | None:
        try:
            location = gitrun.locate(self.ctx.root)
        except gitrun.GitLayoutError as exc:
            raise ToolError("git", f"refused to read the repository: {exc}") from None
        if location is None:
            raise ToolError("git", "the repository is gone")
        done = gitrun.run_git(
            location,
            [*_signing_args(self.allowed_signers), *args],
            cwd=self.ctx.root,
            timeout=self.timeout,
            version=tool_version("git"),
        )
        self.runs.append(done.run)
        if done.run.exit_code != 0:
            return None
        return done.stdout.decode("utf-8", "replace")


def _signers(ctx: Context) -> str:
    """The operator's allowed-signers file ("" for none)."""
    return str(ctx.options.allowed_signers) if ctx.options.allowed_signers else ""


def _where(ctx: Context) -> str:
    """A note when the target is a folder inside the repository (a relative path only)."""
    if not ctx.git.subdir:
        return ""
    return (
        f" (target is the folder {ctx.git.subdir}/ of a larger repository: its history is judged)"
    )


def _no_repo_reason(ctx: Context) -> str:
    reason = ctx.git.reason or "not a git repository"
    return reason if "not a git repository" in reason else f"not a git repository: {reason}"


def _not_repo(check: str, ctx: Context) -> Evidence | None:
    if not ctx.git.is_repo:
        return Evidence(check, CheckOutcome.NOT_APPLICABLE, _no_repo_reason(ctx))
    if ctx.git.commit is None:
        return Evidence(check, CheckOutcome.NOT_APPLICABLE, "the repository has no commits yet")
    return None


def _state(ctx: Context) -> str:
    notes = [
        n
        for n, on in (("shallow clone", ctx.git.shallow), ("detached HEAD", ctx.git.detached))
        if on
    ]
    return f" [{', '.join(notes)}]" if notes else ""


def _cut_off(check: str, ctx: Context, git: _Git, what: str) -> Evidence:
    """`error` for history a shallow clone hides: `what` it could not see, and the fix."""
    return Evidence(
        check,
        CheckOutcome.ERROR,
        f"shallow clone: {what}{_where(ctx)}",
        tool_runs=tuple(git.runs),
        error="the history is cut off by a shallow clone; assess a full clone with its tags "
        "(actions/checkout: fetch-depth: 0)",
    )


def _commit_recorded(ctx: Context, params: Params) -> Evidence:
    check = COMMIT_RECORDED.id
    if not ctx.git.is_repo:
        return Evidence(check, CheckOutcome.NOT_APPLICABLE, _no_repo_reason(ctx))
    if ctx.git.commit is None:
        return Evidence(
            check,
            CheckOutcome.FAIL,
            "the repository has no commits to record",
            findings=(_finding(check, "no-commit", "no commit"),),
        )
    # The facts git gave once for the whole run (baseline/context.py), the record's too.
    changed = ctx.git.changed
    summary = f"assessed commit {ctx.git.commit}{_state(ctx)}{_where(ctx)}"
    if changed:
        shown = ", ".join(changed[:5]) + (
            f" and {len(changed) - 5} more" if len(changed) > 5 else ""
        )
        return Evidence(
            check,
            CheckOutcome.NEEDS_REVIEW,
            f"{summary}; {len(changed)} file(s) differ from it ({shown}): the "
            "assessed tree is not exactly that commit",
            tool_runs=ctx.git.runs,
        )
    return Evidence(check, CheckOutcome.PASS, summary, tool_runs=ctx.git.runs)


def _finding(check: str, rule: str, message: str) -> Finding:
    return Finding(
        rule=rule,
        message=message,
        severity=Severity.MEDIUM,
        fingerprint=fingerprint(check, rule, message),
        tool="git",
    )


@dataclass(frozen=True)
class CommitSignatures:
    """Signature counts over a commit range."""

    total: int
    developer: int
    web_flow: int
    verified: int
    bad: tuple[str, ...]
    unsigned: tuple[str, ...]


def count_signatures(log: str) -> CommitSignatures:
    """Count `%H %G? %cn %ce` records (fields split by US, records by NUL)."""
    developer = web_flow = verified = 0
    bad: list[str] = []
    unsigned: list[str] = []
    records = [r.strip("\n").split("\x1f") for r in log.split("\x00") if r.strip()]
    for sha, status, name, email in (r[:4] for r in records if len(r) >= 4):
        if status == "N":
            unsigned.append(sha)
        elif status == "B":
            bad.append(sha)
        elif (name, email.lower()) == WEB_FLOW:
            web_flow += 1
        else:
            developer += 1
        verified += status == "G"
    return CommitSignatures(
        len(records), developer, web_flow, verified, tuple(bad), tuple(unsigned)
    )


def _commits_signed(ctx: Context, params: Params) -> Evidence:
    check = COMMITS_SIGNED.id
    if (skip := _not_repo(check, ctx)) is not None:
        return skip
    git = _Git(ctx, _signers(ctx))
    log = git("log", f"-n{int(params['last'])}", "--format=%H%x1f%G?%x1f%cn%x1f%ce%x00", "HEAD")
    if log is None:
        return Evidence(
            check,
            CheckOutcome.ERROR,
            "git log failed",
            tool_runs=tuple(git.runs),
            error="git could not read the history; is the clone complete?",
        )
    sig = count_signatures(log)
    wanted = int(params["last"])
    if ctx.git.shallow and sig.total < wanted and not sig.bad and not sig.unsigned:
        # The commits a shallow clone hides are not "signed": the share is of what is seen.
        seen = (f"only {sig.total} of the last {wanted} commits are present, and all "
                f"{sig.total} are signed")  # fmt: skip
        return _cut_off(check, ctx, git, seen)
    counted = sig.developer + (sig.web_flow if params["count_web_flow"] else 0)
    share = counted / sig.total if sig.total else 0.0
    summary = (
        f"{counted} of the last {sig.total} commit(s) signed ({sig.developer} by "
        f"developers, {sig.web_flow} by GitHub web-flow, {sig.verified} verified, "
        f"{len(sig.bad)} bad){_state(ctx)}{_where(ctx)}"
    )
    findings = [
        _finding(check, "bad-signature", f"commit {s} has a bad signature") for s in sig.bad
    ] + [_finding(check, "unsigned-commit", f"commit {s} is unsigned") for s in sig.unsigned[:50]]
    ok = not sig.bad and share >= float(params["min_share"])
    return Evidence(
        check,
        CheckOutcome.PASS if ok else CheckOutcome.FAIL,
        summary,
        findings=() if ok else tuple(findings),
        tool_runs=tuple(git.runs),
    )


def tag_signed(raw_tag: str) -> bool:
    """Whether an annotated tag object carries a signature block."""
    return any(armor in raw_tag for armor in _ARMOR)


SECONDS_PER_MONTH = 30.44 * 24 * 3600
LISTED = 10


def _window(
    entries: list[list[str]], params: Params, as_of: dt.date
) -> tuple[list[list[str]], str]:
    """The release tags that matter, newest first, and how the window was chosen.

    Signing is judged on current practice: the tags of the `months` (default 24) before the
    newest release tag, or since an explicit `since` date, at most `last` (default 20) of
    them and never fewer than the newest one. Anchoring on the newest tag (not on today)
    keeps the verdict deterministic and gives a quiet project a window too. A tag's date is
    the tagger's claim, so the anchor is never later than the as-of day: one tag dated in
    the future must not move the window past every real release (it is still judged).
    """
    end_of_day = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), dt.timezone.utc)
    newest = min(int(entries[0][3] or 0), int(end_of_day.timestamp()))
    since = str(params["since"]).strip()
    if since:
        try:
            start = dt.datetime.strptime(since, "%Y-%m-%d").replace(tzinfo=dt.timezone.utc)
        except ValueError:
            raise ToolError("git", f"since must be a date YYYY-MM-DD, not {since!r}") from None
        floor = start.timestamp()
        how = f"since {since}"
    else:
        floor = newest - float(params["months"]) * SECONDS_PER_MONTH
        start = dt.datetime.fromtimestamp(max(floor, 0), dt.timezone.utc)
        how = f"{params['months']} months before the newest, since {start:%Y-%m-%d}"
    inside = [e for e in entries if int(e[3] or 0) >= floor][: int(params["last"])]
    return inside or entries[:1], f"{how}, at most {params['last']}"


def _release_tags_signed(ctx: Context, params: Params) -> Evidence:
    check = RELEASE_TAGS_SIGNED.id
    if (skip := _not_repo(check, ctx)) is not None:
        return skip
    allowed = _signers(ctx)
    git = _Git(ctx, allowed)
    # One call for every tag: name, object type, creation time and any signature block (PGP,
    # X.509 or SSH), records ended by \x1e because a signature spans several lines.
    refs = (
        git(
            "for-each-ref",
            "--sort=-creatordate",
            "--format=%(refname)%1f%(objecttype)%1f%(contents:signature)%1f%(creatordate:unix)%1e",
            f"refs/tags/{params['pattern']}",
        )
        or ""
    )
    entries = [
        e
        for e in (record.strip("\n").split("\x1f") for record in refs.split("\x1e"))
        if len(e) == 4
    ]
    if not entries and ctx.git.shallow:
        seen = (f"no tags matching refs/tags/{params['pattern']} are present, and a shallow "
                "clone does not show whether the project has any")  # fmt: skip
        return _cut_off(check, ctx, git, seen)
    if not entries:
        return Evidence(
            check,
            CheckOutcome.NOT_APPLICABLE,
            f"no release tags match refs/tags/{params['pattern']}{_where(ctx)}",
            tool_runs=tuple(git.runs),
        )
    window, how = _window(entries, params, ctx.options.as_of or real_today())
    signatures = {e[0]: e[2] for e in window}
    tags = [(e[0], e[1]) for e in window]
    unsigned = [ref for ref, kind in tags if kind != "tag" or not tag_signed(signatures[ref])]
    # With allowed signers given, a signature must also verify against them.
    unverified = [
        ref for ref, _ in tags if allowed and ref not in unsigned and git("verify-tag", ref) is None
    ]
    verified = f", {len(tags) - len(unsigned) - len(unverified)} verified" if allowed else ""
    summary = (
        f"{len(unsigned)} of the last {len(tags)} release tag(s) unsigned"
        f"{_names(unsigned)}{verified}; {len(tags) - len(unsigned)} signed"
        f" (window: {how}; {len(entries)} tag(s) in all){_where(ctx)}"
    )
    if unverified:
        summary += f"; {len(unverified)} do not verify against the allowed signers"
        summary += _names(unverified)
    findings = tuple(
        _finding(check, rule, f"tag {ref.removeprefix('refs/tags/')} {what}")
        for rule, what, refs_ in (
            ("unsigned-tag", "is not a signed annotated tag", unsigned),
            ("unverified-tag", "signature does not verify against the allowed signers", unverified),
        )
        for ref in refs_
    )
    return Evidence(
        check,
        CheckOutcome.FAIL if findings else CheckOutcome.PASS,
        summary,
        findings=findings,
        tool_runs=tuple(git.runs),
    )


def _names(refs: list[str]) -> str:
    """`: v1.0.1, v1.0.0 and 3 more` (nothing for none)."""
    if not refs:
        return ""
    names = [r.removeprefix("refs/tags/") for r in refs]
    more = f" and {len(names) - LISTED} more" if len(names) > LISTED else ""
    return ": " + ", ".join(names[:LISTED]) + more


COMMIT_RECORDED = Check(
    id="git.commit_recorded",
    question="Is the assessed code a recorded git commit (and is the working tree clean)?",
    run=_commit_recorded,
    tools=("git",),
)
COMMITS_SIGNED = Check(
    id="git.commits_signed",
    question="Are the most recent commits signed?",
    run=_commits_signed,
    tools=("git",),
    params={
        "last": Param(int, 50, "How many of the newest commits to examine"),
        "min_share": Param((int, float), 1.0, "Share of signed commits required (0 to 1)"),
        "count_web_flow": Param(bool, True, "Count GitHub web-flow signatures as signed"),
    },
)
RELEASE_TAGS_SIGNED = Check(
    id="git.release_tags_signed",
    question="Are release tags signed annotated tags?",
    run=_release_tags_signed,
    tools=("git",),
    params={
        "last": Param(int, 20, "At most this many of the newest release tags are examined"),
        "months": Param(
            (int, float), 24, "Window: tags created this many months before the newest release tag"
        ),
        "since": Param(str, "", "Window start as YYYY-MM-DD (overrides months)"),
        "pattern": Param(str, "*", "Glob of release tag names under refs/tags/"),
    },
)
