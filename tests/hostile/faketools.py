"""Fake executables put first on PATH, named like a real tool, that fail in one chosen way."""

from __future__ import annotations

import stat
from pathlib import Path

MODES = {
    "killed-sigkill": "the tool is killed by SIGKILL",
    "killed-sigsegv": "the tool dies of SIGSEGV",
    "hang": "the tool hangs past the check's timeout",
    "truncated": "the tool exits 0 after printing output cut off half-way",
    "bad-version": "an unsupported, ancient version that rejects the arguments",
}

_BODIES = {
    "killed-sigkill": "kill -KILL $$",
    "killed-sigsegv": "kill -SEGV $$",
    "hang": "exec sleep 120",
    "truncated": "printf '%s' \"$TRUNCATED\"; exit 0",
    "bad-version": 'echo "usage: $NAME [-h]" >&2; echo "$NAME: error: unrecognized arguments"'
    " >&2; exit 2",
}
_TRUNCATED = {
    "git": "d37938ce84",
    "bandit": '{"errors": [], "generated_at": "2026-01-01", "results": [{"code": "1 eval(',
    "semgrep": '{"version": "1.90.0", "results": [{"check_id": "python.eval", "path": "app',
    "zizmor": '[{"ident": "template-injection", "desc": "code injection via template exp',
}


def install_fake_tool(folder: Path, name: str, mode: str, good_version: str = "1.0.0") -> Path:
    """Write `folder/name`, a shell script that answers `--version` (with `good_version`, or
    0.0.1 in mode bad-version) and fails every other call in the way `mode` says."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    version = "0.0.1" if mode == "bad-version" else good_version
    truncated = _TRUNCATED.get(name, '{"results": [{"pa')
    script = f"""#!/bin/sh
# A fake {name} for the hostile-input tests: {MODES[mode]}.
NAME={name}
TRUNCATED='{truncated}'
if [ -n "$FAKE_TOOL_STARTED" ]; then echo $$ > "$FAKE_TOOL_STARTED"; fi
if [ -n "$FAKE_TOOL_PIDS" ]; then echo $$ >> "$FAKE_TOOL_PIDS"; fi
for arg in "$@"; do
  case "$arg" in --version|-V|version) echo "$NAME {version}"; exit 0;; esac
done
{_BODIES[mode]}
"""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(script, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path
