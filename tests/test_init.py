"""`baseline init`: a commented config and an attestation template, ready to fill in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from workflow_support import TODAY_EPOCH, cli

from baseline.catalog.loader import load_catalog
from baseline.project.bind import bind
from baseline.project.config import load_config
from baseline.project.template import needs_person


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)


def test_init_writes_files_that_load_and_list_every_control_needing_a_person(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(capsys, "init", str(tmp_path))[0] == 0
    catalog = load_catalog("ssdf-1.1")
    project = bind(load_config(tmp_path / ".baseline.toml"), catalog)
    assert project.attestations == {}
    template = (tmp_path / "baseline-attestations.toml").read_text()
    listed = re.findall(r'^# control = "([^"]+)"$', template, re.MULTILINE)
    wanted = [c.id for c in catalog.controls if needs_person(c)]
    assert listed[: len(wanted)] == wanted
    assert "PO.1.1" in wanted and len(wanted) > 30


def test_uncommented_block_becomes_an_attestation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(capsys, "init", str(tmp_path))
    path = tmp_path / "baseline-attestations.toml"
    text = path.read_text()
    block = text.split("# ---- PO.1.1")[1].split("# ----")[0]
    filled = "\n".join(
        line[2:]
        for line in block.splitlines()
        if line.startswith("# ") and (" = " in line or "[[" in line)
    ).replace("evidence = [", "# evidence = [")
    path.write_text(text + "\n" + filled + "\n")
    project = bind(load_config(tmp_path / ".baseline.toml"), load_catalog("ssdf-1.1"))
    assert project.attestations["PO.1.1"].urls == ("https://intranet.example.com/policy",)


def test_init_refuses_to_overwrite_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(capsys, "init", str(tmp_path))
    (tmp_path / ".baseline.toml").write_text("# mine\n")
    code, _, err = cli(capsys, "init", str(tmp_path))
    assert code == 2
    assert "already exists" in err
    assert (tmp_path / ".baseline.toml").read_text() == "# mine\n"
    assert cli(capsys, "init", str(tmp_path), "--force")[0] == 0
    assert (tmp_path / ".baseline.toml").read_text().startswith("# ssdf-baseline project config")
