"""What each workflow step does: the actions it uses (identity, version, inputs) and the
programs its `run:` script runs, followed one level into `make` targets, tox envs, nox
sessions, package.json scripts and the repository's own composite actions.

Nothing here runs anything: scripts are parsed (shell_words), task files are read as data
(task_runners). A command is known by its program after wrappers are taken off: `sudo`,
`env`, `uv run`, `poetry run`, `npx`, `python -m <module>`, `coverage run -m <module>`, and the
JavaScript coverage runners `nyc` and `c8` with their options.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace

from baseline.checks import task_runners
from baseline.checks.shell_words import EXPR, commands, strip_assignments
from baseline.checks.workflow_yaml import LINE, Step, Workflow, read_yaml, step_list
from baseline.context import Context

MAX_DEPTH = 3
MAX_RUNS = 500
"""Programs read per step, through every task file (a real step runs a few dozen)."""
_WRAPPERS = {
    "sudo",
    "env",
    "time",
    "nice",
    "exec",
    "command",
    "xvfb-run",
    "unshare",
    "timeout",
    "nohup",
    "stdbuf",
    "doas",
    "eatmydata",
    "cross-env",
    "dotenv",
}
_RUNNERS = {
    ("uv", "run"),
    ("poetry", "run"),
    ("pdm", "run"),
    ("pipenv", "run"),
    ("pipx", "run"),
    ("hatch", "run"),
    ("pnpm", "exec"),
    ("bundle", "exec"),
    ("conda", "run"),
    ("micromamba", "run"),
    ("rye", "run"),
    ("uv", "tool"),
    ("yarn", "exec"),
    ("npm", "exec"),
}
_SINGLE_RUNNERS = {"uvx", "npx", "pnpx", "bunx"}
_COVERAGE_WRAPPERS = {
    # JavaScript coverage tools run the command that follows their options (`nyc --exclude
    # test --reporter=text npm test`, expressjs/express package.json:95); these options take a
    # value as the next word (nyc's from @istanbuljs/schema, c8's from its lib/parse-args.js;
    # yargs also reads them in camelCase). An option not listed here makes its value read as
    # the command, which then runs no known tool: a missed test step, never an invented one.
    "nyc": frozenset(
        "--exclude -x --include -n --reporter -r --require -i --extension -e --temp-dir -t "
        "--temp-directory --report-dir --cache-dir --cwd --nycrc-path --branches --functions "
        "--lines --statements".split()
    ),
    "c8": frozenset(
        "--exclude -x --include -n --reporter -r --extension -e --reports-dir --report-dir -o "
        "--temp-directory --src --config -c --resolve --wrapper-length --branches --functions "
        "--lines --statements".split()
    ),
}
_VALUE_OPTIONS = {
    "--with",
    "--python",
    "-p",
    "--extra",
    "--group",
    "--package",
    "--directory",
    "--project",
    "--env-file",
    "--from",
    "--index-url",
    "-n",
    "--name",
    "--only-group",
    "--with-requirements",
    "--prefix",
    "-c",
    "-C",
}
_UNKNOWN = re.compile(rf"\$\{{\w+\}}|\$\w+|{task_runners.PLACEHOLDER}")
_PYTHON = re.compile(r"^(python|pypy|py)(\d+(\.\d+)?t?)?$")
_MODULES = {"cyclonedx_py": "cyclonedx-py", "pip_audit": "pip-audit", "py.test": "pytest"}
_NPM_BUILTINS = {
    "install",
    "i",
    "ci",
    "add",
    "remove",
    "audit",
    "publish",
    "pack",
    "exec",
    "init",
    "link",
    "config",
    "cache",
    "set",
    "dlx",
    "global",
    "outdated",
    "upgrade",
    "why",
    "version",
    "info",
    "login",
    "logout",
    "rebuild",
    "dedupe",
}


@dataclass(frozen=True)
class Run:
    """One program a step runs: its name and arguments, where it is written, and how it was
    reached (`make ci` -> `Makefile:7`)."""

    tool: str
    args: tuple[str, ...]
    where: str
    via: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The command as it reads, shortened."""
        words = " ".join((self.tool, *self.args)).replace(EXPR, "${{…}}")
        return words if len(words) <= 120 else words[:117] + "..."


@dataclass(frozen=True)
class ActionUse:
    """One `uses:` of an action or reusable workflow, by identity and version."""

    identity: str
    """`owner/repo[/path]`, lower case, without the `@ref`."""
    ref: str
    version: tuple[int, ...] | None
    """From the ref (`v1.12.4`, `release/v1`) or the comment after a SHA pin; None unknown."""
    inputs: Mapping[str, str]
    id_token: bool
    where: str
    job: str
    via: tuple[str, ...] = ()


