"""Evidence bundles: contents, determinism, signatures, and tampering with every kind of file."""

from __future__ import annotations

import base64
import json
import stat
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from workflow_support import TODAY_EPOCH, attestation, cli, make_repo, sha256

from baseline.bundle.sign import keygen, load_public
from baseline.bundle.verify import verify_bundle
from baseline.bundle.write import write_bundle
from baseline.context import RunOptions
from baseline.engine import assess
from baseline.models import Artifact, Assessment
from baseline.project.setup import load_project
from baseline.report.json_record import expanded


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    private, public = keygen(str(tmp_path_factory.mktemp("keys") / "signer"))
    return str(private), str(public)


def _assessment(repo: Path) -> tuple[Assessment, dict[str, Any]]:
    project = load_project(repo, None, None)
    result = assess(
        repo,
        project.catalog,
        RunOptions(jobs=2),
        display="repo",
        attestations=project.attestations,
        waivers=project.waivers,
        quiet=True,
    )
    # The repository checks keep no raw output; give PS.1.1's check an artifact, as the
    # tool-backed checks do, so the bundle holds every kind of file.
    raw = (Artifact("raw-output.json", b'{"results": []}'),)
    results = tuple(
        replace(r, evidence=(replace(r.evidence[0], artifacts=raw),))
        if r.control.id == "PS.1.1"
        else r
        for r in result.results
    )
    paths = {"evidence": project.evidence, "config_files": project.config_files}
    return replace(result, results=results), paths


@pytest.fixture
def bundle(tmp_path: Path, keys: tuple[str, str]) -> Path:
    repo = make_repo(tmp_path)
    (repo / "docs" / "training.md").write_text("roster\n")
    (repo / ".baseline.toml").write_text(
        attestation("PO.1.1", "docs/training.md", sha256(repo / "docs/training.md"))
        + attestation("RV.1.3", "repo:SECURITY.md", sha256(repo / "SECURITY.md"))
    )
    assessment, paths = _assessment(repo)
    out = tmp_path / "bundle"
    write_bundle(assessment, out, sign_key=keys[0], **paths)
    return out


def problems(bundle: Path, keys: tuple[str, str], signed: bool = True) -> list[str]:
    return verify_bundle(bundle, load_public(keys[1]) if signed else None).problems


REPORT_FILES = (
    "assessment.json", "report.html", "report.md", "results.sarif", "oscal-assessment-results.json",
    "oscal-assessment-plan.json", "cisa-form.md", "cisa-form.json", "poam.md", "poam.csv",
)  # fmt: skip


@pytest.mark.slow
def test_bundle_holds_every_kind_of_file_and_verifies(bundle: Path, keys: tuple[str, str]) -> None:
    names = sorted(p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file())
    record = expanded(json.loads((bundle / "reports" / "assessment.json").read_text()))
    tool_outputs = {
        f"tools/{e['check']}/{name}"
        for r in record["results"]
        for e in r["evidence"]
        for name in e["digests"]
        if name.endswith(".json") and "/" not in name
    }
    assert "tools/ci.workflows_pass_zizmor/ci.workflows_pass_zizmor.zizmor.json" in tool_outputs
    injected = "tools/repo.no_binary_artifacts/raw-output.json"  # the artifact _assessment adds
    assert [n for n in names if n.startswith("tools/")] == sorted(tool_outputs | {injected})
    names = [n for n in names if not n.startswith("tools/")]
    assert names == [
        "attestations/config/docs/training.md",
        "attestations/repo/SECURITY.md",
        "config/.baseline.toml",
        "manifest.json",
        *sorted(f"reports/{name}" for name in REPORT_FILES),
        "statement.dsse.json",
        "statement.json",
    ]
    assert verify_bundle(bundle, load_public(keys[1])).problems == []
    statement = json.loads((bundle / "statement.json").read_text())
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    assert list(statement["subject"][0]["digest"]) == ["gitCommit"]
    assert statement["subject"][0]["name"] == "git+repo"
    assert statement["predicate"]["controls"]["PO.1.1"] == "attested"
    assert statement["predicate"]["catalog"]["id"] == "ssdf-1.1"
    envelope = json.loads((bundle / "statement.dsse.json").read_text())
    assert base64.b64decode(envelope["payload"]) == (bundle / "statement.json").read_bytes()


