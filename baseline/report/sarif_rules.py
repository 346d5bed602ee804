"""SARIF rules (reportingDescriptor objects) as GitHub code scanning ranks and explains them.

One rule per scanner rule (a bandit test id such as `B602`, a semgrep rule id, a zizmor audit,
an advisory id), and one per check for the findings a check makes itself (a missing SECURITY.md,
unsigned commits, a committed binary): code scanning groups, filters and dismisses alerts by
rule, so a rule must mean one kind of problem.

Severity: GitHub ranks an alert by its rule's `properties.security-severity`, a number string
(0.0-10.0: over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low). Our four severities map
to values inside GitHub's bands: high "8.0", medium "5.5", low "3.0", info "0.0" (CVSS's "none").
A rule takes the highest severity among its results; `defaultConfiguration.level` follows it
(high: error, medium: warning, low and info: note).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from baseline.report.evidence_view import EvidenceView, FindingRow
from baseline.report.mdtext import md
from baseline.report.task_view import TaskView

SECURITY_SEVERITY = {"high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}
"""Our severity -> GitHub's `security-severity` (see the module docstring)."""
LEVELS = {"high": "error", "medium": "warning", "low": "note", "info": "note"}
"""Our severity -> SARIF `level`."""
RANK = {"info": 0, "low": 1, "medium": 2, "high": 3}
SCANNERS = frozenset({"bandit", "semgrep", "zizmor", "osv", "pip-audit"})
"""Tools whose own rule ids become SARIF rules; other findings are their check's."""
CHECK_SEVERITY = "medium"
"""The severity of a failing check that names no finding of its own."""
MAX_TAGS = 20
"""GitHub's hard limit of tags per rule."""

_FIX = {
    "bandit": (
        "Change the code so that bandit test {rule} no longer applies. If the finding is a "
        "false positive, mark the line `# nosec {rule}` with a reason: the report lists every "
        "such suppression."
    ),
    "semgrep": (
        "Change the code as the rule's message says. If the finding is a false positive, mark "
        "the line `# nosemgrep: {rule}` with a reason: the report lists every such suppression."
    ),
    "zizmor": (
        "Change the workflow as zizmor's documentation of the `{rule}` audit says. If the "
        "finding is intended, mark the line `# zizmor: ignore[{rule}]` with a reason."
    ),
    "osv": "Upgrade the dependency to a version the advisory {rule} lists as fixed.",
    "pip-audit": "Upgrade the dependency to a version the advisory {rule} lists as fixed.",
}
_HELP_URI = {
    "bandit": "https://bandit.readthedocs.io/en/latest/plugins/index.html",
    "zizmor": "https://docs.zizmor.sh/audits/#{rule}",
    "osv": "https://osv.dev/vulnerability/{rule}",
    "pip-audit": "https://osv.dev/vulnerability/{rule}",
}
_ANNOTATION = re.compile(r"\s*\[[^\[\]]*confidence \w+\]$")
"""The `[test name, confidence high]` our bandit adapter appends: the finding's, not the rule's."""
_URI_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._")


def rule_id(check: str, finding: FindingRow | None) -> str:
    """The SARIF rule of a finding: the scanner's own rule id, else the check's id."""
    if finding is not None and finding.tool in SCANNERS and finding.rule:
        return finding.rule
    return check


def highest(severities: Iterable[str]) -> str:
    """The most severe of these severities (`info` when there are none)."""
    return max(severities, key=lambda s: RANK.get(s, 0), default="info")


@dataclass(frozen=True)
class RuleFacts:
    """What the results of one rule share: gathered first, then written as one rule."""

    id: str
    tool: str
    """The scanner, or `` for a check's own rule."""
    check: EvidenceView
    """The first check run that reported it (for a check rule, its question)."""
    findings: tuple[FindingRow, ...]
    tasks: tuple[TaskView, ...]
    severity: str


def _what(facts: RuleFacts) -> str:
    if not facts.tool:
        question = facts.check.question
        return f"`{facts.id}` answers no to: {question}" if question else facts.check.summary
    texts = {_ANNOTATION.sub("", " ".join(f.message.split())) for f in facts.findings}
    messages = sorted(texts, key=lambda m: (len(m), m))
    first = messages[0][:300] if messages else facts.id
    return f"{facts.tool} {facts.id}: {first}"


def _fix(facts: RuleFacts) -> str:
    if not facts.tool:
        return "Meet the SSDF tasks below as each one says."
    template = _FIX.get(facts.tool, "Change the code so that the rule no longer applies.")
    return template.format(rule=facts.id)


def _help_uri(facts: RuleFacts) -> str:
    template = _HELP_URI.get(facts.tool, "")
    if not template or not set(facts.id) <= _URI_SAFE:
        return ""
    return template.format(rule=facts.id)


def _tags(facts: RuleFacts) -> list[str]:
    cwes = sorted({f"external/cwe/{c.lower()}" for f in facts.findings for c in f.cwe})
    tasks = sorted({t.id for t in facts.tasks})
    # GitHub reads CWE ids from tags of this form; it keeps at most 20 tags per rule.
    return ["security", *cwes, *tasks][:MAX_TAGS]


def _help(facts: RuleFacts, what: str) -> dict[str, str]:
    fix = _fix(facts)
    tasks: Sequence[TaskView] = facts.tasks
    text = [f"What it finds: {what}", f"How to fix: {fix}", "SSDF tasks it serves:"]
    text += [f"- {t.id} {t.title}: {t.remediation}" for t in tasks]
    markdown = [f"**What it finds:** {md(what)}", "", f"**How to fix:** {md(fix)}", ""]
    markdown += ["**SSDF tasks it serves:**", ""]
    markdown += [f"- **{md(t.id)}** {md(t.title)}: {md(t.remediation)}" for t in tasks]
    return {"text": "\n".join(text), "markdown": "\n".join(markdown)}


def sarif_rule(facts: RuleFacts) -> dict[str, object]:
    """The reportingDescriptor of one rule."""
    what = _what(facts)
    rule: dict[str, object] = {
        "id": facts.id,
        "shortDescription": {"text": what[:1000]},
        "fullDescription": {"text": what},
        "help": _help(facts, what),
        "defaultConfiguration": {"level": LEVELS[facts.severity]},
        "properties": {
            "tags": _tags(facts),
            "security-severity": SECURITY_SEVERITY[facts.severity],
            "ssdf_tasks": sorted({t.id for t in facts.tasks}),
            "ssdf_practices": sorted({t.practice for t in facts.tasks}),
            "check": facts.check.check,
            **({"tool": facts.tool} if facts.tool else {}),
        },
    }
    uri = _help_uri(facts)
    if uri:
        rule["helpUri"] = uri
    return rule
