"""Dependency checks on small real repositories written to tmp_path, and OSV matching."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from support import check_evidence

from baseline.models import CheckOutcome, Evidence
from baseline.tools.osv import affects, load_osv

H1 = "a" * 64
H2 = "b" * 64


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def _run(root: Path, check: str, **options: object) -> Evidence:
    return check_evidence(root, check, **options)


LOCKED = {
    "pyproject.toml": '[project]\nname = "x"\ndependencies = ["requests>=2"]\n',
    "requirements.txt": f"requests==2.32.3 \\\n    --hash=sha256:{H1}\n"
    f"urllib3==2.2.0 --hash=sha256:{H2}  # via requests\n",
    ".github/dependabot.yml": "version: 2\nupdates: []\n",
}
LOOSE = {
    "pyproject.toml": '[project]\nname = "x"\ndependencies = ["requests>=2"]\n',
    "requirements.txt": "# loose\nrequests>=2\nflask\n-r other.txt\nurllib3==2.2.0\n",
}


_CSPROJ = """<Project Sdk="Microsoft.NET.Sdk.Web">
  <ItemGroup>
    <PackageReference Include="Microsoft.AspNetCore.Authorization" />
    <PackageReference Include="Swashbuckle.AspNetCore" />
  </ItemGroup>
</Project>
"""
_NUGET_LOCK = """{
  "version": 1,
  "dependencies": {
    "net10.0": {
      "Swashbuckle.AspNetCore": {
        "type": "Direct",
        "requested": "[6.5.0, )",
        "resolved": "6.5.0",
        "contentHash": "%s=="
      }
    }
  }
}
""" % ("Q" * 86)


# The shape of honojs/hono's bun.lock (lockfileVersion 1): name@version, registry, metadata,
# and the integrity hash last.
_BUN_LOCK = """{
  "lockfileVersion": 1,
  "workspaces": { "": { "name": "hono", "devDependencies": { "vitest": "^4.1.7" } } },
  "packages": {
    "vitest": ["vitest@4.1.7", "", { "bin": { "vitest": "vitest.mjs" } }, "sha512-%s=="],
  }
}
""" % ("A" * 86)


@pytest.mark.parametrize(
    ("check", "locked", "loose"),
    [
        ("deps.manifests_locked", "pass", "fail"),
        ("deps.pinned_exactly", "pass", "fail"),
        ("deps.hashes_required", "pass", "fail"),
        ("deps.update_tool_configured", "pass", "fail"),
    ],
)
def test_locked_and_loose(tmp_path: Path, check: str, locked: str, loose: str) -> None:
    good = _write(tmp_path / "good", LOCKED)
    bad = _write(tmp_path / "bad", LOOSE)
    assert _run(good, check).outcome.value == locked
    assert _run(bad, check).outcome.value == loose


def test_unpinned_lines_are_located(tmp_path: Path) -> None:
    evidence = _run(_write(tmp_path, LOOSE), "deps.pinned_exactly")
    assert {(f.path, f.line) for f in evidence.findings} == {
        ("requirements.txt", 2),
        ("requirements.txt", 3),
    }


def test_continuation_lines_keep_the_first_line_number(tmp_path: Path) -> None:
    files = {"requirements.txt": f"a==1 \\\n  --hash=sha256:{H1}\nb>=2 \\\n  --hash=sha256:{H2}\n"}
    evidence = _run(_write(tmp_path, files), "deps.pinned_exactly")
    assert [(f.path, f.line) for f in evidence.findings] == [("requirements.txt", 3)]


_POM = (
    "<project><dependencies><dependency><groupId>org.springframework.boot</groupId>"
    "<artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>"
)
_MAVEN_LOCKFILE = json.dumps(
    {
        "artifactID": "app",
        "groupID": "com.example",
        "version": "1",
        "lockFileVersion": 1,
        "dependencies": [
            {
                "groupId": "org.springframework.boot",
                "artifactId": "spring-boot-starter-web",
                "version": "3.3.0",
                "checksumAlgorithm": "SHA-256",
                "checksum": "25f23dc535a091e9dc80c008faf29dcb92be902e6911f77a736fbaf019908367",
            }
        ],
    }
)
_GRADLE = "plugins { id 'java' }\ndependencies {\n  implementation 'com.h2database:h2'\n}\n"


@pytest.mark.parametrize(
    ("files", "outcome"),
    [
        ({"package.json": "{}", "package-lock.json": '{"integrity": "sha512-x"}'}, "pass"),
        ({"package.json": "{}"}, "fail"),
        ({"go.mod": "module x\n", "go.sum": "x v1 h1:abc=\n"}, "pass"),
        ({"Cargo.toml": "[package]\n", "Cargo.lock": 'checksum = "ab"\n'}, "pass"),
        ({"pyproject.toml": '[project]\ndependencies = ["a"]\n', "poetry.lock": ""}, "pass"),
        ({"pyproject.toml": "[tool.ruff]\nline-length = 100\n"}, "not_applicable"),
        # jellyfin/jellyfin: .NET projects name NuGet packages (versions in
        # Directory.Packages.props) and no packages.lock.json locks them
        ({"Jellyfin.Api/Jellyfin.Api.csproj": _CSPROJ}, "fail"),
        (
            {
                "Jellyfin.Api/Jellyfin.Api.csproj": _CSPROJ,
                "Jellyfin.Api/packages.lock.json": _NUGET_LOCK,
            },
            "pass",
        ),
        ({"Empty/Empty.csproj": '<Project Sdk="Microsoft.NET.Sdk"></Project>'}, "not_applicable"),
        # honojs/hono: package.json locked by Bun's text lockfile bun.lock
        ({"package.json": "{}", "bun.lock": _BUN_LOCK}, "pass"),
        # healthchecks/healthchecks: requirements.txt is pinned, but requirements-dev.txt
        # beside it (installed by CI) names types-Markdown with no version and has no lock
        ({"requirements.txt": "Django==6.1\n", "requirements-dev.txt": "types-Markdown\n"}, "fail"),
        ({"requirements.txt": "Django==6.1\n", "requirements-dev.txt": "mypy==2.3.1\n"}, "pass"),
        ({"README.md": "no manifests"}, "not_applicable"),
        # spring-projects/spring-petclinic: pom.xml and build.gradle name their dependencies
        # and nothing locks them (they were read as "no dependency manifests")
        ({"pom.xml": _POM}, "fail"),
        ({"build.gradle": _GRADLE}, "fail"),
        ({"build.gradle.kts": _GRADLE, "gradle.lockfile": "a:b:1.0=runtimeClasspath\n"}, "pass"),
        # maven-lockfile's lockfile.json beside the pom locks it (with a SHA-256 per artifact)
        ({"pom.xml": _POM, "lockfile.json": _MAVEN_LOCKFILE}, "pass"),
        (
            {"pom.xml": "<project><modules><module>app</module></modules></project>"},
            "not_applicable",
        ),
    ],
)
def test_lockfile_pairs(tmp_path: Path, files: dict[str, str], outcome: str) -> None:
    assert _run(_write(tmp_path, files), "deps.manifests_locked").outcome.value == outcome


def test_a_nuget_lock_records_the_hashes(tmp_path: Path) -> None:
    files = {"App/App.csproj": _CSPROJ, "App/packages.lock.json": _NUGET_LOCK}
    assert _run(_write(tmp_path, files), "deps.hashes_required").outcome.value == "pass"


def test_bun_lock_records_the_hashes(tmp_path: Path) -> None:
    files = {"package.json": "{}", "bun.lock": _BUN_LOCK}
    assert _run(_write(tmp_path, files), "deps.hashes_required").outcome.value == "pass"


def test_lockfile_without_hashes(tmp_path: Path) -> None:
    files = {"package.json": "{}", "package-lock.json": '{"lockfileVersion": 3}'}
    evidence = _run(_write(tmp_path, files), "deps.hashes_required")
    assert evidence.outcome is CheckOutcome.FAIL
    assert evidence.findings[0].path == "package-lock.json"


@pytest.mark.parametrize(
    ("beside", "outcome"),
    [({}, CheckOutcome.FAIL),
     ({"gradle/verification-metadata.xml": f'<sha256 value="{H1}" origin="Generated"/>'},
      CheckOutcome.PASS)],
)  # fmt: skip
def test_gradle_lockfile_hashes_live_in_the_verification_metadata(
    tmp_path: Path, beside: dict[str, str], outcome: CheckOutcome
) -> None:
    files = {"build.gradle": _GRADLE, "gradle.lockfile": "a:b:1.0=runtimeClasspath\n", **beside}
    assert _run(_write(tmp_path, files), "deps.hashes_required").outcome is outcome


def test_a_maven_lockfile_records_the_hashes(tmp_path: Path) -> None:
    files = {"pom.xml": _POM, "lockfile.json": _MAVEN_LOCKFILE}
    assert _run(_write(tmp_path, files), "deps.hashes_required").outcome is CheckOutcome.PASS
    files["lockfile.json"] = _MAVEN_LOCKFILE.replace('"checksum": "25f2', '"checksum": "')
    assert _run(_write(tmp_path, files), "deps.hashes_required").outcome is CheckOutcome.FAIL


def test_jvm_dependencies_need_review_for_vulnerabilities(tmp_path: Path) -> None:
    # spring-projects/spring-petclinic: Maven dependencies were "no dependency manifest".
    evidence = _run(_write(tmp_path, {"pom.xml": _POM}), "deps.no_known_vulnerabilities")
    assert evidence.outcome is CheckOutcome.NEEDS_REVIEW
    assert "pom.xml" in evidence.summary


def test_renovate_counts_as_update_tool(tmp_path: Path) -> None:
    evidence = _run(_write(tmp_path, {"renovate.json": "{}"}), "deps.update_tool_configured")
    assert evidence.outcome is CheckOutcome.PASS


# --- OSV -----------------------------------------------------------------------------------

RECORD = {
    "id": "GHSA-test-0001",
    "aliases": ["CVE-2099-1"],
    "affected": [
        {
            "package": {"ecosystem": "PyPI", "name": "Requests"},
            "ranges": [
                {"type": "ECOSYSTEM", "events": [{"introduced": "2.0"}, {"fixed": "2.32.4"}]},
                {"type": "ECOSYSTEM", "events": [{"introduced": "3.0"}, {"last_affected": "3.1"}]},
            ],
            "versions": ["1.5.0"],
        }
    ],
}


@pytest.mark.parametrize(
    ("version", "hit"),
    [
        ("1.5.0", True),
        ("1.9", False),
        ("2.0", True),
        ("2.32.3", True),
        ("2.32.4", False),
        ("3.1", True),
        ("3.1.1", False),
        ("not-a-version", False),
    ],
)
def test_osv_ranges(version: str, hit: bool) -> None:
    assert affects(RECORD, "requests", version) is hit


def test_osv_introduced_zero() -> None:
    events = [{"introduced": "0"}, {"fixed": "1.0"}]
    record = {
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": "a"},
                "ranges": [{"type": "ECOSYSTEM", "events": events}],
            }
        ]
    }
    assert affects(record, "a", "0.9")
    assert not affects(record, "a", "1.0")


def test_vuln_db_file_and_folder(tmp_path: Path) -> None:
    repo = _write(tmp_path / "repo", LOCKED)
    db = tmp_path / "db"
    db.mkdir()
    (db / "one.json").write_text(json.dumps(RECORD))
    (db / "npm.json").write_text(
        json.dumps({"id": "X", "affected": [{"package": {"ecosystem": "npm", "name": "requests"}}]})
    )
    assert list(load_osv(db)) == ["requests"]
    for path in (db, db / "one.json"):
        evidence = _run(repo, "deps.no_known_vulnerabilities", vuln_db=path)
        assert evidence.outcome is CheckOutcome.FAIL
        [finding] = evidence.findings
        where = (finding.rule, finding.path, finding.line)
        assert where == ("GHSA-test-0001", "requirements.txt", 1)
        assert "CVE-2099-1" in finding.message


def test_vuln_db_clean(tmp_path: Path) -> None:
    repo = _write(tmp_path / "repo", {"requirements.txt": "requests==2.32.4\n"})
    (tmp_path / "db.json").write_text(json.dumps({"vulns": [RECORD]}))
    evidence = _run(repo, "deps.no_known_vulnerabilities", vuln_db=tmp_path / "db.json")
    assert evidence.outcome is CheckOutcome.PASS


def test_poetry_lock_pins_are_matched(tmp_path: Path) -> None:
    lock = '[[package]]\nname = "Requests"\nversion = "2.31.0"\n'
    repo = _write(tmp_path / "repo", {"pyproject.toml": "[project]\n", "poetry.lock": lock})
    (tmp_path / "db.json").write_text(json.dumps(RECORD))
    evidence = _run(repo, "deps.no_known_vulnerabilities", vuln_db=tmp_path / "db.json")
    assert [f.path for f in evidence.findings] == ["poetry.lock"]


def test_no_vulnerability_data_is_needs_review(tmp_path: Path) -> None:
    evidence = _run(_write(tmp_path, LOCKED), "deps.no_known_vulnerabilities")
    assert evidence.outcome is CheckOutcome.NEEDS_REVIEW
    assert "no vulnerability data available offline" in evidence.summary


def test_garbled_vuln_db_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "db.json").write_text("{not json")
    repo = _write(tmp_path / "repo", LOCKED)
    evidence = _run(repo, "deps.no_known_vulnerabilities", vuln_db=tmp_path / "db.json")
    assert evidence.outcome is CheckOutcome.ERROR


def test_online_without_pip_audit_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from baseline import toolrun

    repo = _write(tmp_path / "repo", LOCKED)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    toolrun.tool_version.cache_clear()
    try:
        evidence = _run(repo, "deps.no_known_vulnerabilities", online=True)
    finally:
        toolrun.tool_version.cache_clear()
    assert evidence.outcome is CheckOutcome.ERROR
    assert "pip-audit" in evidence.summary


PIP_AUDIT_JSON = {
    "dependencies": [
        {
            "name": "requests",
            "version": "2.32.3",
            "vulns": [
                {
                    "id": "GHSA-9hjg-9r4m-mvj7",
                    "fix_versions": ["2.32.4"],
                    "aliases": ["CVE-2024-47081"],
                    "description": "netrc leak",
                }
            ],
        },
        {"name": "urllib3", "version": "2.2.0", "vulns": []},
    ],
    "fixes": [],
}


def _fake_pip_audit(folder: Path, stdout: str) -> None:
    """A stand-in `pip-audit` on PATH that answers --version and prints recorded JSON."""
    folder.mkdir()
    script = folder / "pip-audit"
    (folder / "out.json").write_text(stdout)
    script.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "--version" ]; then echo "pip-audit 2.9.0"; exit 0; fi\n'
        f'cat "{folder / "out.json"}"\nexit 1\n'
    )
    script.chmod(0o755)


@pytest.mark.parametrize(
    ("stdout", "outcome"),
    [
        (json.dumps(PIP_AUDIT_JSON), CheckOutcome.FAIL),
        (json.dumps({"dependencies": [], "fixes": []}), CheckOutcome.PASS),
        ("Traceback (most recent call last):", CheckOutcome.ERROR),
    ],
)
def test_online_pip_audit_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stdout: str, outcome: CheckOutcome
) -> None:
    from baseline import toolrun

    _fake_pip_audit(tmp_path / "bin", stdout)
    repo = _write(tmp_path / "repo", LOCKED)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:{os.environ['PATH']}")
    toolrun.tool_version.cache_clear()
    try:
        evidence = _run(repo, "deps.no_known_vulnerabilities", online=True)
    finally:
        toolrun.tool_version.cache_clear()
    assert evidence.outcome is outcome, evidence.summary
    if outcome is CheckOutcome.FAIL:
        [finding] = evidence.findings
        assert (finding.rule, finding.path, finding.line, finding.tool) == (
            "GHSA-9hjg-9r4m-mvj7",
            "requirements.txt",
            1,
            "pip-audit",
        )
        assert evidence.tool_runs[0].tool == "pip-audit"


# --- the repository owner hides its dependencies (the tree is hostile) ------------------------

_PAD = " " * (3 * 1024 * 1024)  # past the 2 MiB a text read stops at


@pytest.mark.parametrize(
    "files",
    [
        {"pom.xml": _POM.replace("<dependency>", "<dependency >")},
        {"pom.xml": _POM.replace("<dependency>", "<dependency\n>")},
        {"pom.xml": _POM.replace("<project", f"<!--{_PAD}-->\n<project", 1)},
        {"build.gradle": "plugins { id 'java' }; dependencies { implementation 'a:b:1' }\n"},
        {"build.gradle": "subprojects { dependencies { implementation 'a:b:1' } }\n"},
        {"build.gradle": "plugins { id 'java' }\napply from: 'gradle/deps.gradle'\n"},
        {"build.gradle": f"//{_PAD}\n{_GRADLE}"},
        {"pyproject.toml": f'[project]\nname = "x"\n#{_PAD}\ndependencies = ["requests"]\n'},
    ],
    ids=["pom-space", "pom-newline", "pom-padded", "gradle-one-line", "gradle-nested",
         "gradle-apply-from", "gradle-padded", "pyproject-padded"],
)  # fmt: skip
def test_dependencies_written_unusually_still_need_a_lock(
    tmp_path: Path, files: dict[str, str]
) -> None:
    """Each manifest declares dependencies the build resolves; none was locked, yet each was
    read as declaring none (deps.manifests_locked not_applicable: nothing to lock)."""
    evidence = _run(_write(tmp_path, files), "deps.manifests_locked")
    assert evidence.outcome is CheckOutcome.FAIL, evidence.summary


@pytest.mark.parametrize("name", ["build.gradle", "pyproject.toml"])
def test_a_manifest_of_blank_lines_is_read_in_linear_time(tmp_path: Path, name: str) -> None:
    """`^\\s*dependencies` under re.M tries every line start and runs over every blank line
    after it: quadratic, about 40 s for these 120,000 newlines (hours for 2 MiB of them), and
    the regex engine holds the interpreter, so no timeout can stop it."""
    _write(tmp_path, {name: "\n" * 120_000})
    started = time.monotonic()
    evidence = _run(tmp_path, "deps.manifests_locked")
    assert time.monotonic() - started < 5
    assert evidence.outcome is not CheckOutcome.PASS


def test_a_lock_of_another_ecosystem_does_not_lock_requirements(tmp_path: Path) -> None:
    """A maven-lockfile (or any JSON named lockfile.json) beside a loose requirements.txt
    does not pin it."""
    files = {"requirements.txt": "requests>=2\n", "lockfile.json": _MAVEN_LOCKFILE}
    evidence = _run(_write(tmp_path, files), "deps.manifests_locked")
    assert evidence.outcome is CheckOutcome.FAIL, evidence.summary
    assert any(f.rule == "requirements-not-locked" for f in evidence.findings)


def test_a_lockfile_json_away_from_a_pom_is_no_lockfile(tmp_path: Path) -> None:
    """Any tool's `lockfile.json` was read as a Maven lock: a hash finding against it
    (deps.hashes_required failed on a file that locks nothing)."""
    files = {"package.json": "{}", "package-lock.json": '{"integrity": "sha512-x"}',
             "tools/lockfile.json": '{"version": 1}'}  # fmt: skip
    evidence = _run(_write(tmp_path, files), "deps.hashes_required")
    assert evidence.outcome is CheckOutcome.PASS, evidence.summary
