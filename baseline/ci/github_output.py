"""Writing to GitHub Actions' step files: outputs (multiline-safe) and the job summary."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path


def output_block(name: str, value: str) -> str:
    """`name<<DELIM` / value / `DELIM`, with a random delimiter the value cannot contain.

    The heredoc form is safe for any value (newlines included), unlike `name=value`, where a
    newline in an untrusted value could forge further outputs.
    """
    if not name or any(c in name for c in "\r\n=<"):
        raise ValueError(f"invalid output name {name!r}")
    while True:
        delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
        if delimiter not in value:
            return f"{name}<<{delimiter}\n{value}\n{delimiter}\n"


def write_outputs(outputs: Mapping[str, str], env: Mapping[str, str] | None = None) -> bool:
    """Append every output to $GITHUB_OUTPUT; False when not running in GitHub Actions."""
    path = (env if env is not None else os.environ).get("GITHUB_OUTPUT")
    if not path:
        return False
    text = "".join(output_block(name, value) for name, value in outputs.items())
    with Path(path).open("a", encoding="utf-8") as handle:
        handle.write(text)
    return True


def append_summary(markdown: str, env: Mapping[str, str] | None = None) -> bool:
    """Append Markdown to $GITHUB_STEP_SUMMARY; False when not running in GitHub Actions."""
    path = (env if env is not None else os.environ).get("GITHUB_STEP_SUMMARY")
    if not path:
        return False
    with Path(path).open("a", encoding="utf-8") as handle:
        handle.write(markdown if markdown.endswith("\n") else markdown + "\n")
    return True
