"""sbom.present_and_valid on SBOMs made here by other generators (cyclonedx-py over a real
virtualenv, spdx-tools' writer), on broken and incomplete ones, and on the one we generate."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

import pytest
from support import write_files

from baseline.checks.sbom import PRESENT_AND_VALID
from baseline.checks.sbom_generate import ARTIFACT
from baseline.context import RunOptions, build_context
from baseline.models import CheckOutcome, Evidence
from baseline.tools.cyclonedx import validate_generated

P, F, E = CheckOutcome.PASS, CheckOutcome.FAIL, CheckOutcome.ERROR
BIN = Path(sys.executable).parent
# What cyclonedx-py can know of a locally built package in an environment.
ENV_KNOWABLE = ["name", "version", "dependencies", "tool", "timestamp", "license"]
# What our generator can know from a lockfile.
KNOWABLE = ["name", "version", "identifier", "dependencies", "tool"]


def run(repo: Path, **params: Any) -> Evidence:
    ctx = build_context(repo, "repo", RunOptions())
    return PRESENT_AND_VALID.run(ctx, PRESENT_AND_VALID.resolve(params))


def rules(evidence: Evidence) -> list[str]:
    return [f.rule for f in evidence.findings]


# --- cyclonedx-py over a real virtualenv ------------------------------------------------------


@pytest.fixture(scope="module")
def env_bom(tmp_path_factory: pytest.TempPathFactory) -> str:
    """`cyclonedx-py environment` over a fresh virtualenv holding one real installed project."""
    base = tmp_path_factory.mktemp("env")
    project = base / "probe"
    write_files(
        project,
        {
            "pyproject.toml": '[build-system]\nrequires = ["hatchling"]\n'
            'build-backend = "hatchling.build"\n[project]\nname = "sbom-probe"\n'
            'version = "1.2.3"\nlicense = "MIT"\n',
            "sbom_probe/__init__.py": "",
        },
    )
    target = base / "venv"
    venv.create(target, with_pip=False)
    python = target / "bin" / "python"
    wheels = base / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-index",
         "--no-build-isolation", "-w", str(wheels), str(project)],
        check=True, timeout=240,
    )  # fmt: skip
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
         "--no-index", *map(str, wheels.glob("*.whl"))],
        check=True, timeout=240,
    )  # fmt: skip
    out = base / "bom.json"
    subprocess.run(
        [str(BIN / "cyclonedx-py"), "environment", "--of", "JSON", "--sv", "1.6",
         "-o", str(out), str(python)],
        check=True, timeout=240,
    )  # fmt: skip
    return out.read_text()


def test_cyclonedx_py_sbom_of_a_real_environment_is_read_and_matched(
    tmp_path: Path, env_bom: str
) -> None:
    write_files(tmp_path, {"bom.json": env_bom, "requirements.txt": "Sbom_Probe==1.2.3\n"})
    evidence = run(tmp_path, required=ENV_KNOWABLE)
    assert evidence.outcome is P, evidence.summary
    assert "bom.json: CycloneDX 1.6, 1 component(s)" in evidence.summary
    assert "0 lockfile mismatch(es)" in evidence.summary
    assert evidence.files == ("bom.json",)
    # NTIA 2021 asks for a supplier, which an installed distribution does not say, and an
    # identifier, which cyclonedx-py gives no package installed from a local archive.
    strict = run(tmp_path)
    assert strict.outcome is F
    assert [f.message for f in strict.findings] == [
        "1 of 1 component(s) lack the supplier name: /components/0",
        "1 of 1 component(s) lack the other unique identifier (purl, CPE, SWID): /components/0",
        "the SBOM has no author of the SBOM data",
    ]


def test_a_version_the_lockfile_disagrees_with_is_named_with_its_pointer(
    tmp_path: Path, env_bom: str
) -> None:
    write_files(
        tmp_path,
        {"bom.json": env_bom, "requirements.txt": "sbom-probe==1.2.4\nrequests==2.32.3\n"},
    )
    evidence = run(tmp_path, required=ENV_KNOWABLE)
    assert evidence.outcome is F
    found = {f.rule: f for f in evidence.findings}
    assert set(found) == {"version-differs", "missing-from-sbom"}
    assert found["version-differs"].message == (
        "pypi:sbom-probe==1.2.4 is locked here, the SBOM lists 1.2.3 (bom.json#/components/0)"
    )
    assert (found["version-differs"].path, found["version-differs"].line) == ("requirements.txt", 1)
    assert found["missing-from-sbom"].line == 2
    assert run(tmp_path, required=ENV_KNOWABLE, max_lockfile_mismatches=2).outcome is P


# --- SPDX 2.3 written by spdx-tools -----------------------------------------------------------


def _spdx_document(with_purl: bool = True) -> Any:
    from spdx_tools.spdx.model import (  # type: ignore[attr-defined]
        Actor,
        ActorType,
        Checksum,
        ChecksumAlgorithm,
        CreationInfo,
        Document,
        ExternalPackageRef,
        ExternalPackageRefCategory,
        Package,
        Relationship,
        RelationshipType,
    )
    from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion

    def package(ident: str, name: str, version: str) -> Any:
        refs = [
            ExternalPackageRef(
                ExternalPackageRefCategory.PACKAGE_MANAGER, "purl", f"pkg:pypi/{name}@{version}"
            )
        ]
        return Package(
            spdx_id=ident, name=name, download_location=SpdxNoAssertion(), version=version,
            supplier=Actor(ActorType.ORGANIZATION, "Acme"),
            checksums=[Checksum(ChecksumAlgorithm.SHA256, "a" * 64)],
            external_references=refs if with_purl else [],
        )  # fmt: skip

    info = CreationInfo(
        spdx_version="SPDX-2.3", spdx_id="SPDXRef-DOCUMENT", name="acme",
        document_namespace="https://example.com/spdx/acme-1",
        creators=[Actor(ActorType.TOOL, "acme-sbom-1.0"), Actor(ActorType.ORGANIZATION, "Acme")],
        created=dt.datetime(2026, 1, 2, 3, 4, 5),
    )  # fmt: skip
    return Document(
        creation_info=info,
        packages=[package("SPDXRef-app", "acme-app", "4.2"), package("SPDXRef-req", "idna", "3.7")],
        relationships=[
            Relationship("SPDXRef-DOCUMENT", RelationshipType.DESCRIBES, "SPDXRef-app"),
            Relationship("SPDXRef-app", RelationshipType.DEPENDS_ON, "SPDXRef-req"),
        ],
    )


def _write_spdx(path: Path, document: Any) -> None:
    from spdx_tools.spdx.writer.json.json_writer import write_document_to_file

    path.parent.mkdir(parents=True, exist_ok=True)
    write_document_to_file(document, str(path), validate=True)


def test_an_spdx_document_written_by_spdx_tools_passes(tmp_path: Path) -> None:
    _write_spdx(tmp_path / "sbom" / "acme.spdx.json", _spdx_document())
    write_files(tmp_path, {"requirements.txt": "idna==3.7\n"})
    evidence = run(tmp_path)
    assert evidence.outcome is P, evidence.summary
    assert "sbom/acme.spdx.json: SPDX 2.3, 2 component(s)" in evidence.summary
    assert "license 2" in evidence.summary  # counted, though NTIA 2021 does not require it
    # CISA's 2025 draft asks for a generation context, which SPDX 2.3 cannot say.
    cisa = run(tmp_path, required=["name", "generation_context", "license"])
    assert cisa.outcome is F
    assert [f.message for f in cisa.findings] == [
        "the SBOM has no generation context (lifecycle phase)",
        "2 of 2 component(s) lack the license: /packages/0, /packages/1",
    ]


def test_spdx_components_without_identifiers_are_counted(tmp_path: Path) -> None:
    _write_spdx(tmp_path / "acme.spdx.json", _spdx_document(with_purl=False))
    evidence = run(tmp_path)
    assert evidence.outcome is F
    assert [f.message for f in evidence.findings] == [
        "2 of 2 component(s) lack the other unique identifier (purl, CPE, SWID): "
        "/packages/0, /packages/1"
    ]
    assert run(tmp_path, max_missing_percent=100).outcome is P


def test_an_invalid_spdx_document_fails_with_spdx_tools_messages(tmp_path: Path) -> None:
    _write_spdx(tmp_path / "acme.spdx.json", _spdx_document())
    doc = json.loads((tmp_path / "acme.spdx.json").read_text())
    doc["packages"][1]["SPDXID"] = "not-an-spdx-id"
    (tmp_path / "acme.spdx.json").write_text(json.dumps(doc))
    evidence = run(tmp_path)
    assert evidence.outcome is F
    assert set(rules(evidence)) == {"schema-error"}
    assert any("/packages/1" in f.message for f in evidence.findings), evidence.findings


# --- broken, incomplete, unreadable --------------------------------------------------------------


def _cdx(components: list[dict[str, Any]], **meta: Any) -> str:
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "version": 1,
        "metadata": {"timestamp": "2026-01-02T03:04:05Z", "authors": [{"name": "Acme"}], **meta},
        "components": components,
        "dependencies": [{"ref": c["bom-ref"]} for c in components if "bom-ref" in c],
    }
    return json.dumps(doc, indent=2)


def _component(name: str, version: str | None = "1.0", **more: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"type": "library", "name": name, "bom-ref": name}
    if version is not None:
        item |= {"version": version, "purl": f"pkg:pypi/{name}@{version}"}
    return item | {"supplier": {"name": "PSF"}} | more


def test_a_schema_error_is_located_by_json_pointer(tmp_path: Path) -> None:
    broken = json.loads(_cdx([_component("a"), _component("b")]))
    broken["components"][1]["version"] = 5
    write_files(tmp_path, {"app.cdx.json": json.dumps(broken)})
    evidence = run(tmp_path)
    assert evidence.outcome is F
    assert [(f.rule, f.path, f.message) for f in evidence.findings] == [
        ("schema-error", "app.cdx.json", "5 is not of type 'string' (at /components/1/version)")
    ]


def test_missing_elements_are_counted_per_element_against_the_threshold(tmp_path: Path) -> None:
    parts = [_component(n) for n in "abc"] + [_component("d", version=None)]
    write_files(tmp_path, {"bom.json": _cdx(parts)})
    evidence = run(tmp_path)
    assert evidence.outcome is F
    assert [f.message for f in evidence.findings] == [
        "1 of 4 component(s) lack the component version: /components/3",
        "1 of 4 component(s) lack the other unique identifier (purl, CPE, SWID): /components/3",
    ]
    assert "version 1, identifier 1, dependencies 0" in evidence.summary
    assert run(tmp_path, max_missing_percent=25).outcome is P
    nested = json.loads(_cdx([_component("a", components=[_component("inner", version=None)])]))
    write_files(tmp_path, {"bom.json": json.dumps(nested)})
    assert "/components/0/components/0" in run(tmp_path).findings[0].message


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("{not json", "not a readable JSON file"),
        ('{"hello": 1}', "neither CycloneDX"),
        ('{"bomFormat": "CycloneDX", "specVersion": "9.9"}', "specVersion '9.9'"),
        ('{"spdxVersion": "SPDX-3.0"}', "spdxVersion 'SPDX-3.0'"),
        ("[" * 200_000 + "]" * 200_000, "not a readable JSON file"),  # a nesting bomb
    ],
)
def test_what_cannot_be_read_is_an_error_never_a_pass(
    tmp_path: Path, content: str, said: str
) -> None:
    write_files(tmp_path, {"sbom.json": content})
    evidence = run(tmp_path)
    assert evidence.outcome is E
    assert evidence.error is not None and said in evidence.error
    assert evidence.error.startswith("sbom.json: ")


def test_a_named_sbom_that_is_missing_is_an_error(tmp_path: Path) -> None:
    write_files(tmp_path, {"bom.json": _cdx([_component("a")])})
    assert run(tmp_path).outcome is P
    evidence = run(tmp_path, path="release/app.cdx.json")
    assert evidence.outcome is E
    assert evidence.error == (
        "release/app.cdx.json: not a file of the assessed tree (missing, excluded, or a link); "
        "fix or remove the file (or name another with `path`)"
    )


# --- none: one generated ----------------------------------------------------------------------

PACKAGE_LOCK = {
    "name": "web",
    "lockfileVersion": 3,
    "packages": {
        "": {"name": "web"},
        "node_modules/@types/node": {"version": "20.1.0"},
        "node_modules/left-pad": {"version": "1.3.0"},
    },
}


def _generated(repo: Path) -> str:
    evidence = run(repo)
    assert evidence.outcome is F
    assert rules(evidence) == ["no-sbom"]
    (artifact,) = evidence.artifacts
    assert artifact.name == ARTIFACT
    return artifact.content.decode()


def test_without_an_sbom_one_is_generated_valid_deterministic_and_true_to_the_locks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    write_files(
        tmp_path,
        {
            "requirements.txt": "Django==4.2.11\nidna==3.7 --hash=sha256:" + "b" * 64 + "\n",
            "web/package-lock.json": json.dumps(PACKAGE_LOCK),
            "tests/requirements.txt": "pytest==8.0.0\n",  # not the product: left out
        },
    )
    text = _generated(tmp_path)
    assert validate_generated(text) == []
    assert _generated(tmp_path) == text
    doc = json.loads(text)
    assert doc["specVersion"] == "1.6"
    assert doc["metadata"]["timestamp"] == "2026-01-01T00:00:00+00:00"
    assert doc["metadata"]["lifecycles"] == [{"phase": "pre-build"}]
    assert sorted(c["purl"] for c in doc["components"]) == [
        "pkg:npm/%40types/node@20.1.0",
        "pkg:npm/left-pad@1.3.0",
        "pkg:pypi/django@4.2.11",
        "pkg:pypi/idna@3.7",
    ]
    # Put in the repository, it is read back with no lockfile mismatch.
    write_files(tmp_path, {"sbom/generated.cdx.json": text})
    back = run(tmp_path, required=KNOWABLE + ["timestamp", "author", "generation_context"])
    assert back.outcome is P, back.summary
    assert "CycloneDX 1.6, 4 component(s)" in back.summary
    assert "0 lockfile mismatch(es)" in back.summary


# --- the command line: --sbom-out and the bundle ------------------------------------------------

ONE_TASK_CATALOG = """\
[catalog]
id = "sbom-only"
title = "One task"
version = "1"
status = "final"

