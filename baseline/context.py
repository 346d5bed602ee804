"""The target repository, read once: its files (never following symlinks) and git facts."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from baseline.cores import Cores
from baseline.errors import InputError, ToolError
from baseline.globs import compiled, problems
from baseline.models import RuleFile, ToolRun
from baseline.remote_url import normalize_remote
from baseline.scope import DEFAULT_RULES, ScopeRules
from baseline.tools import git as gitrun

SKIPPED_DIRS = frozenset({".git", ".hg", ".svn"})
DEFAULT_READ_LIMIT = 2 * 1024 * 1024
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
# A FIFO swapped in for a listed file must not block the open: it is refused after fstat.
_READ = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)

# A commit id as git prints it (SHA-1 or SHA-256 object format).
_COMMIT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")


@dataclass(frozen=True)
class RunOptions:
    """How the run should behave: everything that is not the target or the catalog."""

    jobs: int = max(1, os.cpu_count() or 1)
    online: bool = False
    github_token: str | None = field(default=None, repr=False)
    excludes: tuple[str, ...] = ()
    """Glob patterns (repository-relative, POSIX) of paths to leave out of every check."""
    vuln_db: Path | None = None
    """Local OSV data (a JSON file or a folder of them) for dependency vulnerability checks."""
    cache: Path | None = None
    """The incremental scan cache (SQLite file); None scans every file every time."""
    github_api_url: str = ""
    """The operator's GitHub REST API base URL ("": https://api.github.com); never the config's."""
    github_repository: str = ""
    """The operator's owner/name for the github.* checks ("": none, they cannot answer)."""
    allowed_signers: Path | None = None
    """The operator's SSH allowed-signers file (None: signatures read as unverified)."""
    exclude_sources: Mapping[str, str] = field(default_factory=dict, hash=False)
    """Where each of `excludes` came from (`.baseline.toml:3`); `--exclude` when absent."""
    as_of: dt.date | None = None
    """The day expiry is judged on (`--as-of`); None: today, real clock."""

    def exclude_source(self, pattern: str) -> str:
        """Where an exclude pattern came from, for evidence and claims."""
        return self.exclude_sources.get(pattern, "--exclude")

    scope: ScopeRules = DEFAULT_RULES
    """Which paths are the product, tests, fixtures, examples, docs or vendored code."""
    semgrep_rules: tuple[RuleFile, ...] = ()
    """Rule files added to the shipped semgrep pack (from the catalog being run)."""
    semgrep_registry: tuple[str, ...] = ()
    """Semgrep registry configs the catalog adds (run only when `online`)."""


@dataclass(frozen=True)
class GitFacts:
    """What git says about the target; `reason` explains a missing answer."""

    is_repo: bool
    commit: str | None = None
    toplevel: Path | None = None
    shallow: bool = False
    detached: bool = False
    reason: str = ""
    branch: str | None = None
    """The checked-out branch (None: detached HEAD, as in most CI checkouts)."""
    remote_url: str | None = None
    """`remote.origin.url`, normalized (baseline/remote_url.py): the repository's own claim."""
    changed: tuple[str, ...] = ()
    """Files under the target that differ from the commit: tracked files modified, added or
    deleted, and untracked files that are not ignored (repository-relative, sorted)."""
    runs: tuple[ToolRun, ...] = ()
    """The git commands these facts come from (evidence for git.commit_recorded)."""
    subdir: str = ""
    """The target's folder inside the repository, POSIX, relative ("": the repository root)."""


