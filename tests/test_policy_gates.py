"""Policy gates: --fail-on sets, required controls and required form items; exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from workflow_support import (
    TODAY,
    TODAY_EPOCH,
    attestation,
    cli,
    commit,
    make_repo,
    sha256,
    waiver,
)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    made = make_repo(tmp_path_factory.mktemp("gates"))
    (made / "vendor").mkdir()
    (made / "vendor" / "tool.exe").write_bytes(b"MZ")
    (made / "docs" / "policy.md").write_text("Security requirements.\n")
    evidence = attestation("PO.1.1", "docs/policy.md", sha256(made / "docs" / "policy.md"))
    (made / ".baseline.toml").write_text(evidence + waiver("PS.1.1"))
    commit(made, "binary, attestation, waiver")
    return made


def gate(repo: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code, out, err = cli(
        capsys, "assess", str(repo), "--out", str(repo.parent / "o"), "--quiet",
        "--as-of", TODAY, *args,
    )  # fmt: skip
    return code, out + err


def test_default_fails_on_fail(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = gate(repo, capsys)
    assert code == 1
    gated = next(line for line in out.splitlines() if line.startswith("  gate --fail-on: "))
    assert "PW.4.1" in gated.split(": ", 1)[1].split(", ")
    assert "PS.1.1" not in out.split("Policy")[1]  # waived, not gated


@pytest.mark.parametrize(
    ("fail_on", "expected"),
    [("none", 0), ("error", 0), ("fail", 1), ("needs_review", 1), ("error,needs_review", 1)],
)
@pytest.mark.slow
def test_fail_on_sets(
    repo: Path, capsys: pytest.CaptureFixture[str], fail_on: str, expected: int
) -> None:
    assert gate(repo, capsys, "--fail-on", fail_on)[0] == expected


def test_fail_on_unknown_status_is_exit_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = gate(repo, capsys, "--fail-on", "fail,waived")
    assert code == 2
    assert "'waived' is not one of" in out


def test_required_controls(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # PO.1.1 attested, PS.1.1 waived: both acceptable for --require.
    assert gate(repo, capsys, "--fail-on", "none", "--require", "PO.1.1,PS.1.1")[0] == 0
    code, out = gate(
        repo, capsys, "--fail-on", "none", "--require", "PO.1.1", "--require", "PW.4.1"
    )
    assert code == 1
    assert "gate: PW.4.1 is fail, required to be met (--require)" in out
    code, out = gate(repo, capsys, "--fail-on", "none", "--require", "PO.1.2")
    assert code == 1
    assert "PO.1.2 is needs_review" in out


def test_unknown_required_ids_are_exit_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = gate(repo, capsys, "--require", "PW.7.9")
    assert code == 2
    assert "no control 'PW.7.9'" in out
    code, out = gate(repo, capsys, "--require-form-item", "9z")
    assert code == 2
    assert "no form item '9z'" in out


def test_required_form_item(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = gate(repo, capsys, "--fail-on", "none", "--require-form-item", "4a")
    assert code == 1
    line = next(x for x in out.splitlines() if "form item 4a" in x)
    assert "PS.1.1 waived" in line  # a waived task keeps a form item out of the attestation


@pytest.mark.slow
def test_form_item_met_when_all_tasks_are_met(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = make_repo(tmp_path)
    from baseline.catalog.loader import load_catalog

    form = load_catalog("ssdf-1.1").crosswalk("cisa-common-form")
    assert form is not None
    item = min(form.items, key=lambda i: len(i.tasks))
    (made / "docs" / "e.md").write_text("Evidence.\n")
    digest = sha256(made / "docs" / "e.md")
    text = "".join(attestation(t, "docs/e.md", digest) for t in item.tasks)
    (made / ".baseline.toml").write_text(text)
    code, out = gate(made, capsys, "--fail-on", "none", "--require-form-item", item.id)
    assert code == 0, out
