"""The one glob dialect: gitignore(5) patterns, bounded in size, matched in linear-ish time.

Every path pattern a person or a catalog writes (`--exclude`, the config's `excludes` and
`[scope]`, check parameters such as `test_paths`, `exclude` and `allow`, the file globs the
checks look for evidence with) is read here, with git's rules (gitignore(5), git's wildmatch):

- `*`, `?` and `[...]` never cross `/`; `**` as a whole segment matches zero or more folders
  (`**/x`, `a/**/b`), and a trailing `/**` one or more (everything inside, not the folder);
- a pattern with no slash, or only a trailing one, matches a name at any depth; a slash at the
  start or in the middle anchors it at the repository root (`/SECURITY.md`: the root only);
- a trailing `/` matches folders only; a folder that matches matches everything below it;
- in a list the last matching pattern wins and `!pattern` re-includes; as in git, nothing below
  an excluded folder can be re-included;
- `\\` escapes the next character; a blank entry, or one starting with `#`, matches nothing.

The checks that look for evidence files by name (context.Context.matching) ask `own=True`: the
pattern must match the file's path itself, not a folder above it.

Hand-written, not pathspec: pathspec's gitwildmatch compiles each pattern to one regex whose
`**` forms are nested optional groups, and its regex for `'**/a/' * 100 + '**'` did not finish
matching a 200-folder path in 30 s (exponential backtracking; pathspec 1.1.1, measured again:
still running after 15 s); a repository's config is hostile.
Here a pattern is split into segments: each `*`/`?`/`[...]` segment becomes a small regex whose
star runs cannot backtrack (fnmatch's lookahead trick), and the path is matched segment by
segment with a set of live positions (an NFA): O(path segments x pattern segments) whatever
the pattern. A pattern with at most one `**` that is not trailing, the common case, is also
compiled into one regex for a whole list (one `**` backtracks at most once per folder);
tests/test_globs.py checks both paths against each other, against pathspec and against git.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

MAX_PATTERN_CHARS = 1000
"""Longest glob accepted; real excludes are a few dozen characters."""
MAX_PATTERNS = 1000
"""Most globs accepted in one list (every path of the tree is matched against each)."""

_GLOBSTAR = None
"""A `**` segment in `_Pattern.segments`."""
_NEVER = r"(?!)"
_CLASSES = {
    "alnum": "a-zA-Z0-9",
    "alpha": "a-zA-Z",
    "blank": r" \t",
    "cntrl": r"\x00-\x1f\x7f",
    "digit": "0-9",
    "graph": r"\x21-\x7e",
    "lower": "a-z",
    "print": r"\x20-\x7e",
    "punct": r"!-/:-@\[-`{-~",
    "space": r" \t\n\r\f\v",
    "upper": "A-Z",
    "xdigit": "0-9A-Fa-f",
}
_names = itertools.count()


class _Malformed(ValueError):
    """A pattern git would never match (unterminated `[`, trailing `\\`, unknown class)."""


def _class(text: str, at: int) -> tuple[str, int]:
    """The regex of the `[...]` set starting at text[at] and the index after its `]`.

    Read as git's wildmatch reads it: `!` or `^` first negates, a `]` first is literal, `\\`
    escapes, `a-z` is a range (an inverted one matches nothing), `[:alpha:]` a class.
    """
    at += 1
    negated = at < len(text) and text[at] in "!^"
    at += negated
    items: list[str] = []
    first = True
    previous: str | None = None
    while first or text[at] != "]":
        first = False
        if at >= len(text):
            raise _Malformed("an unterminated `[`")
        char = text[at]
        if char == "\\":
            at += 1
            if at >= len(text):
                raise _Malformed("a trailing `\\`")
            char = text[at]
        elif char == "-" and previous and at + 1 < len(text) and text[at + 1] != "]":
            at += 1
            end = text[at]
            if end == "\\":
                at += 1
                if at >= len(text):
                    raise _Malformed("a trailing `\\`")
                end = text[at]
            items.pop()
            if previous <= end:
                items.append(f"{re.escape(previous)}-{re.escape(end)}")
            previous = None
            at += 1
            if at >= len(text):
                raise _Malformed("an unterminated `[`")
            continue
        elif char == "[" and text.startswith(":", at + 1):
            close = text.find(":]", at + 2)
            if close >= 0:
                name = text[at + 2 : close]
                if name not in _CLASSES:
                    raise _Malformed(f"an unknown character class `[:{name}:]`")
                items.append(_CLASSES[name])
                previous = None
                at = close + 2
                if at >= len(text):
                    raise _Malformed("an unterminated `[`")
                continue
        items.append(re.escape(char))
        previous = char
        at += 1
        if at >= len(text):
            raise _Malformed("an unterminated `[`")
    body = "".join(items)
    if negated:
        return f"[^/{body}]", at + 1
    return (f"[{body}]" if body else _NEVER), at + 1


def _segment(text: str) -> str:
    """The regex (matched from the start of one name, to its end) for one pattern segment."""
    chunks: list[list[str]] = [[]]
    at = 0
    while at < len(text):
        char = text[at]
        if char == "*":
            while at < len(text) and text[at] == "*":
                at += 1
            chunks.append([])
            continue
        if char == "[":
            regex, at = _class(text, at)
            chunks[-1].append(regex)
            continue
        if char == "\\":
            at += 1
            if at >= len(text):
                raise _Malformed("a trailing `\\`")
            char = text[at]
            chunks[-1].append(re.escape(char))
        elif char == "?":
            chunks[-1].append("[^/]")
        else:
            chunks[-1].append(re.escape(char))
        at += 1
    parts = ["".join(chunk) for chunk in chunks]
    if len(parts) == 1:
        return parts[0]
    # Each middle chunk at its first occurrence, then never revisited (an atomic group, spelled
    # as fnmatch spells it for Python 3.10): runs of `*` cannot backtrack into each other.
    middle = ""
    for chunk in parts[1:-1]:
        name = f"g{next(_names)}"
        middle += f"(?=(?P<{name}>[^/]*?{chunk}))(?P={name})"
    return f"{parts[0]}{middle}[^/]*{parts[-1]}"


def _fresh(source: str) -> str:
    """The regex with its group names renewed: one list may hold a pattern twice."""
    names: dict[str, str] = {}

    def rename(found: re.Match[str]) -> str:
        new = names.setdefault(found[1], f"g{next(_names)}")
        return found[0].replace(found[1], new)

    return re.sub(r"\(\?P[<=](g\d+)", rename, source)


def _strip_trailing_spaces(text: str) -> str:
    # gitignore drops trailing spaces unless the last one is escaped with a backslash.
    stripped = text.rstrip(" ")
    if stripped != text and stripped.endswith("\\") and not stripped.endswith("\\\\"):
        return stripped + " "
    return stripped


@dataclass(frozen=True)
class _Pattern:
    """One gitignore pattern, parsed."""

    text: str
    negated: bool
    dir_only: bool
    anchored: bool
    segments: tuple[str | None, ...]
    """Regex sources, `_GLOBSTAR` (None) for `**`; runs of `**` collapsed to one."""

    @property
    def never(self) -> bool:
        return not self.segments

    def source(self) -> str | None:
        """One regex for the whole path, or None when more than one `**` could backtrack."""
        inner = [i for i, s in enumerate(self.segments[:-1]) if s is _GLOBSTAR]
        if len(inner) > 1 or self.never:
            return None
        if not self.anchored:
            body = f"(?:.*/)?{self.segments[0]}"
        else:
            body = ""
            for index, segment in enumerate(self.segments):
                last = index == len(self.segments) - 1
                if segment is _GLOBSTAR:
                    body += ".+" if last else "(?:.*/)?"
                else:
                    body += segment + ("" if last else "/")
        return body

    def prefixes(self, parts: Sequence[str], flags: int) -> Iterator[int]:
        """Every k such that the first k parts of the path match (the folder or the file)."""
        if self.never:
            return
        if not self.anchored:
            regex = _compiled(self.segments[0] or "", flags)
            yield from (k + 1 for k, part in enumerate(parts) if regex.fullmatch(part))
            return
        state = self.start()
        for k, part in enumerate(parts):
            state, hit = self.step(state, part, flags)
            if hit:
                yield k + 1
            if not state:
                return

    def start(self) -> int:
        """The live positions before any name is read (bits); 0 for an unanchored pattern,
        which never needs them."""
        return _closures(self.segments)[0] if self.anchored and not self.never else 0

    def step(self, state: int, part: str, flags: int) -> tuple[int, bool]:
        """The live positions after reading one more name, and whether the path so far matches.

        Linear in the pattern's segments: the walk of a tree carries this from a folder to its
        entries, so a path is never read again from the root."""
        if self.never:
            return 0, False
        if not self.anchored:
            return 0, _compiled(self.segments[0] or "", flags).fullmatch(part) is not None
        final = len(self.segments)
        accept = 1 << final
        closures = _closures(self.segments)
        after = 0
        seen: dict[str, bool] = {}  # a segment repeated in the pattern is matched once
        live = state & ~accept
        while live:
            low = live & -live
            live ^= low
            i = low.bit_length() - 1
            segment = self.segments[i]
            if segment is _GLOBSTAR:
                after |= closures[i] | (accept if i == final - 1 else 0)
                continue
            hit = seen.get(segment)
            if hit is None:
                hit = seen[segment] = _compiled(segment, flags).fullmatch(part) is not None
            if hit:
                after |= closures[i + 1]
        return after, bool(after & accept)


@functools.lru_cache(maxsize=1024)
def _closures(segments: tuple[str | None, ...]) -> tuple[int, ...]:
    """Per position, the positions reachable from it without reading a name (as bits): a `**`
    that is not the last segment may match no folder at all."""
    found = [1 << len(segments)]
    for index in range(len(segments) - 1, -1, -1):
        bits = 1 << index
        if segments[index] is _GLOBSTAR and index < len(segments) - 1:
            bits |= found[0]
        found.insert(0, bits)
    return tuple(found)


@functools.lru_cache(maxsize=4096)
def _compiled(source: str, flags: int) -> re.Pattern[str]:
    return re.compile(source, flags | re.DOTALL)


@functools.lru_cache(maxsize=4096)
def _parse(pattern: str) -> _Pattern:
    """A pattern as git reads one line of a .gitignore; ValueError when git never matches it."""
    text = _strip_trailing_spaces(pattern)
    if not text or text.startswith("#"):
        return _Pattern(pattern, False, False, True, ())
    negated = text.startswith("!")
    text = text[1:] if negated else text
    dir_only = text.endswith("/")
    text = text[:-1] if dir_only else text
    anchored = "/" in text
    text = text.removeprefix("/") if anchored else text
    segments: list[str | None] = []
    for part in text.split("/"):
        if anchored and len(part) >= 2 and part == "*" * len(part):
            if segments and segments[-1] is _GLOBSTAR:
                continue  # `**/**` matches what `**` matches
            segments.append(_GLOBSTAR)
        else:
            segments.append(_segment(part))
    return _Pattern(pattern, negated, dir_only, anchored, tuple(segments))


def malformed(pattern: str) -> str | None:
    """Why git would never match this pattern (an unterminated `[`, ...); None when it is fine."""
    try:
        _parse(pattern)
    except _Malformed as error:
        return str(error)
    return None


def problems(patterns: Sequence[object]) -> list[str]:
    """Why a list of globs is refused (too many, too long, not text, malformed); empty when it
    is usable."""
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
        elif why := malformed(pattern):
            found.append(f"pattern [{index}] {pattern!r} has {why} (it could never match)")
    return found


def bounded(patterns: Iterable[str]) -> tuple[str, ...]:
    """The globs; ValueError (naming the limit) when the list is out of bounds or malformed."""
    listed = tuple(patterns)
    found = problems(listed)
    if found:
        raise ValueError("; ".join(found))
    return listed


class Globs:
    """A list of gitignore patterns, compiled once; `match` answers as `git check-ignore` does.

    `ignore_case` folds case (git's core.ignorecase), as the checks do when they look for
    evidence files such as `SECURITY.md`.
    """

    def __init__(self, patterns: Iterable[str], *, ignore_case: bool = False) -> None:
        self.patterns = bounded(patterns)
        self._parsed = tuple(_parse(p) for p in self.patterns)
        self._flags = re.IGNORECASE if ignore_case else 0
        sources = [p.source() for p in self._parsed]
        self._sources: list[tuple[_Pattern, str]] | None = None
        if not any(p.negated for p in self._parsed) and None not in sources:
            live = zip(self._parsed, sources, strict=True)
            self._sources = [(p, s) for p, s in dict.fromkeys(live) if s is not None]
        self._regexes: dict[tuple[bool, bool], re.Pattern[str]] = {}

    def _union(self, is_dir: bool, own: bool) -> re.Pattern[str]:
        """One regex for the list: PATTERN, then (unless `own`) nothing or `/anything`."""
        if (is_dir, own) not in self._regexes:
            options = []
            for pattern, source in self._sources or ():
                if pattern.dir_only and not is_dir:
                    tail = None if own else "/.*"
                else:
                    tail = "" if own else "(?:/.*)?"
                if tail is not None:
                    options.append(f"(?:{_fresh(source)}){tail}")
            self._regexes[is_dir, own] = _compiled("|".join(options) or _NEVER, self._flags)
        return self._regexes[is_dir, own]

    def match(self, path: str, *, is_dir: bool = False, own: bool = False) -> bool:
        """Whether a repository-relative POSIX path (a file, or a folder when `is_dir`) is
        matched: by the last pattern matching it or a folder above it, unless negated.

        `own`: only a pattern that matches the path itself counts, not one that matches a
        folder above it (a check looking for a `SECURITY.md` file does not want every file
        of a folder called `security`).
        """
        if self._sources is not None:
            return self._union(is_dir, own).fullmatch(path) is not None
        return self.deciding(path, is_dir=is_dir, own=own) is not None

    def deciding(self, path: str, *, is_dir: bool = False, own: bool = False) -> str | None:
        """The pattern that matches the path (None: not matched), for evidence."""
        parts = path.split("/")
        decided: list[_Pattern | None] = [None] * (len(parts) + 1)
        for pattern in self._parsed:
            for k in pattern.prefixes(parts, self._flags):
                if not (pattern.dir_only and k == len(parts) and not is_dir):
                    decided[k] = pattern
        if own:
            winner = decided[-1]
            return winner.text if winner and not winner.negated else None
        # The shallowest folder that stays matched decides: git never looks inside it.
        winner = next((p for p in decided if p is not None and not p.negated), None)
        return winner.text if winner else None

    def start(self) -> tuple[int, ...]:
        """Where a walk of the tree starts: one state per pattern (see `step`)."""
        return tuple(p.start() for p in self._parsed)

    def step(
        self, states: tuple[int, ...], name: str, *, is_dir: bool
    ) -> tuple[bool, tuple[int, ...]]:
        """Whether the entry `name` of a folder that is not matched is matched (the last
        pattern matching its own path decides), and the states to walk its entries with.

        As git walks: nothing below a matched folder is looked at, so only the entry's own
        path counts, and each name is read once whatever the depth.
        """
        after = []
        decided: _Pattern | None = None
        for pattern, state in zip(self._parsed, states, strict=True):
            state, hit = pattern.step(state, name, self._flags)
            after.append(state)
            if hit and not (pattern.dir_only and not is_dir):
                decided = pattern
        return decided is not None and not decided.negated, tuple(after)


@functools.lru_cache(maxsize=512)
def compiled(patterns: tuple[str, ...], ignore_case: bool = False) -> Globs:
    """The Globs for a list, cached (checks match the same lists against every file)."""
    return Globs(patterns, ignore_case=ignore_case)


def matches_any(path: str, patterns: Iterable[str], *, is_dir: bool = False) -> bool:
    """Whether the pattern list matches a path (or a folder above it); `!` re-includes."""
    return compiled(tuple(patterns)).match(path, is_dir=is_dir)


def glob_match(path: str, pattern: str) -> bool:
    """Whether one pattern matches a path (or a folder above it)."""
    return compiled((pattern,)).match(path)
