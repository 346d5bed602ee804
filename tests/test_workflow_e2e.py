"""The vendor's workflow end to end, through the command line only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from workflow_support import TODAY, TODAY_EPOCH, cli, commit, make_repo, record, result, sha256


@pytest.mark.slow
def test_init_fill_assess_bundle_verify_tamper_change_diff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    repo = make_repo(tmp_path)
    keys = str(tmp_path / "vendor")
    assert cli(capsys, "keygen", "--out", keys)[0] == 0

    # 1. init, then fill in: an attestation for RV.1.3 with its evidence, the producer.
    assert cli(capsys, "init", str(repo))[0] == 0
    (repo / "docs" / "psirt.md").write_text("PSIRT charter and response playbook.\n")
    digest = sha256(repo / "docs" / "psirt.md")
    with (repo / "baseline-attestations.toml").open("a") as handle:
        handle.write(
            '\n[[attestations]]\ncontrol = "RV.1.3"\n'
            'statement = "Our PSIRT runs the disclosure policy in SECURITY.md."\n'
            'by = "Jane Doe, CISO"\ndate = 2026-02-01\nexpires = 2027-02-01\n'
            f'evidence = [{{ path = "docs/psirt.md", sha256 = "{digest}" }}]\n'
        )
    with (repo / ".baseline.toml").open("a") as handle:
        handle.write('\n[producer]\nname = "Example Corp"\n')
    commit(repo, "baseline config")

    # 2. assess with a bundle, signed; RV.1.3 is required and met.
    bundle, first = tmp_path / "bundle", tmp_path / "first"
    code, out, err = cli(
        capsys, "assess", str(repo), "--out", str(first), "--quiet", "--require", "RV.1.3",
        "--as-of", TODAY,
        "--bundle", str(bundle), "--sign-key", f"{keys}.key",
    )  # fmt: skip
    assert code == 0, out + err
    data = record(first / "assessment.json")
    # Attested, not pass: its GitHub private-reporting check cannot be observed offline.
    assert result(data, "RV.1.3")["status"] == "attested"
    assert data["producer"]["name"] == "Example Corp"
    assert (bundle / "reports" / "assessment.json").read_bytes() == (
        first / "assessment.json"
    ).read_bytes()
    assert (bundle / "attestations" / "config" / "docs" / "psirt.md").is_file()
    assert (bundle / "config" / ".baseline.toml").read_bytes() == (
        repo / ".baseline.toml"
    ).read_bytes()
    assert (bundle / "config" / "baseline-attestations.toml").is_file()

    # 3. verify passes; one changed byte fails and names the file.
    code, out, _ = cli(capsys, "verify", str(bundle), "--key", f"{keys}.pub")
    assert code == 0, out
    evidence = bundle / "attestations" / "config" / "docs" / "psirt.md"
    evidence.write_bytes(evidence.read_bytes().replace(b"P", b"Q", 1))
    code, out, _ = cli(capsys, "verify", str(bundle), "--key", f"{keys}.pub")
    assert code == 1
    assert "FAIL attestations/config/docs/psirt.md: changed" in out

    # 4. change the code (drop the policy's contact) and assess again: the gate fails ...
    (repo / "SECURITY.md").write_text("# Security\n\nTell us.\n")
    commit(repo, "drop the security policy's contact")
    second = tmp_path / "second"
    code, out, _ = cli(
        capsys, "assess", str(repo), "--out", str(second), "--quiet", "--require", "RV.1.3",
        "--as-of", TODAY,
    )  # fmt: skip
    assert code == 1
    assert "gate: RV.1.3 is fail, required to be met (--require)" in out

    # 5. ... and diff shows the regression.
    old, new = str(first / "assessment.json"), str(second / "assessment.json")
    code, out, _ = cli(capsys, "diff", old, new, "--format", "json", "--fail-on-regression")
    assert code == 1
    doc = json.loads(out)
    assert {"control": "RV.1.3", "old": "attested", "new": "fail"} == {
        k: v for k, v in doc["regressed"][-1].items() if k != "reason"
    }
    assert [f["rule"] for f in doc["new_findings"]] == ["security-policy-no-contact"]
