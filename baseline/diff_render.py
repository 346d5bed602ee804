"""Render a Diff as terminal text, Markdown or JSON (all deterministic)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from baseline.diff import ControlChange, Diff, FindingChange
from baseline.jsontext import pretty
from baseline.report.mdtext import no_autolink
from baseline.report.visible import visible
from baseline.terminal import one_line

# `&` too: GitHub decodes `&#x202e;` into the very character `visible` escaped.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def _md(text: str) -> str:
    # Paths and messages come from the scanned repository: escape, never interpret.
    return no_autolink(_MD_SPECIAL.sub(r"\\\1", visible(" ".join(text.split()))))


def _where(change: FindingChange) -> str:
    f = change.finding
    return f"{f.path}:{f.line}" if f.path and f.line else f.path or "(repository)"


def _run(meta: dict[str, Any]) -> str:
    commit = (meta["commit"] or "no commit")[:12]
    return one_line(f"{meta['target']} at {commit} ({meta['catalog']}, {meta['generated_at']})")


_SECTIONS: tuple[tuple[str, str], ...] = (
    ("regressed", "Regressed controls"),
    ("improved", "Improved controls"),
    ("changed", "Other status changes"),
)


def _setup_lines(d: Diff) -> list[str]:
    return [f"{c.what}: {c.old} -> {c.new}" for c in d.setup]


def to_text(d: Diff) -> str:
    """Terminal text."""
    lines = [f"old: {_run(d.old)}", f"new: {_run(d.new)}"]
    if d.setup:
        lines.append(f"Made differently ({len(d.setup)}): statuses may differ for that alone")
        lines.extend(one_line(f"  {line}") for line in _setup_lines(d))
    for attr, title in _SECTIONS:
        changes: tuple[ControlChange, ...] = getattr(d, attr)
        lines.append(f"{title}: {len(changes)}")
        lines.extend(
            f"  {one_line(c.control):8} {one_line(c.old)} -> {one_line(c.new)}: "
            + one_line(c.reason)
            for c in changes
        )
    for title, items in (
        ("New findings", d.new_findings),
        ("Resolved findings", d.resolved_findings),
    ):
        lines.append(f"{title}: {len(items)}")
        lines.extend(
            one_line(
                f"  {c.finding.severity.value:6} {c.finding.rule} {_where(c)}: {c.finding.message}"
                f" [{', '.join(c.controls)}]"
            )
            for c in items
        )
    if d.added or d.removed:
        lines.append(one_line(f"Controls added: {', '.join(d.added) or 'none'}; "
                              f"removed: {', '.join(d.removed) or 'none'}"))  # fmt: skip
    lines.append("Regression." if d.is_regression else "No regression.")
    return "\n".join(lines) + "\n"


def to_markdown(d: Diff) -> str:
    """Markdown for a CI job summary or a pull-request comment."""
    verdict = "**Regression**" if d.is_regression else "No regression"
    lines = ["## ssdf-baseline: changes between runs", ""]
    lines += [f"- old: {_md(_run(d.old))}", f"- new: {_md(_run(d.new))}", f"- {verdict}", ""]
    if d.setup:
        lines += [
            f"### Made differently ({len(d.setup)})",
            "",
            "Statuses compared across these changes may differ for that reason alone.",
            "",
        ]
        lines += [f"- {_md(line)}" for line in _setup_lines(d)] + [""]  # fmt: skip
    for attr, title in _SECTIONS:
        changes: tuple[ControlChange, ...] = getattr(d, attr)
        lines += [f"### {title} ({len(changes)})", ""]
        if changes:
            lines += ["| Control | Old | New | Why |", "|---|---|---|---|"]
            lines += [
                f"| {_md(c.control)} | {c.old} | {c.new} | {_md(c.reason)} |" for c in changes
            ]
            lines.append("")
    for title, items in (
        ("New findings", d.new_findings),
        ("Resolved findings", d.resolved_findings),
    ):
        lines += [f"### {title} ({len(items)})", ""]
        if items:
            lines += [
                "| Severity | Rule | Location | Message | Controls |",
                "|---|---|---|---|---|",
            ]
            lines += [
                f"| {c.finding.severity.value} | {_md(c.finding.rule)} | {_md(_where(c))} | "
                f"{_md(c.finding.message)} | {_md(', '.join(c.controls))} |"
                for c in items
            ]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _finding(c: FindingChange) -> dict[str, Any]:
    f = c.finding
    return {"key": c.key, "controls": list(c.controls), "rule": f.rule, "tool": f.tool,
            "severity": f.severity.value, "path": f.path, "line": f.line,
            "message": f.message}  # fmt: skip


def to_json(d: Diff) -> str:
    """JSON for tools."""
    doc = {
        "old": d.old,
        "new": d.new,
        "regression": d.is_regression,
        "setup": [{"what": c.what, "old": c.old, "new": c.new} for c in d.setup],
        **{
            attr: [
                {"control": c.control, "old": c.old, "new": c.new, "reason": c.reason}
                for c in getattr(d, attr)
            ]  # fmt: skip
            for attr, _ in _SECTIONS
        },
        "added": list(d.added),
        "removed": list(d.removed),
        "new_findings": [_finding(c) for c in d.new_findings],
        "resolved_findings": [_finding(c) for c in d.resolved_findings],
    }
    return pretty(doc) + "\n"


RENDERERS: dict[str, Callable[[Diff], str]] = {"text": to_text, "md": to_markdown, "json": to_json}
