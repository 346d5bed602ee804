"""Attestations count only when dated, unexpired and backed by unchanged evidence; waivers
(POA&M entries) waive a failing control until they expire, and the failure stays visible."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from workflow_support import (
    TODAY,
    TODAY_EPOCH,
    attestation,
    cli,
    commit,
    make_repo,
    record,
    result,
    sha256,
    waiver,
)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    made = make_repo(tmp_path)
    (made / "docs" / "training.md").write_text("Secure coding training, 2026 roster.\n")
    return made


def assess(repo: Path, capsys: pytest.CaptureFixture[str], config: str) -> dict[str, Any]:
    (repo / ".baseline.toml").write_text(config, encoding="utf-8")
    out = repo.parent / "out"
    code, _, err = cli(
        capsys, "assess", str(repo), "--out", str(out), "--quiet", "--fail-on", "none",
        "--as-of", TODAY,
    )  # fmt: skip
    assert code == 0, err
    return record(out / "assessment.json")


def test_valid_attestation_attests_a_control_without_checks(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evidence = repo / "docs" / "training.md"
    data = assess(repo, capsys, attestation("PO.1.1", "docs/training.md", sha256(evidence)))
    po = result(data, "PO.1.1")
    assert po["status"] == "attested"
    assert po["attestation_problems"] == []
    assert po["attestation"]["evidence_files"] == [
        {
            "path": "docs/training.md",
            "declared_sha256": sha256(evidence),
            "sha256": sha256(evidence),
        }
    ]


def test_url_only_evidence_does_not_count(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A URL serves whatever it serves today: only a file with its digest is evidence.
    data = assess(repo, capsys, attestation("PO.1.1", urls='["https://example.com/policy"]'))
    po = result(data, "PO.1.1")
    assert po["status"] == "needs_review"
    assert po["attestation_problems"][0].startswith("evidence is a URL without a digest")


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"date": "2026-07-01"}, "dated 2026-07-01, in the future"),
        ({"expires": "2026-05-31"}, "expired on 2026-05-31"),
    ],
)
def test_future_dated_and_expired_attestations_do_not_count(
    repo: Path, capsys: pytest.CaptureFixture[str], fields: dict[str, str], problem: str
) -> None:
    text = attestation("PO.1.1", "docs/training.md", sha256(repo / "docs/training.md"), **fields)
    po = result(assess(repo, capsys, text), "PO.1.1")
    assert po["status"] == "needs_review"
    assert po["attestation_problems"] == [problem]
    assert problem in po["reason"]


def test_missing_evidence_file_does_not_count(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = attestation("PO.1.1", "docs/gone.pdf", "a" * 64)
    po = result(assess(repo, capsys, text), "PO.1.1")
    assert po["status"] == "needs_review"
    assert po["attestation_problems"] == ["evidence file docs/gone.pdf is missing"]
    assert po["attestation"]["evidence_files"][0]["sha256"] is None


def test_changed_evidence_file_does_not_count(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = attestation("PO.1.1", "docs/training.md", sha256(repo / "docs/training.md"))
    (repo / "docs" / "training.md").write_text("Edited after the attestation.\n")
    po = result(assess(repo, capsys, text), "PO.1.1")
    assert po["status"] == "needs_review"
    assert po["attestation_problems"][0].startswith("evidence file docs/training.md changed")


def test_required_attestation_gates_a_passing_check(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # PW.4.2 requires a person's word; its one check (a license is present) passes on this repo.
    data = assess(repo, capsys, "")
    assert result(data, "PW.4.2")["status"] == "needs_review"
    assert [e["outcome"] for e in result(data, "PW.4.2")["evidence"]] == ["pass"]
    text = attestation("PW.4.2", "LICENSE", sha256(repo / "LICENSE"))
    assert result(assess(repo, capsys, text), "PW.4.2")["status"] == "pass"


def _add_binary(repo: Path) -> None:
    (repo / "vendor").mkdir()
    (repo / "vendor" / "installer.exe").write_bytes(b"MZ\x90\x00")
    commit(repo, "vendor an installer")


def test_waiver_waives_a_failure_that_stays_visible(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _add_binary(repo)
    ps = result(assess(repo, capsys, waiver("PS.1.1")), "PS.1.1")
    assert ps["status"] == "waived"
    assert "failed; waived until 2026-12-31" in ps["reason"]
    assert ps["evidence"][0]["outcome"] == "fail"
    assert ps["evidence"][0]["findings"][0]["path"] == "vendor/installer.exe"
    assert [m["date"] for m in ps["waiver"]["milestones"]] == ["2026-07-01", "2026-09-01"]
    assert ps["waiver"]["approver"] == "CISO"


def test_expired_waiver_no_longer_waives_and_is_reported(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _add_binary(repo)
    ps = result(assess(repo, capsys, waiver("PS.1.1", expires="2026-05-01")), "PS.1.1")
    assert ps["status"] == "fail"
    assert ps["waiver_problems"] == ["expired on 2026-05-01"]
    assert "waiver expired on 2026-05-01" in ps["reason"]


def test_waiver_is_a_mandatory_expiry(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = waiver("PS.1.1").replace("expires = 2026-12-31\n", "")
    (repo / ".baseline.toml").write_text(text)
    code, _, err = cli(capsys, "assess", str(repo), "--out", str(repo.parent / "o"), "--quiet")
    assert code == 2
    assert "waivers[0].expires: is required but missing" in err


def test_config_params_and_excludes_change_the_outcome(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _add_binary(repo)
    assert result(assess(repo, capsys, ""), "PS.1.1")["status"] == "fail"
    allow = (
        '[[params]]\ncontrol = "PS.1.1"\ncheck = "repo.no_binary_artifacts"\n'
        'params = { allow = ["vendor/*.exe"] }\n'
    )
    data = assess(repo, capsys, allow)
    assert result(data, "PS.1.1")["evidence"][0]["outcome"] == "pass"
    assert result(data, "PW.4.1")["evidence"][0]["outcome"] == "fail"  # not overridden there
    data = assess(repo, capsys, 'excludes = ["vendor/**"]\n')
    assert result(data, "PW.4.1")["evidence"][0]["outcome"] == "pass"
