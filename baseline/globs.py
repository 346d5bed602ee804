"""Glob patterns from a user or a (hostile) repository: bounded in size, matched in linear time.

Three dialects share these bounds: run excludes (`fnmatch`, `*` crosses `/`), check globs such
as `test_paths` (`fnmatch` plus `**/` and `/**`, checks/sast_files.py) and catalog file globs
(`*` within one folder, context.Context.matching). Each is translated segment by segment or
through `fnmatch` (whose regex matches runs of `*` without backtracking), and the `**/` and
`/**` forms of the check dialect are collapsed first (`normalize`): `'**/' * 22 + '**'` once
built a regex of several gigabytes. pathspec (gitwildmatch) was measured and not chosen: it
compiles that payload to a tiny regex, but its regex for `'**/a/' * 100 + '**'` did not finish
matching a 200-folder path in 30 s (nested optional groups backtrack exponentially).
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Iterable, Sequence

MAX_PATTERN_CHARS = 1000
"""Longest glob accepted; real excludes are a few dozen characters."""
MAX_PATTERNS = 1000
"""Most globs accepted in one list (every path of the tree is matched against each)."""

_LEADING = re.compile(r"^(?:\*\*/)+")
_TRAILING = re.compile(r"(?:/\*\*)+$")
_STARS = re.compile(r"\*{3,}")


def normalize(pattern: str) -> str:
    """A check glob with a leading run of `**/` and a trailing run of `/**` collapsed to one.

    A leading run matches what one `**/` matches; a trailing `/**/**` now matches what `/**`
    matches (anything below the folder), as in gitignore.
    """
    pattern = _STARS.sub("**", pattern)
    pattern = _TRAILING.sub("/**", _LEADING.sub("**/", pattern))
    return "**" if pattern == "**/**" else pattern


def problems(patterns: Sequence[object]) -> list[str]:
    """Why a list of globs is refused (too many, too long, not text); empty when it is usable."""
    found: list[str] = []
    if len(patterns) > MAX_PATTERNS:
        found.append(f"{len(patterns)} patterns; at most {MAX_PATTERNS} are accepted")
    for index, pattern in enumerate(patterns):
        if not isinstance(pattern, str):
            found.append(f"pattern [{index}] is not a string")
        elif len(pattern) > MAX_PATTERN_CHARS:
            found.append(
                f"pattern [{index}] is {len(pattern)} characters long; "
                f"at most {MAX_PATTERN_CHARS} are accepted"
            )
    return found


def bounded(patterns: Iterable[str]) -> tuple[str, ...]:
    """The globs; ValueError (naming the limit) when the list is out of bounds."""
    listed = tuple(patterns)
    found = problems(listed)
    if found:
        raise ValueError("; ".join(found))
    return listed


def folder_match(rel: str, patterns: Sequence[str]) -> bool:
    """Whether `rel`, or a folder above it, matches a glob (`fnmatch`: `*` crosses `/`)."""
    if not patterns:  # the prefixes below cost O(depth^2) on deeply nested trees
        return False
    parts = rel.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    compiled = [_fnmatch_regex(p.rstrip("/")) for p in patterns]
    return any(regex.match(prefix) for regex in compiled for prefix in prefixes)


@functools.lru_cache(maxsize=1024)
def _fnmatch_regex(pattern: str) -> re.Pattern[str]:
    # fnmatch's own translation: runs of `*` in one group each, matched without backtracking.
    return re.compile(fnmatch.translate(pattern))


class SegmentGlob:
    """A glob whose `*`, `?` and `[...]` stay within one path segment; a leading `**/` matches
    any number of folders (including none). Matched segment by segment: linear in the path."""

    def __init__(self, pattern: str) -> None:
        body = _LEADING.sub("", pattern)
        self.anywhere = body != pattern
        self.segments = tuple(_fnmatch_regex(s) for s in body.split("/"))

    def fullmatch(self, path: str) -> bool:
        """Whether the whole repository path matches."""
        parts = path.split("/")
        count = len(self.segments)
        if len(parts) < count or (len(parts) != count and not self.anywhere):
            return False
        tail = parts[len(parts) - count :]
        return all(regex.match(part) for regex, part in zip(self.segments, tail, strict=True))


def glob_match(path: str, pattern: str) -> bool:
    """`**/` matches any folder prefix (or none), `/**` any suffix; other parts via fnmatch."""
    return _glob_regex((pattern,)).fullmatch(path) is not None


def matches_any(path: str, patterns: Iterable[str]) -> bool:
    """Whether a repository path matches any glob."""
    return _glob_regex(tuple(patterns)).fullmatch(path) is not None


def _glob_source(pattern: str) -> str:
    # Runs of `**/` (`/**`) collapsed first: each end recurses, so the regex would double with
    # every `**` at both ends (`'**/' * 22 + '**'`: gigabytes). Then fnmatch's own translation
    # (`*` crosses `/`), and the two `**` forms as alternatives:
    # "**/rest" also matches "rest" at the top, "base/**" matches anything below a folder
    # matching "base".
    pattern = normalize(pattern)
    options = [fnmatch.translate(pattern).removesuffix(r"\Z")]
    if pattern.startswith("**/"):
        options.append(_glob_source(pattern[3:]))
    if pattern.endswith("/**"):
        options.append(f"(?:{_glob_source(pattern[:-3])})/.*")
    return "|".join(f"(?:{option})" for option in options)


@functools.lru_cache(maxsize=256)
def _glob_regex(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for any of the globs, compiled once (checks match thousands of paths)."""
    if not patterns:
        return re.compile(r"(?!)")
    bounded(patterns)  # ValueError past the limits: the check reports an error
    return re.compile("|".join(f"(?:{_glob_source(p)})" for p in patterns), re.DOTALL)
