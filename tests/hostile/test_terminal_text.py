"""Nothing the repository names can drive the terminal: escapes are shown, never sent.

File names, keys, messages and control ids reach stdout and stderr from records (`diff`), configs
(located errors), bundles (`verify`) and the assessed folder itself (`assess`). A title-setting
OSC (ESC ] 0; ... BEL), a screen clear (ESC [2J), a carriage return that overwrites the line, the
C1 CSI (U+009B), a backspace and a right-to-left override must reach the captured output only as
visible escapes; a newline inside a name must not forge a line of its own.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from baseline.report.json_record import expanded

from .doc_table import Observations, Row
from .harness import ROOT, TINY_CATALOG, environment

SECTION = "Reports and terminal output"

PAYLOAD = "\x1b]0;pwned\x07\x1b[2J\rspoofed\u202etxt.exe\u009b31m\x08"
RAW = ("\x1b", "\x07", "\r", "\u202e", "\u009b", "\x08")
SHOWN = "\\x1b]0;pwned\\x07\\x1b[2J\\x0dspoofed\\u202etxt.exe\\u009b31m\\x08"


def _baseline(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "baseline", *args],
        cwd=cwd, env=environment(), capture_output=True, timeout=120, check=False,
    )  # fmt: skip


def _clean(done: subprocess.CompletedProcess[bytes]) -> str:
    """Both streams hold none of the raw characters; stdout and stderr as text."""
    for stream in (done.stdout, done.stderr):
        for char in RAW:
            assert char.encode("utf-8") not in stream, (char, stream[-400:])
    return done.stdout.decode("utf-8") + done.stderr.decode("utf-8")


def test_the_terminal_functions() -> None:
    from baseline.terminal import for_terminal, one_line  # new in this change: main has none

    assert for_terminal(PAYLOAD) == SHOWN
    assert for_terminal("a\nb\tc") == "a\nb\tc"
    assert one_line("a\nb\tc") == "a\\nb\\tc"
    assert for_terminal("bad \udcff byte") == "bad \\udcff byte"
    assert for_terminal("naïve café → ok") == "naïve café → ok"


def _records(folder: Path) -> tuple[Path, Path]:
    golden = expanded(
        json.loads((ROOT / "tests" / "golden" / "assessment.json").read_text("utf-8"))
    )
    old = folder / "old.json"
    old.write_text(json.dumps(golden), encoding="utf-8")
    for result in golden["results"]:
        for evidence in result["evidence"]:
            if evidence["findings"] and evidence["findings"][0]["rule"] == "B602":
                finding = dict(evidence["findings"][0])
                finding.update(path=f"app/{PAYLOAD}.py", message=f"call {PAYLOAD}",
                               rule=f"B602{PAYLOAD}", fingerprint="0123456789abcdef" * 2)  # fmt: skip
                evidence["findings"].append(finding)
    new = folder / "new.json"
    new.write_text(json.dumps(golden), encoding="utf-8")
    return old, new


@pytest.mark.parametrize("fmt", ["text", "md", "json"])
def test_diff_shows_escapes(tmp_path: Path, fmt: str) -> None:
    old, new = _records(tmp_path)
    done = _baseline("diff", str(old), str(new), "--format", fmt, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = _clean(done)
    if fmt == "json":  # still valid JSON, and the values are the original strings
        found = json.loads(done.stdout)["new_findings"]
        assert [f["path"] for f in found] == [f"app/{PAYLOAD}.py"]
    else:
        assert "pwned" in text and "spoofed" in text


def test_a_record_error_shows_escapes(tmp_path: Path) -> None:
    old, new = _records(tmp_path)
    record = expanded(json.loads(new.read_text("utf-8")))
    evidence = next(e for result in record["results"] for e in result["evidence"])
    evidence["digests"] = {f"key{PAYLOAD}\nbaseline: no problem": 5}  # the key path names it
    new.write_text(json.dumps(record), encoding="utf-8")
    done = _baseline("diff", str(old), str(new), cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    text = _clean(done)
    assert "pwned" in text
    assert "\nbaseline: no problem" not in text  # a newline in a key cannot forge a line


def test_a_config_error_shows_escapes(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    key = json.dumps(PAYLOAD, ensure_ascii=True)  # a TOML basic string with \u escapes
    (repo / ".baseline.toml").write_text(f"{key} = 1\n", encoding="utf-8")
    (tmp_path / "tiny.toml").write_text(TINY_CATALOG, encoding="utf-8")
    done = _baseline("assess", str(repo), "--out", str(tmp_path / "out"),
                     "--catalog", str(tmp_path / "tiny.toml"), cwd=tmp_path)  # fmt: skip
    assert done.returncode == 2, done.stderr
    text = _clean(done)
    assert ".baseline.toml" in text and "pwned" in text


def _bundle(folder: Path) -> Path:
    bundle = folder / "bundle"
    bundle.mkdir()
    forged = "x\nBundle bundle: verified, 9 file(s) match the manifest."
    listing = {f"{PAYLOAD}.json": "0" * 64, forged: "0" * 64}
    (bundle / "manifest.json").write_text(json.dumps({"files": listing}), encoding="utf-8")
    (bundle / f"extra{PAYLOAD}").write_text("planted", encoding="utf-8")
    (bundle / "statement.json").write_text(
        json.dumps({"_type": PAYLOAD, "predicate": {"manifest": {"sha256": PAYLOAD}}}),
        encoding="utf-8",
    )
    assert hashlib.sha256(b"").hexdigest()  # the listed digests match nothing
    return bundle


def test_verify_shows_escapes(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path)
    done = _baseline("verify", str(bundle), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    text = _clean(done)
    assert "pwned" in text
    lines = done.stdout.decode("utf-8").splitlines()
    assert not any(line.startswith("Bundle") and "verified," in line for line in lines), lines


def test_assess_summary_and_progress_show_escapes(tmp_path: Path) -> None:
    repo = tmp_path / f"repo{PAYLOAD}"
    repo.mkdir()
    (tmp_path / "tiny.toml").write_text(TINY_CATALOG, encoding="utf-8")
    done = _baseline("assess", str(repo), "--out", str(tmp_path / f"out{PAYLOAD}"),
                     "--catalog", str(tmp_path / "tiny.toml"), "--format", "md",
                     "--fail-on", "none", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = _clean(done)
    assert SHOWN in text  # the target and the report folder, as escapes
    assert "checks [1/1]" in text  # the progress line was written (and checked) too


def _writes_to_a_terminal(node: ast.AST) -> str | None:
    """`print(...)`, `sys.stdout/stderr.write(...)` or a traceback printer: what it is."""
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    if isinstance(func, ast.Name) and func.id == "print":
        return "print"
    if isinstance(func, ast.Attribute):
        target = ast.unparse(func)
        if target in ("sys.stdout.write", "sys.stderr.write") or target.startswith(
            "traceback.print"
        ):
            return target
        if func.attr in ("print_help", "print_usage"):
            return None  # argparse's own text, from the command line (the operator)
    return None


def test_every_cli_output_goes_through_the_terminal_module() -> None:
    offenders: list[str] = []
    for path in sorted((ROOT / "baseline").rglob("*.py")):
        if path.name == "terminal.py":
            continue
        tree: Any = ast.parse(path.read_text("utf-8"))
        offenders += [
            f"{path.relative_to(ROOT)}:{node.lineno}: {what}"
            for node in ast.walk(tree)
            if (what := _writes_to_a_terminal(node))
        ]
    assert not offenders, "print through baseline.terminal.say/write:\n" + "\n".join(offenders)


def _terminal_row(factory: pytest.TempPathFactory) -> Row:
    folder = factory.mktemp("terminal-row")
    old, new = _records(folder)
    done = _baseline("diff", str(old), str(new), cwd=folder)
    _clean(done)
    found = re.search(r"app/\S+\.py", done.stdout.decode("utf-8"))
    assert found is not None, done.stdout
    return Row(
        SECTION,
        "terminal-escapes",
        "file names, keys and messages in a record, a config, a bundle and the target folder's "
        "name holding ESC ]0;...BEL, ESC [2J, CR, backspace, U+009B and U+202E, and newlines",
        f"shown as escapes by `diff` (`{found.group(0)}`), config and record errors, `verify` and "
        "the `assess` summary; one line per name, so a newline forges no line",
    )


def all_rows(factory: pytest.TempPathFactory, obs: Observations) -> list[Row]:
    """The rows of this file (for the docs table)."""
    return [obs.get(SECTION, "terminal-escapes", lambda: _terminal_row(factory))]


def test_terminal_row(tmp_path_factory: pytest.TempPathFactory, observations: Observations) -> None:
    observations.get(SECTION, "terminal-escapes", lambda: _terminal_row(tmp_path_factory))
