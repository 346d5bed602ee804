"""Which files the SAST tools scan, and what in those files silences them.

Everything here reads the target as text through the Context (no symlinks, nothing outside the
tree) and never executes it.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from baseline.checks import memo
from baseline.checks.interface import Param
from baseline.context import Context, excluded_files
from baseline.globs import compiled
from baseline.globs import glob_match as glob_match
from baseline.globs import matches_any as matches_any
from baseline.models import Evidence, Finding, Scope, Suppression
from baseline.scope import DEFAULT_RULES, layout_path

# Test code and fixtures as the one scope module defines them (baseline/scope.py).
DEFAULT_TEST_PATHS = DEFAULT_RULES.patterns(Scope.FIXTURE, Scope.TEST)
TEST_PATHS_PARAM = Param(
    list, list(DEFAULT_TEST_PATHS), "globs that identify test code", patterns=True
)
"""`test_paths` of bandit and semgrep: gitignore patterns, checked when the catalog is read."""

SNIPPET_LIMIT = 200

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Default per-file limit for the scanners. Hand-written source is far smaller (CPython's
largest module is under 1 MiB); generated code below it is still scanned; above it bandit's
memory grows to several times the file (a 2 GB file took 6 GB and 10 minutes). semgrep's own
limit (1 MB by default, skipped silently) is set to the same number, so one limit applies and
every file over it is reported."""
MAX_FILE_BYTES_CAP = 64 * 1024 * 1024
"""The highest limit a catalog or a repository's config may set: a repository must not be able to
send a multi-gigabyte (sparse) file to the scanners by raising the limit."""
MAX_FILE_BYTES_PARAM = Param(
    int, MAX_FILE_BYTES, "files larger than this are not scanned (needs_review)",
    bounds=(1, MAX_FILE_BYTES_CAP),
)  # fmt: skip
OVERSIZED = "size-limit"
"""Suppression kind of a file not analyzed because it is over the size limit."""

# Markers that tell a tool to ignore a line (read as text, never executed).
NOSEC = re.compile(r"#\s*nosec\b(?P<rest>[^#\n]*)", re.IGNORECASE)
NOSEMGREP = re.compile(r"(?:#|//|/\*|<!--|--|;)\s*nosemgrep\b(?P<rest>[^\n]*)", re.IGNORECASE)


def in_test_paths(rel: str, patterns: Sequence[str]) -> bool:
    """Whether a path is test code by these globs, read as the scope reads paths (a JVM
    package folder named `testing` is not a test folder: baseline/scope.py layout_path)."""
    return matches_any(layout_path(rel), patterns)


def select_targets(
    ctx: Context,
    wanted: Callable[[str], bool],
    excludes: Sequence[str],
    tests: Sequence[str] | None,
    max_bytes: int | None = None,
) -> tuple[list[str], list[Suppression]]:
    """Files the tool should scan, and a suppression for each file an exclusion removed.

    `tests` are test-path globs to leave out (None keeps test code in the scan); a file over
    `max_bytes` (its size from fstat: a sparse file is never read) is left out too,
    as an `OVERSIZED` suppression.
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
        elif tests is not None and in_test_paths(rel, tests):
            dropped.append(Suppression("test-path-exclude", rel, None, "test code not scanned"))
        elif max_bytes is not None and (size := _size(ctx, rel)) > max_bytes:
            why = f"{human_bytes(size)}, over the {human_bytes(max_bytes)} limit: not analyzed"
            dropped.append(Suppression(OVERSIZED, rel, None, why))
        else:
            targets.append(rel)
    return targets, dropped


def _size(ctx: Context, rel: str) -> int:
    try:
        return ctx.stat(rel).st_size
    except OSError:
        return 0  # gone since the walk: the tool reports it


def human_bytes(size: int) -> str:
    """`5 MiB`, `2.0 GiB`, `812 bytes`: binary units, one decimal above MiB."""
    if size < 1024:
        return f"{size} bytes"
    for unit, power in (("GiB", 3), ("MiB", 2), ("KiB", 1)):
        value = size / 1024**power
        if value >= 1:
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size} bytes"  # pragma: no cover - unreachable


def oversized_note(suppressions: Iterable[Suppression], max_bytes: int) -> str | None:
    """ "3 files over 5 MiB were not analyzed: a.py (2.0 GiB), ..." or None when there is none."""
    big = [s for s in suppressions if s.kind == OVERSIZED]
    if not big:
        return None
    shown = ", ".join(f"{s.path} ({s.detail.split(',', 1)[0]})" for s in big[:5])
    more = f" and {len(big) - 5} more" if len(big) > 5 else ""
    files, verb = ("file", "was") if len(big) == 1 else ("files", "were")
    return (
        f"{len(big)} {files} over {human_bytes(max_bytes)} {verb} not analyzed: {shown}{more} "
        "(raise `max_file_bytes` or exclude them)"
    )


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


def narrowed_by_exclusion(
    ctx: Context, wanted: Callable[[str], bool], param_excludes: Sequence[str], kind: str
) -> list[str]:
    """One note per exclude pattern that left `kind` files out of this check's scope:
    "N Python files were excluded by <pattern> (from <source>)".

    The run's exclusions (the command line's `--exclude`, the repository config's `excludes`)
    and the check's own `exclude` parameter both count: whoever narrowed a scan, the evidence
    says how much was not looked at.
    """
    counts: dict[tuple[str, str], int] = {}
    # The walk below excluded folders is the same for every check: once per assessment.
    excluded = memo.shared_scan(ctx, {"excluded": "files"}, lambda: excluded_files(ctx))
    for rel, pattern in excluded:
        if wanted(rel):
            key = (pattern, ctx.options.exclude_source(pattern))
            counts[key] = counts.get(key, 0) + 1
    for rel in ctx.files:
        if not wanted(rel) or not matches_any(rel, param_excludes):
            continue
        pattern = compiled(tuple(param_excludes)).deciding(rel) or ""
        key = (pattern, "the check's `exclude` parameter")
        counts[key] = counts.get(key, 0) + 1
    return [
        f"{n} {kind + ' ' if kind else ''}file{'s' if n != 1 else ''} "
        f"{'were' if n != 1 else 'was'} excluded by "
        f"{pattern!r} (from {source})"
        for (pattern, source), n in sorted(counts.items())
    ]


def with_notes(evidence: Evidence, notes: Sequence[str]) -> Evidence:
    """The evidence with exclusion notes appended to its summary (nothing when none)."""
    if not notes:
        return evidence
    return replace(evidence, summary=f"{evidence.summary}; " + "; ".join(notes))
