"""Every config key is documented, accepted, recorded, and the record stays valid and readable
by `render`, `diff` and `aggregate` (issue 16: the config, the record and its JSON Schema were
three hand-kept descriptions of the same data; producer fields the config accepted made records
the other commands rejected).

The record schema's `producer` and the docs' key table are derived from
baseline/project/schema.py (baseline/project/derive.py); `UPDATE_SCHEMA=1` rewrites both."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from support import ROOT

from baseline.project import schema as config_schema
from baseline.project.derive import producer_keys_table, producer_schema
from baseline.resources import schema_path

SCHEMA = schema_path("assessment.schema.json")
DOC = ROOT / "docs" / "vendor-workflow.md"
PROFILE = ROOT / "tests" / "fixtures" / "ci-profile.toml"
_BEGIN, _END = "<!-- producer-keys: generated -->", "<!-- /producer-keys -->"

# A value for every [producer] key, as a vendor would write it in TOML.
PRODUCER_VALUES: dict[str, str] = {
    "name": '"Acme Software, Inc."',
    "attestation_type": '"revised"',
    "scope": '"Acme Payments 4.x, all editions"',
    "address": '"1 Main Street"',
    "city": '"Springfield"',
    "state": '"IL"',
    "postal_code": '"62701"',
    "country": '"USA"',
    "website": '"https://acme.example"',
    "contact_name": '"Pat Lee"',
    "contact_title": '"Product Security Lead"',
    "contact_address": '"1 Main Street, Springfield"',
    "contact_email": '"security@acme.example"',
    "contact_phone": '"+1 555 0100"',
    "signatory_name": '"Jane Doe"',
    "signatory_title": '"CEO"',
    "products": '[{ name = "Acme Payments", version = "4.2", release_date = 2026-05-01 }]',
    "software_covered": '"individual-product"',
    "attested_by": '"third-party-assessor"',
    "third_party_assessment": '"3PAO assessment of Acme Payments 4.2 (Example Assessors LLC)"',
    "attachments": '["SBOM: CycloneDX for Acme Payments 4.2"]',
}
# Every top-level config key, with a config body that uses it (the tiny CI profile's ids).
TOP_LEVEL: dict[str, str] = {
    "catalog": 'catalog = "profile.toml"\n',
    "excludes": 'excludes = ["data/*.bin"]\n',
    "include": 'include = ["more.toml"]\n',
    "params": '[[params]]\ncontrol = "HY.1.3"\ncheck = "repo.has_test_suite"\n'
    "params = { max_listed = 5 }\n",
    "not_applicable": '[[not_applicable]]\ncontrol = "HY.1.3"\nreason = "data only"\n',
    "producer": '[producer]\nname = "Acme"\n',
    "attestations": '[[attestations]]\ncontrol = "HY.1.2"\nstatement = "Apache-2.0"\n'
    'by = "Pat"\ndate = 2026-01-05\nevidence = [{ path = "LICENSE", sha256 = "'
    + hashlib.sha256(b"Apache License 2.0\n").hexdigest()
    + '" }]\n',
    "waivers": '[[waivers]]\ncontrol = "HY.1.3"\nreason = "tests move"\nmitigation = "review"\n'
    'owner = "Pat"\napprover = "Jo"\nexpires = 2026-09-01\n',
    "scope": '[scope]\nfixture = ["data/**"]\n',
    "semgrep": '[semgrep]\nextra_rules = ["rules/acme.yaml"]\n',
}
ACME_RULE = """rules:
  - id: acme.no-print
    languages: [python]
    severity: INFO
    message: use logging
    pattern: print(...)