@dataclass(frozen=True)
class Context:
    """A read-only view of the target shared by every check."""

    root: Path
    """Resolved absolute path of the target."""
    display: str
    """The target as the user named it (what reports show)."""
    files: tuple[str, ...]
    """Regular files, repository-relative POSIX paths, sorted; symlinks excluded."""
    symlinks: tuple[str, ...]
    """Symbolic links found; never followed."""
    excluded: tuple[str, ...]
    """Paths left out because an exclude pattern matched them."""
    git: GitFacts
    options: RunOptions = field(default_factory=RunOptions)
    cores: Cores = field(init=False, repr=False, compare=False)
    """How many scanner processes may run at once (`options.jobs` slots)."""
    _digests: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "cores", Cores(self.options.jobs))
        object.__setattr__(self, "_digests", {})

    def path(self, rel: str) -> Path:
        """Absolute path of a repository file, refusing anything that leaves the tree."""
        candidate = self.root / rel
        resolved = candidate.resolve()
        if resolved != self.root and self.root not in resolved.parents:
            raise ValueError(f"{rel!r} resolves outside the target")
        return candidate

    def read_bytes(self, rel: str, limit: int = DEFAULT_READ_LIMIT) -> bytes:
        """Up to `limit` bytes of a regular file; never through a symlink."""
        with os.fdopen(self._open_regular(rel), "rb") as handle:
            return handle.read(limit)

    def _open_regular(self, rel: str) -> int:
        """A read-only descriptor of a regular repository file (ValueError when it is not)."""
        fd = open_beneath(self.root, rel, _READ)
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise ValueError(f"{rel!r} is not a regular file")
        return fd

    def stat(self, rel: str) -> os.stat_result:
        """The file's status, found beneath the root (any depth, never through a symlink)."""
        fd = open_beneath(self.root, rel, _READ)
        try:
            return os.fstat(fd)
        finally:
            os.close(fd)

    def read_text(self, rel: str, limit: int = DEFAULT_READ_LIMIT) -> str:
        """Decoded text of a file (undecodable bytes replaced)."""
        return self.read_bytes(rel, limit).decode("utf-8", "replace")

    def sha256(self, rel: str, *, fresh: bool = False) -> str:
        """SHA-256 of a whole repository file, read once per run unless `fresh`.

        Every check that digests a file then names the same content; `fresh` reads it again
        (to notice a file edited while a tool was reading it).
        """
        if not fresh and rel in self._digests:
            return self._digests[rel]
        digest = hashlib.sha256()
        with os.fdopen(self._open_regular(rel), "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        self._digests[rel] = digest.hexdigest()
        return self._digests[rel]

    def matching(self, patterns: Iterable[str]) -> list[str]:
        """Files whose own path a gitignore pattern list matches (baseline/globs.py), case
        folded: `SECURITY.md` and `security.md` are the same evidence; `/name` is the root's
        only; a folder named `security` does not make every file in it a policy."""
        globs = compiled(tuple(patterns), ignore_case=True)
        return [f for f in self.files if globs.match(f, own=True)]


def is_excluded(rel: str, excludes: Sequence[str], *, is_dir: bool = False) -> bool:
    """Whether a path (a folder when `is_dir`), or a folder above it, is excluded by the
    patterns (gitignore rules, baseline/globs.py)."""
    return bool(excludes) and compiled(tuple(excludes)).match(rel, is_dir=is_dir)


def open_beneath(root: Path, rel: str, flags: int = os.O_RDONLY) -> int:
    """A file descriptor for root/rel at any depth, never through a symlink or `..`.

    One folder at a time, each opened relative to the last with O_NOFOLLOW: no component can
    be a link out of the tree, and no path is ever longer than one name (trees nested deeper
    than PATH_MAX still open).
    """
    parts = rel.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"{rel!r} is not a plain repository path")
    if not _NOFOLLOW:  # no O_NOFOLLOW on this platform: check where the path leads instead
        resolved = (root / rel).resolve()
        if root.resolve() not in resolved.parents:
            raise ValueError(f"{rel!r} resolves outside the target")
    fd = os.open(root, os.O_RDONLY | _DIRECTORY)
    try:
        for part in parts[:-1]:
            child = os.open(part, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = child
        return os.open(parts[-1], flags | _NOFOLLOW, dir_fd=fd)
    finally:
        os.close(fd)


def _scan(root: Path, rel_dir: str) -> list[os.DirEntry[str]]:
    if not rel_dir:
        with os.scandir(root) as entries:
            return list(entries)
    fd = open_beneath(root, rel_dir, os.O_RDONLY | _DIRECTORY)
    try:
        with os.scandir(fd) as entries:
            return list(entries)
    finally:
        os.close(fd)


def walk(
    root: Path, excludes: Sequence[str], start: str = ""
) -> tuple[list[str], list[str], list[str]]:
    """Regular files, symlinks and excluded paths under root (or its folder `start`); no
    recursion, no link-following."""
    files: list[str] = []
    links: list[str] = []
    excluded: list[str] = []
    globs = compiled(tuple(excludes))
    states = globs.start()
    for name in start.split("/") if start else ():
        states = globs.step(states, name, is_dir=True)[1]
    pending = [(start, states)]
    while pending:  # an explicit stack: deeply nested trees must not hit the recursion limit
        rel_dir, states = pending.pop()
        try:
            entries = _scan(root, rel_dir)
        except OSError:
            continue
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            is_dir = entry.is_dir(follow_symlinks=False)
            # Each folder's match state is carried to its entries: a name is read once, not
            # once per entry below it (a 1,500-folder-deep tree stays linear).
            hit, below = globs.step(states, entry.name, is_dir=is_dir) if excludes else (False, ())
            if hit:
                excluded.append(rel)
            elif entry.is_symlink():
                links.append(rel)
            elif is_dir:
                if entry.name not in SKIPPED_DIRS:
                    pending.append((rel, below))
            elif entry.is_file(follow_symlinks=False):
                files.append(rel)
    return sorted(files), sorted(links), sorted(excluded)


def excluded_files(ctx: Context) -> list[tuple[str, str]]:
    """(file, pattern) for every regular file the run's exclude patterns left out.

    The walk does not descend into excluded folders; this does, on demand, so that a check
    whose scope was emptied by an exclusion can say how much it did not look at.
    """
    found: list[tuple[str, str]] = []
    for rel in ctx.excluded:
        if rel.rsplit("/", 1)[-1] in SKIPPED_DIRS:
            continue
        try:
            mode = os.lstat(ctx.root / rel).st_mode
        except OSError:
            continue
        globs = compiled(tuple(ctx.options.excludes))
        pattern = globs.deciding(rel, is_dir=stat.S_ISDIR(mode)) or ""
        if stat.S_ISREG(mode):
            found.append((rel, pattern))
        elif stat.S_ISDIR(mode):
            found.extend((f, pattern) for f in walk(ctx.root, (), rel)[0])
    return found


def git_facts(root: Path, timeout: float = 30) -> GitFacts:
    """Commit, shallow and detached state of the repository containing root.

    The repository is found without running git, and git never reads its config (tools.git).
    """
    try:
        location = gitrun.locate(root)
    except gitrun.GitLayoutError as exc:
        return GitFacts(is_repo=False, reason=f"not a git repository we can read: {exc}")
    if location is None:
        return GitFacts(is_repo=False, reason="not a git repository")

    runs: list[ToolRun] = []

    def git(*args: str, with_index: bool = False, strip: bool = True) -> str | None:
        done = gitrun.run_git(location, args, cwd=root, timeout=timeout, with_index=with_index)
        runs.append(done.run)
        if done.killed_by_signal:
            raise ToolError("git", f"killed by signal {done.killed_by_signal}")
        if done.run.exit_code not in (0, 1, 128):  # 1: "no such ref", 128: "not a repository"
            said = (done.stderr.decode("utf-8", "replace").strip().splitlines() or [""])[0]
            raise ToolError("git", f"failed with exit code {done.run.exit_code}: {said[:200]}")
        if done.run.exit_code != 0:
            return None
        text = done.stdout.decode("utf-8", "replace")
        return text.strip() if strip else text  # status lines start with a meaningful space

    try:
        toplevel = git("rev-parse", "--show-toplevel")
        if toplevel is None:
            return GitFacts(is_repo=False, reason="not a git repository")
        commit = git("rev-parse", "--verify", "-q", "HEAD^{commit}")
        # A garbled answer (a broken or fake git) must not become the recorded commit.
        if Path(toplevel).resolve() != location.toplevel or (
            commit and not _COMMIT.fullmatch(commit)
        ):
            raise ToolError("git", f"gave an unexpected answer ({toplevel!r}, {commit!r})")
        shallow = git("rev-parse", "--is-shallow-repository") == "true"
        branch = git("symbolic-ref", "-q", "--short", "HEAD")
        status = (
            git(
                "status",
                "--porcelain=v1",
                "-z",
                "--untracked-files=all",
                "--ignore-submodules=all",
                "--",
                ".",
                with_index=True,
                strip=False,
            )
            if commit
            else ""
        )
    except ToolError as exc:
        return GitFacts(is_repo=False, reason=str(exc))
    return GitFacts(
        is_repo=True,
        commit=commit or None,
        toplevel=location.toplevel,
        subdir=_subdir(root, location.toplevel),
        shallow=shallow,
        detached=branch is None and bool(commit),
        reason="" if commit else "the repository has no commits yet",
        branch=branch or None,
        remote_url=normalize_remote(gitrun.origin_url(root)),
        changed=porcelain_paths(status or ""),
        runs=tuple(runs),
    )


def _subdir(root: Path, toplevel: Path) -> str:
    top = toplevel.resolve()
    resolved = root.resolve()
    return "" if top == resolved else os.path.relpath(resolved, top).replace(os.sep, "/")


def porcelain_paths(output: str) -> tuple[str, ...]:
    """The paths of `git status --porcelain=v1 -z` (a rename's new and old path both)."""
    records = output.split("\0")
    paths: list[str] = []
    at = 0
    while at < len(records):
        record = records[at]
        at += 1
        if len(record) < 4:
            continue
        paths.append(record[3:])
        if record[0] in "RC":  # the source path follows as its own record
            if at < len(records) and records[at]:
                paths.append(records[at])
            at += 1
    return tuple(sorted(set(paths)))


def build_context(target: Path, display: str, options: RunOptions) -> Context:
    """Read the target's file list and git facts once."""
    root = target.resolve()
    if not root.is_dir():
        raise InputError.single(str(target), "", "the target is not a directory")
    too_many = problems(options.excludes)  # before any matching: each one meets every path
    if too_many:
        raise InputError.single("--exclude", "", "; ".join(too_many))
    files, links, excluded = walk(root, options.excludes)
    return Context(
        root=root,
        display=display,
        files=tuple(files),
        symlinks=tuple(links),
        excluded=tuple(excluded),
        git=git_facts(root),
        options=options,
    )
