"""What `make X`, `tox -e X`, `nox -s X` and `npm run X` run, read from the repository's files
as data: a Makefile's rules, tox.ini / tox.toml / pyproject's [tool.tox], a noxfile's
`session.run(...)` calls (parsed with `ast`, never imported or executed) and package.json's
`scripts`. Each answer is a list of (where, shell text) pairs, `where` being `file:line`.

Only what the files say literally is followed; a make function (`$(shell ...)`) or an
unknown variable becomes the placeholder word MAKEVAR, so it can never look like a tool.
"""

from __future__ import annotations

import ast
import configparser
import fnmatch
import functools
import json
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from baseline import tomlcompat
from baseline.checks.memo import shared_scan
from baseline.checks.workflow_yaml import LINE, read_yaml
from baseline.context import Context

MAX_BYTES = 512 * 1024
PLACEHOLDER = "MAKEVAR"
MAX_VALUE = 4096
MAX_LISTED = 100_000
"""Prerequisites and recipe lines listed over all of a Makefile's targets (a rule names each
for every one of its targets; a real Makefile lists a few hundred)."""
MAX_LINE = 64 * 1024
"""An expanded line is cut here (shell_words reads no more of a script): a line of many
references to a long variable would otherwise expand to hundreds of megabytes."""
Script = tuple[str, str]
"""(`file:line`, shell text)"""

_ASSIGN = re.compile(
    r"^(?:export\s+|override\s+)?([A-Za-z_][\w.-]*)\s*(?:::=|:=|\?=|\+=|!=|=)(.*)$"
)
_RULE = re.compile(r"^([^\t#=:][^=:]*?)\s*::?(?!=)(.*)$")
_VAR = re.compile(r"\$[({]([^(){}$]*)[)}]")


def _read(ctx: Context, rel: str) -> str | None:
    if rel not in ctx.files:
        return None
    try:
        return ctx.read_text(rel, MAX_BYTES)
    except (OSError, ValueError):
        return None


@dataclass
class Makefile:
    """A Makefile read as data: variables, and per target its prerequisites and recipe."""

    path: str
    variables: dict[str, str] = field(default_factory=dict)
    prereqs: dict[str, list[str]] = field(default_factory=dict)
    recipes: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    first: str = ""
    _expanded: dict[str, str] = field(default_factory=dict, repr=False)

    def expand(self, text: str, depth: int = 0) -> str:
        """Make variables replaced by their values; anything else by the placeholder."""

        def one(match: re.Match[str]) -> str:
            name = match.group(1).strip()
            if name == "MAKE":
                return "make"
            if name not in self.variables or depth >= 8:
                # Unknown (set by the caller or the environment): shown as the shell's
                # `${NAME}`, a plain word that runs nothing; a function call (`$(shell ...)`)
                # becomes the placeholder word.
                return f"${{{name}}}" if re.fullmatch(r"\w+", name) else PLACEHOLDER
            # Each variable is expanded once (a hostile Makefile's variables that each name
            # the next ten times would otherwise grow exponentially), and capped.
            if name not in self._expanded:
                self._expanded[name] = self.expand(self.variables[name], depth + 1)[:MAX_VALUE]
            return self._expanded[name]

        text = text.replace("$$", "\x00")
        for _ in range(8):
            new = _bounded_sub(one, text)
            if new == text:
                break
            text = new
        text = re.sub(r"\$[@<^*?%+|]", PLACEHOLDER, text)
        return text.replace("\x00", "$")

    def run(self, targets: list[str], depth: int = 0, seen: set[str] | None = None) -> list[Script]:
        """The recipe lines `make targets` runs, prerequisites first (within this file)."""
        if seen is None:  # the outer call: no target named means the default goal
            seen = set()
            targets = targets or ([self.first] if self.first else [])
        out: list[Script] = []
        for target in targets:
            if target in seen or depth > 4:
                continue
            seen.add(target)
            out += self.run(
                [p for p in self.prereqs.get(target, []) if p in self.prereqs], depth + 1, seen
            )
            for line, text in self.recipes.get(target, []):
                out.append((f"{self.path}:{line}", self.expand(text.lstrip("@-+ \t"))))
        return out


def _bounded_sub(repl: Callable[[re.Match[str]], str], text: str) -> str:
    """`_VAR.sub(repl, text)` cut at MAX_LINE, stopping once that much is built."""
    parts: list[str] = []
    size = last = 0
    for match in _VAR.finditer(text):
        parts += [text[last : match.start()], repl(match)]
        size += len(parts[-2]) + len(parts[-1])
        last = match.end()
        if size >= MAX_LINE:
            return "".join(parts)[:MAX_LINE]
    parts.append(text[last:])
    return "".join(parts)[:MAX_LINE]


