"""The vendor's path before a federal bid, end to end through the command line (issue 18), on a
copy of a real project shape (examples/well-kept-app with SSH-signed history): assess, attest,
accept one finding, waive a task, bundle with a signature, verify, read the form. The commands
are the ones docs/vendor-workflow.md ("The vendor's path, end to end") lists."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from workflow_support import TODAY, TODAY_EPOCH, cli, commit, make_repo, record, result

CACHE_KEY = '''"""A cache key for exported reports (not a security use of the hash)."""

import hashlib


def cache_key(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()
'''
WAIVER = """
[[waivers]]
control = "{control}"
reason = "The legacy Windows installer is still committed for one customer."
mitigation = "It is signed; its SHA-256 is checked at release."
owner = "Release team"
approver = "Jane Doe, CISO"
expires = 2026-09-30
milestones = [{{ date = 2026-08-01, description = "Move the installer to the release store" }}]
"""


def _findings(capsys: pytest.CaptureFixture[str], out: Path) -> list[list[str]]:
    code, text, _ = cli(capsys, "findings", str(out / "assessment.json"))
    assert code == 0
    return [line.split() for line in text.splitlines() if line.strip()]


@pytest.mark.slow
def test_the_vendor_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    repo = make_repo(tmp_path)
    (repo / "src" / "wellkept" / "export.py").write_text(CACHE_KEY)
    (repo / "tools").mkdir()
    (repo / "tools" / "installer.exe").write_bytes(b"MZ\x90\x00legacy installer")
    (repo / "docs" / "psirt.md").write_text("PSIRT charter and response playbook.\n")
    (repo / ".baseline.toml").write_text('catalog = "ssdf-1.1"\n\n[producer]\nname = "Acme"\n')
    commit(repo, "export cache key, legacy installer, PSIRT charter")
    assess = ("assess", str(repo), "--quiet", "--as-of", TODAY, "--require", "RV.1.3")

    # 1. assess: the MD5 cache key and the committed installer fail their tasks.
    first = tmp_path / "first"
    code, out, err = cli(capsys, *assess, "--out", str(first))
    assert code == 1, out + err
    data = record(first / "assessment.json")
    assert result(data, "PW.7.2")["status"] == "fail"
    assert result(data, "PS.1.1")["status"] == "fail"
    md5 = [row for row in _findings(capsys, first) if row[2] == "B324"]
    assert len(md5) == 1, md5

    # 2. attest RV.1.3 with its evidence; 3. accept the one finding; 4. waive the installer.
    code, _, err = cli(capsys, "attest", "RV.1.3", "--repo", str(repo),
                       "--statement", "Our PSIRT runs the disclosure policy in SECURITY.md.",
                       "--by", "Jane Doe, CISO", "--evidence", str(repo / "docs" / "psirt.md"),
                       "--date", "2026-05-01", "--expires", "2027-05-01")  # fmt: skip
    assert code == 0, err
    code, _, err = cli(capsys, "accept", md5[0][0], "--repo", str(repo),
                       "--reason", "MD5 names cached exports; no security decision rests on it",
                       "--owner", "Platform team", "--approver", "Jane Doe, CISO",
                       "--expires", "2026-11-30")  # fmt: skip
    assert code == 0, err
    with (repo / ".baseline.toml").open("a") as config:
        for control in ("PS.1.1", "PW.4.1"):
            config.write(WAIVER.format(control=control))
    code, out, _ = cli(capsys, "config", "check", str(repo), "--as-of", TODAY)
    assert code == 0 and "0 claim(s) would not count" in out, out
    commit(repo, "attestation, accepted finding, waivers")

    # 5. assess again, with a signed bundle.
    keys = str(tmp_path / "vendor")
    assert cli(capsys, "keygen", "--out", keys)[0] == 0
    second, bundle = tmp_path / "second", tmp_path / "bundle"
    code, out, err = cli(capsys, *assess, "--out", str(second), "--bundle", str(bundle),
                         "--sign-key", f"{keys}.key", "--sbom-out", str(tmp_path / "app.cdx.json"))  # fmt: skip
    # The example keeps no SBOM: one made from its lockfiles is in the signed bundle and out.
    generated = (bundle / "sbom" / "generated.cdx.json").read_bytes()
    assert (tmp_path / "app.cdx.json").read_bytes() == generated
    assert '"specVersion": "1.6"' in generated.decode() and "pkg:pypi/" in generated.decode()
    data = record(second / "assessment.json")
    assert result(data, "RV.1.3")["status"] == "attested"
    assert result(data, "PS.1.1")["status"] == "waived"
    assert result(data, "PW.7.2")["status"] != "fail"  # its only failing finding is accepted
    assert [a["fingerprint"] for a in data["accepted_findings"]] == [md5[0][0]]
    assert code == 0, out + err  # the policy is met: nothing fails, RV.1.3 is met

    # 6. the auditor's view: the bundle verifies; the form and the POA&M say what was decided.
    code, out, _ = cli(capsys, "verify", str(bundle), "--key", f"{keys}.pub")
    assert code == 0 and "signature verified" in out, out
    form = (second / "cisa-form.md").read_text("utf-8")
    assert "Acme" in form
    rows = list(csv.DictReader(io.StringIO((second / "poam.csv").read_text("utf-8-sig"))))
    text = json.dumps(rows)
    assert "MD5 names cached exports" in text and "Move the installer to the release store" in text
    sarif = json.loads((second / "results.sarif").read_text("utf-8"))
    suppressed = [r for r in sarif["runs"][0]["results"] if r.get("suppressions")]
    # The accepted finding and the waived installer are suppressed as accepted, each with why.
    assert {r["ruleId"] for r in suppressed} == {"B324", "repo.no_binary_artifacts"}
    assert {s["status"] for r in suppressed for s in r["suppressions"]} == {"accepted"}
    md5_result = next(r for r in suppressed if r["ruleId"] == "B324")
    assert "MD5 names cached exports" in md5_result["suppressions"][0]["justification"]