def test_bundle_is_deterministic(bundle: Path, keys: tuple[str, str], tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    assessment, paths = _assessment(repo)
    again = tmp_path / "again"
    write_bundle(assessment, again, sign_key=keys[0], **paths)
    for path in bundle.rglob("*"):
        if path.is_file():
            assert (again / path.relative_to(bundle)).read_bytes() == path.read_bytes(), path


@pytest.mark.parametrize(
    "name",
    [
        "reports/assessment.json",
        "tools/repo.no_binary_artifacts/raw-output.json",
        "attestations/config/docs/training.md",
        "attestations/repo/SECURITY.md",
        "config/.baseline.toml",
    ],
)
def test_changing_one_byte_of_a_listed_file_is_named(
    bundle: Path, keys: tuple[str, str], name: str
) -> None:
    path = bundle / name
    data = bytearray(path.read_bytes())
    data[0] ^= 1
    path.write_bytes(bytes(data))
    assert problems(bundle, keys) == [f"{name}: changed (sha256 does not match manifest.json)"]


def test_missing_and_extra_files_are_named(bundle: Path, keys: tuple[str, str]) -> None:
    (bundle / "attestations" / "config" / "docs" / "training.md").unlink()
    (bundle / "reports" / "notes.txt").write_text("added later")
    assert problems(bundle, keys) == [
        "attestations/config/docs/training.md: missing (listed in manifest.json)",
        "reports/notes.txt: extra file, not in manifest.json",
    ]


def test_tampered_manifest_is_caught_by_the_statement(bundle: Path, keys: tuple[str, str]) -> None:
    # Rewrite the manifest to match a changed report: the statement's digest still catches it.
    report = bundle / "reports" / "assessment.json"
    report.write_text(report.read_text().replace('"pass"', '"fail"', 1))
    manifest = json.loads((bundle / "manifest.json").read_text())
    manifest["files"]["reports/assessment.json"] = sha256(report)
    (bundle / "manifest.json").write_text(json.dumps(manifest))
    assert problems(bundle, keys) == [
        "manifest.json: changed (sha256 does not match statement.json)"
    ]


def test_missing_manifest_is_named(bundle: Path, keys: tuple[str, str]) -> None:
    (bundle / "manifest.json").unlink()
    found = problems(bundle, keys)
    assert found[0] == "manifest.json: missing"


def test_tampered_statement_breaks_the_signature(bundle: Path, keys: tuple[str, str]) -> None:
    path = bundle / "statement.json"
    path.write_text(path.read_text().replace('"attested"', '"pass"', 1))
    assert problems(bundle, keys) == ["statement.json: changed (differs from the signed statement)"]


def test_tampered_envelope_is_a_bad_signature(bundle: Path, keys: tuple[str, str]) -> None:
    path = bundle / "statement.dsse.json"
    envelope = json.loads(path.read_text())
    sig = bytearray(base64.b64decode(envelope["signatures"][0]["sig"]))
    sig[0] ^= 1
    envelope["signatures"][0]["sig"] = base64.b64encode(bytes(sig)).decode()
    path.write_text(json.dumps(envelope))
    assert problems(bundle, keys) == [
        "statement.dsse.json: bad signature (no signature verifies with the given public key)"
    ]


def test_wrong_key_and_missing_signature(
    bundle: Path, keys: tuple[str, str], tmp_path: Path
) -> None:
    _, other = keygen(str(tmp_path / "other"))
    assert "bad signature" in verify_bundle(bundle, load_public(str(other))).problems[0]
    (bundle / "statement.dsse.json").unlink()
    assert problems(bundle, keys) == ["statement.dsse.json: missing signature"]
    verdict = verify_bundle(bundle, None)
    assert verdict.problems == []
    assert "not signed" in verdict.notes[0]


def test_cli_verify_exit_codes(
    bundle: Path, keys: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(capsys, "verify", str(bundle), "--key", keys[1])[0] == 0
    (bundle / "manifest.json").write_text("{}")
    code, out, _ = cli(capsys, "verify", str(bundle), "--key", keys[1])
    assert code == 1
    assert "FAIL manifest.json" in out
    assert cli(capsys, "verify", str(tmp_path / "nowhere"))[0] == 2
    (tmp_path / "bad.pub").write_text("not a key")
    assert cli(capsys, "verify", str(bundle), "--key", str(tmp_path / "bad.pub"))[0] == 2


def test_keygen_modes_and_refusal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prefix = str(tmp_path / "k")
    assert cli(capsys, "keygen", "--out", prefix)[0] == 0
    assert stat.S_IMODE((tmp_path / "k.key").stat().st_mode) == 0o600
    code, _, err = cli(capsys, "keygen", "--out", prefix)
    assert code == 2
    assert "already exists" in err
    assert cli(capsys, "keygen", "--out", prefix, "--force")[0] == 0


def test_bundle_refuses_a_foreign_folder_and_replaces_an_old_bundle(
    bundle: Path, keys: tuple[str, str], tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    assessment, _ = _assessment(repo)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine")
    with pytest.raises(Exception, match="holds no bundle"):
        write_bundle(assessment, foreign, {}, None)
    # Rewriting over an old bundle drops its files that no longer belong (the evidence here).
    write_bundle(assessment, bundle, {}, None)
    assert not (bundle / "attestations").joinpath("config", "docs", "training.md").exists()
    assert not (bundle / "statement.dsse.json").exists()
    assert verify_bundle(bundle).problems == []


def test_hostile_manifest_and_statement_are_failures_not_crashes(
    bundle: Path, keys: tuple[str, str]
) -> None:
    manifest = json.loads((bundle / "manifest.json").read_text())
    manifest["files"]["/etc/passwd"] = "0" * 64
    manifest["files"]["../outside"] = "0" * 64
    (bundle / "manifest.json").write_text(json.dumps(manifest))
    (bundle / "statement.json").write_text(
        '{"_type": "https://in-toto.io/Statement/v1", "predicate": 1}'
    )
    found = problems(bundle, keys)
    assert "/etc/passwd: not a path inside the bundle (manifest.json)" in found
    assert "../outside: not a path inside the bundle (manifest.json)" in found
    assert "manifest.json: changed (sha256 does not match statement.json)" in found
    assert "statement.json: changed (differs from the signed statement)" in found


def test_bad_sign_options_fail_before_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path)
    out = tmp_path / "out"
    code, _, err = cli(capsys, "assess", str(repo), "--out", str(out), "--sign-key", "k.key")
    assert code == 2
    assert "give --bundle DIR too" in err
    (tmp_path / "k.key").write_text("not a key")
    code, _, err = cli(
        capsys, "assess", str(repo), "--out", str(out), "--bundle", str(tmp_path / "b"),
        "--sign-key", str(tmp_path / "k.key"),
    )  # fmt: skip
    assert code == 2
    assert "not an unencrypted PEM private key" in err
    assert not out.exists()


def test_the_subject_names_the_repository_by_its_url() -> None:
    """An auditor finds the subject by the repository's URL and commit, not the local path; a
    folder inside it is named, and a dirty tree is said to be one."""
    from dataclasses import replace

    from report_sample import sample_assessment

    from baseline.bundle.statement import statement
    from baseline.models import RepositoryFacts

    facts = RepositoryFacts(url="https://github.com/acme/widget", subdir="svc",
                            changed=("app.py",))  # fmt: skip
    assessment = replace(sample_assessment(), commit="a" * 40, repository=facts)
    doc = json.loads(statement(assessment, "0" * 64, "1" * 64))
    assert doc["subject"] == [
        {"name": "git+https://github.com/acme/widget#svc", "digest": {"gitCommit": "a" * 40}}
    ]
    repository = doc["predicate"]["repository"]
    assert repository["dirty"] is True and repository["changed_files"] == ["app.py"]
