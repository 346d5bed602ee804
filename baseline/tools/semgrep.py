"""semgrep: the shipped rule pack's files, the command line, a run over a batch of files,
and its JSON parsed into findings and per-file problems. Which findings count and what they
mean is the check's to judge (`baseline.checks.semgrep`, whose docstring says why each option
is passed); the JSON split per file and merged back is `semgrep_doc`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from baseline import resources
from baseline.errors import ToolError
from baseline.models import Finding, Severity, Suppression
from baseline.toolrun import Completed, run_tool
from baseline.tools import semgrep_doc
from baseline.tools.output import PerFile, Snippet, load_json

_SEVERITY = {
    "CRITICAL": Severity.HIGH,
    "ERROR": Severity.HIGH,
    "HIGH": Severity.HIGH,
    "WARNING": Severity.MEDIUM,
    "MEDIUM": Severity.MEDIUM,
    "INFO": Severity.LOW,
    "LOW": Severity.LOW,
}
_RULE_ID = re.compile(r"^\s*-\s*id:\s*['\"]?([\w.-]+)", re.MULTILINE)
_CWE = re.compile(r"CWE-\d+")


def rules_dir() -> Path:
    """The shipped rule pack."""
    return resources.controls_dir() / "rules"


def rule_files(folder: Path) -> list[Path]:
    """Rule files of the pack (test targets named `*.test.yaml` are not rules)."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in (".yaml", ".yml") and not p.name.endswith((".test.yaml", ".test.yml"))
    )


def rule_ids(folder: Path) -> list[str]:
    """Every rule id the pack declares, longest first (for stripping semgrep's path prefix)."""
    ids = {m for p in rule_files(folder) for m in _RULE_ID.findall(p.read_text("utf-8"))}
    return sorted(ids, key=lambda i: (-len(i), i))


def rule_id(check_id: str, known: Sequence[str], registry: bool = False) -> str:
    """The rule id a result names, as the pack declares it (`known`)."""
    # Without --no-rewrite-rule-ids semgrep prefixes ids with the rule folder's path (bare runs
    # do); the record must not carry it. A registry rule keeps its own id.
    for rule in known:
        if check_id == rule or check_id.endswith("." + rule):
            return rule
    return check_id if registry else check_id.rsplit(".", 1)[-1]


def _cwe(metadata: Any) -> tuple[str, ...]:
    raw = metadata.get("cwe", []) if isinstance(metadata, dict) else []
    values = raw if isinstance(raw, list) else [raw]
    return tuple(sorted({m for v in values for m in _CWE.findall(str(v))}))


def finding(
    item: Mapping[str, Any],
    known: Sequence[str],
    snippet: Snippet,
    origins: Mapping[str, str] | None = None,
    registry: bool = False,
) -> Finding:
    """One result as a finding: the rule id without semgrep's folder prefix (a registry rule
    keeps its own), with the rule's origin when `origins` is given."""
    extra = item.get("extra") or {}
    path, line = str(item["path"]), int(item["start"]["line"])
    rule = rule_id(str(item["check_id"]), known, registry)
    return Finding(
        rule=rule,
        origin=origins.get(rule, "registry") if origins is not None else "",
        message=" ".join(str(extra.get("message", "")).split()),
        severity=_SEVERITY.get(str(extra.get("severity", "")).upper(), Severity.INFO),
        path=path,
        line=line,
        tool="semgrep",
        cwe=_cwe(extra.get("metadata")),
        snippet=snippet(path, line),
        confidence=_confidence(extra.get("metadata")),
    )


def _confidence(metadata: Any) -> str:
    raw = metadata.get("confidence", "") if isinstance(metadata, dict) else ""
    value = str(raw).lower()
    return value if value in ("high", "medium", "low") else ""


def _one_line(text: object) -> str:
    return " ".join(str(text or "").split()).rstrip(":")