def parse_makefile(path: str, text: str) -> Makefile:
    """Rules and simple variables of a Makefile (conditionals are read as if all branches
    applied; includes are not followed)."""
    make = Makefile(path)
    current: list[str] = []
    lines = text.split("\n")
    number = kept = 0
    while number < len(lines):
        start = number
        parts = [lines[number]]
        while parts[-1].endswith("\\") and number + 1 < len(lines):
            number += 1
            parts[-1] = parts[-1][:-1]
            parts.append(lines[number].lstrip())
        line = " ".join(parts)  # joined once: a file of continuations is not quadratic
        number += 1
        if line.startswith("\t"):
            if current and line.strip() and not line.strip().startswith("#"):
                for target in current[: max(0, MAX_LISTED - kept)]:
                    make.recipes.setdefault(target, []).append((start + 1, line.strip()))
                kept += len(current)
            continue
        stripped = line.split("#", 1)[0].rstrip()
        if (
            not stripped.strip()
            or stripped.lstrip().startswith(
                (
                    "ifeq",
                    "ifneq",
                    "ifdef",
                    "ifndef",
                    "else",
                    "endif",
                    "include",
                    "-include",
                    "define",
                    "endef",
                    "export",
                    "unexport",
                )
            )
            and not _ASSIGN.match(stripped)
        ):
            continue
        if assign := _ASSIGN.match(stripped.strip()):
            name, value = assign.group(1), assign.group(2).strip()
            operator = stripped.strip().split(name, 1)[1].lstrip()[:2]
            if operator == "+=":
                make.variables[name] = (make.variables.get(name, "") + " " + value).strip()
            elif operator == "?=":
                make.variables.setdefault(name, value)
            else:
                make.variables[name] = value
            current = []
            continue
        if rule := _RULE.match(stripped):
            names = make.expand(rule.group(1)).split()
            rest = rule.group(2)
            if _ASSIGN.match(rest.strip()):  # target-specific variable: no recipe follows
                current = []
                continue
            rest, _, inline = rest.partition(";")
            current = [n for n in names if n != PLACEHOLDER]
            prereqs = make.expand(rest).split()
            for name in current:
                listed = make.prereqs.setdefault(name, [])
                if kept < MAX_LISTED:  # n targets sharing n prerequisites list n * n
                    listed.extend(prereqs)
                    kept += len(prereqs)
                make.recipes.setdefault(name, [])
                if not make.first and not name.startswith("."):
                    make.first = name
                if inline.strip():
                    make.recipes[name].append((start + 1, inline.strip()))
    return make


def make_scripts(ctx: Context, args: list[str]) -> tuple[str, list[Script]] | None:
    """What `make args` runs: (the Makefile, its recipe lines), or None without one."""
    directory, file = "", ""
    targets: list[str] = []
    extra: dict[str, str] = {}
    words = iter(args)
    for word in words:
        if word in ("-C", "--directory"):
            directory = next(words, "")
        elif word in ("-f", "--file", "--makefile"):
            file = next(words, "")
        elif word.startswith("-C") and len(word) > 2:
            directory = word[2:]
        elif word in ("-j", "-l", "-o", "-W", "-I"):
            next(words, "")
        elif word.startswith("-"):
            continue
        elif "=" in word:
            name, _, value = word.partition("=")
            extra[name] = value
        else:
            targets.append(word)
    prefix = directory.strip("./") + "/" if directory.strip("./") else ""
    names = [file] if file else ["GNUmakefile", "makefile", "Makefile"]
    for name in names:
        rel = prefix + name.removeprefix("./")
        text = _read(ctx, rel)
        if text is not None:
            make = shared_scan(ctx, {"makefile": rel}, functools.partial(parse_makefile, rel, text))
            if extra:
                make = Makefile(
                    make.path, {**make.variables, **extra}, make.prereqs, make.recipes, make.first
                )
            return rel, make.run(targets)
    return None


def _tox_ini(text: str) -> dict[str, Any]:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return {}
    envs: dict[str, list[str]] = {}
    envlist: list[str] = []
    for section in parser.sections():
        name = section.removeprefix("tox:")
        if name in ("tox", "tox:tox"):
            raw = parser.get(section, "envlist", fallback="") or parser.get(
                section, "env_list", fallback=""
            )
            envlist = [e.strip() for e in re.split(r"[,\n]", raw) if e.strip()]
        elif name == "testenv" or name.startswith("testenv:"):
            commands = parser.get(section, "commands", fallback="")
            envs[name] = _continued(commands)
    return {"envs": envs, "envlist": envlist}


def _continued(text: str) -> list[str]:
    out: list[str] = []
    pending = ""
    for line in text.split("\n"):
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        line = (pending + line).strip()
        pending = ""
        if line and not line.startswith("#"):
            out.append(line)
    return out


