"""Which programming language a repository file is written in, and how many lines it has.

By suffix first; a file without one (`bin/deploy`, `Dockerfile`) by its name or by the
interpreter its first line names (`#!/usr/bin/env python3`, `#!/bin/sh`). Only that line is
read, and nothing is ever run. Configuration and prose (YAML, JSON, TOML, Markdown, HTML
templates) are not code: no SAST rule is expected to read them, so they are not counted.
Shell scripts and Dockerfiles are code: a `scripts/deploy.sh` the product ships runs with its
privileges, so when no analyzer reads shell it was not analyzed (tests, examples and docs are
not product and never count, see `baseline/scope.py`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from baseline.context import Context
from baseline.languages import display as display

SUFFIXES: Mapping[str, str] = {
    "py": "python", "pyi": "python", "pyw": "python",
    "js": "javascript", "jsx": "javascript", "mjs": "javascript", "cjs": "javascript",
    "ts": "typescript", "tsx": "typescript", "mts": "typescript", "cts": "typescript",
    "go": "go", "java": "java", "kt": "kotlin", "kts": "kotlin", "scala": "scala",
    "groovy": "groovy", "cs": "csharp", "vb": "vbnet", "fs": "fsharp", "rb": "ruby",
    "php": "php", "c": "c", "h": "c", "cc": "cpp", "cpp": "cpp", "cxx": "cpp", "hpp": "cpp",
    "hh": "cpp", "m": "objective-c", "mm": "objective-c", "rs": "rust", "swift": "swift",
    "dart": "dart", "lua": "lua", "pl": "perl", "pm": "perl", "r": "r", "ex": "elixir",
    "exs": "elixir", "erl": "erlang", "hs": "haskell", "clj": "clojure", "sol": "solidity",
    "sh": "shell", "bash": "shell", "zsh": "shell", "ksh": "shell", "ps1": "powershell",
    "psm1": "powershell", "bat": "batch", "cmd": "batch", "dockerfile": "dockerfile",
}  # fmt: skip
"""Source-code suffixes (lower case) and the language; the names are semgrep's where it has one."""

NAMES: Mapping[str, str] = {"Dockerfile": "dockerfile", "Containerfile": "dockerfile"}
"""Whole file names that are code."""

INTERPRETERS: Mapping[str, str] = {
    "python": "python", "pypy": "python", "sh": "shell", "bash": "shell", "dash": "shell",
    "zsh": "shell", "ksh": "shell", "ash": "shell", "node": "javascript",
    "nodejs": "javascript", "deno": "typescript", "bun": "javascript", "ruby": "ruby",
    "perl": "perl", "php": "php", "lua": "lua", "pwsh": "powershell", "Rscript": "r",
    "tsx": "typescript", "ts-node": "typescript", "groovy": "groovy", "kotlin": "kotlin",
}  # fmt: skip
"""Interpreters a shebang line may name (version suffixes such as `python3.12` stripped)."""

SHEBANG_BYTES = 256
"""How much of an extension-less file is read to find its interpreter."""
_VERSION = re.compile(r"[\d.]+$")


def by_name(rel: str) -> str | None:
    """The language a path's name says, or None (no suffix, or not a code suffix)."""
    name = rel.rsplit("/", 1)[-1]
    if name in NAMES or name.startswith("Dockerfile."):
        return "dockerfile"
    if "." not in name.lstrip("."):
        return None
    return SUFFIXES.get(name.rsplit(".", 1)[-1].lower())


def interpreter(first_line: bytes) -> str | None:
    """The language of a `#!` line (`#!/usr/bin/env -S python3 -u` -> python), or None."""
    if not first_line.startswith(b"#!"):
        return None
    words = first_line[2:].split(b"\n", 1)[0].decode("utf-8", "replace").split()
    if not words:
        return None
    program = words[0].rsplit("/", 1)[-1]
    if program == "env":
        rest = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
        program = rest[0].rsplit("/", 1)[-1] if rest else ""
    return INTERPRETERS.get(_VERSION.sub("", program) or program) or INTERPRETERS.get(program)


def language_of(ctx: Context, rel: str) -> str | None:
    """The language of one repository file: by name, else (no suffix) by its shebang line."""
    found = by_name(rel)
    name = rel.rsplit("/", 1)[-1]
    if found is not None or "." in name.lstrip("."):
        return found
    try:
        head = ctx.read_bytes(rel, SHEBANG_BYTES)
    except (OSError, ValueError):
        return None
    return interpreter(head)


def count_lines(ctx: Context, rel: str, limit: int) -> int:
    """Lines of a file (a last line without a newline counts), reading at most `limit` bytes."""
    try:
        data = ctx.read_bytes(rel, limit)
    except (OSError, ValueError):
        return 0
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
