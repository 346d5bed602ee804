"""The project config: discovery, validation with located errors, and what it changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from workflow_support import TODAY_EPOCH, attestation, cli, make_repo, record, result, sha256

from baseline.catalog.loader import load_catalog
from baseline.errors import InputError
from baseline.project.bind import bind
from baseline.project.config import discover, load_config
from baseline.project.setup import load_project


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)


def problems_of(tmp_path: Path, text: str, name: str = ".baseline.toml") -> list[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        bind(load_config(path), load_catalog("ssdf-1.1"))
    return [str(p) for p in caught.value.problems]


def test_discovers_dotfile_then_pyproject(tmp_path: Path) -> None:
    assert discover(tmp_path) is None
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert discover(tmp_path) is None
    (tmp_path / "pyproject.toml").write_text("[tool.baseline]\nexcludes = []\n")
    assert discover(tmp_path) == tmp_path / "pyproject.toml"
    (tmp_path / ".baseline.toml").write_text("")
    assert discover(tmp_path) == tmp_path / ".baseline.toml"


def test_unknown_key_is_located_with_a_suggestion(tmp_path: Path) -> None:
    found = problems_of(tmp_path, 'catalog = "ssdf-1.1"\n\nexclude = ["x"]\n')
    assert found == [
        f"{tmp_path / '.baseline.toml'}:3: exclude: unknown key (did you mean 'excludes'?)"
    ]


def test_pyproject_table_is_located_in_the_whole_file(tmp_path: Path) -> None:
    text = '[project]\nname = "x"\n\n[tool.baseline]\nexcludes = "docs"\n'
    found = problems_of(tmp_path, text, "pyproject.toml")
    assert len(found) == 1
    assert ":5: tool.baseline.excludes: must be an array" in found[0]


def test_bad_values_are_each_reported(tmp_path: Path) -> None:
    text = (
        "excludes = [1]\n"
        '[[attestations]]\ncontrol = "PO.1.1"\nstatement = "s"\nby = "b"\ndate = "2026-01-01"\n'
        '[[waivers]]\ncontrol = "PS.1.1"\nreason = "r"\n'
    )
    found = "\n".join(problems_of(tmp_path, text))
    assert ":1: excludes: every item must be a string" in found
    assert ":6: attestations[0].date: must be a date (YYYY-MM-DD, unquoted)" in found
    for key in ("mitigation", "owner", "approver", "expires"):
        assert f"waivers[0].{key}: is required but missing" in found


def test_unknown_control_and_duplicates(tmp_path: Path) -> None:
    text = (
        attestation("PO.1.9", urls='["https://example.com"]')
        + attestation("PO.1.1", urls='["https://example.com"]')
        + attestation("PO.1.1", urls='["https://example.com"]')
    )
    found = "\n".join(problems_of(tmp_path, text))
    assert ":2: attestations[0].control: no control 'PO.1.9' in ssdf-1.1 (did you mean" in found
    assert "attestations[2].control: a second attestation for PO.1.1" in found


def test_check_params_are_validated_against_the_declarations(tmp_path: Path) -> None:
    text = (
        '[[params]]\ncontrol = "PS.1.1"\ncheck = "repo.no_binary_artifacts"\n'
        "params = { alow = [] }\n"
        '[[params]]\ncontrol = "PS.1.1"\ncheck = "repo.has_license"\nparams = {}\n'
        '[[params]]\ncontrol = "PS.1.1"\ncheck = "repo.no_binary_artifacts"\n'
        'params = { allow = "x" }\n'
    )
    found = "\n".join(problems_of(tmp_path, text))
    assert "has no parameter 'alow' (did you mean 'allow'?)" in found
    assert "control PS.1.1 has no check 'repo.has_license'" in found
    assert "params[2].params.allow: must be an array, not 'x'" in found


def test_params_not_applicable_and_excludes_reach_the_run(tmp_path: Path) -> None:
    path = tmp_path / ".baseline.toml"
    path.write_text(
        'excludes = ["build/**"]\n'
        '[[params]]\ncontrol = "PS.1.1"\ncheck = "repo.no_binary_artifacts"\n'
        'params = { allow = ["vendor/*.exe"] }\n'
        '[[not_applicable]]\ncontrol = "PW.6.1"\nreason = "Interpreted language."\n'
    )
    project = bind(load_config(path), load_catalog("ssdf-1.1"))
    assert project.excludes == ("build/**",)
    ps = project.catalog.control("PS.1.1").checks[0]
    assert ps.params == {"allow": ["vendor/*.exe"]}
    assert project.catalog.control("PW.4.1").checks[0].params == {}  # only the named control
    assert project.catalog.control("PW.6.1").not_applicable == "Interpreted language."


def test_empty_not_applicable_reason_is_refused(tmp_path: Path) -> None:
    found = problems_of(tmp_path, '[[not_applicable]]\ncontrol = "PW.6.1"\nreason = " "\n')
    assert "not_applicable[0].reason: must explain why" in found[0]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("../outside.txt", "must not leave the config's folder"),
        ("/etc/passwd", "must be relative to the config's folder"),
        ("link/secret.txt", "goes through a symbolic link"),
        ("alias.txt", "goes through a symbolic link"),
    ],
)
def test_evidence_paths_cannot_escape(tmp_path: Path, path: str, message: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    repo = tmp_path / "repo"
    repo.mkdir()
    os.symlink(outside, repo / "link")
    os.symlink(outside / "secret.txt", repo / "alias.txt")
    found = problems_of(repo, attestation("PO.1.1", path, "0" * 64))
    assert any(message in p and "attestations[0].evidence[0].path" in p for p in found), found


def test_missing_digest_is_required_and_the_current_one_is_offered(tmp_path: Path) -> None:
    (tmp_path / "policy.md").write_text("policy")
    found = problems_of(tmp_path, attestation("PO.1.1", "policy.md", ""))
    assert "evidence[0].sha256: is required" in found[0]
    assert sha256(tmp_path / "policy.md") in found[0]


def test_included_file_problems_name_that_file(tmp_path: Path) -> None:
    (tmp_path / "atts.toml").write_text('[[attestations]]\ncontrol = "PO.1.1"\nstatment = "x"\n')
    found = problems_of(tmp_path, 'include = ["atts.toml", "../x.toml"]\n')
    joined = "\n".join(found)
    assert (
        "atts.toml:3: attestations[0].statment: unknown key (did you mean 'statement'?)" in joined
    )
    assert "include[1]: '../x.toml' must not leave" in joined


def test_config_catalog_file_must_stay_beside_the_config(tmp_path: Path) -> None:
    (tmp_path / ".baseline.toml").write_text('catalog = "../evil.toml"\n')
    with pytest.raises(InputError, match="must not leave"):
        load_project(tmp_path, None, None)


def test_symlinked_config_is_refused(tmp_path: Path) -> None:
    (tmp_path / "real.toml").write_text("")
    os.symlink(tmp_path / "real.toml", tmp_path / ".baseline.toml")
    with pytest.raises(InputError, match="symbolic link"):
        load_project(tmp_path, None, None)


def test_cli_bad_config_exits_2_naming_file_line_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path)
    (repo / ".baseline.toml").write_text('catalog = "ssdf-1.1"\nbogus = 1\n')
    code, _, err = cli(capsys, "assess", str(repo), "--out", str(tmp_path / "out"), "--quiet")
    assert code == 2
    assert f"{repo}/.baseline.toml:2: bogus: unknown key" in err


@pytest.mark.slow
def test_producer_details_reach_the_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path)
    (repo / ".baseline.toml").write_text(
        '[producer]\nname = "Example Corp"\ncontact_email = "sec@example.com"\n'
        'scope = "All releases"\n'
        '[[producer.products]]\nname = "App"\nversion = "2.1"\nrelease_date = 2026-05-01\n'
        '[[not_applicable]]\ncontrol = "PW.6.1"\nreason = "Interpreted language."\n'
    )
    code, _, _ = cli(capsys, "assess", str(repo), "--out", str(tmp_path / "out"), "--quiet")
    assert code == 0
    data = record(tmp_path / "out" / "assessment.json")
    assert data["producer"] == {
        "name": "Example Corp",
        "contact_email": "sec@example.com",
        "scope": "All releases",
        "products": [{"name": "App", "version": "2.1", "release_date": "2026-05-01"}],
    }
    assert result(data, "PW.6.1")["status"] == "not_applicable"
    code, _, _ = cli(
        capsys, "assess", str(repo), "--out", str(tmp_path / "o2"), "--quiet", "--no-config"
    )
    assert "producer" not in record(tmp_path / "o2" / "assessment.json")


@pytest.mark.slow
def test_external_config_evidence_beside_it_or_in_the_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path)
    compliance = tmp_path / "compliance"
    compliance.mkdir()
    (compliance / "training.pdf").write_bytes(b"%PDF roster")
    config = compliance / "ssdf.toml"
    config.write_text(
        attestation("PO.1.1", "training.pdf", sha256(compliance / "training.pdf"))
        + attestation("RV.1.3", "repo:SECURITY.md", sha256(repo / "SECURITY.md"))
    )
    out = tmp_path / "out"
    code, _, err = cli(capsys, "assess", str(repo), "--config", str(config), "--out", str(out))
    assert code == 0, err
    data = record(out / "assessment.json")
    assert result(data, "PO.1.1")["status"] == "attested"
    assert result(data, "RV.1.3")["status"] == "attested"
    config.write_text(attestation("RV.1.3", "repo:../compliance/training.pdf", "0" * 64))
    code, _, err = cli(capsys, "assess", str(repo), "--config", str(config), "--out", str(out))
    assert code == 2
    assert "must not leave the config's folder" in err


def test_assessment_with_config_is_deterministic_and_round_trips(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from baseline.report.json_record import dumps, to_record
    from baseline.report.record_io import load_record

    repo = make_repo(tmp_path)
    (repo / ".baseline.toml").write_text(
        '[producer]\nname = "Example Corp"\n'
        + attestation("PO.1.1", urls='["https://example.com/p"]')
    )
    for name in ("a", "b"):
        cli(capsys, "assess", str(repo), "--out", str(tmp_path / name), "--quiet")
    first = (tmp_path / "a" / "assessment.json").read_text()
    assert first == (tmp_path / "b" / "assessment.json").read_text()
    assert dumps(to_record(load_record(tmp_path / "a" / "assessment.json"))) == first
