"""The small guards behind the hostile-input behaviour, tested one by one, and the harness's
own checks shown to fail on the faults they look for."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from baseline import tomlcompat
from baseline.context import RunOptions, build_context, is_excluded, open_beneath
from baseline.outdir import write_text

from .builders import HTML_PAYLOAD, SCRIPT_PAYLOAD, _nested, remove_tree
from .harness import Run, check_reports


def test_deep_toml_nesting_is_a_located_decode_error() -> None:
    text = 'a = 1\nb = "x"\nc = ' + "[" * 3000 + "]" * 3000 + "\n"
    with pytest.raises(tomlcompat.TOMLDecodeError, match=r"nested too deep \(at line 3,"):
        tomlcompat.loads(text)
    assert tomlcompat.loads("a = [[1]]") == {"a": [[1]]}


def test_reports_get_the_mode_a_new_file_gets(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        write_text(tmp_path / "report.md", "# report\n")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "report.md").stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_files_beyond_path_max_are_listed_and_read(tmp_path: Path) -> None:
    _nested(tmp_path, "dd", 1500, "leaf.py")
    ctx = build_context(tmp_path, "t", RunOptions(jobs=1))
    (leaf,) = ctx.files
    assert len(os.fsencode(leaf)) > 4096 and leaf.endswith("/leaf.py")
    assert ctx.read_bytes(leaf) == b"x = 1\n" and len(ctx.sha256(leaf)) == 64
    remove_tree(tmp_path / "dd")
    assert list(tmp_path.iterdir()) == []


def test_a_final_symlink_is_never_opened(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text("inside\n")
    (tmp_path / "link.txt").symlink_to(tmp_path / "real.txt")
    os.close(open_beneath(tmp_path, "real.txt"))
    with pytest.raises(OSError):
        open_beneath(tmp_path, "link.txt")


def test_excludes_still_match_folders_above_a_file() -> None:
    assert not is_excluded("a/b/c.py", [])
    assert is_excluded("vendor/lib/x.py", ["vendor"])
    assert not is_excluded("src/x.py", ["vendor"])


def _run_with(out: Path, files: dict[str, str]) -> Run:
    out.mkdir()
    (out / "assessment.json").write_text('{"complete": true}\n')
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
    return Run(1, "", "", out, out)


@pytest.mark.parametrize(
    ("name", "text", "complaint"),
    [
        ("report.html", f"<p>{HTML_PAYLOAD}</p>", "unescaped markup"),
        ("report.html", f"<td>{SCRIPT_PAYLOAD}</td>", "unescaped markup"),
        ("report.md", "| name\x1b[31m |", "control characters"),
        ("report.md", "| rtl-\u202egpj.exe |", "bidirectional"),
        ("results.sarif", '{"runs": [', "Expecting"),
        (".report.html.x1.tmp", "", "temporary file"),
    ],
)
def test_the_report_checks_catch_what_they_look_for(
    tmp_path: Path, name: str, text: str, complaint: str
) -> None:
    with pytest.raises((AssertionError, ValueError), match=complaint):
        check_reports(_run_with(tmp_path / "out", {name: text}))


def test_escaped_markup_passes_the_report_checks(tmp_path: Path) -> None:
    escaped = HTML_PAYLOAD.replace("<", "&lt;").replace(">", "&gt;")
    names = check_reports(_run_with(tmp_path / "out", {"report.html": f"<p>{escaped}</p>"}))
    assert names == ["assessment.json", "report.html"]
