"""The one glob dialect for repository paths: `**/` any folder prefix, `/**` any suffix."""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Iterable


def glob_match(path: str, pattern: str) -> bool:
    """`**/` matches any folder prefix (or none), `/**` any suffix; other parts via fnmatch."""
    return _glob_regex((pattern,)).fullmatch(path) is not None


def matches_any(path: str, patterns: Iterable[str]) -> bool:
    """Whether a repository path matches any glob."""
    return _glob_regex(tuple(patterns)).fullmatch(path) is not None


def _glob_source(pattern: str) -> str:
    # fnmatch's own translation (`*` crosses `/`), then the two `**` forms as alternatives:
    # "**/rest" also matches "rest" at the top, "base/**" matches anything below a folder
    # matching "base".
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
    return re.compile("|".join(f"(?:{_glob_source(p)})" for p in patterns), re.DOTALL)
