"""Semgrep rules a catalog or a project config adds to the shipped pack (`[semgrep]
extra_rules`), validated before anything runs.

An entry is a rule file or a folder of them (`*.yaml`, `*.yml`; `*.test.yaml` are test
targets), relative to the catalog file's folder or to the repository root, never leaving it, and
never through a symbolic link; or, from a catalog only, a semgrep registry config (`p/...`,
`r/...`, `s/...`), which runs only with `--online`. Each file must be a regular file of at most
1 MiB holding a mapping with one key, `rules`: a list of rules, each with `id`, `message`,
`severity`, `languages` and a pattern or taint key. A rule id that is already taken (by a
shipped rule or another added file) is refused: an added rule must not be able to replace
`python.eval-exec-dynamic` with one that never matches. `join` and `extract` rules, which read
other rule files or feed other rules, are refused too, so an added rule can only add findings.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from baseline.errors import Problem
from baseline.models import RuleFile
from baseline.project.paths import locate, not_regular_reason, read_regular

MAX_RULE_FILE_BYTES = 1 << 20
MAX_RULE_FILES = 200
REGISTRY = re.compile(r"^[prs]/[A-Za-z0-9][\w.@:-]*(/[\w.@:-]+)*$")
"""A registry config: `p/<ruleset>`, `r/<rule id>`, `s/<snippet>`."""
_ID = re.compile(r"^[A-Za-z0-9][\w.-]*$")
_SEVERITIES = ("ERROR", "WARNING", "INFO", "INVENTORY", "EXPERIMENT", "CRITICAL", "HIGH",
               "MEDIUM", "LOW")  # fmt: skip
_MATCH_KEYS = ("pattern", "patterns", "pattern-either", "pattern-regex", "match", "taint",
               "pattern-sources")  # fmt: skip
_REFUSED_MODES = ("join", "extract")


@dataclass
class Loaded:
    """What a `[semgrep]` table added, and every problem found."""

    files: list[RuleFile] = field(default_factory=list)
    registry: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def load(
    base: Path,
    entries: Sequence[Any],
    origin: str,
    where: tuple[str, int | None],
    shipped: Collection[str],
    allow_registry: bool,
    shown_base: str = "",
) -> Loaded:
    """The rule files `entries` name (relative to `base`), labelled `<origin>:<path>`.

    `where` is the (file, line) of the `extra_rules` key, for problems with the entries
    themselves; problems inside a rule file name that file (under `shown_base`, how the user
    knows `base`) and line. `shipped` holds the rule ids already taken.
    """
    out = Loaded()
    taken = dict.fromkeys(shipped, "a shipped rule")
    prefix = "" if shown_base in ("", ".") else shown_base.rstrip("/") + "/"
    for index, entry in enumerate(entries):
        key = f"semgrep.extra_rules[{index}]"
        if not isinstance(entry, str):
            out.problems.append(Problem(where[0], where[1], key, "must be a string"))
        elif REGISTRY.match(entry):
            if allow_registry:
                out.registry.append(entry)
            else:
                refused = (
                    f"{entry!r} is a semgrep registry config: only the operator's catalog may "
                    "name one (it runs only with --online); add the rule files to the "
                    "repository instead"
                )
                out.problems.append(Problem(where[0], where[1], key, refused))
        else:
            for rel, path, problem in _files(base, entry):
                if problem is not None:
                    out.problems.append(Problem(where[0], where[1], key, problem))
                elif len(out.files) >= MAX_RULE_FILES:
                    many = f"names more than {MAX_RULE_FILES} rule files"
                    out.problems.append(Problem(where[0], where[1], key, many))
                    return out
                else:
                    _add(out, f"{origin}:{rel}", prefix + rel, path, taken)
    return out


def _files(base: Path, entry: str) -> Iterator[tuple[str, Path, str | None]]:
    """(display path, path, problem or None) for every rule file an entry names."""
    path, why = locate(base, entry)
    if path is None:
        yield entry, base, why
        return
    rel = PurePosixPath(entry).as_posix()
    try:
        mode = path.lstat().st_mode
    except OSError:
        yield rel, path, f"{entry!r} does not exist"
        return
    if stat.S_ISDIR(mode):
        found = sorted(_walk(path, rel))
        if not found:
            yield rel, path, f"{entry!r} holds no rule file (*.yaml, *.yml)"
        yield from found
        return
    why = not_regular_reason(path)
    yield rel, path, (f"{entry!r} {why}" if why else None)


def _walk(folder: Path, rel: str, depth: int = 0) -> Iterator[tuple[str, Path, str | None]]:
    if depth > 8:
        yield rel, folder, f"{rel!r} is nested too deeply (more than 8 folders)"
        return
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda e: e.name)
    for item in entries:
        child, path = f"{rel}/{item.name}", folder / item.name
        if item.is_symlink():
            # Never followed; a linked rule file or folder is refused rather than skipped, so
            # that rules the author expects to run never silently do not.
            if item.name.endswith((".yaml", ".yml")) or item.is_dir():
                yield child, path, f"{child!r} is a symbolic link; name the real file"
        elif item.is_dir(follow_symlinks=False):
            yield from _walk(path, child, depth + 1)
        elif item.name.endswith((".yaml", ".yml")) and not item.name.endswith(
            (".test.yaml", ".test.yml")
        ):
            why = not_regular_reason(path)
            yield child, path, (f"{child!r} {why}" if why else None)


def _add(out: Loaded, origin: str, rel: str, path: Path, taken: dict[str, str]) -> None:
    raw = read_regular(path, MAX_RULE_FILE_BYTES + 1)
    if raw is None:
        out.problems.append(Problem(rel, None, "", "is not a regular file"))
        return
    if len(raw) > MAX_RULE_FILE_BYTES:
        out.problems.append(Problem(rel, None, "", f"is over {MAX_RULE_FILE_BYTES} bytes"))
        return
    problems: list[Problem] = []
    ids = _rules(rel, raw, problems)
    for rule_id, line in ids:
        if rule_id in taken:
            why = f"rule id {rule_id!r} is already taken by {taken[rule_id]}; give it its own id"
            problems.append(Problem(rel, line, "rules[].id", why))
        else:
            taken[rule_id] = origin
    out.problems.extend(problems)
    if not problems:
        digest = hashlib.sha256(raw).hexdigest()
        out.files.append(RuleFile(origin, digest, tuple(r for r, _ in ids), str(path)))


def _rules(rel: str, raw: bytes, problems: list[Problem]) -> list[tuple[str, int]]:
    """(id, line) of every rule of a file; its problems appended (file, line, key)."""
    try:
        text = raw.decode("utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except UnicodeDecodeError:
        problems.append(Problem(rel, None, "", "is not UTF-8 text"))
        return []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problems.append(Problem(rel, line, "", f"invalid YAML: {getattr(exc, 'problem', exc)}"))
        return []
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        problems.append(Problem(rel, 1, "", "must be a mapping with a `rules` list"))
        return []
    for key_node, _ in node.value:
        if key_node.value != "rules":
            why = "unknown top-level key: a rule file holds only `rules`"
            problems.append(Problem(rel, key_node.start_mark.line + 1, str(key_node.value), why))
    items = {k.value: v for k, v in node.value}.get("rules")
    rules = data.get("rules")
    if not isinstance(items, yaml.SequenceNode) or not isinstance(rules, list) or not rules:
        problems.append(Problem(rel, 1, "rules", "must be a non-empty list of rules"))
        return []
    return [
        found
        for index, (item, rule) in enumerate(zip(items.value, rules, strict=True))
        if (found := _rule(rel, index, item, rule, problems)) is not None
    ]


def _rule(
    rel: str, index: int, node: yaml.Node, rule: Any, problems: list[Problem]
) -> tuple[str, int] | None:
    line = node.start_mark.line + 1
    key = f"rules[{index}]"
    if not isinstance(rule, dict) or not isinstance(node, yaml.MappingNode):
        problems.append(Problem(rel, line, key, "must be a mapping"))
        return None
    lines = {k.value: k.start_mark.line + 1 for k, _ in node.value}
    before = len(problems)

    def bad(name: str, why: str) -> None:
        problems.append(Problem(rel, lines.get(name, line), f"{key}.{name}", why))

    rule_id = rule.get("id")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        bad("id", "must be a rule id (letters, digits, `.`, `-`, `_`)")
    if not isinstance(rule.get("message"), str) or not rule["message"].strip():
        bad("message", "must say what is wrong and what to do")
    if str(rule.get("severity", "")).upper() not in _SEVERITIES:
        bad("severity", f"must be one of {', '.join(_SEVERITIES[:3])}")
    languages = rule.get("languages")
    if (
        not isinstance(languages, list)
        or not languages
        or not all(isinstance(x, str) for x in languages)
    ):
        bad("languages", "must be a non-empty list of language names")
    if not any(k in rule for k in _MATCH_KEYS):
        bad("pattern", f"a rule needs one of {', '.join(_MATCH_KEYS)}")
    if rule.get("mode") in _REFUSED_MODES:
        bad("mode", f"{rule['mode']!r} rules read or feed other rules: refused")
    if rule.get("mode") == "taint" and "taint" not in rule and "pattern-sinks" not in rule:
        bad("pattern-sinks", "a taint rule needs `pattern-sources` and `pattern-sinks`")
    if len(problems) > before or not isinstance(rule_id, str):
        return None
    return rule_id, line
