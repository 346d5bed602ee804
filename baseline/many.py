"""Assess many local repositories in parallel (`baseline assess-many`), then aggregate them."""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from baseline.errors import InputError, Problem
from baseline.progress import Progress
from baseline.service import AssessmentOutcome, AssessmentRequest, load, run

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
    request: AssessmentRequest,
    out: Path,
    *,
    jobs: int,
    quiet: bool = False,
) -> list[tuple[Target, AssessmentOutcome]]:
    """Assess every target within `jobs` through the one run (`baseline/service.py`), writing
    OUT/<name>/ for each; results in list order.

    `request` is the run every target gets (catalog, trust, policy, formats, options); each
    target's own config is read as far as `request.config_trust` allows. Every target's config
    and catalog are loaded and checked before any target is assessed, so a bad one stops the
    run before work is spent. Each finished target is a step of the progress on stderr (a
    live bar on a terminal, a line each in CI logs), unless `quiet`."""
    outer, inner = split_jobs(jobs, len(targets))
    options = dataclasses.replace(request.options, jobs=inner)
    requests = [dataclasses.replace(request, target=t.path, display=t.display, options=options,
                                    out=out / t.name) for t in targets]  # fmt: skip
    projects = [load(r) for r in requests]

    progress = Progress(len(targets), "repositories", quiet=quiet)

    def one(at: int) -> tuple[Target, AssessmentOutcome]:
        started = time.perf_counter()
        outcome = run(requests[at], projects[at])
        verdict = f"{len(outcome.failures)} gate(s) not met" if outcome.failures else "policy met"
        progress.step(targets[at].display, verdict, time.perf_counter() - started)
        return targets[at], outcome

    with ThreadPoolExecutor(max_workers=outer) as pool:
        return list(pool.map(one, range(len(targets))))
