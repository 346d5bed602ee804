"""Git on a hostile repository: git never reads the repository's own configuration.

A repository's `.git/config` (and every file it includes) can name programs that git starts
on its own: `filter.<x>.clean`/`process` (run by `git status` whenever stat data differs, as
it always does after `cp -a` or `tar x`), `core.fsmonitor`, hooks and `core.hooksPath`,
`diff.<x>.textconv`, `diff.external`, pagers, `core.sshCommand`, `core.askPass`, credential
helpers, `gpg.*program`, `core.alternateRefsCommand`, `uploadpack.packObjectsHook`, aliases,
and a submodule's own git dir brings its own config. Overriding each with `-c` is a list that
git keeps growing, so instead we never let git see that config at all:

- `locate` finds the git dir ourselves, without running git: walk up from the target for
  `.git` (a folder, or a `gitdir:` file), follow a linked worktree's `commondir`, and refuse
  anything else with a reason.
- `run_git` runs git with an explicit GIT_DIR: a private *shadow* git dir in a temporary
  folder with a config we write (only a validated `repositoryformatversion`,
  `extensions.objectformat` and `extensions.refstorage` are carried over), links to the real
  refs, packed-refs, reftable and shallow files, the real object store named by
  GIT_OBJECT_DIRECTORY, a copy of HEAD and a copy of the index (so `git status` may refresh an
  index, but only ours), and GIT_WORK_TREE the real top level. Every other inherited GIT_*
  variable is dropped (a GIT_DIR or GIT_INDEX_FILE from a surrounding hook must not redirect
  us); the operator's global config is still read (the operator is trusted).
- Because GIT_DIR is explicit, git's ownership check (`safe.directory`) does not apply: that
  check protects against exactly the config we no longer read, so a tree owned by another
  user (an auditor's copy) is read without `safe.directory=*`.
- `origin_url` reads `remote.origin.url` from the repository's config as data, with a small
  reader of git's config syntax (includes are not followed): it is never given to git.

Fixed `-c` settings stay as a second wall: no hooks, no fsmonitor, no pager, no external
diff, no submodule recursion (callers of `status` add `--ignore-submodules=all`).
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from baseline.errors import ToolError
from baseline.toolrun import Completed, run_tool

PINNED = (
    "-c", "core.fsmonitor=false",
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.pager=cat",
    "-c", "diff.external=",
    "-c", "submodule.recurse=false",
)  # fmt: skip
"""Fixed settings on every call; none of them is `safe.directory`."""

_SMALL_FILE = 64 * 1024  # HEAD, a gitdir: file, commondir
_CONFIG_LIMIT = 1024 * 1024
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_FORMATS = {"objectformat": ("sha1", "sha256"), "refstorage": ("files", "reftable")}
_KEEP_ENV = frozenset({"GIT_EXEC_PATH"})
# Shared files a git dir may hold beside its config; linked into the shadow when present.
_COMMON_LINKS = ("refs", "packed-refs", "reftable", "shallow")


class GitLayoutError(ValueError):
    """The git dir of the target is laid out in a way we refuse to read (the reason)."""


@dataclass(frozen=True)
class GitLocation:
    """Where a repository's parts are, found without running git."""

    toplevel: Path
    """The working tree's top folder (where `.git` was found)."""
    git_dir: Path
    """The worktree's own git dir (HEAD, index)."""
    common_dir: Path
    """The shared git dir (config, objects, refs); `git_dir` except in linked worktrees."""


def _open_regular(path: Path) -> int:
    """A read-only descriptor of a regular file, never through a link, a FIFO or a device."""
    fd = os.open(path, os.O_RDONLY | _NONBLOCK | _NOFOLLOW)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise GitLayoutError(f"{path} is not a regular file")
    return fd