[[groups]]
id = "PS"
title = "Protect"

[[practices]]
id = "PS.3"
group = "PS"
title = "Archive"

[[controls]]
id = "PS.3.2"
practice = "PS.3"
title = "Share provenance data"
summary = "An SBOM."
attestation = "optional"
remediation = "Publish an SBOM."

[[controls.checks]]
id = "sbom.present_and_valid"
"""


def test_assess_writes_the_generated_sbom_to_sbom_out_and_the_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from baseline.bundle.verify import verify_bundle
    from baseline.cli import main

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    repo = tmp_path / "repo"
    write_files(repo, {"requirements.txt": "idna==3.7\n"})
    write_files(tmp_path, {"one.toml": ONE_TASK_CATALOG})
    out, bundle, sbom = tmp_path / "out", tmp_path / "bundle", tmp_path / "app.cdx.json"
    code = main(
        [
            "assess", str(repo), "--catalog", str(tmp_path / "one.toml"), "--format", "json",
            "--out", str(out), "--bundle", str(bundle), "--sbom-out", str(sbom), "--quiet",
        ]
    )  # fmt: skip
    assert code == 1, capsys.readouterr()
    generated = (bundle / "sbom" / "generated.cdx.json").read_bytes()
    assert sbom.read_bytes() == generated
    assert validate_generated(generated.decode()) == []
    assert [c["purl"] for c in json.loads(generated)["components"]] == ["pkg:pypi/idna@3.7"]
    manifest = json.loads((bundle / "manifest.json").read_text())
    assert "sbom/generated.cdx.json" in manifest["files"]
    assert verify_bundle(bundle, None).problems == []
    # With an SBOM in the repository nothing is generated, and --sbom-out says so.
    (repo / "bom.json").write_bytes(generated)
    sbom.unlink()
    main(["assess", str(repo), "--catalog", str(tmp_path / "one.toml"), "--format", "json",
          "--out", str(out), "--sbom-out", str(sbom), "--quiet"])  # fmt: skip
    assert not sbom.exists()
    assert "--sbom-out: no SBOM generated" in capsys.readouterr().err


# --- PW.4.1: an SBOM the task may be judged on, but does not need ---------------------------


@pytest.mark.parametrize("catalog", ["ssdf-1.1", "ssdf-1.2-draft"])
def test_pw_4_1_judges_a_committed_sbom_and_is_not_failed_for_want_of_one(
    tmp_path: Path, catalog: str
) -> None:
    from baseline.catalog.loader import load_catalog
    from baseline.engine import run_check

    (control,) = [c for c in load_catalog(catalog).controls if c.id == "PW.4.1"]
    (spec,) = [s for s in control.checks if s.check == "sbom.present_and_valid"]
    write_files(tmp_path, {"requirements.txt": "idna==3.7\n"})

    def judged() -> Evidence:
        return run_check(build_context(tmp_path, "repo", RunOptions()), spec)

    absent = judged()
    assert absent.outcome is CheckOutcome.NOT_APPLICABLE, absent.summary
    assert absent.artifacts == () and absent.findings == ()  # nothing generated for PW.4.1
    idna = json.loads(_generated(tmp_path))
    # The generated document lacks suppliers (NTIA), so a copy of it with one is the vendor's.
    for component in idna["components"]:
        component["supplier"] = {"name": "Kim Davies"}
    idna["metadata"]["authors"] = [{"name": "ACME"}]
    (tmp_path / "bom.json").write_text(json.dumps(idna))
    present = judged()
    assert present.outcome is P, present.summary
    assert present.files == ("bom.json",)
    # The SBOM no longer lists a locked package: the task's component provenance is wrong.
    write_files(tmp_path, {"requirements.txt": "idna==3.7\nurllib3==2.2.2\n"})
    stale = judged()
    assert stale.outcome is F and rules(stale) == ["missing-from-sbom"], stale.summary
