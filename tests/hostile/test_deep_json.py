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
