"""SARIF 2.1.0 for code scanning: one result per finding that fails its check, ranked.

- Rules: one per scanner rule, one per check for a check's own findings (baseline/report/
  sarif_rules.py, with `security-severity`, CWE tags, help and the SSDF tasks). Results name
  their rule by `ruleId` and `ruleIndex`, and carry their tasks in `properties.ssdf_tasks`.
- What is exported: by default only findings that fail their check (at or above its thresholds,
  in a failing scope: baseline/report/failing.py), as the gate judged them; a failing check that
  names no such finding is one result of its own. How many other findings were left out is in
  the run's properties and a notification. `sarif_document(view, everything=True)` exports
  every finding (a library option; no command-line flag asks for it).
- Paths are relative to the repository root (`uriBaseId` `%SRCROOT%` on every location): a
  sub-folder assessment (record `target.subdir`) prefixes its folder, so alerts point at the
  files code scanning knows.
- A finding in a file has a region (its line, or line 1 when the tool gives none). A
  repository-level finding (no file: a missing SECURITY.md, unsigned commits, a setting) has no
  region by design: it is located at the first file its check examined (a config or workflow
  file) when there is one, else at the assessed folder (the repository root, or the sub-folder).
- Test code, fixtures, examples, docs and vendored code are labelled: `properties.scope`, a tag,
  and the message ("... in a test fixture").
- GitHub's upload limits: at most 25,000 results per run and 10 MB per file; the most severe are
  kept first (a deterministic order) and a notification says how many were dropped.
- A waived failure stays in the file, marked with an accepted external suppression; so does a
  finding the project config accepts (`[[accepted_findings]]`, in force), also when its check
  passes because of it, with the acceptance as the justification.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from baseline.jsontext import pretty
from baseline.report.evidence_view import EvidenceView, FindingRow
from baseline.report.interface import Rendered
from baseline.report.sarif_rules import (
    CHECK_SEVERITY,
    LEVELS,
    RANK,
    RuleFacts,
    highest,
    rule_id,
    sarif_rule,
)
from baseline.report.task_view import TaskView
from baseline.report.view import ReportView

FILENAME = "results.sarif"
SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "ssdfBaselineFinding/v1"
SRCROOT = "%SRCROOT%"
ROOT_URI = "."
MAX_RESULTS = 25_000
"""GitHub code scanning rejects a run with more results."""
MAX_BYTES = 10_000_000
"""GitHub code scanning rejects a larger file (10 MB)."""
SCOPE_WORDS = {
    "test": ("in test code", "test-code"),
    "fixture": ("in a test fixture", "test-fixture"),
    "example": ("in an example", "example-code"),
    "docs": ("in documentation", "documentation"),
    "vendored": ("in vendored code", "vendored-code"),
}
"""Scope label -> (message words, result tag); product code has neither."""
_REPOSITORY_LEVEL = "repository-level finding: it concerns the repository, not one line"

Json = dict[str, Any]
_Key = tuple[str, str, int, str]


@dataclass(frozen=True)
class _Item:
    """One result before it is written: a finding (or a failing check without one)."""

    rule: str
    evidence: EvidenceView
    finding: FindingRow | None
    tasks: tuple[TaskView, ...]

    @property
    def fails(self) -> bool:
        return self.finding.fails if self.finding is not None else True

    @property
    def severity(self) -> str:
        return self.finding.severity if self.finding is not None else CHECK_SEVERITY

    @property
    def order(self) -> tuple[int, int, str, str, int, str, str]:
        """Failing first, most severe first, then rule, path, line: the order of the file."""
        f = self.finding
        return (
            not self.fails,
            -RANK.get(self.severity, 0),
            self.rule,
            f.path if f else "",
            (f.line or 0) if f else 0,
            f.fingerprint if f else "",
            f.message if f else self.evidence.summary,
        )


def _key(rule: str, e: EvidenceView, f: FindingRow | None) -> _Key:
    # The same finding reached through two check runs (two semgrep variants) is one result.
    if f is None:
        return (rule, "", 0, e.summary)
    return (rule, f.path, f.line or 0, f.fingerprint or f.message)


def _tasks(old: Sequence[TaskView], new: Sequence[TaskView]) -> tuple[TaskView, ...]:
    merged = {t.id: t for t in (*old, *new)}
    return tuple(merged[k] for k in sorted(merged))


def _collect(view: ReportView, everything: bool) -> tuple[list[_Item], int]:
    """The results to write (sorted), and how many findings were left out."""
    runs: dict[EvidenceView, tuple[TaskView, ...]] = {}
    for task in view.tasks:
        for e in task.evidence:
            runs[e] = runs.get(e, ()) + (task,)
    items: dict[_Key, _Item] = {}
    left_out: set[_Key] = set()

    def add(item: _Item, key: _Key) -> None:
        old = items.get(key)
        if old is not None:
            keep = old if old.fails or not item.fails else item
            item = _Item(keep.rule, keep.evidence, keep.finding, _tasks(old.tasks, item.tasks))
        items[key] = item

    for e, tasks in runs.items():
        if e.outcome == "fail" and not any(f.fails for f in e.findings):
            add(_Item(e.check, e, None, _tasks((), tasks)), _key(e.check, e, None))
        for f in e.findings:
            rule = rule_id(e.check, f)
            if f.fails or everything or f.acceptance == "accepted":
                add(_Item(rule, e, f, _tasks((), tasks)), _key(rule, e, f))
            else:
                left_out.add(_key(rule, e, f))
    return sorted(items.values(), key=lambda i: i.order), len(left_out - items.keys())


def artifact_uri(path: str) -> str:
    """A repository path as a relative URI reference (RFC 3986): every byte but the unreserved
    ones and `/` percent-encoded, so a space, `%`, `#`, `?`, a `:` that would read as a scheme, or
    a control character cannot change what it names; a byte that is not UTF-8 (a surrogate
    escape) is encoded as that byte."""
    return quote(path.encode("utf-8", "surrogateescape"), safe="/")


def _from_root(path: str, subdir: str) -> str:
    return artifact_uri(f"{subdir}/{path}" if subdir else path)


def _location(item: _Item, subdir: str) -> Json:
    f = item.finding
    if f is not None and f.path:
        line = f.line if f.line and f.line >= 1 else 1
        return {
            "physicalLocation": {
                "artifactLocation": {"uri": _from_root(f.path, subdir), "uriBaseId": SRCROOT},
                "region": {"startLine": line},
            }
        }
    files = item.evidence.files
    folder = artifact_uri(f"{subdir}/") if subdir else ROOT_URI
    uri = _from_root(files[0], subdir) if files else folder
    return {
        "physicalLocation": {"artifactLocation": {"uri": uri, "uriBaseId": SRCROOT}},
        "message": {"text": _REPOSITORY_LEVEL},
    }


def _fingerprint(item: _Item) -> str:
    f, e = item.finding, item.evidence
    if f is not None and f.fingerprint:
        return f.fingerprint
    parts = (e.check, f.rule if f else "", f.path if f else "", f.message if f else e.summary)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "backslashreplace")).hexdigest()[:32]


def _properties(item: _Item, tasks: list[str]) -> Json:
    f, e = item.finding, item.evidence
    scope = f.scope if f else "product"
    properties: Json = {
        "ssdf_tasks": tasks,
        "check": e.check,
        "tool": f.tool if f else "",
        "outcome": e.outcome,
        "fails": item.fails,
        "severity": item.severity,
        # The scope label (product, test, fixture, ...; a repository-level result is the
        # product's): reports must label findings outside the product.
        "scope": scope,
    }
    if scope in SCOPE_WORDS:
        properties["tags"] = [SCOPE_WORDS[scope][1]]
    if f is None or not f.path:
        properties["repository_level"] = True
    if f is not None and f.cwe:
        properties["cwe"] = list(f.cwe)
    if f is not None and f.origin:
        properties["rule_origin"] = f.origin
    claims = sorted({f"{t.id}: {k} at {w}: {d}" for t in item.tasks for k, w, d in t.config_claims})
    if claims:
        properties["rests_on_repository_config"] = claims
    return properties


def _accepted(f: FindingRow | None) -> bool:
    """Accepted by the project config, the acceptance in force."""
    return f is not None and f.acceptance == "accepted"


def _result(item: _Item, index: int, subdir: str) -> Json:
    f = item.finding
    tasks = [t.id for t in item.tasks]
    text = f"{f.message} [{f.rule}]" if f else item.evidence.summary
    where = SCOPE_WORDS.get(f.scope if f else "product")
    if where:
        text = f"{text}, {where[0]}"
    result: Json = {
        "ruleId": item.rule,
        "ruleIndex": index,
        "level": LEVELS[item.severity] if item.fails or _accepted(f) else "note",
        "message": {"text": f"{text} (SSDF {', '.join(tasks)})"},
        "locations": [_location(item, subdir)],
        "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(item)},
        "properties": _properties(item, tasks),
    }
    waivers = [t for t in item.tasks if t.status == "waived"]
    if f is not None and _accepted(f):
        said = dict(f.accepted)
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": f"accepted until {said['Expires']} by {said['Approver']} "
                f"(owner {said['Owner']}): {said['Reason']}",
            }
        ]
    elif waivers and len(waivers) == len(item.tasks):
        reason = "; ".join(f"{t.id}: {dict(t.waiver).get('Reason', '')}" for t in waivers)
        result["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": f"waived ({reason})"}
        ]
    return result


def _rules(items: Sequence[_Item]) -> list[Json]:
    grouped: dict[str, list[_Item]] = {}
    for item in items:
        grouped.setdefault(item.rule, []).append(item)
    rules = []
    for rule, mine in sorted(grouped.items()):
        first = min(mine, key=lambda i: i.order)
        findings = tuple(i.finding for i in mine if i.finding is not None)
        tool = first.finding.tool if first.finding and rule != first.evidence.check else ""
        facts = RuleFacts(
            id=rule,
            tool=tool,
            check=first.evidence,
            findings=findings,
            tasks=_tasks((), [t for i in mine for t in i.tasks]),
            severity=highest(i.severity for i in mine),
        )
        rules.append(sarif_rule(facts))
    return rules


def _notifications(left_out: int, dropped: int) -> list[Json]:
    notes = []
    if left_out:
        notes.append(
            {
                "level": "note",
                "message": {
                    "text": f"{left_out} finding(s) below their check's failing threshold or "
                    "outside the failing scope were left out (see assessment.json)"
                },
            }
        )
    if dropped:
        notes.append(
            {
                "level": "warning",
                "message": {
                    "text": f"{dropped} result(s) dropped, the least severe first, to stay within "
                    f"GitHub's limits ({MAX_RESULTS:,} results per run, {MAX_BYTES:,} bytes per "
                    "file); every finding is in assessment.json"
                },
            }
        )
    return notes


def _document(
    view: ReportView, items: Sequence[_Item], left_out: int, dropped: int, everything: bool
) -> Json:
    rules = _rules(items)
    index = {r["id"]: i for i, r in enumerate(rules)}
    subdir = view.repository.subdir if view.repository else ""
    results = [_result(item, index[item.rule], subdir) for item in items]
    run: Json = {
        "tool": {
            "driver": {
                "name": "ssdf-baseline",
                "semanticVersion": view.generator_version or "0.0.0",
                "rules": rules,
            }
        },
        "automationDetails": {
            # A category per assessed folder: two sub-folders of one repository are two analyses.
            "id": f"ssdf-baseline/{view.catalog_id}/" + (f"{subdir}/" if subdir else "")
        },
        "originalUriBaseIds": {
            SRCROOT: {"description": {"text": "The root of the assessed repository."}}
        },
        "results": results,
        "properties": {
            "target": view.target,
            "subdir": subdir,
            "commit": view.commit,
            "catalog": view.catalog_id,
            "catalog_digest": view.catalog_digest,
            "repository_config": view.config_line,
            **({"as_of": view.as_of} if view.as_of else {}),
            "exported": "every finding"
            if everything
            else "findings that fail their check (at or above its thresholds, in a failing "
            "scope), and failing checks without such a finding",
            "findings_left_out": left_out,
            "results_dropped_for_limits": dropped,
        },
    }
    notes = _notifications(left_out, dropped)
    if notes:
        run["invocations"] = [{"executionSuccessful": True, "toolExecutionNotifications": notes}]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _size(document: Json) -> int:
    return len((pretty(document) + "\n").encode("utf-8", "backslashreplace"))


def _within(count: int, fits: Callable[[int], bool]) -> int:
    """The largest n <= count with fits(n) (fits(0) is assumed), by bisection."""
    low, high = 0, count
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if fits(middle) else (low, middle - 1)
    return low


def sarif_document(view: ReportView, everything: bool = False, max_bytes: int = MAX_BYTES) -> Json:
    """The SARIF log as a dictionary; `everything=True` adds every finding of every check run
    (levels of those that do not fail are `note`)."""
    items, left_out = _collect(view, everything)
    kept = items[:MAX_RESULTS]

    def build(n: int) -> Json:
        return _document(view, kept[:n], left_out, len(items) - n, everything)

    document = build(len(kept))
    if _size(document) > max_bytes:
        document = build(_within(len(kept), lambda n: _size(build(n)) <= max_bytes))
    return document


def render_sarif(view: ReportView) -> Rendered:
    """`results.sarif`: the findings that fail their checks, as code scanning wants them."""
    return {FILENAME: pretty(sarif_document(view)) + "\n"}
