"""How reports name the programming languages the coverage table counts."""

from __future__ import annotations

from collections.abc import Mapping

DISPLAY: Mapping[str, str] = {
    "python": "Python", "javascript": "JavaScript", "typescript": "TypeScript", "go": "Go",
    "java": "Java", "kotlin": "Kotlin", "scala": "Scala", "groovy": "Groovy", "csharp": "C#",
    "vbnet": "VB.NET", "fsharp": "F#", "ruby": "Ruby", "php": "PHP", "c": "C", "cpp": "C++",
    "objective-c": "Objective-C", "rust": "Rust", "swift": "Swift", "dart": "Dart",
    "lua": "Lua", "perl": "Perl", "r": "R", "elixir": "Elixir", "erlang": "Erlang",
    "haskell": "Haskell", "clojure": "Clojure", "solidity": "Solidity", "shell": "shell",
    "powershell": "PowerShell", "batch": "batch", "dockerfile": "Dockerfile",
}  # fmt: skip
"""How reports name each language."""


def display(language: str) -> str:
    """The name reports use (`csharp` -> `C#`)."""
    return DISPLAY.get(language, language)
