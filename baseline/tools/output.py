"""What the SAST adapters share about a tool's output: its JSON document, and the per-file
parts the incremental cache stores (baseline.checks.sast_cache)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

PerFile = dict[str, Any]
"""What one tool said about one file (JSON-compatible)."""


def load_json(stdout: bytes) -> Mapping[str, Any] | None:
    """The tool's JSON document, or None when the output is not a JSON object."""
    try:
        document = json.loads(stdout.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return document if isinstance(document, dict) else None


Snippet = Callable[[str, int], str]
"""The excerpt to show at (repository path, 1-based line): a finding's snippet."""
