"""Run a composite action's `run:` steps locally, in a simulated GitHub Actions environment.

Only what the tests need of GitHub's behaviour: inputs with defaults, `${{ }}` expressions in
`env:` values (inputs, step outputs, github.action_path), the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY
files, `bash -e` per step, and `uses:` steps skipped (they need GitHub's servers).

As on GitHub, every step starts in the workspace (GITHUB_WORKSPACE: the assessed repository)
and `python` on PATH is a plain interpreter (here the test virtualenv's, as setup-python's would
be). The install step needs the network; a test that skips it can hand the run an environment
that already holds the tool (`preinstalled`), where the install step would have built it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_HEREDOC = re.compile(r"^([^=<\n]+)<<(.+)$")
# Where action.yml's install step creates the tool's virtualenv, under RUNNER_TEMP.
TOOL_DIR = "ssdf-baseline"


def parse_output_file(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT's two forms: `name=value` and `name<<DELIM` ... `DELIM`."""
    outputs: dict[str, str] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        heredoc = _HEREDOC.match(line)
        if heredoc:
            name, delimiter = heredoc.groups()
            end = lines.index(delimiter, i + 1)
            outputs[name] = "\n".join(lines[i + 1 : end])
            i = end + 1
            continue
        if "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
        i += 1
    return outputs


@dataclass
class StepRun:
    """What one executed step did."""

    name: str
    exit_code: int
    stdout: str
    stderr: str
    outputs: dict[str, str] = field(default_factory=dict)


@dataclass
class ActionRun:
    """The whole run: every step, the summary, the outputs by step id, and the exit code."""

    steps: list[StepRun]
    summary: str
    outputs: dict[str, dict[str, str]]
    exit_code: int
    skipped: list[str]


class Simulator:
    """A composite action run against a workspace, with temporary GitHub files."""

    def __init__(self, action_dir: Path, workspace: Path, scratch: Path) -> None:
        self.action_dir = action_dir
        self.action = yaml.safe_load((action_dir / "action.yml").read_text(encoding="utf-8"))
        self.workspace = workspace
        self.scratch = scratch

    def evaluate(self, text: str, inputs: dict[str, str], steps: dict[str, dict[str, str]]) -> str:
        """Replace each `${{ expr }}` the simulator understands; anything else is an error."""

        def value(match: re.Match[str]) -> str:
            parts = match.group(1).split(".")
            if parts[0] == "inputs" and len(parts) == 2:
                return inputs[parts[1]]
            if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
                return steps.get(parts[1], {}).get(parts[3], "")
            if parts == ["github", "action_path"]:
                return str(self.action_dir)
            if parts == ["github", "token"]:
                return "simulated-token"
            raise ValueError(f"expression not supported by the simulator: {match.group(0)}")

        return EXPRESSION.sub(value, text)

    def inputs(self, given: dict[str, str]) -> dict[str, str]:
        """Declared inputs with their defaults, overridden by the given ones (unknown: error)."""
        declared: dict[str, Any] = self.action.get("inputs", {})
        unknown = set(given) - set(declared)
        if unknown:
            raise KeyError(f"inputs not declared by action.yml: {sorted(unknown)}")
        resolved = {name: str(spec.get("default", "")) for name, spec in declared.items()}
        resolved = {k: self.evaluate(v, {}, {}) for k, v in resolved.items()}
        resolved.update(given)
        return resolved

    def base_env(self, summary: Path, output: Path) -> dict[str, str]:
        """The runner's variables, with `python` resolving to this interpreter."""
        bin_dir = self.scratch / "bin"
        bin_dir.mkdir(exist_ok=True)
        python = bin_dir / "python"
        if not python.exists():
            # exec, not a symlink: a symlink to a virtualenv's python is not that virtualenv.
            python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
            python.chmod(0o755)
        # The host's pip settings (indexes, find-links) are not a runner's.
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("GITHUB_", "BASELINE_", "PIP_", "VIRTUAL_ENV"))}  # fmt: skip
        env.update(
            PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
            # Only an unisolated `python -m` sees this (main's action.yml did): it then imports
            # this checkout's package, after anything in the working directory.
            PYTHONPATH=str(self.action_dir),
            PIP_CONFIG_FILE=os.devnull,
            GITHUB_ACTIONS="true",
            GITHUB_WORKSPACE=str(self.workspace),
            GITHUB_ACTION_PATH=str(self.action_dir),
            GITHUB_STEP_SUMMARY=str(summary),
            RUNNER_TEMP=str(self.scratch),
        )
        return env

    def run(
        self,
        given: dict[str, str],
        skip: tuple[str, ...] = (),
        extra_env: dict[str, str] | None = None,
        preinstalled: Path | None = None,
    ) -> ActionRun:
        """Run every `run:` step in order until one fails, as a runner would.

        `preinstalled`: a virtualenv holding ssdf-baseline and its tools, linked where the
        install step puts the tool's own ($RUNNER_TEMP/ssdf-baseline), for runs that skip it.
        """
        inputs = self.inputs(given)
        if preinstalled is not None:
            tool = self.scratch / TOOL_DIR
            if not tool.is_symlink():
                tool.symlink_to(preinstalled, target_is_directory=True)
        summary = self.scratch / "step_summary.md"
        summary.write_text("", encoding="utf-8")
        done: list[StepRun] = []
        outputs: dict[str, dict[str, str]] = {}
        skipped: list[str] = []
        for index, step in enumerate(self.action["runs"]["steps"]):
            name = step.get("name", step.get("id", f"step {index}"))
            if "uses" in step or name in skip:
                skipped.append(name)
                continue
            output = self.scratch / f"output_{index}"
            output.write_text("", encoding="utf-8")
            env = self.base_env(summary, output)
            env["GITHUB_OUTPUT"] = str(output)
            env.update(extra_env or {})
            for key, text in (step.get("env") or {}).items():
                env[key] = self.evaluate(str(text), inputs, outputs)
            script = self.scratch / f"step_{index}.sh"
            script.write_text(step["run"], encoding="utf-8")
            proc = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                cwd=self.workspace, env=env, capture_output=True, text=True, timeout=600,
                check=False,
            )  # fmt: skip
            result = StepRun(name, proc.returncode, proc.stdout, proc.stderr)
            result.outputs = parse_output_file(output.read_text(encoding="utf-8"))
            if "id" in step:
                outputs[step["id"]] = result.outputs
            done.append(result)
            if proc.returncode != 0:
                break
        code = done[-1].exit_code if done else 0
        return ActionRun(done, summary.read_text(encoding="utf-8"), outputs, code, skipped)
