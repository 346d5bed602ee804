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
    lines: tuple[str, ...] = field(default=(), hash=False, repr=False)
    """The file's text lines (for the comments YAML drops, such as `# v1.2.3` after a pin)."""


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
    return Workflow(path, data=data, lines=tuple(text.splitlines()))


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


def read_yaml(ctx: Context, rel: str) -> Workflow | None:
    """Another YAML file of the target (a composite action, .pre-commit-config.yaml) parsed
    as safely as a workflow, once per assessment; None when it cannot be read."""

    def parse() -> Workflow | None:
        try:
            return parse_workflow(rel, ctx.read_bytes(rel, MAX_BYTES + 1))
        except (OSError, ValueError):
            return None

    return shared_scan(ctx, {"yaml-file": rel}, parse)


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
    inputs: tuple[tuple[str, str], ...] = ()
    """The step's `with:` inputs as text (a reusable-workflow job's `with:` too)."""
    id_token: bool = False
    """Whether the job may request an OIDC token (`id-token: write`, job or workflow level)."""
    version_note: str = ""
    """The version written in a comment after the `uses:` pin (`@<sha> # v1.12.4`)."""
    run_line: int | None = None
    """The line of the script's first line (for citing the exact command)."""


def id_token_allowed(permissions: Any) -> bool:
    """Whether a `permissions:` value grants `id-token: write`."""
    if permissions == "write-all":
        return True
    return isinstance(permissions, dict) and permissions.get("id-token") == "write"


def _version_note(lines: tuple[str, ...], start: int | None, uses: str) -> str:
    if not uses or start is None:
        return ""
    for text in lines[start - 1 : start + 30]:
        if uses in text and "#" in text.split(uses, 1)[1]:
            return text.split(uses, 1)[1].split("#", 1)[1].strip()
        if uses in text:
            return ""
    return ""


def _run_line(lines: tuple[str, ...], start: int | None) -> int | None:
    if start is None:
        return None
    for offset, text in enumerate(lines[start - 1 : start + 30]):
        key = text.strip().removeprefix("- ").lstrip()
        if key.startswith("run:"):
            rest = key[4:].strip()
            block = rest[:1] in ("|", ">")
            return start + offset + (1 if block else 0)
    return start


def step_list(
    path: str, job: str, raw_steps: Any, lines: tuple[str, ...], id_token: bool
) -> Iterator[Step]:
    """Steps of a job (or of a composite action) as Step records."""
    for step in raw_steps if isinstance(raw_steps, list) else ():
        if not isinstance(step, dict):
            continue
        uses = _text(step.get("uses"))
        yield Step(
            path,
            job,
            step.get(LINE),
            uses,
            _text(step.get("run")),
            _text(step.get("name")),
            inputs=_inputs(step.get("with")),
            id_token=id_token,
            version_note=_version_note(lines, step.get(LINE), uses),
            run_line=_run_line(lines, step.get(LINE)) if step.get("run") else None,
        )


def _inputs(raw: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, dict):
        return ()
    return tuple(
        (str(k), str(v).lower() if isinstance(v, bool) else str(v))
        for k, v in raw.items()
        if k != LINE
    )


def steps(workflow: Workflow) -> Iterator[Step]:
    """Every step of every job (reusable-workflow jobs yield their `uses:` as one step)."""
    jobs = workflow.data.get("jobs")
    if not isinstance(jobs, dict):
        return
    top = workflow.data.get("permissions")
    for job_id, job in jobs.items():
        if job_id == LINE or not isinstance(job, dict):
            continue
        token = id_token_allowed(job["permissions"] if "permissions" in job else top)
        if isinstance(job.get("uses"), str):
            yield Step(
                workflow.path,
                str(job_id),
                job.get(LINE),
                job["uses"],
                "",
                "",
                inputs=_inputs(job.get("with")),
                id_token=token,
                version_note=_version_note(workflow.lines, job.get(LINE), job["uses"]),
            )
        yield from step_list(workflow.path, str(job_id), job.get("steps"), workflow.lines, token)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