def problems(errors: list[Any]) -> tuple[list[Suppression], list[str]]:
    """Per-file problems (the file was not fully analyzed) apart from fatal ones."""
    per_file: list[Suppression] = []
    fatal: list[str] = []
    for error in errors:
        if not isinstance(error, dict):
            fatal.append(str(error)[:200])
        elif error.get("path"):
            detail = f"{error.get('type', 'error')}: {_one_line(error.get('message'))[:200]}"
            per_file.append(Suppression("parse-error", str(error["path"]), None, detail))
        else:
            fatal.append(f"{error.get('type', 'error')}: {_one_line(error.get('message'))[:300]}")
    return per_file, fatal


def command(
    configs: Sequence[str], *, osemgrep: bool, max_file_bytes: int, jobs: int | None = None
) -> list[str]:
    """semgrep's arguments up to `--`, one `--config` per rule source."""
    # Without `jobs` (the recorded command): parallelism changes nothing semgrep finds, and the
    # number of cores it got must not make two runs' records differ.
    parallel = ["--jobs", str(jobs)] if jobs is not None else []
    return [
        "scan", *cli(osemgrep), *(a for c in configs for a in ("--config", c)), "--json",
        "--metrics=off",
        "--disable-version-check", "--no-rewrite-rule-ids",
        f"--max-target-bytes={max_file_bytes}", *parallel, "--",
    ]  # fmt: skip


def cli(osemgrep: bool) -> tuple[str, ...]:
    """The command line semgrep's `scan` runs under: the OCaml one when `osemgrep`."""
    # semgrep's `scan` starts a Python program (about 1.3 s of imports before any work) that
    # hands the matching to semgrep-core; `--experimental` runs the OCaml port of that program
    # instead. Both use the same engine: the tests hold our findings to the bare Python
    # command's on the examples.
    return ("--experimental",) if osemgrep else ()


def _document(done: Completed) -> Mapping[str, Any]:
    document = load_json(done.stdout)
    if document is None or not isinstance(document.get("results"), list):
        tail = done.stderr.decode("utf-8", "replace").strip()[-300:]
        raise ToolError(
            "semgrep",
            f"exited {done.run.exit_code} without a valid JSON report ({tail or 'no message'})",
            "run the command shown in the evidence by hand to see what semgrep reports",
        )
    if not isinstance(document.get("errors", []), list):
        raise ToolError("semgrep", "its JSON `errors` is not a list", "reinstall semgrep")
    return document


def scan_batch(
    root: Path,
    args: Sequence[str],
    batch: Sequence[str],
    *,
    timeout: float,
    version: str,
) -> dict[str, PerFile]:
    """Per-file results of one semgrep run with `args` (up to `--`) over `batch` (paths under
    `root`); fatal problems raise ToolError."""
    done = run_tool("semgrep", [*args, *batch], cwd=root, timeout=timeout, version=version)
    document = _document(done)
    _, fatal = problems(document.get("errors", []))
    if fatal or done.run.exit_code not in (0, 1):
        raise ToolError(
            "semgrep",
            f"exited {done.run.exit_code}: {'; '.join(fatal) or 'no error reported'}",
            "check the rule pack with `semgrep --test controls/rules` and rerun the command",
        )
    return semgrep_doc.split(document, batch)


def not_analyzed(targets: Sequence[str], document: Mapping[str, Any]) -> list[Suppression]:
    """Offered files semgrep left out (binary, minified, over its size limit): blind spots."""
    paths = document.get("paths")
    scanned = paths.get("scanned") if isinstance(paths, dict) else None
    if not isinstance(scanned, list):
        raise ToolError("semgrep", "its JSON lists no scanned paths", "reinstall semgrep")
    seen = set(scanned)
    detail = "semgrep did not analyze it (binary, minified or over its size limit)"
    return [Suppression("not-analyzed", rel, None, detail) for rel in targets if rel not in seen]