@dataclass(frozen=True)
class StepView:
    """A step with what it uses and runs (composite actions and task files followed)."""

    step: Step
    uses: tuple[ActionUse, ...] = ()
    runs: tuple[Run, ...] = field(default=())

    @property
    def label(self) -> str:
        """`file:line job <job> step "<name>"`."""
        name = f' step "{self.step.name}"' if self.step.name else ""
        return f"{self.step.path}:{self.step.line} job {self.step.job}{name}"


def parse_version(text: str) -> tuple[int, ...] | None:
    """`v1.12.4` -> (1, 12, 4); `release/v1` -> (1,); anything else -> None."""
    match = re.search(r"(?:^|[/\s])v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:$|[\s,;)-])", text.strip())
    if not match:
        return None
    return tuple(int(g) for g in match.groups() if g is not None)


def action_identity(uses: str) -> str:
    """`Owner/Repo/path@v1` -> `owner/repo/path`: how an action is named wherever it is known."""
    return uses.partition("@")[0].lower().strip("/")


def action_use(uses: str, step: Step, via: tuple[str, ...] = ()) -> ActionUse | None:
    """The action a `uses:` names, or None for local paths and docker images."""
    if not uses or uses.startswith(("./", "docker://")) or "@" not in uses:
        return None
    _, _, ref = uses.partition("@")
    version = None if re.fullmatch(r"[0-9a-f]{40}", ref) else parse_version(ref)
    if version is None and step.version_note:
        version = parse_version(step.version_note)
    return ActionUse(
        action_identity(uses),
        ref,
        version,
        dict(step.inputs),
        step.id_token,
        f"{step.path}:{step.line}",
        step.job,
        via,
    )


def _skip_options(words: list[str]) -> list[str]:
    while words and words[0].startswith("-"):
        option = words.pop(0)
        if option in _VALUE_OPTIONS and words and "=" not in option:
            words.pop(0)
    return words


def _wrapped_command(words: list[str], value_options: frozenset[str]) -> list[str]:
    """The command a wrapper runs: its words after the wrapper's own options (`--opt=value`
    is one word; an option of `value_options` takes the next word as its value)."""
    rest = list(words)
    while rest and rest[0].startswith("-"):
        option = rest.pop(0)
        if option == "--":
            break
        kebab = re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", option).lower()  # --tempDir
        if option in value_options or kebab in value_options:
            if rest:
                rest.pop(0)
    return rest


def normalize(words: tuple[str, ...]) -> tuple[str, tuple[str, ...]] | None:
    """(program, arguments) once wrappers and runners are taken off; None for nothing."""
    rest = list(strip_assignments(words))
    for _ in range(8):
        if rest and _UNKNOWN.fullmatch(rest[0]):
            # An unknown variable as the command word: `$(PYTHON) -m X` is python; otherwise
            # it is taken for an empty prefix (`$(TEST_ENV) uv run pytest`).
            rest = ["python", *rest[1:]] if rest[1:2] == ["-m"] else rest[1:]
            continue
        if not rest:
            return None
        base = rest[0].rsplit("/", 1)[-1].lower().removesuffix(".exe")
        second = rest[1] if len(rest) > 1 else ""
        if base in _WRAPPERS:
            rest = list(strip_assignments(tuple(_skip_options(rest[1:]))))
            if base == "timeout" and rest and re.fullmatch(r"[\d.]+[smhd]?", rest[0]):
                rest = rest[1:]
            continue
        if (base, second) in _RUNNERS:
            rest = _skip_options(rest[2:])
            if base == "uv" and second == "tool" and rest[:1] == ["run"]:
                rest = _skip_options(rest[1:])
            continue
        if base in _SINGLE_RUNNERS:
            rest = _skip_options(rest[1:])
            continue
        if base in _COVERAGE_WRAPPERS:
            rest = _wrapped_command(rest[1:], _COVERAGE_WRAPPERS[base])
            continue
        if _PYTHON.match(base):
            args = rest[1:]
            while args and args[0].startswith("-") and args[0] != "-m":
                flag = args.pop(0)
                if flag in ("-X", "-W") and args:
                    args.pop(0)
                if flag == "-c":
                    return "python-c", tuple(args)
            if args[:1] == ["-m"] and len(args) > 1:
                module = args[1].lower()
                rest = [_MODULES.get(module, module), *args[2:]]
                if module in ("pytest", "unittest", "bandit", "sigstore"):
                    return rest[0], tuple(rest[1:])
                continue
            return "python", tuple(args)
        if base == "coverage" and second == "run":
            rest = ["python", *rest[2:]]
            continue
        return _MODULES.get(base, base), tuple(rest[1:])
    return None


def _npm_script(tool: str, args: tuple[str, ...]) -> str | None:
    words = [a for a in args if not a.startswith("-")]
    if not words:
        return None
    if tool in ("npm", "pnpm", "yarn", "bun") and words[0] in ("test", "t", "tst"):
        return "test"
    if words[0] in ("run", "run-script", "rum") and len(words) > 1:
        return words[1]
    if tool in ("yarn", "pnpm") and words[0] not in _NPM_BUILTINS:
        return words[0]
    return None