"""


def _replace_block(text: str, key: str, value: dict[str, Any], indent: int) -> str:
    """`text` with the JSON object at `"key": {` (at this indent) replaced by `value`."""
    pad = " " * indent
    start = text.index(f'\n{pad}"{key}": {{') + 1
    end = text.index(f"\n{pad}}}", start) + len(pad) + 2
    body = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + pad)
    return text[:start] + f'{pad}"{key}": {body}' + text[end:]


def test_the_record_schema_producer_is_derived_from_the_config_fields() -> None:
    text = SCHEMA.read_text("utf-8")
    if os.environ.get("UPDATE_SCHEMA"):
        text = _replace_block(text, "producer", producer_schema(), 4)
        SCHEMA.write_text(text, "utf-8")
    assert json.loads(text)["properties"]["producer"] == producer_schema()


def test_the_documented_producer_keys_are_derived_from_the_config_fields() -> None:
    text = DOC.read_text("utf-8")
    block = f"{_BEGIN}\n{producer_keys_table()}\n{_END}"
    if os.environ.get("UPDATE_SCHEMA"):
        text = re.sub(re.escape(_BEGIN) + ".*?" + re.escape(_END), lambda _: block, text,
                      flags=re.DOTALL)  # fmt: skip
        DOC.write_text(text, "utf-8")
    assert block in text
    for key in config_schema.CONFIG:
        assert f"`{key}`" in text or f"`[{key}]`" in text or f"`[[{key}]]`" in text, key


def test_every_key_is_covered_here() -> None:
    assert set(PRODUCER_VALUES) == set(config_schema.PRODUCER)
    assert set(TOP_LEVEL) == set(config_schema.CONFIG)


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-I", "-m", "baseline", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip


def _assess_with(
    tmp_path: Path, config: str, catalog_option: bool = True
) -> tuple[Path, dict[str, Any]]:
    repo = tmp_path / "repo"
    (repo / "tests").mkdir(parents=True)
    (repo / "SECURITY.md").write_text("Report to security@example.org.\n")
    (repo / "LICENSE").write_text("Apache License 2.0\n")
    (repo / "tests" / "test_a.py").write_text("def test_a():\n    assert True\n")
    (repo / "data").mkdir()
    (repo / "data" / "blob.bin").write_bytes(b"\x7fELF\x02\x01\x01" + bytes(64))
    shutil.copy(PROFILE, repo / "profile.toml")
    (repo / "more.toml").write_text('[[waivers]]\ncontrol = "HY.1.1"\nreason = "r"\n'
                                    'mitigation = "m"\nowner = "o"\napprover = "a"\n'
                                    'expires = 2026-09-01\n')  # fmt: skip
    (repo / "rules").mkdir()
    (repo / "rules" / "acme.yaml").write_text(ACME_RULE)
    (repo / ".baseline.toml").write_text(config)
    catalog = ["--catalog", str(repo / "profile.toml")] if catalog_option else []
    done = _cli(
        tmp_path,
        "assess",
        "repo",
        "--out",
        "out",
        "--format",
        "json",
        "--quiet",
        "--as-of",
        "2026-06-01",
        *catalog,
    )
    assert done.returncode in (0, 1), done.stderr
    record_path = tmp_path / "out" / "assessment.json"
    record: dict[str, Any] = json.loads(record_path.read_text("utf-8"))
    jsonschema.validate(record, json.loads(SCHEMA.read_text("utf-8")))
    for command in (["render", str(record_path), "--out", "rendered"],
                    ["diff", str(record_path), str(record_path)],
                    ["aggregate", str(record_path), "--out", "portfolio"]):  # fmt: skip
        again = _cli(tmp_path, *command)
        assert again.returncode == 0, (command, again.stdout, again.stderr)
    return record_path, record


@pytest.mark.parametrize("key", sorted(PRODUCER_VALUES))
def test_each_producer_key_is_recorded_and_readable(tmp_path: Path, key: str) -> None:
    lines = ['name = "Acme Software, Inc."'] if key != "name" else []
    lines.append(f"{key} = {PRODUCER_VALUES[key]}")
    _, record = _assess_with(tmp_path, "[producer]\n" + "\n".join(lines) + "\n")
    producer = record["producer"]
    if key == "products":
        assert producer["products"] == [{"name": "Acme Payments", "version": "4.2",
                                         "release_date": "2026-05-01"}]  # fmt: skip
    else:
        assert producer[key] == json.loads(PRODUCER_VALUES[key]), producer


@pytest.mark.parametrize("key", sorted(TOP_LEVEL))
def test_each_top_level_key_is_accepted_and_the_record_is_valid(tmp_path: Path, key: str) -> None:
    # the command line's --catalog would win over the config's `catalog`
    _, record = _assess_with(tmp_path, TOP_LEVEL[key], catalog_option=key != "catalog")
    assert record["trust"]["config"]["path"].endswith(".baseline.toml")
    claims = {c["kind"] for r in record["results"] for c in r.get("config_claims", ())}
    expected = {"not_applicable": "not_applicable", "attestations": "attestation",
                "waivers": "waiver", "include": "waiver", "params": "param",
                "excludes": "exclude",
                "catalog": "catalog", "scope": "scope"}  # fmt: skip
    # `semgrep`: a `rules` claim on every task a semgrep check evidences; this profile has none
    # (tests/test_semgrep_extra_rules.py covers it)
    if key in expected:
        assert expected[key] in claims, (key, claims)
    if key == "producer":
        assert record["producer"] == {"name": "Acme"}