def _tox_toml(data: dict[str, Any]) -> dict[str, Any]:
    def commands(table: Any) -> list[str]:
        raw = table.get("commands", []) if isinstance(table, dict) else []
        return [
            " ".join(shlex.quote(str(w)) for w in c if not isinstance(w, dict))
            for c in raw
            if isinstance(c, list)
        ]

    envs = {"testenv": commands(data.get("env_run_base", {}))}
    for name, table in (data.get("env") or {}).items():
        if isinstance(table, dict) and "commands" in table:
            envs[f"testenv:{name}"] = commands(table)
    envlist = [str(e) for e in data.get("env_list", []) if isinstance(e, str)]
    return {"envs": envs, "envlist": envlist}


def _tox_config(ctx: Context) -> tuple[str, dict[str, Any]] | None:
    found = _tox_file(ctx)
    if found is not None:
        found[1]["names"] = [n.removeprefix("testenv:") for n in found[1]["envs"] if n != "testenv"]
    return found


def _tox_file(ctx: Context) -> tuple[str, dict[str, Any]] | None:
    for rel in ("tox.toml", "tox.ini", "pyproject.toml", "setup.cfg"):
        text = _read(ctx, rel)
        if text is None:
            continue
        if rel == "tox.ini" or (rel == "setup.cfg" and "[tox:tox]" in text):
            return rel, _tox_ini(text)
        if rel.endswith(".toml"):
            try:
                data = tomlcompat.loads(text)
            except tomlcompat.TOMLDecodeError:
                continue
            if rel == "pyproject.toml":
                data = (data.get("tool") or {}).get("tox") or {}
                if not data:
                    continue
                if isinstance(data.get("legacy_tox_ini"), str):
                    return rel, _tox_ini(data["legacy_tox_ini"])
            return rel, _tox_toml(data)
    return None


def _subst_tox(command: str) -> str:
    command = re.sub(r"^[\w{},.!-]+:\s+(?=\S)", "", command.strip())  # factor conditions
    command = re.sub(r"\{envpython\}|\{env_python\}", "python", command)
    command = re.sub(r"\{posargs:([^}]*)\}", r"\1", command)
    return command.lstrip("-! ")  # other {substitutions} stay: plain words to the shell


def _pick(names: list[str], wanted: list[str], default: list[str]) -> list[str]:
    if not wanted:
        return default or names
    out = []
    known = set(names)
    for want in wanted:
        if "GHAEXPR" not in want:  # a plain name: no pattern matching over every env
            out += [want] if want in known else []
            continue
        pattern = want.replace("GHAEXPR", "*")
        out += [n for n in names if fnmatch.fnmatch(n, pattern)]
    return out


def tox_scripts(ctx: Context, args: list[str]) -> tuple[str, list[Script]] | None:
    """What `tox args` runs (the envs' commands), or None without a tox configuration."""
    found = shared_scan(ctx, {"tox-config": True}, lambda: _tox_config(ctx))
    if found is None:
        return None
    rel, config = found
    envs: dict[str, list[str]] = config["envs"]
    wanted = _option_values(args, ("-e", "--env", "--envlist"))
    if any(w == "ALL" for w in wanted):
        wanted = []
    names: list[str] = config["names"]
    default = list(config["envlist"])
    chosen = _pick(names, wanted, default) if names else []
    if not chosen:  # requested envs without their own section run the base [testenv]
        chosen = wanted or default or ["testenv"]
    scripts: list[Script] = []
    for env in dict.fromkeys(chosen):
        commands = envs.get(f"testenv:{env}", envs.get("testenv", []))
        scripts += [(f"{rel} [{env}]", _subst_tox(c)) for c in commands]
    return rel, scripts


def _option_values(args: list[str], options: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    words = iter(args)
    for word in words:
        for option in options:
            if word == option:
                out += next(words, "").split(",")
            elif word.startswith(option + "=") or (
                len(option) == 2 and word.startswith(option) and len(word) > 2
            ):
                out += word[len(option) :].lstrip("=").split(",")
    return [o for o in out if o]


def _nox_sessions(text: str) -> tuple[dict[str, list[tuple[int, str]]], list[str]]:
    try:
        return _sessions(ast.parse(text))
    except (SyntaxError, ValueError, RecursionError):  # ast.unparse recurses too
        return {}, []


def _sessions(tree: ast.Module) -> tuple[dict[str, list[tuple[int, str]]], list[str]]:
    sessions: dict[str, list[tuple[int, str]]] = {}
    defaults: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            ast.unparse(t) == "nox.options.sessions" for t in node.targets
        ):
            if isinstance(node.value, (ast.List, ast.Tuple)):
                defaults = [
                    e.value
                    for e in node.value.elts
                    if isinstance(e, ast.Constant) and isinstance(e.value, str)
                ]
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        name = ""
        for deco in node.decorator_list:
            target = deco.func if isinstance(deco, ast.Call) else deco
            if ast.unparse(target).split(".")[-1] in ("session",):
                name = node.name
                if isinstance(deco, ast.Call):
                    for kw in deco.keywords:
                        if kw.arg == "name" and isinstance(kw.value, ast.Constant):
                            name = str(kw.value.value)
        if not name:
            continue
        runs: list[tuple[int, str]] = []
        for call in ast.walk(node):
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "run"
            ):
                words = [
                    shlex.quote(
                        a.value
                        if isinstance(a, ast.Constant) and isinstance(a.value, str)
                        else ast.unparse(a)
                    )
                    for a in call.args
                ]
                if words:
                    runs.append((call.lineno, " ".join(words)))
        sessions[name] = runs
    return sessions, defaults


