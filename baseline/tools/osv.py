"""OSV data for PyPI packages: a local OSV database read and matched, or pip-audit run against
its public service (online only). Which pins are looked up and what a match means is the
check's to judge (`baseline.checks.osv`).

OSV matching: PyPI records by normalized name; affected when the version is listed in
`versions`, or falls in an ECOSYSTEM range (introduced <= v < fixed, or v <= last_affected).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Set
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from baseline.errors import ToolError
from baseline.models import ToolRun
from baseline.toolrun import run_tool, tool_version

MAX_DB_FILES = 500_000


def _records(document: Any) -> Iterator[dict[str, Any]]:
    if isinstance(document, dict) and isinstance(document.get("vulns"), list):
        document = document["vulns"]
    for item in document if isinstance(document, list) else [document]:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            yield item


def load_osv(path: Path) -> dict[str, list[dict[str, Any]]]:
    """PyPI OSV records by normalized package name; ValueError names the unreadable file."""
    files = sorted(path.rglob("*.json")) if path.is_dir() else [path]
    if len(files) > MAX_DB_FILES:
        raise ValueError(f"{path}: more than {MAX_DB_FILES} files")
    index: dict[str, list[dict[str, Any]]] = {}
    for file in files:
        try:
            document = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"{file.name}: not a readable OSV JSON file ({exc})") from None
        for record in _records(document):
            for affected in record.get("affected") or []:
                package = affected.get("package") or {} if isinstance(affected, dict) else {}
                if str(package.get("ecosystem", "")).lower() == "pypi" and package.get("name"):
                    index.setdefault(canonicalize_name(str(package["name"])), []).append(record)
    return index


def _version(text: Any) -> Version | None:
    try:
        return Version(str(text))
    except InvalidVersion:
        return None


def _in_range(version: Version, events: Iterable[Mapping[str, Any]]) -> bool:
    """Walk the events in version order: the last threshold the version passes decides."""
    keyed = []
    for event in events:
        for kind in ("introduced", "fixed", "last_affected", "limit"):
            if kind in event:
                bound = Version("0") if event[kind] == "0" else _version(event[kind])
                if bound is not None:
                    keyed.append((bound, kind))
    affected = False
    for bound, kind in sorted(keyed, key=lambda k: (k[0], k[1] != "introduced")):
        if kind == "introduced" and version >= bound:
            affected = True
        elif kind in ("fixed", "limit") and version >= bound:
            affected = False
        elif kind == "last_affected" and version > bound:
            affected = False
    return affected


def affects(record: Mapping[str, Any], name: str, version_text: str) -> bool:
    """Whether an OSV record affects this PyPI package version."""
    version = _version(version_text)
    for affected in record.get("affected") or []:
        package = affected.get("package") or {}
        if canonicalize_name(str(package.get("name", ""))) != name:
            continue
        listed = {_version(v) for v in affected.get("versions") or []}
        if version is not None and version in listed:
            return True
        for rng in affected.get("ranges") or []:
            if version is not None and rng.get("type") in ("ECOSYSTEM", "SEMVER"):
                if _in_range(version, rng.get("events") or []):
                    return True
    return False


def pip_audit(
    pairs: Set[tuple[str, str]], timeout: float
) -> tuple[ToolRun, dict[tuple[str, str], list[dict[str, Any]]]]:
    """pip-audit over `name==version` pairs (no resolution, no install): its run, and each
    (normalized name, version)'s vulnerabilities as pip-audit reports them."""
    version = tool_version("pip-audit")
    with tempfile.TemporaryDirectory() as tmp:
        reqs = Path(tmp) / "requirements.txt"
        reqs.write_text("".join(f"{n}=={v}\n" for n, v in sorted(pairs)))
        done = run_tool(
            "pip-audit",
            [
                "--disable-pip",
                "--no-deps",
                "--format",
                "json",
                "--progress-spinner",
                "off",
                "-r",
                reqs.name,
            ],
            cwd=Path(tmp),
            timeout=timeout,
            version=version,
        )
    try:
        deps = json.loads(done.stdout)["dependencies"]
        vulns = {
            (str(canonicalize_name(d["name"])), str(d["version"])): d.get("vulns", []) for d in deps
        }
    except (ValueError, KeyError, TypeError) as exc:
        raise ToolError("pip-audit", f"unreadable JSON output ({exc})", "reinstall it") from None
    return done.run, vulns