def _children(ctx: Context, run: Run) -> tuple[str, list[task_runners.Script]] | None:
    args = list(run.args)
    if run.tool in ("make", "gmake"):
        return task_runners.make_scripts(ctx, args)
    if run.tool == "tox":
        return task_runners.tox_scripts(ctx, args)
    if run.tool == "nox":
        return task_runners.nox_scripts(ctx, args)
    if run.tool in ("pre-commit", "prek"):
        return task_runners.precommit_scripts(ctx, args)
    if run.tool in ("npm", "pnpm", "yarn", "bun"):
        script = _npm_script(run.tool, run.args)
        return task_runners.npm_scripts(ctx, script) if script else None
    return None


def expand(ctx: Context, run: Run, depth: int = 0) -> Iterator[Run]:
    """The run itself, then what it runs through make/tox/nox/npm (a few levels)."""
    yield run
    if depth >= MAX_DEPTH:
        return
    found = _children(ctx, run)
    if found is None:
        return
    _, scripts = found
    via = (*run.via, run.text)
    for where, text in scripts:
        for command in commands(text):
            normal = normalize(command.words)
            if normal is not None:
                yield from expand(ctx, Run(normal[0], normal[1], where, via), depth + 1)


def script_runs(ctx: Context, step: Step, via: tuple[str, ...] = ()) -> list[Run]:
    """Every program a step's `run:` script runs, resolved through task files."""
    out: list[Run] = []
    base = step.run_line if step.run_line is not None else step.line or 0
    for command in commands(step.run):
        normal = normalize(command.words)
        if normal is None or normal[0] == EXPR.lower():
            continue
        run = Run(normal[0], normal[1], f"{step.path}:{base + command.line}", via)
        out += itertools.islice(expand(ctx, run), MAX_RUNS)
        if len(out) >= MAX_RUNS:  # a hostile repository's fan-out ends here
            break
    return out[:MAX_RUNS]


def _composite(ctx: Context, uses: str, step: Step) -> list[Step]:
    folder = uses.removeprefix("./").split("@", 1)[0].strip("/")
    for name in ("action.yml", "action.yaml"):
        rel = f"{folder}/{name}"
        if rel not in ctx.files:
            continue
        action = read_yaml(ctx, rel)
        if action is None:
            return []
        runs = action.data.get("runs")
        if action.problem or not isinstance(runs, dict) or runs.get("using") != "composite":
            return []
        return list(step_list(rel, step.job, runs.get("steps"), action.lines, step.id_token))
    return []


# Actions that run a shell command given as an input, the way `run:` does (juice-shop/juice-shop
# runs its test suites through nick-invision/retry's `command:`).
COMMAND_INPUTS = {
    "nick-invision/retry": "command",
    "nick-fields/retry": "command",
    "wandalen/wretry.action": "command",
}


def view(ctx: Context, step: Step) -> StepView:
    """What one step uses and runs, its local composite action followed one level."""
    uses: list[ActionUse] = []
    runs = script_runs(ctx, step)
    if (use := action_use(step.uses, step)) is not None:
        uses.append(use)
        if use.identity == "pre-commit/action":  # runs `pre-commit run --all-files`
            run = Run("pre-commit", ("run", *use.inputs.get("extra_args", "").split()), use.where)
            runs += itertools.islice(expand(ctx, run), 1, MAX_RUNS + 1)  # as script_runs
        if (name := COMMAND_INPUTS.get(use.identity)) and use.inputs.get(name):
            as_script = replace(step, run=use.inputs[name], run_line=step.line)
            runs += script_runs(ctx, as_script, (f"{use.identity} {name}:",))
    if step.uses.startswith("./") and not step.uses.startswith("./.github/workflows/"):
        via = (f"composite action {step.uses}",)
        for inner in _composite(ctx, step.uses, step):
            if (inner_use := action_use(inner.uses, inner, via)) is not None:
                uses.append(inner_use)
            runs += script_runs(ctx, inner, via)
    return StepView(step, tuple(uses), tuple(runs))


def local_callers(workflows: list[Workflow]) -> dict[str, list[str]]:
    """Reusable workflow path -> the workflows of this repository that call it."""
    callers: dict[str, list[str]] = {}
    for workflow in workflows:
        jobs = workflow.data.get("jobs")
        for job_id, job in jobs.items() if isinstance(jobs, dict) else ():
            if job_id == LINE or not isinstance(job, dict):
                continue
            uses = job.get("uses")
            if isinstance(uses, str) and uses.startswith("./"):
                callee = uses.removeprefix("./").split("@", 1)[0]
                callers.setdefault(callee, []).append(workflow.path)
    return callers
