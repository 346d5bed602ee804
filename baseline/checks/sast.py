"""What bandit and semgrep checks share: target selection, findings, suppressions, judging.

A scan (one tool run) is gathered once per assessment and shared by every check that asks for
the same scan settings; each check then judges the scan with its own thresholds and rule
filter. Judging is pure and never runs a tool.
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import json
import re
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from baseline.checks.interface import Param, Params, fingerprint
from baseline.context import Context
from baseline.models import (
    Artifact,
    CheckOutcome,
    Evidence,
    Finding,
    Severity,
    Suppression,
    ToolRun,
)

LEVELS = ("low", "medium", "high")

DEFAULT_TEST_PATHS = (
    "**/test/**", "**/tests/**", "**/testing/**", "**/test_*.py", "**/*_test.py",
    "**/conftest.py",
)  # fmt: skip

SNIPPET_LIMIT = 200

# Markers that tell a tool to ignore a line (read as text, never executed).
NOSEC = re.compile(r"#\s*nosec\b(?P<rest>[^#\n]*)", re.IGNORECASE)
NOSEMGREP = re.compile(r"(?:#|//|/\*|<!--|--|;)\s*nosemgrep\b(?P<rest>[^\n]*)", re.IGNORECASE)


@dataclass(frozen=True)
class Scan:
    """One tool run over the selected files, parsed."""

    tool: str
    run: ToolRun
    targets: tuple[str, ...]
    findings: tuple[Finding, ...]
    suppressions: tuple[Suppression, ...]
    artifact: Artifact
    parse_errors: int
    file_digests: Mapping[str, str] = field(default_factory=dict)
    """SHA-256 of every file with a finding, as it was scanned."""
    rules: tuple[str, ...] = ()
    """Every rule id the scan ran (what a `rules` filter may name)."""
    confidence: Mapping[str, str] = field(default_factory=dict)
    """Tool confidence per finding fingerprint, where the tool gives one."""
    notes: tuple[str, ...] = ()
    """Facts a reader needs (config in the target that was not applied, for example)."""


def glob_match(path: str, pattern: str) -> bool:
    """`**/` matches any folder prefix (or none), `/**` any suffix; other parts via fnmatch."""
    if fnmatch.fnmatchcase(path, pattern):
        return True
    if pattern.startswith("**/") and glob_match(path, pattern[3:]):
        return True
    if pattern.endswith("/**"):
        base = pattern[:-3]
        parts = path.split("/")
        return any(glob_match("/".join(parts[:i]), base) for i in range(1, len(parts)))
    return False


def matches_any(path: str, patterns: Iterable[str]) -> bool:
    """Whether a repository path matches any glob."""
    return any(glob_match(path, p) for p in patterns)


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
    for rel in files:
        try:
            text = ctx.read_text(rel)
        except (OSError, ValueError):
            continue
        if needle not in text.lower():
            continue  # fast path: most files carry no marker at all
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


def with_fingerprints(tool: str, findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """Fingerprints from rule + path + normalized code + which identical occurrence it is.

    Line numbers stay out, so inserting unrelated lines above a finding does not change it.
    The order is kept: pass findings sorted by `finding_order`.
    """
    seen: dict[tuple[str, str, str], int] = {}
    out: list[Finding] = []
    for item in findings:
        code = " ".join(item.snippet.split())
        key = (item.rule, item.path, code)
        index = seen.get(key, 0)
        seen[key] = index + 1
        out.append(
            replace(item, fingerprint=fingerprint(tool, item.rule, item.path, code, str(index)))
        )
    return tuple(out)


def finding_order(item: Finding) -> tuple[str, int, str, str]:
    """The stable order of findings: path, line, rule, message."""
    return item.path, item.line or 0, item.rule, item.message


def artifact(name: str, content: bytes) -> tuple[Artifact, str]:
    """Raw tool output kept for the evidence bundle, with its SHA-256."""
    return Artifact(name, content), hashlib.sha256(content).hexdigest()


def digests_of(ctx: Context, findings: Iterable[Finding]) -> dict[str, str]:
    """SHA-256 of each file a finding points into (unreadable files are left out)."""
    out: dict[str, str] = {}
    for path in sorted({f.path for f in findings}):
        with contextlib.suppress(OSError, ValueError):
            out[path] = ctx.sha256(path)
    return out


def load_json(tool: str, stdout: bytes) -> Mapping[str, Any] | None:
    """The tool's JSON document, or None when the output is not a JSON object."""
    try:
        document = json.loads(stdout.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return document if isinstance(document, dict) else None


# --- a scan shared by every check with the same scan settings ---------------------------------

_memo_lock = threading.Lock()
_memo: dict[tuple[int, str], _Slot] = {}


class _Slot:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.value: Scan | None = None
        self.error: BaseException | None = None


def shared_scan(ctx: Context, key: Mapping[str, Any], gather: Callable[[], Scan]) -> Scan:
    """Run `gather` once per context and scan settings; concurrent callers wait for it."""
    ident = (id(ctx), json.dumps(key, sort_keys=True, default=str))
    with _memo_lock:
        slot = _memo.get(ident)
        if slot is None:
            slot = _memo[ident] = _Slot()
            weakref.finalize(ctx, _forget, id(ctx))
    with slot.lock:
        if slot.value is None and slot.error is None:
            try:
                slot.value = gather()
            except BaseException as exc:  # re-raised below and for every later caller
                slot.error = exc
    if slot.error is not None:
        raise slot.error
    assert slot.value is not None  # noqa: S101 - set above when no error was stored
    return slot.value


def _forget(ctx_id: int) -> None:
    with _memo_lock:
        for ident in [k for k in _memo if k[0] == ctx_id]:
            del _memo[ident]


# --- judging ------------------------------------------------------------------------------------

JUDGE_PARAMS: Mapping[str, Param] = {
    "fail_on": Param(str, "medium", "lowest severity that fails the check", LEVELS),
    "rules": Param(
        list, [], "rule ids (globs) this check judges; empty means every rule of the scan"
    ),
}


def judge(check: str, scan: Scan, params: Params, threshold: Callable[[Finding], bool]) -> Evidence:
    """Evidence for one check: the scan's findings for its rules, failing at the threshold."""
    rules: list[str] = list(params["rules"])
    unknown = [r for r in rules if not any(fnmatch.fnmatchcase(k, r) for k in scan.rules)]
    if unknown:
        # A filter that selects no rule would judge nothing and pass: fail closed instead.
        return Evidence(
            check,
            CheckOutcome.ERROR,
            f"`rules` names no {scan.tool} rule: {', '.join(unknown)}",
            error=f"fix the check's `rules` parameter; {scan.tool} knows {', '.join(scan.rules)}",
            tool_runs=(scan.run,),
        )
    chosen = selected(scan.findings, rules)
    failing = [f for f in chosen if threshold(f)]
    counts = ", ".join(
        f"{sum(f.severity is s for f in chosen)} {s.value}"
        for s in Severity
        if any(f.severity is s for f in chosen)
    )
    scope = f" (rules {', '.join(rules)})" if rules else ""
    summary = (
        f"{scan.tool} scanned {len(scan.targets)} files{scope}: {len(chosen)} findings"
        + (f" ({counts})" if counts else "")
        + f", {len(failing)} at or above the threshold; {len(scan.suppressions)} suppressions"
    )
    if scan.notes:
        summary += "; " + "; ".join(scan.notes)
    return Evidence(
        check=check,
        outcome=CheckOutcome.FAIL if failing else CheckOutcome.PASS,
        summary=summary,
        findings=tuple(chosen),
        tool_runs=(scan.run,),
        files=tuple(sorted({f.path for f in chosen})),
        digests={
            scan.artifact.name: hashlib.sha256(scan.artifact.content).hexdigest(),
            **{f.path: scan.file_digests[f.path] for f in chosen if f.path in scan.file_digests},
        },
        suppressions=scan.suppressions,
        artifacts=(scan.artifact,),
    )


def selected(findings: Iterable[Finding], rules: Sequence[str]) -> list[Finding]:
    """The findings of the rules named by the globs (all of them when there are none)."""
    return [f for f in findings if not rules or any(fnmatch.fnmatchcase(f.rule, r) for r in rules)]


def level_rank(level: str) -> int:
    """`low` < `medium` < `high`, for thresholds."""
    return Severity(level).rank