def _read_small(path: Path, limit: int = _SMALL_FILE) -> bytes:
    """A regular file's bytes, never through a link, a FIFO or a device."""
    with os.fdopen(_open_regular(path), "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise GitLayoutError(f"{path} is larger than {limit} bytes")
    return data


def _pointer(path: Path, prefix: str = "") -> Path:
    """The folder a `gitdir: X` file or a `commondir` file names (relative to its folder)."""
    text = _read_small(path).decode("utf-8", "surrogateescape").strip()
    if prefix:
        if not text.startswith(prefix):
            raise GitLayoutError(f"{path} does not start with {prefix.strip()!r}")
        text = text[len(prefix) :].strip()
    if not text or "\n" in text or "\0" in text:
        raise GitLayoutError(f"{path} does not name one folder")
    return Path(os.path.normpath(path.parent / text))


def _git_dir(dot_git: Path) -> Path:
    mode = os.stat(dot_git).st_mode  # a linked `.git` is followed, as git does
    if stat.S_ISDIR(mode):
        return dot_git
    if stat.S_ISREG(mode) and not dot_git.is_symlink():
        return _pointer(dot_git, "gitdir:")
    raise GitLayoutError(f"{dot_git} is neither a folder nor a `gitdir:` file")


def locate(start: Path) -> GitLocation | None:
    """The repository containing `start` (an absolute, resolved folder), or None.

    Raises GitLayoutError for a `.git` we will not read (a broken pointer, no HEAD, ...).
    """
    for folder in (start, *start.parents):
        dot_git = folder / ".git"
        try:
            os.lstat(dot_git)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise GitLayoutError(f"{dot_git}: {exc.strerror}") from None
        try:
            git_dir = _git_dir(dot_git)
            if not (git_dir / "HEAD").is_file():
                raise GitLayoutError(f"{git_dir} has no HEAD file")
            common = git_dir
            if (git_dir / "commondir").exists():
                common = _pointer(git_dir / "commondir")
            if not (common / "objects").is_dir():
                raise GitLayoutError(f"{common} has no objects folder")
        except OSError as exc:
            raise GitLayoutError(f"{dot_git}: {exc.strerror or exc}") from None
        return GitLocation(toplevel=folder, git_dir=git_dir, common_dir=common)
    return None


# --- git's config syntax, read as data --------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "b": "\b", "\\": "\\", '"': '"'}
ConfigKey = tuple[str, str | None, str]


def parse_config(text: str) -> dict[ConfigKey, list[str]]:
    """Every `section[.subsection].key = value` of git config text, values in file order.

    Sections and keys are lower-cased; a quoted subsection keeps its case. Includes are not
    followed. Raises ValueError (with the line) on text git would reject.
    """
    values: dict[ConfigKey, list[str]] = {}
    section: tuple[str, str | None] | None = None
    i, n, line = 0, len(text), 1
    while i < n:
        char = text[i]
        if char == "\n":
            line += 1
            i += 1
        elif char in " \t\r":
            i += 1
        elif char in "#;":
            i = text.find("\n", i) if "\n" in text[i:] else n
        elif char == "[":
            end = text.find("]", i)
            if end == -1 or "\n" in text[i:end]:
                raise ValueError(f"line {line}: unterminated section header")
            section = _header(text[i + 1 : end], line)
            i = end + 1
        else:
            j = i
            while j < n and (text[j].isalnum() or text[j] == "-"):
                j += 1
            if j == i or section is None:
                raise ValueError(f"line {line}: expected a key in a section")
            key = text[i:j].lower()
            while j < n and text[j] in " \t":
                j += 1
            value = "true"
            if j < n and text[j] == "=":
                value, j, line = _value(text, j + 1, line)
            elif j < n and text[j] not in "\r\n#;":
                raise ValueError(f"line {line}: expected '=' after {key!r}")
            values.setdefault((section[0], section[1], key), []).append(value)
            i = j
    return values


def _header(body: str, line: int) -> tuple[str, str | None]:
    name, _, rest = body.strip().partition(" ")
    rest = rest.strip()
    if not rest:  # `[section]` or the old `[section.subsection]` (case-insensitive)
        head, _, sub = name.partition(".")
        return head.lower(), (sub.lower() if sub else None)
    if len(rest) < 2 or rest[0] != '"' or rest[-1] != '"':
        raise ValueError(f"line {line}: bad subsection in [{body}]")
    out, k = [], 1
    while k < len(rest) - 1:
        if rest[k] == "\\" and k + 1 < len(rest) - 1:
            k += 1
        out.append(rest[k])
        k += 1
    return name.lower(), "".join(out)


def _value(text: str, i: int, line: int) -> tuple[str, int, int]:
    out: list[str] = []
    quoted = False
    trailing = 0  # unquoted whitespace at the end, trimmed unless more text follows
    n = len(text)
    while i < n:
        char = text[i]
        if char == "\n" and not quoted:
            break
        if char == "\n":
            raise ValueError(f"line {line}: newline inside a quoted value")
        if char in "#;" and not quoted:
            i = text.find("\n", i) if "\n" in text[i:] else n
            break
        if char == '"':
            quoted, trailing = not quoted, 0
        elif char == "\\":
            nxt = text[i + 1] if i + 1 < n else ""
            if nxt == "\n":
                line += 1
            elif nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                trailing = 0
            else:
                raise ValueError(f"line {line}: bad escape in a value")
            i += 1
        elif char in " \t\r" and not quoted:
            if out:
                out.append(char)
                trailing += 1
        else:
            out.append(char)
            trailing = 0
        i += 1
    if quoted:
        raise ValueError(f"line {line}: unterminated quote")
    return "".join(out[: len(out) - trailing]), i, line


def read_config(location: GitLocation) -> dict[ConfigKey, list[str]]:
    """The repository's own config file, parsed as data (GitLayoutError if unreadable)."""
    path = location.common_dir / "config"
    try:
        text = _read_small(path, _CONFIG_LIMIT).decode("utf-8", "surrogateescape")
        return parse_config(text)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise GitLayoutError(f"{path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise GitLayoutError(f"{path}: {exc}") from None


def origin_url(start: Path) -> str | None:
    """`remote.origin.url` of the repository containing `start` (the last one, as git reads
    it), or None: no repository, no such key, or a config we refuse to read."""
    try:
        location = locate(start)
        if location is None:
            return None
        urls = read_config(location).get(("remote", "origin", "url"), [])
    except GitLayoutError:
        return None
    return urls[-1] if urls else None


def shadow_config(location: GitLocation) -> str:
    """The only config git will see: the repository format, validated, and nothing else."""
    config = read_config(location)
    version = (config.get(("core", None, "repositoryformatversion")) or ["0"])[-1].strip()
    if version not in ("0", "1"):
        raise GitLayoutError(f"repository format version {version!r} is not supported")
    lines = ["[core]", f"\trepositoryformatversion = {version}", "\tbare = false"]
    extensions = []
    for name, allowed in _FORMATS.items():
        given = config.get(("extensions", None, name))
        if version == "1" and given:
            value = given[-1].strip().lower()
            if value not in allowed:
                raise GitLayoutError(f"extensions.{name} = {value!r} is not one of {allowed}")
            extensions.append(f"\t{name} = {value}")
    if extensions:
        lines += ["[extensions]", *extensions]
    return "\n".join(lines) + "\n"


def _build_shadow(location: GitLocation, shadow: Path, with_index: bool) -> None:
    (shadow / "config").write_text(shadow_config(location), encoding="utf-8")
    (shadow / "HEAD").write_bytes(_read_small(location.git_dir / "HEAD"))
    for name in _COMMON_LINKS:
        if (location.common_dir / name).exists():
            (shadow / name).symlink_to(location.common_dir / name)
    if not (shadow / "refs").exists():
        (shadow / "refs").mkdir()
    if not with_index:
        return
    # The index is copied: git may rewrite its copy (refreshed stat data), never the real one.
    # A split index keeps its shared part beside it.
    for entry in os.scandir(location.git_dir):
        if entry.name == "index" or entry.name.startswith("sharedindex."):
            _copy_regular(Path(entry.path), shadow / entry.name)


def _copy_regular(source: Path, target: Path) -> None:
    with os.fdopen(_open_regular(source), "rb") as src, open(target, "wb") as dst:
        shutil.copyfileobj(src, dst)


def _inherit(name: str) -> bool:
    return not name.startswith("GIT_") or name in _KEEP_ENV


def run_git(
    location: GitLocation,
    args: Sequence[str],
    *,
    cwd: Path,
    timeout: float,
    version: str = "",
    with_index: bool = True,
) -> Completed:
    """`git PINNED... args...` in `cwd` against a shadow of `location`'s git dir.

    `with_index=False` leaves the index out (for commands that never read it: a large
    repository's index is not copied for nothing).

    Raises ToolError if git is missing or times out, or if the git dir is one we refuse.
    """
    with tempfile.TemporaryDirectory(prefix="baseline-git-") as folder:
        shadow = Path(folder)
        try:
            _build_shadow(location, shadow, with_index)
        except GitLayoutError as exc:
            raise ToolError("git", f"refused to read the repository: {exc}") from None
        except OSError as exc:
            raise ToolError("git", f"could not read the repository: {exc}") from None
        env = {
            "GIT_DIR": str(shadow),
            "GIT_WORK_TREE": str(location.toplevel),
            "GIT_OBJECT_DIRECTORY": str(location.common_dir / "objects"),
            "GIT_CONFIG_NOSYSTEM": "1",
        }
        return run_tool("git", [*PINNED, *args], cwd=cwd, timeout=timeout, version=version,
                        env=env, inherit=_inherit)  # fmt: skip


def run_own_git(repo: Path, args: Sequence[str], *, timeout: float) -> Completed:
    """`git PINNED... args...` in a repository the tool made itself (baseline/tools/git_copy.py):
    its config is ours, so git reads it; inherited GIT_* variables are still dropped and the
    system config is not read."""
    env = {"GIT_DIR": str(repo / ".git"), "GIT_WORK_TREE": str(repo), "GIT_CONFIG_NOSYSTEM": "1"}
    return run_tool("git", [*PINNED, *args], cwd=repo, timeout=timeout, env=env,
                    inherit=_inherit)  # fmt: skip
