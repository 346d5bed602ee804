"""Shell scripts as the commands they run, parsed with bashlex (never by substring search).

`echo "syft slsa-verifier"` runs `echo` with one argument; `pip install pytest bandit` runs
`pip`. Only the command word (after environment assignments and wrappers such as `sudo`,
`uv run`, `python -m`) says which program runs. A script bashlex cannot parse (it does not
know `case`, `[[ ]]` or arithmetic) is split line by line, each line parsed on its own, and a
line bashlex still refuses is tokenized with shlex and cut at the shell's operators.
GitHub expressions (`${{ ... }}`) are replaced by the word `GHAEXPR` first: their value is not
known offline.
"""

from __future__ import annotations

import functools
import re
import shlex
from dataclasses import dataclass
from typing import Any

EXPR = "GHAEXPR"
_GHA = re.compile(r"\$\{\{.*?\}\}", re.DOTALL)
_ASSIGN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_OPERATORS = {";", "&&", "||", "|", "&", "(", ")", ";;", "|&", "{", "}", "!"}
_KEYWORDS = {
    "if",
    "then",
    "else",
    "elif",
    "fi",
    "do",
    "done",
    "while",
    "until",
    "for",
    "in",
    "case",
    "esac",
    "!",
    "{",
    "}",
    "time",
}
MAX_SCRIPT = 64 * 1024


@dataclass(frozen=True)
class Command:
    """One simple command of a script: its words and the 0-based line it starts on."""

    words: tuple[str, ...]
    line: int


def without_expressions(script: str) -> str:
    """The script with every `${{ ... }}` replaced by `GHAEXPR` (newlines kept)."""
    return _GHA.sub(lambda m: EXPR + "\n" * m.group(0).count("\n"), script)


@functools.lru_cache(maxsize=1)
def _visitor() -> Any:
    """bashlex's visitor, imported on first use: importing the checks (to load a catalog)
    needs no shell parser."""
    import bashlex.ast

    class Visitor(bashlex.ast.nodevisitor):  # type: ignore[misc]
        def __init__(self, text: str, base: int, out: list[Command]) -> None:
            self.text = text
            self.base = base
            self.out = out

        def visitcommand(self, node: Any, parts: list[Any]) -> None:
            words = tuple(p.word for p in parts if p.kind == "word")
            if words:
                start = node.pos[0]
                self.out.append(Command(words, self.base + self.text.count("\n", 0, start)))

    return Visitor


def _bashlex(text: str, base: int) -> list[Command] | None:
    import bashlex
    import bashlex.errors

    out: list[Command] = []
    visitor = _visitor()
    try:
        for tree in bashlex.parse(text):
            visitor(text, base, out).visit(tree)
    except (
        bashlex.errors.ParsingError,
        NotImplementedError,
        IndexError,
        AttributeError,
        TypeError,
        ValueError,
        AssertionError,
        RecursionError,
    ):
        return None
    return out


def _shlex(line: str, base: int) -> list[Command]:
    lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|()")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        tokens = list(lexer)
    except ValueError:  # unbalanced quotes: nothing certain on this line
        return []
    out: list[Command] = []
    current: list[str] = []
    for token in [*tokens, ";"]:
        if token in _OPERATORS or set(token) <= set(";&|()"):
            while current and current[0] in _KEYWORDS:
                current.pop(0)
            if current:
                out.append(Command(tuple(current), base))
            current = []
        else:
            current.append(token)
    return out


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Lines with backslash continuations joined, each with its 0-based first line."""
    out: list[tuple[int, str]] = []
    pending = ""
    start = 0
    for number, line in enumerate(text.split("\n")):
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        out.append((start, pending + line))
        pending = ""
    if pending:
        out.append((start, pending))
    return out


@functools.lru_cache(maxsize=4096)
def _commands(script: str) -> tuple[Command, ...]:
    return tuple(_parse(script))


def commands(script: str) -> list[Command]:
    """Every simple command the script runs, in order (including `$(...)` substitutions).

    Parsed once per text: the same recipe or script is reached from many steps."""
    return list(_commands(script))


def _parse(script: str) -> list[Command]:
    text = without_expressions(script[:MAX_SCRIPT])
    whole = _bashlex(text, 0)
    if whole is not None:
        return whole
    out: list[Command] = []
    for number, line in _logical_lines(text):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parsed = _bashlex(line, number)
        out.extend(parsed if parsed is not None else _shlex(line, number))
    return out


def strip_assignments(words: tuple[str, ...]) -> tuple[str, ...]:
    """Words without leading `NAME=value` environment assignments."""
    index = 0
    while index < len(words) and _ASSIGN.match(words[index]):
        index += 1
    return words[index:]
