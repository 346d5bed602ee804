"""Assess many local repositories in parallel (`baseline assess-many`), then aggregate them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from baseline.context import RunOptions
from baseline.engine import assess
from baseline.errors import InputError, Problem
from baseline.models import Assessment, Catalog, TrustRecord
from baseline.report.write import write_reports

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Target:
    """One line of the list: the path as written, where it resolves, and its output folder."""

    display: str
    path: Path
    name: str


def safe_name(text: str) -> str:
    """A folder name made of the path's safe characters (never empty, never `.` or `..`)."""
    name = _UNSAFE.sub("_", text).strip("._")
    return name or "target"


def read_list(list_file: Path) -> list[Target]:
    """Targets named in the list, one path a line (`#` starts a comment line).

    Relative paths are taken from the list file's folder. Every bad line is reported with its
    line number before any work starts.
    """
    try:
        text = list_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError.single(list_file, "", f"cannot read the list: {exc}") from None
    targets: list[Target] = []
    problems: list[Problem] = []
    seen: dict[Path, int] = {}
    names: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        path = (list_file.parent / line).resolve()
        if not path.is_dir():
            problems.append(Problem(str(list_file), number, "", f"{line!r} is not a directory"))
            continue
        if path in seen:
            message = f"{line!r} is already listed on line {seen[path]}"
            problems.append(Problem(str(list_file), number, "", message))
            continue
        seen[path] = number
        name = base = safe_name(line)
        suffix = 2
        while name in names:
            name, suffix = f"{base}-{suffix}", suffix + 1
        names.add(name)
        targets.append(Target(line, path, name))
    if problems:
        raise InputError(problems)
    if not targets:
        raise InputError.single(list_file, "", "the list names no repository")
    return targets


def split_jobs(jobs: int, targets: int) -> tuple[int, int]:
    """(targets at once, checks at once per target) so that their product stays within jobs."""
    outer = max(1, min(jobs, targets))
    return outer, max(1, jobs // outer)


def assess_many(
    targets: Sequence[Target],
    catalog: Catalog,
    out: Path,
    *,
    jobs: int,
    formats: Sequence[str] = ("json",),
    excludes: tuple[str, ...] = (),
    cache: Path | None = None,
    base: RunOptions | None = None,
    trust: TrustRecord | None = None,
    as_of: dt.date | None = None,
) -> list[tuple[Target, Assessment]]:
    """Assess every target within `jobs`, writing OUT/<name>/ for each; results in list order.

    `cache` is the scan cache shared by all targets (None: none); `base` carries the operator's
    settings (API host, repository, allowed signers); `trust` is recorded in every record (the
    targets' own configs are never read)."""
    outer, inner = split_jobs(jobs, len(targets))
    options = dataclasses.replace(base or RunOptions(), jobs=inner, excludes=excludes,
                                  cache=cache, as_of=as_of)  # fmt: skip

    def one(target: Target) -> tuple[Target, Assessment]:
        assessment = assess(target.path, catalog, options, display=target.display, quiet=True)
        assessment = dataclasses.replace(assessment, trust=trust)
        write_reports(assessment, formats, out / target.name)
        return target, assessment

    with ThreadPoolExecutor(max_workers=outer) as pool:
        return list(pool.map(one, targets))
