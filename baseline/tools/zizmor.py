"""zizmor: run it over repository files and parse its JSON (format v1) into findings and
suppressions; garbage -> ToolError. Which findings fail which question is the checks' to judge
(`baseline.checks.workflows_zizmor`, whose docstring says why each option is passed).

zizmor rows are 0-based; findings carry 1-based lines. An inline `# zizmor: ignore[audit]`
comment (reported by zizmor in each location's `comments` when run with `--no-ignores`)
turns the finding into a recorded suppression instead of a counted finding.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from baseline.errors import ToolError
from baseline.models import Artifact, Finding, Severity, Suppression, ToolRun, fingerprint
from baseline.toolrun import run_tool, tool_version

_SEVERITY = {"high": Severity.HIGH, "medium": Severity.MEDIUM, "low": Severity.LOW}
_IGNORE = re.compile(r"zizmor:\s*ignore\[([^\]]*)\]")
_COMPLETED = re.compile(r"completed (\./.+?)\s*$", re.M)


@dataclass(frozen=True)
class ZizmorResult:
    """What one zizmor run reported, already normalized."""

    findings: tuple[Finding, ...]
    suppressions: tuple[Suppression, ...]
    digest: str
    artifact: Artifact
    personas: Mapping[str, str] = field(default_factory=dict)
    """Finding fingerprint -> the zizmor persona that reports it (`regular`, `pedantic`,
    `auditor`): zizmor's own word on how likely the finding is a false positive."""


def _primary(finding: dict[str, Any]) -> dict[str, Any]:
    locations = finding.get("locations")
    if not isinstance(locations, list) or not locations:
        raise ValueError("a finding has no locations")
    primary = [loc for loc in locations if loc.get("symbolic", {}).get("kind") == "Primary"]
    chosen = (primary or locations)[0]
    if not isinstance(chosen, dict):
        raise ValueError("a location is not an object")
    return chosen


def _path(location: dict[str, Any]) -> str:
    key = location["symbolic"]["key"]
    local = key.get("Local") if isinstance(key, dict) else None
    path = str(local["verbatim_path"]) if isinstance(local, dict) else str(key)
    return path[2:] if path.startswith("./") else path


def _ignored(ident: str, location: dict[str, Any]) -> bool:
    comments = location.get("concrete", {}).get("comments") or []
    for comment in comments:
        for match in _IGNORE.finditer(str(comment)):
            if ident in [part.strip() for part in match.group(1).split(",")]:
                return True
    return False


PERSONAS = ("regular", "pedantic", "auditor")
"""zizmor's personas, from the findings it means for everyone to those meant for audits only."""


def persona(raw: dict[str, Any]) -> str:
    """The persona a finding belongs to; an unknown or missing one counts as `regular`, so a
    changed zizmor output can only make a finding stricter, never hide it."""
    value = str(raw["determinations"].get("persona", "regular")).lower()
    return value if value in PERSONAS else "regular"


def _convert(check: str, raw: dict[str, Any]) -> tuple[Finding | None, Suppression | None]:
    ident = str(raw["ident"])
    location = _primary(raw)
    path = _path(location)
    row = location["concrete"]["location"]["start_point"]["row"]
    if not isinstance(row, int) or row < 0:
        raise ValueError("a location row is not a non-negative integer")
    line = row + 1
    if _ignored(ident, location):
        return None, Suppression("zizmor-ignore", path, line, f"# zizmor: ignore[{ident}]")
    severity = _SEVERITY.get(str(raw["determinations"]["severity"]).lower(), Severity.INFO)
    feature = str(location["concrete"].get("feature", ""))
    annotation = str(location["symbolic"].get("annotation", ""))
    return Finding(
        rule=ident,
        message=f"{raw.get('desc', ident)}: {annotation}" if annotation else str(raw["desc"]),
        severity=severity,
        path=path,
        line=line,
        fingerprint=fingerprint(check, ident, path, " ".join(feature.split())),
        tool="zizmor",
        snippet=feature[:200],
    ), None


def parse_zizmor(stdout: bytes, check: str, configs: Sequence[str] = ()) -> ZizmorResult:
    """Normalize zizmor's JSON output; ToolError if it is not what zizmor writes."""
    try:
        document = json.loads(stdout)
        if not isinstance(document, list):
            raise ValueError("the top level is not a list")
        pairs = [_convert(check, item) for item in document]
        personas = {
            f.fingerprint: persona(item) for item, (f, _) in zip(document, pairs, strict=True) if f
        }
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ToolError(
            "zizmor", f"unreadable JSON output ({type(exc).__name__}: {exc})", "reinstall zizmor"
        ) from None
    findings = sorted((f for f, _ in pairs if f), key=lambda f: (f.path, f.line or 0, f.rule))
    suppressed = [s for _, s in pairs if s] + [
        Suppression("zizmor-config", path, None, "repository zizmor config not honoured")
        for path in configs
    ]
    return ZizmorResult(
        findings=tuple(findings),
        suppressions=tuple(sorted(suppressed, key=lambda s: (s.path, s.line or 0, s.detail))),
        digest=hashlib.sha256(stdout).hexdigest(),
        artifact=Artifact(f"{check}.zizmor.json", stdout),
        personas=personas,
    )


def run_zizmor(
    root: Path, inputs: Sequence[str], timeout: float
) -> tuple[ToolRun, bytes, set[str]]:
    """Run zizmor over repository files: its record, JSON output and the files it audited.

    zizmor skips a file it cannot parse (with an unnamed warning) and exits 3 when nothing
    was left; the files it audited are the ones its log reports as `completed`.
    """
    version = tool_version("zizmor")
    args = [
        "--offline",
        "--format",
        "json",
        "--persona",
        "auditor",
        "--no-config",
        "--no-ignores",
        "--no-exit-codes",
        "--no-progress",
        "--color",
        "never",
        "--",
        *(f"./{path}" for path in inputs),
    ]
    done = run_tool("zizmor", args, cwd=root, timeout=timeout, version=version)
    log = done.stderr.decode("utf-8", "replace")
    if done.run.exit_code != 0 and "no inputs collected" in log:
        return done.run, b"[]", set()
    if done.run.exit_code != 0:
        tail = log.strip().splitlines()[-1:] or ["no output"]
        raise ToolError("zizmor", f"exited with {done.run.exit_code}: {tail[0][:300]}", "")
    audited = {m.group(1).removeprefix("./") for m in _COMPLETED.finditer(log)}
    return done.run, done.stdout, audited
