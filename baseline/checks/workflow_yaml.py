"""Safe loading of GitHub Actions workflow files, shared by the workflow probes.

The repository is hostile: a workflow may be huge, malformed, or an alias bomb (a few lines
whose anchors expand to billions of nodes when walked). Files over a size cap or with more
aliases than a small budget are refused; a refused or malformed file is reported, not fatal.
Mappings remember the 1-based line they start on (key `__line__`) so probes can cite lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from baseline.checks.memo import shared_scan
from baseline.context import Context

WORKFLOW_GLOBS = (".github/workflows/*.yml", ".github/workflows/*.yaml")
MAX_BYTES = 512 * 1024
MAX_ALIASES = 64
MAX_DEPTH = 48
LINE = "__line__"


class _LineLoader(yaml.SafeLoader):
    """SafeLoader (no Python object construction) that records where each mapping starts."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping
)


@dataclass(frozen=True)
class Workflow:
    """One workflow file: its parsed document, or why it could not be read."""

    path: str
    data: dict[Any, Any] = field(default_factory=dict, hash=False)
    problem: str = ""
    """Why the file was not parsed (too large, alias bomb, malformed); empty when it was."""


def _refusal(text: str) -> str:
    """Why the event stream is refused before anything is built (alias bomb, deep nesting)."""
    aliases = depth = 0
    for event in yaml.parse(text, Loader=_LineLoader):
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                return f"more than {MAX_ALIASES} YAML aliases; refused"
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return f"YAML nested deeper than {MAX_DEPTH} levels; refused"
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return ""


def parse_workflow(path: str, raw: bytes) -> Workflow:
    """Parse one workflow document safely; problems are returned, never raised."""
    if len(raw) > MAX_BYTES:
        return Workflow(path, problem=f"larger than {MAX_BYTES} bytes; not parsed")
    text = raw.decode("utf-8", "replace")
    try:
        refusal = _refusal(text)
        if refusal:
            return Workflow(path, problem=refusal)
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        return Workflow(path, problem=f"malformed YAML{where}: {problem}")
    except RecursionError:
        return Workflow(path, problem="YAML nested too deeply; refused")
    if not isinstance(data, dict):
        return Workflow(path, problem="not a mapping at the top level")
    return Workflow(path, data=data)


def load_workflows(ctx: Context) -> list[Workflow]:
    """Every workflow file of the target, parsed (or with its problem), sorted by path.

    Parsed once per assessment: every workflow probe reads the same list.
    """
    return shared_scan(
        ctx,
        {"workflows": WORKFLOW_GLOBS},
        lambda: [
            parse_workflow(rel, ctx.read_bytes(rel, MAX_BYTES + 1))
            for rel in ctx.matching(WORKFLOW_GLOBS)
        ],
    )


def triggers(workflow: Workflow) -> dict[str, Any]:
    """The `on:` events as a mapping (YAML 1.1 reads a bare `on` key as boolean true)."""
    raw = workflow.data.get("on", workflow.data.get(True))
    if isinstance(raw, str):
        return {raw: None}
    if isinstance(raw, list):
        return {str(event): None for event in raw}
    if isinstance(raw, dict):
        return {str(k): v for k, v in raw.items() if k != LINE}
    return {}


@dataclass(frozen=True)
class Step:
    """One step of one job, with what it uses or runs."""

    path: str
    job: str
    line: int | None
    uses: str
    run: str
    name: str


def steps(workflow: Workflow) -> Iterator[Step]:
    """Every step of every job (reusable-workflow jobs yield their `uses:` as one step)."""
    jobs = workflow.data.get("jobs")
    if not isinstance(jobs, dict):
        return
    for job_id, job in jobs.items():
        if job_id == LINE or not isinstance(job, dict):
            continue
        if isinstance(job.get("uses"), str):
            yield Step(workflow.path, str(job_id), job.get(LINE), job["uses"], "", "")
        for step in job.get("steps") or ():
            if isinstance(step, dict):
                yield Step(
                    workflow.path,
                    str(job_id),
                    step.get(LINE),
                    _text(step.get("uses")),
                    _text(step.get("run")),
                    _text(step.get("name")),
                )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
