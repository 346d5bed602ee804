"""`baseline attest TASK`: an attestation block with digested evidence, written into the config
so that it counts, without losing what a person wrote there; bad input changes nothing."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from baseline import tomlcompat

CONFIG = '# our compliance config\ncatalog = "ssdf-1.1"  # the catalog we bid against\n'


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "docs" / "isms.pdf").write_bytes(b"%PDF-1.4 the ISMS\n")
    (root / ".baseline.toml").write_text(CONFIG)
    return root


def test_the_block_is_written_and_counts(run_cli, repo: Path, tmp_path: Path) -> None:
    statement = 'Requirements are kept in the "ISMS"\n(see """ below)'
    code, out, err = run_cli("attest", "po.1.1", "--repo", str(repo), "--statement", statement,
                             "--by", "Jane Doe, CISO", "--evidence", str(repo / "docs/isms.pdf"),
                             "--date", "2026-11-30", "--url", "https://example.com/isms")  # fmt: skip
    assert code == 0, err
    text = (repo / ".baseline.toml").read_text()
    assert text.startswith(CONFIG)  # the comments and the key stay as written
    block = tomlcompat.loads(text)["attestations"][0]
    assert block["control"] == "PO.1.1" and block["statement"] == " ".join(statement.split())
    digest = hashlib.sha256(b"%PDF-1.4 the ISMS\n").hexdigest()
    assert block["evidence"] == [{"path": "docs/isms.pdf", "sha256": digest}]
    out_dir = tmp_path / "out"
    code, _, err = run_cli("assess", str(repo), "--out", str(out_dir), "--format", "json",
                           "--quiet", "--as-of", "2026-12-01")  # fmt: skip
    record = json.loads((out_dir / "assessment.json").read_text())
    result = next(r for r in record["results"] if r["control_id"] == "PO.1.1")
    assert result["status"] == "attested", result["reason"]


def test_a_second_block_is_refused_unless_replaced(run_cli, repo: Path) -> None:
    common = ("--repo", str(repo), "--by", "A", "--evidence", str(repo / "docs/isms.pdf"))
    assert run_cli("attest", "PO.1.1", "--statement", "one", *common)[0] == 0
    before = (repo / ".baseline.toml").read_bytes()
    code, _, err = run_cli("attest", "PO.1.1", "--statement", "two", *common)
    assert code == 2 and "already holds an entry for PO.1.1" in err
    assert (repo / ".baseline.toml").read_bytes() == before
    assert run_cli("attest", "PO.1.1", "--statement", "two", "--replace", *common)[0] == 0
    blocks = tomlcompat.loads((repo / ".baseline.toml").read_text())["attestations"]
    assert [b["statement"] for b in blocks] == ["two"]


def test_bad_input_names_the_file_and_changes_nothing(run_cli, repo: Path, tmp_path: Path) -> None:
    before = (repo / ".baseline.toml").read_bytes()
    code, _, err = run_cli("attest", "PX.1.1", "--repo", str(repo), "--statement", "s",
                           "--by", "b", "--evidence", str(repo / "docs/isms.pdf"))  # fmt: skip
    assert code == 2
    assert f"{repo / '.baseline.toml'}:5: attestations[0].control: no control 'PX.1.1'" in err
    outside = tmp_path / "elsewhere.pdf"
    outside.write_bytes(b"x")
    code, _, err = run_cli("attest", "PO.1.1", "--repo", str(repo), "--statement", "s",
                           "--by", "b", "--evidence", str(outside))  # fmt: skip
    assert code == 2 and "outside the config's folder and the repository" in err
    assert (repo / ".baseline.toml").read_bytes() == before
    assert sorted(p.name for p in repo.iterdir()) == [".baseline.toml", ".git", "docs"]
