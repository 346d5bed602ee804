"""Which files the SAST tools scan, and what in those files silences them.

Everything here reads the target as text through the Context (no symlinks, nothing outside the
tree) and never executes it.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Sequence

from baseline.context import Context
from baseline.globs import glob_match as glob_match
from baseline.globs import matches_any as matches_any
from baseline.models import Finding, Scope, Suppression
from baseline.scope import DEFAULT_RULES

# Test code and fixtures as the one scope module defines them (baseline/scope.py).
DEFAULT_TEST_PATHS = DEFAULT_RULES.patterns(Scope.FIXTURE, Scope.TEST)

SNIPPET_LIMIT = 200

# Markers that tell a tool to ignore a line (read as text, never executed).
NOSEC = re.compile(r"#\s*nosec\b(?P<rest>[^#\n]*)", re.IGNORECASE)
NOSEMGREP = re.compile(r"(?:#|//|/\*|<!--|--|;)\s*nosemgrep\b(?P<rest>[^\n]*)", re.IGNORECASE)


def select_targets(
    ctx: Context,
    wanted: Callable[[str], bool],
    excludes: Sequence[str],
    tests: Sequence[str] | None,
) -> tuple[list[str], list[Suppression]]:
    """Files the tool should scan, and a suppression for each file an exclusion removed.

    `tests` are test-path globs to leave out (None keeps test code in the scan).
    """
    targets: list[str] = []
    dropped = [
        Suppression("path-exclude", rel, None, "excluded from the whole run (--exclude)")
        for rel in ctx.excluded
    ]
    for rel in ctx.files:
        if not wanted(rel):
            continue
        if matches_any(rel, excludes):
            dropped.append(Suppression("path-exclude", rel, None, "matched the `exclude` globs"))
        elif tests is not None and matches_any(rel, tests):
            dropped.append(Suppression("test-path-exclude", rel, None, "test code not scanned"))
        else:
            targets.append(rel)
    return targets, dropped


def marker_suppressions(
    ctx: Context, files: Iterable[str], kind: str, marker: re.Pattern[str], needle: str
) -> list[Suppression]:
    """Every ignore marker (`# nosec`, `nosemgrep`) in the scanned files, with its line.

    `needle` is a lower-case word every match contains, to skip files without one quickly.
    """
    found: list[Suppression] = []
    word = needle.encode("ascii")
    for rel in files:
        try:
            data = ctx.read_bytes(rel)
        except (OSError, ValueError):
            continue
        if word not in data.lower():
            continue  # fast path: most files carry no marker (bytes: no decoding needed)
        text = data.decode("utf-8", "replace")
        for number, line in enumerate(text.splitlines(), start=1):
            match = marker.search(line)
            if match:
                detail = (match.group("rest") or "").strip(" :") or "all rules"
                found.append(Suppression(kind, rel, number, detail[:SNIPPET_LIMIT]))
    return found


class SourceLines:
    """Lines of scanned files, read once, for snippets and fingerprints."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._cache: dict[str, list[str]] = {}

    def line(self, rel: str, number: int | None) -> str:
        """The stripped source line (empty when unknown or unreadable)."""
        if rel not in self._cache:
            try:
                self._cache[rel] = self._ctx.read_text(rel).splitlines()
            except (OSError, ValueError):
                self._cache[rel] = []
        lines = self._cache[rel]
        if number is None or not 1 <= number <= len(lines):
            return ""
        return lines[number - 1].strip()


def digests_of(ctx: Context, findings: Iterable[Finding]) -> dict[str, str]:
    """SHA-256 of each file a finding points into (unreadable files are left out)."""
    out: dict[str, str] = {}
    for path in sorted({f.path for f in findings}):
        with contextlib.suppress(OSError, ValueError):
            out[path] = ctx.sha256(path)
    return out
