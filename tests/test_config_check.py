"""`baseline config check`: the config validated as `assess` reads it, and each attestation and
waiver judged as a run would judge it, so a vendor learns which claims would not count."""

from __future__ import annotations

import hashlib
from pathlib import Path

BLOCKS = """catalog = "ssdf-1.1"
excludes = ["build/"]

[[attestations]]
control = "PO.1.1"
statement = "Requirements are kept in the ISMS."
by = "Jane Doe"
date = 2026-01-05
evidence = [{{ path = "isms.pdf", sha256 = "{digest}" }}]

[[waivers]]
control = "PS.1.1"
reason = "Legacy installer binaries."
mitigation = "Signed and hashed at release."
owner = "Release team"
approver = "CISO"
expires = 2026-06-30
"""


def _repo(tmp_path: Path) -> Path:
    (tmp_path / "isms.pdf").write_bytes(b"ISMS v1")
    digest = hashlib.sha256(b"ISMS v1").hexdigest()
    (tmp_path / ".baseline.toml").write_text(BLOCKS.format(digest=digest))
    return tmp_path


def test_claims_that_count_and_claims_that_lapsed(run_cli, tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    code, out, _ = run_cli("config", "check", str(repo), "--as-of", "2026-03-01")
    assert code == 0, out
    assert "attestation PO.1.1 by Jane Doe, 1 evidence file(s): counts" in out
    assert "waiver PS.1.1 (owner Release team, expires 2026-06-30): in force" in out
    assert "exclude build/ (" in out and ".baseline.toml:2)" in out
    (repo / "isms.pdf").write_bytes(b"ISMS v2")
    code, out, _ = run_cli("config", "check", str(repo), "--as-of", "2026-07-01")
    assert code == 1
    assert "attestation PO.1.1 by Jane Doe, 1 evidence file(s): does NOT count: evidence " \
           "file isms.pdf changed" in out  # fmt: skip
    assert "waiver PS.1.1 (owner Release team, expires 2026-06-30): does NOT waive: expired" in out
    assert "2 claim(s) would not count" in out


def test_the_trust_level_says_what_is_ignored(run_cli, tmp_path: Path) -> None:
    code, out, _ = run_cli("config", "check", str(_repo(tmp_path)), "--as-of", "2026-03-01",
                           "--config-trust", "attestations")  # fmt: skip
    assert code == 0 and "excludes, [scope] and [semgrep] rules do not count" in out


def test_a_bad_key_is_located(run_cli, tmp_path: Path) -> None:
    (tmp_path / ".baseline.toml").write_text('catalog = "ssdf-1.1"\nexcludez = []\n')
    code, _, err = run_cli("config", "check", str(tmp_path))
    assert code == 2 and ".baseline.toml:2" in err and "excludez" in err


def test_config_keys_prints_the_documentation_of_every_key(run_cli) -> None:
    """What `baseline init`'s config points at: the same text as docs/project-config.md."""
    from support import ROOT

    code, out, _ = run_cli("config", "keys")
    assert code == 0
    assert out == (ROOT / "docs" / "project-config.md").read_text("utf-8")


def test_a_params_entry_with_two_parameters_is_listed(run_cli, tmp_path: Path) -> None:
    """Two claims on one task (one per parameter) are listed, sorted by text (they crashed the
    sort before: claims do not order)."""
    (tmp_path / ".baseline.toml").write_text(
        '[[params]]\ncontrol = "PS.1.1"\ncheck = "git.commits_signed"\n'
        "params = { last = 20, min_share = 0.5 }\n"
    )
    code, out, _ = run_cli("config", "check", str(tmp_path))
    lines = [line for line in out.splitlines() if line.startswith("parameter PS.1.1")]
    assert code == 0 and len(lines) == 2 and lines == sorted(lines), out
