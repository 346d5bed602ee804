"""`baseline diff`: status regressions and improvements, findings by fingerprint, formats."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from workflow_support import TODAY_EPOCH, cli, commit, make_repo


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Old: a binary committed. New: the binary gone, the security policy without a contact."""
    base = tmp_path_factory.mktemp("diff")
    repo = make_repo(base)
    (repo / "bin").mkdir()
    (repo / "bin" / "a|b<script>.exe").write_bytes(b"MZ")
    commit(repo, "binary")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    from baseline.cli import main

    assert main(["assess", str(repo), "--out", str(base / "old"), "--quiet"]) == 1
    shutil.rmtree(repo / "bin")
    (repo / "SECURITY.md").write_text("# Security\n\nTell us.\n")
    commit(repo, "drop the binary and the policy's contact")
    assert main(["assess", str(repo), "--out", str(base / "new"), "--quiet"]) == 1
    mp.undo()
    return base / "old" / "assessment.json", base / "new" / "assessment.json"


@pytest.mark.slow
def test_json_lists_regressions_improvements_and_findings(
    runs: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "diff", str(runs[0]), str(runs[1]), "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert [(c["control"], c["old"], c["new"]) for c in doc["regressed"]] == [
        ("RV.1.1", "needs_review", "fail"),
        ("RV.1.3", "needs_review", "fail"),
    ]
    assert {(c["control"], c["old"], c["new"]) for c in doc["improved"]} == {
        ("PS.1.1", "fail", "needs_review"),
        ("PW.4.1", "fail", "needs_review"),
    }
    assert [f["rule"] for f in doc["new_findings"]] == ["security-policy-no-contact"]
    assert doc["new_findings"][0]["controls"] == ["RV.1.1", "RV.1.3"]
    assert [f["path"] for f in doc["resolved_findings"]] == ["bin/a|b<script>.exe"]
    assert doc["regression"] is True


def test_fail_on_regression_and_reverse_direction(
    runs: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = map(str, runs)
    assert cli(capsys, "diff", old, new, "--fail-on-regression")[0] == 1
    # Backwards, the binary finding is new, so it is still a regression.
    code, out, _ = cli(capsys, "diff", new, old, "--fail-on-regression")
    assert code == 1
    assert "New findings: 1" in out
    code, out, _ = cli(capsys, "diff", old, old, "--fail-on-regression")
    assert code == 0
    assert out.endswith("No regression.\n")


def test_text_and_markdown(runs: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    old, new = map(str, runs)
    _, text, _ = cli(capsys, "diff", old, new)
    assert "  RV.1.3   needs_review -> fail: check repo.has_security_policy failed" in text
    assert "Regressed controls: 2" in text
    _, md, _ = cli(capsys, "diff", old, new, "--format", "md")
    assert "| RV.1.3 | needs_review | fail |" in md
    # A hostile file name cannot break the table or inject markup.
    assert "bin/a\\|b\\<script\\>.exe" in md
    assert "<script>" not in md


def test_diff_output_is_deterministic_and_can_go_to_a_file(
    runs: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = map(str, runs)
    for n in (1, 2):
        cli(capsys, "diff", old, new, "--format", "md", "--out", str(tmp_path / f"d{n}.md"))
    assert (tmp_path / "d1.md").read_bytes() == (tmp_path / "d2.md").read_bytes()


def test_invalid_inputs_are_located_exit_2(
    runs: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "schema_version": "1.0",\n  oops\n}\n')
    code, _, err = cli(capsys, "diff", str(broken), str(runs[1]))
    assert code == 2
    assert f"{broken}:3: invalid JSON" in err
    record = json.loads(runs[0].read_text())
    record["results"][2]["status"] = "great"
    del record["tools"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(record))
    code, _, err = cli(capsys, "diff", str(bad), str(runs[1]))
    assert code == 2
    assert f"{bad}: results[2].status: 'great' is not one of" in err
    assert f"{bad}: (top level): 'tools' is a required property" in err
    assert cli(capsys, "diff", str(tmp_path / "none.json"), str(runs[1]))[0] == 2


def test_diff_names_what_the_runs_were_made_with(
    runs: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two runs made with another tool version and another catalog version: the diff says so
    first, in every format (before, it compared their statuses without a word)."""
    from baseline.cli import main

    old, new = runs
    record = json.loads(new.read_text("utf-8"))
    record["tools"]["git"] = "9.9.9"
    record["catalog"]["version"] = "1.1-local"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(record), "utf-8")
    assert main(["diff", str(old), str(changed), "--format", "json"]) == 0
    setup = json.loads(capsys.readouterr().out)["setup"]
    assert {"what": "tool git", "old": json.loads(old.read_text())["tools"]["git"],
            "new": "9.9.9"} in setup  # fmt: skip
    assert [c["what"] for c in setup] == ["catalog", "tool git"]
    assert main(["diff", str(old), str(changed)]) == 0
    text = capsys.readouterr().out
    assert "Made differently (2)" in text and "-> 9.9.9" in text
    assert main(["diff", str(old), str(changed), "--format", "md"]) == 0
    assert "### Made differently (2)" in capsys.readouterr().out
    assert main(["diff", str(old), str(new), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["setup"] == []
