"""Shared helpers for the vendor-workflow tests (config, attestations, bundle, diff)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from baseline.cli import main
from baseline.report.json_record import expanded
from baseline.resources import schema_path

ROOT = Path(__file__).resolve().parent.parent
WELL_KEPT = ROOT / "examples" / "well-kept-app"
TODAY_EPOCH = "1780272000"  # 2026-06-01T00:00:00Z: every test runs on the same day
TODAY = "2026-06-01"


def git(repo: Path, *args: str) -> None:
    """Run git in a test repository with a fixed identity."""
    subprocess.run(
        ["git", "-c", "user.email=test@example.com", "-c", "user.name=Test", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def make_repo(tmp_path: Path, name: str = "repo") -> Path:
    """A git copy of examples/well-kept-app whose commits are SSH-signed, as a vendor's are."""
    repo = tmp_path / name
    shutil.copytree(WELL_KEPT, repo)
    git(repo, "init", "-q")
    key = tmp_path / f"{name}-signing-key"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test@example.com", "-f", str(key)],
        check=True,
    )
    git(repo, "config", "gpg.format", "ssh")
    git(repo, "config", "user.signingkey", str(key))
    git(repo, "config", "commit.gpgsign", "true")
    commit(repo, "initial")
    return repo


def commit(repo: Path, message: str) -> None:
    """Stage everything and commit."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the CLI in-process: (exit code, stdout, stderr)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def record(path: Path) -> dict[str, Any]:
    """An assessment.json, validated against the shipped schema."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    schema = json.loads(schema_path("assessment.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    return expanded(data)  # every result's evidence in full (version 2 references runs)


def result(data: dict[str, Any], control: str) -> dict[str, Any]:
    """One control's result in a record."""
    found: dict[str, Any] = next(r for r in data["results"] if r["control_id"] == control)
    return found


def attestation(control: str, evidence: str = "", sha: str = "", **fields: str) -> str:
    """An [[attestations]] table as TOML text; values in `fields` are TOML literals."""
    values = {
        "statement": '"We do this."',
        "by": '"Jane Doe, CISO"',
        "date": "2026-01-10",
        "expires": "2027-01-10",
        **fields,
    }
    lines = ["[[attestations]]", f'control = "{control}"']
    lines += [f"{key} = {value}" for key, value in values.items() if value]
    if evidence:
        lines.append(f'evidence = [{{ path = "{evidence}", sha256 = "{sha}" }}]')
    return "\n".join(lines) + "\n\n"


def waiver(control: str, expires: str = "2026-12-31") -> str:
    """A [[waivers]] table as TOML text."""
    return (
        f'[[waivers]]\ncontrol = "{control}"\nreason = "Legacy installer"\n'
        'mitigation = "Signed and hash-checked at release"\nowner = "Release team"\n'
        f'approver = "CISO"\nexpires = {expires}\n'
        'milestones = [{ date = 2026-09-01, description = "Remove it" }, '
        '{ date = 2026-07-01, description = "Plan it" }]\n\n'
    )
