"""Read a project config: `.baseline.toml`, or `[tool.baseline]` in `pyproject.toml`.

The config lives in the scanned repository, so it is untrusted input: every key is validated,
every problem is located (file, line, key), and the paths it names (included files, evidence)
must stay inside the config's folder without going through a symbolic link.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from baseline import globs, tomlcompat
from baseline.catalog.fields import Reporter
from baseline.catalog.locate import KeyLines, KeyPath, decode_error_line
from baseline.catalog.scope_table import scope_table
from baseline.errors import InputError, Problem
from baseline.models import Acceptance, Attestation, Waiver
from baseline.project import schema
from baseline.project.paths import locate, not_regular_reason, read_regular
from baseline.project.records import (
    Roots,
    Where,
    read_acceptance,
    read_attestation,
    read_waiver,
)

CONFIG_NAME = ".baseline.toml"


class _PrefixedLines(KeyLines):
    """Key lines of a table nested in a bigger file (`[tool.baseline]` in pyproject.toml)."""

    def __init__(self, text: str, prefix: KeyPath) -> None:
        super().__init__(text)
        self._prefix = prefix

    def line(self, path: KeyPath) -> int | None:
        return super().line((*self._prefix, *path))


@dataclass
class ProjectConfig:
    """A parsed config; entries keep where they were written for later, located checks."""

    file: str
    folder: Path
    repo: Path | None = None
    """The assessed repository, for `repo:` evidence paths."""
    catalog: str | None = None
    excludes: tuple[str, ...] = ()
    scope: dict[str, list[str]] = field(default_factory=dict)
    """The `[scope]` table: globs per label and the failing labels (baseline/scope.py)."""
    extra_rules: list[str] = field(default_factory=list)
    """`[semgrep] extra_rules`: rule files or folders relative to the repository root."""
    params: list[tuple[dict[str, Any], Where]] = field(default_factory=list)
    not_applicable: list[tuple[dict[str, Any], Where]] = field(default_factory=list)
    producer: dict[str, Any] = field(default_factory=dict)
    attestations: list[tuple[Attestation, Where]] = field(default_factory=list)
    waivers: list[tuple[Waiver, Where]] = field(default_factory=list)
    accepted_findings: list[tuple[Acceptance, Where]] = field(default_factory=list)
    """`[[accepted_findings]]`, in the order written."""
    evidence: dict[str, Path] = field(default_factory=dict)
    """Config-relative evidence path -> the file (only files that exist)."""
    files: dict[str, Path] = field(default_factory=dict)
    """The config and the files it includes, by config-relative name (kept in the bundle)."""
    reporters: list[Reporter] = field(default_factory=list)
    sha256: str = ""
    """SHA-256 of the bytes the config was parsed from (the record's digest is of what counted)."""

    def problems(self) -> list[Problem]:
        """Every problem found so far, in every file read."""
        return [p for r in self.reporters for p in r.problems]


def discover(target: Path) -> Path | None:
    """The target's `.baseline.toml`, else its `pyproject.toml` if that has `[tool.baseline]`."""
    dotfile = target / CONFIG_NAME
    if os.path.lexists(dotfile):  # whatever it is: a FIFO or a folder is refused by name later
        return dotfile
    pyproject = target / "pyproject.toml"
    raw = read_regular(pyproject)
    if raw is None:
        return None
    try:
        tool = tomlcompat.loads(raw.decode("utf-8", "replace")).get("tool")
    except tomlcompat.TOMLDecodeError:
        # Broken TOML: report it only if it looks meant to configure this tool.
        return pyproject if b"tool.baseline" in raw else None
    return pyproject if isinstance(tool, dict) and "baseline" in tool else None


def _parse(path: Path, display: str) -> tuple[dict[str, Any], str, bytes]:
    raw = read_regular(path)
    if raw is None:
        why = not_regular_reason(path) or "cannot be read as a regular file"
        raise InputError.single(display, "", why)
    text = raw.decode("utf-8", "replace")
    try:
        return tomlcompat.loads(text), text, raw
    except tomlcompat.TOMLDecodeError as exc:
        raise InputError.single(
            display, "", f"invalid TOML: {exc}", decode_error_line(str(exc))
        ) from None


def _records(config: ProjectConfig, data: dict[str, Any], report: Reporter) -> None:
    for index, item in report.array_of_tables(
        data.get("attestations"), ("attestations",), "attestations"
    ):
        where = Where(report, ("attestations", index), f"attestations[{index}]")
        roots = Roots(config.folder, config.repo)
        att = read_attestation(item, where, roots, config.evidence)
        if att is not None:
            config.attestations.append((att, where))
    for index, item in report.array_of_tables(data.get("waivers"), ("waivers",), "waivers"):
        where = Where(report, ("waivers", index), f"waivers[{index}]")
        waiver = read_waiver(item, where)
        if waiver is not None:
            config.waivers.append((waiver, where))


def _include(config: ProjectConfig, rel: str, report: Reporter, index: int) -> None:
    path, why = locate(config.folder, rel)
    why = why or (not_regular_reason(path) if path is not None else None)
    if path is None or why is not None:
        report.add(("include",), f"include[{index}]", f"{rel!r} {why}" if path else str(why))
        return
    display = str(Path(config.file).parent / rel)
    data, text, _ = _parse(path, display)
    config.files[rel] = path
    sub = Reporter(display, KeyLines(text))
    config.reporters.append(sub)
    sub.table(data, schema.INCLUDED_FILE, (), "")
    _records(config, data, sub)


def _producer(value: Any, report: Reporter) -> dict[str, Any]:
    producer = report.table(value, schema.PRODUCER, ("producer",), "producer")
    products = []
    for index, item in report.array_of_tables(
        producer.get("products"), ("producer", "products"), "producer.products"
    ):
        path = ("producer", "products", index)
        entry = report.table(item, schema.PRODUCT, path, f"producer.products[{index}]")
        if "release_date" in entry:
            entry["release_date"] = entry["release_date"].isoformat()
        products.append(entry)
    if "products" in producer:
        producer["products"] = products
    return producer


def load_config(path: Path, display: str | None = None, repo: Path | None = None) -> ProjectConfig:
    """Parse and validate a config file (and the files it includes); problems are collected.

    Evidence paths are relative to the config's folder, or to `repo` when written `repo:...`.
    """
    name = display or str(path)
    data, text, raw = _parse(path, name)
    prefix: KeyPath = ()
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        data = tool.get("baseline", {}) if isinstance(tool, dict) else {}
        prefix = ("tool", "baseline")
    report = Reporter(name, _PrefixedLines(text, prefix))
    label = "tool.baseline" if prefix else ""
    config = ProjectConfig(name, path.parent, repo, files={path.name: path}, reporters=[report],
                           sha256=hashlib.sha256(raw).hexdigest())  # fmt: skip
    top = report.table(data, schema.CONFIG, (), label)
    config.catalog = top.get("catalog")
    config.excludes = tuple(top.get("excludes", ()))
    for why in globs.problems(config.excludes):
        report.add(("excludes",), "excludes", why)
    if "scope" in top:
        config.scope = scope_table(top["scope"], report)
    if "semgrep" in top:
        rules = report.table(top["semgrep"], schema.SEMGREP, ("semgrep",), "semgrep")
        config.extra_rules = list(rules.get("extra_rules", ()))
    for key in ("params", "not_applicable"):
        fields = schema.PARAMS if key == "params" else schema.NOT_APPLICABLE
        for index, item in report.array_of_tables(top.get(key), (key,), key):
            where = Where(report, (key, index), f"{key}[{index}]")
            entry = report.table(item, fields, where.path, where.label)
            getattr(config, key).append((entry, where))
    if "producer" in top:
        config.producer = _producer(top["producer"], report)
    _records(config, top, report)
    for index, item in report.array_of_tables(
        top.get("accepted_findings"), ("accepted_findings",), "accepted_findings"
    ):
        where = Where(report, ("accepted_findings", index), f"accepted_findings[{index}]")
        accepted = read_acceptance(item, where)
        if accepted is not None:
            config.accepted_findings.append((accepted, where))
    for index, rel in enumerate(top.get("include", ())):
        _include(config, rel, report, index)
    return config
