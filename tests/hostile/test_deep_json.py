"""JSON nested beyond reason is a located input error (exit 2), never a traceback (exit 3).

A record handed to `diff`, `render` or `aggregate`, or a bundle's manifest, statement or
signature envelope, can be `[[[[...` a hundred thousand levels deep: Python's parser then raises
RecursionError, which used to escape as an internal error.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .doc_table import Observations, Row
from .harness import environment

DEEP = "[" * 100_000 + "]" * 100_000


def _baseline(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "baseline", *args],
        cwd=cwd, env=environment(), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    "command",
    [["diff", "deep.json", "deep.json"], ["render", "deep.json", "--out", "out"],
     ["aggregate", "deep.json", "--out", "out"]],
    ids=["diff", "render", "aggregate"],
)  # fmt: skip
def test_a_deep_record_is_an_input_error(tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "deep.json").write_text(DEEP, encoding="utf-8")
    done = _baseline(*command, cwd=tmp_path)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert "deep.json" in done.stderr and "nested too deeply" in done.stderr


def test_a_deep_bundle_fails_verification(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    for name in ("manifest.json", "statement.json", "statement.dsse.json"):
        (bundle / name).write_text(DEEP, encoding="utf-8")
    key = tmp_path / "k"
    assert _baseline("keygen", "--out", str(key), cwd=tmp_path).returncode == 0
    done = _baseline("verify", str(bundle), "--key", f"{key}.pub", cwd=tmp_path)
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert "FAIL manifest.json: not a readable manifest" in done.stdout
    assert "FAIL statement.dsse.json: bad signature" in done.stdout


def _deep_row(factory: pytest.TempPathFactory) -> Row:
    folder = factory.mktemp("deep-row")
    (folder / "deep.json").write_text(DEEP, encoding="utf-8")
    done = _baseline("diff", "deep.json", "deep.json", cwd=folder)
    assert done.returncode == 2, done.stderr[-2000:]
    said = done.stderr.strip().splitlines()[-1].strip()
    return Row(
        "Reports and terminal output",
        "json-deep-nesting",
        "a record for `diff`, `render` or `aggregate`, or a bundle's manifest, statement and "
        "envelope, nested 100000 levels deep",
        f"exit 2: `{said}`; `verify` fails it (not a readable manifest, bad signature)",
    )


def all_rows(factory: pytest.TempPathFactory, obs: Observations) -> list[Row]:
    """The rows of this file (for the docs table)."""
    return [obs.get("Reports and terminal output", "json-deep-nesting", lambda: _deep_row(factory))]


def test_deep_row(tmp_path_factory: pytest.TempPathFactory, observations: Observations) -> None:
    observations.get("Reports and terminal output", "json-deep-nesting",
                     lambda: _deep_row(tmp_path_factory))  # fmt: skip