def nox_scripts(ctx: Context, args: list[str]) -> tuple[str, list[Script]] | None:
    """What `nox args` runs (each session's `session.run(...)` words), or None."""
    rel = "noxfile.py"
    if rel not in ctx.files:
        return None
    sessions, defaults = shared_scan(
        ctx, {"noxfile": rel}, lambda: _nox_sessions(_read(ctx, rel) or "")
    )
    wanted = _option_values(args, ("-s", "--session", "--sessions", "-e"))
    chosen: list[str] = []
    for want in wanted or defaults or list(sessions):
        if "GHAEXPR" not in want:  # `test` or `test-3.12` (a parametrized session)
            base = want if want in sessions else want.rsplit("-", 1)[0]
            chosen += [base] if base in sessions else []
            continue
        pattern = want.replace("GHAEXPR", "*")
        chosen += [
            n
            for n in sessions
            if fnmatch.fnmatch(n, pattern)
            or fnmatch.fnmatch(n + "-0", pattern)
            or pattern.startswith(n + "-")
        ]
    return rel, [
        (f"{rel}:{line} [{name}]", text_)
        for name in dict.fromkeys(chosen)
        for line, text_ in sessions[name]
    ]


def npm_scripts(ctx: Context, script: str) -> tuple[str, list[Script]] | None:
    """The `scripts` entry of package.json that `npm run <script>` runs, or None."""
    rel = "package.json"
    if rel not in ctx.files:
        return None
    text, data = shared_scan(ctx, {"package-json": rel}, lambda: _json(_read(ctx, rel)))
    if data is None:
        return None
    scripts = data.get("scripts") if isinstance(data, dict) else None
    value = scripts.get(script) if isinstance(scripts, dict) else None
    if not isinstance(value, str):
        return rel, []
    line = next(
        (
            n + 1
            for n, t in enumerate(text.split("\n"))
            if re.search(rf'"{re.escape(script)}"\s*:', t)
        ),
        0,
    )
    return rel, [(f"{rel}:{line} [{script}]", value)]


def _json(text: str | None) -> tuple[str, Any]:
    try:
        return text or "", json.loads(text) if text is not None else None
    except (ValueError, RecursionError):
        return text or "", None


_HOOK_COMMANDS = {
    "ruff": ("ruff", "check"),
    "ruff-check": ("ruff", "check"),
    "bandit": ("bandit",),
    "semgrep": ("semgrep",),
    "gosec": ("gosec",),
}


def precommit_scripts(ctx: Context, args: list[str]) -> tuple[str, list[Script]] | None:
    """The hooks `pre-commit run [hook]` runs, from .pre-commit-config.yaml (read as data):
    a known hook id as its program with the hook's `args`, a local hook as its `entry`."""
    rel = ".pre-commit-config.yaml"
    if rel not in ctx.files:
        return None
    config = read_yaml(ctx, rel)
    if config is None:
        return None
    wanted = [a for a in args[1:] if not a.startswith("-")][:1] if args[:1] == ["run"] else []
    scripts: list[Script] = []
    repos = config.data.get("repos")
    for repo in repos if isinstance(repos, list) else []:
        hooks = repo.get("hooks") if isinstance(repo, dict) else None
        for hook in hooks if isinstance(hooks, list) else []:
            if not isinstance(hook, dict) or not isinstance(hook.get("id"), str):
                continue
            if wanted and hook["id"] != wanted[0]:
                continue
            extra = [str(a) for a in hook.get("args") or [] if isinstance(a, (str, int))]
            if repo.get("repo") == "local" and isinstance(hook.get("entry"), str):
                words = [hook["entry"]]
            else:
                words = [shlex.join(_HOOK_COMMANDS.get(hook["id"], (hook["id"],)))]
            scripts.append(
                (
                    f"{rel}:{hook.get(LINE, 0)} [{hook['id']}]",
                    " ".join([*words, *(shlex.quote(a) for a in extra)]),
                )
            )
    return rel, scripts
