"""A private checkout of one commit of a (hostile) repository, for re-running an assessment.

`baseline verify --reproduce` needs the bundle's commit as a real repository (the git checks
read its history, tags and branch), without touching the auditor's clone and without letting
that clone's config, hooks or filters run anything. So the copy is a new repository in a
temporary folder, made by the tool:

- `git init --template=` (no sample hooks), with a config the tool writes: only the remote URL
  the record names (validated: no newline, quote or backslash);
- the source's object store as an *alternate* (`objects/info/alternates`): no object is copied
  and no transport (upload-pack, which would read the source's config) runs;
- the source's tags and the recorded branch as packed refs, written as data (names and ids come
  from `git for-each-ref`, run through baseline/tools/git.py against a shadow of the source);
- the tree checked out by git in the copy (baseline/tools/git.run_own_git: hooks off, the
  source's `.gitattributes` can name a filter, but only the copy's config, which has none, and
  the operator's global config define filters).
"""

from __future__ import annotations

import re
from pathlib import Path

from baseline.errors import InputError, ToolError
from baseline.toolrun import Completed, run_tool
from baseline.tools import git as gitrun

_HEX = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
_URL_UNSAFE = re.compile(r'[\s"\\]')
TIMEOUT = 300.0


def _ok(done: Completed, what: str) -> str:
    if done.run.exit_code != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise ToolError("git", f"{what} failed: {detail[0][:300]}")
    return done.stdout.decode("utf-8", "replace")


def _branch_ok(branch: str) -> bool:
    done = run_tool("git", ["check-ref-format", f"refs/heads/{branch}"], cwd=Path("/"), timeout=30)
    return done.run.exit_code == 0


def checkout_copy(
    source: Path, commit: str, dest: Path, *, branch: str | None = None, url: str | None = None
) -> Path:
    """Make `dest` a new repository at `commit` of the repository holding `source`; returns the
    top of the copy. InputError when the source is not a repository or lacks the commit."""
    if not _HEX.fullmatch(commit):
        raise InputError.single(str(source), "", f"not a full commit id: {commit!r}")
    location = gitrun.locate(source.resolve())
    if location is None:
        raise InputError.single(str(source), "", "not a git repository")

    def in_source(*args: str) -> Completed:
        return gitrun.run_git(location, args, cwd=location.toplevel, timeout=TIMEOUT,
                              with_index=False)  # fmt: skip

    if in_source("cat-file", "-e", f"{commit}^{{commit}}").run.exit_code != 0:
        raise InputError.single(str(source), "", f"the repository has no commit {commit}")
    tags = _ok(in_source("for-each-ref", "--format=%(objectname) %(refname)", "refs/tags"),
               "git for-each-ref")  # fmt: skip
    dest.mkdir(parents=True)
    _ok(run_tool("git", ["init", "-q", "--template=", str(dest)], cwd=dest,
                        timeout=TIMEOUT, env={"GIT_CONFIG_NOSYSTEM": "1"}), "git init")  # fmt: skip
    git_dir = dest / ".git"
    (git_dir / "objects" / "info").mkdir(parents=True, exist_ok=True)
    (git_dir / "objects" / "info" / "alternates").write_text(
        str(location.common_dir / "objects") + "\n", encoding="utf-8"
    )
    refs = [line for line in tags.splitlines() if line.strip()]
    head = commit
    if branch and _branch_ok(branch):
        refs.append(f"{commit} refs/heads/{branch}")
        head = branch
    (git_dir / "packed-refs").write_text(
        "".join(f"{line}\n" for line in sorted(refs, key=lambda r: r.split(" ", 1)[1])),
        encoding="utf-8",
    )
    if url and not _URL_UNSAFE.search(url):
        with open(git_dir / "config", "a", encoding="utf-8") as config:
            config.write(f'[remote "origin"]\n\turl = {url}\n')
    _ok(gitrun.run_own_git(dest, ["checkout", "-q", "--force", head], timeout=TIMEOUT),
        "git checkout")  # fmt: skip
    return dest
