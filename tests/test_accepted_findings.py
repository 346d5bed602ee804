"""Accepted findings (`[[accepted_findings]]`, `baseline accept`): one finding accepted by its
fingerprint no longer fails its check, judged on the findings left with the check's own
threshold; it stays in every report, marked; an expired acceptance counts again; an unmatched
one is reported and changes nothing; dependency vulnerabilities go out as OpenVEX."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from support import EXAMPLES

from baseline import accepted as accepted_findings
from baseline import tomlcompat
from baseline.context import RunOptions
from baseline.models import (
    Acceptance,
    AcceptanceMatch,
    CheckOutcome,
    ConfigTrust,
    ControlStatus,
    Crosswalk,
    CrosswalkItem,
    Evidence,
    Finding,
    Severity,
)
from baseline.report.json_record import to_record
from baseline.report.openvex import CONTEXT
from baseline.report.record_io import load_record
from baseline.report.write import render_all
from baseline.service import AssessmentOutcome, AssessmentRequest, run

AS_OF = dt.date(2026, 6, 1)
SARIF_SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)
CATALOG = """
[catalog]
id = "accept-profile"
title = "Accepted findings profile"
version = "1"
status = "final"

[[groups]]
id = "PW"
title = "Produce"
summary = "s"

[[practices]]
id = "PW.7"
group = "PW"
title = "Review code"
summary = "s"

[[controls]]
id = "PW.7.2"
practice = "PW.7"
title = "Code analysis"
summary = "Code is analyzed."
attestation = "none"
remediation = "Analyze."

[[controls.checks]]
id = "sast.bandit"
params = {{ rules = {rules} }}

[[controls]]
id = "RV.1.1"
practice = "PW.7"
title = "Known vulnerabilities"
summary = "Dependencies are free of known vulnerabilities."
attestation = "none"
remediation = "Upgrade."

[[controls.checks]]
id = "deps.no_known_vulnerabilities"
"""
B701 = "render.py"  # bandit B701 (jinja2 autoescape off, high): the only B701 finding
OSV = {
    "id": "GHSA-test-0001",
    "affected": [{"package": {"ecosystem": "PyPI", "name": "requests"}, "versions": ["2.19.0"]}],
}


def _entry(fingerprint: str, expires: str = "2026-12-31", **extra: str) -> str:
    lines = [
        "[[accepted_findings]]",
        f'fingerprint = "{fingerprint}"',
        'reason = "Templates are rendered from constants only."',
        'owner = "Web team"',
        'approver = "CISO"',
        f"expires = {expires}",
        *(f'{k} = "{v}"' for k, v in extra.items()),
    ]
    return "\n".join(lines) + "\n"


def _repo(tmp_path: Path, rules: list[str], config: str = "") -> Path:
    repo = tmp_path / "app"
    shutil.copytree(EXAMPLES / "insecure-app", repo)
    (repo / "requirements.txt").write_text("requests==2.19.0\n")
    (repo / "profile.toml").write_text(CATALOG.format(rules=json.dumps(rules)))
    (repo / ".baseline.toml").write_text('catalog = "profile.toml"\n' + config)
    (tmp_path / "osv.json").write_text(json.dumps(OSV))
    return repo


def _run(
    repo: Path, trust: ConfigTrust = ConfigTrust.ALL, bundle: Path | None = None
) -> AssessmentOutcome:
    options = RunOptions(as_of=AS_OF, vuln_db=repo.parent / "osv.json")
    return run(
        AssessmentRequest(
            repo,
            catalog=str(repo / "profile.toml"),
            config_trust=trust,
            options=options,
            formats=("json", "md", "html", "sarif", "oscal", "form"),
            out=repo.parent / "out",
            bundle=bundle,
        )
    )


def _bandit(outcome: AssessmentOutcome) -> Any:
    [result] = [r for r in outcome.assessment.results if r.control.id == "PW.7.2"]
    [evidence] = result.evidence
    return result, evidence


def _print(outcome: AssessmentOutcome, path: str, rule: str = "") -> str:
    _, evidence = _bandit(outcome)
    [f] = [f for f in evidence.findings if f.path == path and (not rule or f.rule == rule)]
    return str(f.fingerprint)


def _out(repo: Path, name: str) -> str:
    return (repo.parent / "out" / name).read_text(encoding="utf-8")


def test_the_only_failing_finding_accepted_passes_its_check_and_stays_marked(
    tmp_path: Path,
) -> None:
    # B701 (high) fails; B403 (low, under the default `fail_on = medium`) does not.
    repo = _repo(tmp_path, ["B701", "B403"])
    before = _run(repo)
    result, evidence = _bandit(before)
    assert evidence.outcome is CheckOutcome.FAIL and result.status is ControlStatus.FAIL
    fingerprint = _print(before, B701)

    (repo / ".baseline.toml").write_text(
        'catalog = "profile.toml"\n' + _entry(fingerprint, vex_status="not_affected")
    )
    after = _run(repo)
    result, evidence = _bandit(after)
    assert evidence.outcome is not CheckOutcome.FAIL, evidence.summary
    assert result.status is not ControlStatus.FAIL
    assert "1 finding accepted in the project config" in evidence.summary
    [accepted] = [f for f in evidence.findings if f.accepted is not None]
    assert accepted.fingerprint == fingerprint and not accepted.acceptance_expired
    assert len(evidence.findings) == len(_bandit(before)[1].findings)  # nothing hidden
    assert [c.kind for c in result.config_claims].count("accepted_finding") == 1

    record = json.loads(_out(repo, "assessment.json"))
    [entry] = record["accepted_findings"]
    assert entry["checks"] == ["sast.bandit"] and entry["expired"] is False
    assert entry["source"].endswith(".baseline.toml:2")
    marked = [f for run in record["check_runs"] for f in run["findings"] if "acceptance" in f]
    assert [(f["fingerprint"], f["acceptance"]) for f in marked] == [(fingerprint, "accepted")]
    for name in ("report.md", "report.html"):
        text = _out(repo, name)
        assert "Templates are rendered from constants only." in text, name
        assert "Accepted findings" in text
    # The POA&M (with a form crosswalk): one entry per accepted finding, completion its expiry.
    assessment = load_record(repo.parent / "out" / "assessment.json")
    assert to_record(assessment) == record  # read back whole: `render` shows the same marks
    assert render_all(assessment, ["md"])["report.md"] == _out(repo, "report.md")
    form = Crosswalk("cisa-common-form", "Form", "accept-profile",
                     (CrosswalkItem("4d", "Analysis", ("PW.7.2",), "III"),))  # fmt: skip
    catalog = dataclasses.replace(assessment.catalog, crosswalks=(form,))
    poam = render_all(dataclasses.replace(assessment, catalog=catalog), ["form"])
    assert f"## accepted:{fingerprint}: B701 at render.py:6: accepted" in poam["poam.md"]
    rows = list(csv.DictReader(io.StringIO(poam["poam.csv"].removeprefix("\ufeff"))))
    [row] = [r for r in rows if r["POAM ID"] == f"accepted:{fingerprint}"]
    assert row["Controls"] == "PW.7.2" and row["CISA Form Items"] == "4d"
    assert row["Point of Contact"] == "Web team" and row["Approver"] == "CISO"
    assert row["Scheduled Completion Date"] == "2026-12-31"
    assert row["Deviation Rationale"] == "Templates are rendered from constants only."
    assert row["Status"] == "risk accepted until 2026-12-31 (accepted finding)"

    sarif = json.loads(_out(repo, "results.sarif"))
    jsonschema.validate(sarif, SARIF_SCHEMA)
    [suppressed] = [r for r in sarif["runs"][0]["results"] if r.get("suppressions")]
    assert suppressed["partialFingerprints"]["ssdfBaselineFinding/v1"] == fingerprint
    [suppression] = suppressed["suppressions"]
    assert suppression["kind"] == "external" and suppression["status"] == "accepted"
    assert "Templates are rendered from constants only." in suppression["justification"]
    oscal = _out(repo, "oscal-assessment-results.json")
    assert f"Accepted finding {fingerprint}" in oscal

    # A vendor claim, as a waiver: it counts at `attestations`, not at `none`.
    assert _bandit(_run(repo, ConfigTrust.ATTESTATIONS))[1].outcome is not CheckOutcome.FAIL
    assert _bandit(_run(repo, ConfigTrust.NONE))[1].outcome is CheckOutcome.FAIL


def test_one_accepted_finding_of_several_failing_ones_still_fails(tmp_path: Path) -> None:
    repo = _repo(tmp_path, ["B608"])  # three SQL injection findings in db.py
    before = _run(repo)
    _, evidence = _bandit(before)
    failing = [f.fingerprint for f in evidence.findings]
    assert len(failing) == 3
    (repo / ".baseline.toml").write_text('catalog = "profile.toml"\n' + _entry(failing[0]))
    result, evidence = _bandit(_run(repo))
    assert evidence.outcome is CheckOutcome.FAIL and result.status is ControlStatus.FAIL
    assert [f.fingerprint for f in evidence.findings if f.accepted] == [failing[0]]


def test_an_expired_acceptance_counts_again_and_is_reported(tmp_path: Path) -> None:
    repo = _repo(tmp_path, ["B701"])
    fingerprint = _print(_run(repo), B701)
    (repo / ".baseline.toml").write_text(
        'catalog = "profile.toml"\n' + _entry(fingerprint, expires="2026-05-31")
    )
    outcome = _run(repo)
    result, evidence = _bandit(outcome)
    assert evidence.outcome is CheckOutcome.FAIL and result.status is ControlStatus.FAIL
    [finding] = evidence.findings
    assert finding.accepted is not None and finding.acceptance_expired
    assert not [c for c in result.config_claims if c.kind == "accepted_finding"]
    [entry] = json.loads(_out(repo, "assessment.json"))["accepted_findings"]
    assert entry["expired"] is True
    assert "expired: counts again" in _out(repo, "report.md")
    sarif = json.loads(_out(repo, "results.sarif"))
    assert not [r for r in sarif["runs"][0]["results"] if r.get("suppressions")]


def test_an_unmatched_acceptance_is_reported_and_changes_nothing(tmp_path: Path) -> None:
    repo = _repo(tmp_path, ["B701"], _entry("0" * 32))
    outcome = _run(repo)
    result, evidence = _bandit(outcome)
    assert evidence.outcome is CheckOutcome.FAIL and result.status is ControlStatus.FAIL
    [entry] = json.loads(_out(repo, "assessment.json"))["accepted_findings"]
    assert entry["checks"] == [] and entry["fingerprint"] == "0" * 32
    assert "unmatched: no finding has it" in _out(repo, "report.md")
    assert "unmatched: no finding has it" in _out(repo, "report.html")


def test_an_acceptance_longer_than_the_policy_allows_is_refused(tmp_path: Path) -> None:
    from baseline.errors import InputError

    repo = _repo(tmp_path, ["B701"], _entry("0" * 32, expires="2028-01-01"))
    with pytest.raises(InputError) as caught:
        _run(repo)
    [problem] = caught.value.problems
    assert "accepted_findings[0].expires" in problem.key and problem.line == 7


def test_accepted_dependency_vulnerabilities_are_exported_as_openvex(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    repo = _repo(tmp_path, ["B701"])
    before = _run(repo)
    [vuln] = [r for r in before.assessment.results if r.control.id == "RV.1.1"]
    assert vuln.status is ControlStatus.FAIL
    [finding] = vuln.evidence[0].findings
    assert finding.component == "pkg:pypi/requests@2.19.0"
    assert not (tmp_path / "out" / "vex.openvex.json").exists()
    extra = {"vex_status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}
    (repo / ".baseline.toml").write_text(
        'catalog = "profile.toml"\n' + _entry(finding.fingerprint, **extra)
    )
    after = _run(repo)
    [vuln] = [r for r in after.assessment.results if r.control.id == "RV.1.1"]
    assert vuln.status is ControlStatus.PASS
    text = _out(repo, "vex.openvex.json")
    vex = json.loads(text)
    # The fields the OpenVEX spec (v0.2.0) requires of a document and of each statement.
    assert vex["@context"] == CONTEXT == "https://openvex.dev/ns/v0.2.0"
    assert re.fullmatch(r"https://openvex\.dev/docs/public/vex-[0-9a-f]{64}", vex["@id"])
    assert vex["author"] and vex["version"] == 1
    assert vex["timestamp"] == after.assessment.generated_at
    [statement] = vex["statements"]
    assert statement["vulnerability"] == {"name": "GHSA-test-0001"}
    assert statement["status"] == "not_affected"
    assert statement["justification"] == "vulnerable_code_not_in_execute_path"
    [product] = statement["products"]
    assert product["@id"] and product["subcomponents"] == [{"@id": "pkg:pypi/requests@2.19.0"}]
    # deterministic: the same input gives the same document, which the bundle carries too
    bundle = tmp_path / "bundle"
    _run(repo, bundle=bundle)
    assert _out(repo, "vex.openvex.json") == text
    assert (bundle / "reports" / "vex.openvex.json").read_text(encoding="utf-8") == text


def test_baseline_accept_writes_a_valid_entry_and_findings_lists_fingerprints(
    run_cli: Any, tmp_path: Path
) -> None:
    repo = _repo(tmp_path, ["B701"])
    (repo / ".baseline.toml").write_text('# ours\ncatalog = "profile.toml"  # kept\n')
    out = tmp_path / "first"
    code, _, err = run_cli("assess", str(repo), "--out", str(out), "--format", "json",
                           "--quiet", "--as-of", AS_OF.isoformat())  # fmt: skip
    assert code == 1, err
    code, listing, _ = run_cli("findings", str(out / "assessment.json"))
    assert code == 0
    [line] = [row for row in listing.splitlines() if "B701" in row]
    fingerprint, check, rule, where, _ = line.split()
    assert (check, rule, where) == ("sast.bandit", "B701", "render.py:6")

    args = ["accept", fingerprint, "--repo", str(repo), "--reason", "Constant templates only.",
            "--owner", "Web team", "--approver", "CISO", "--expires", "2026-12-31"]  # fmt: skip
    code, _, err = run_cli(*args)
    assert code == 0, err
    text = (repo / ".baseline.toml").read_text()
    assert text.startswith('# ours\ncatalog = "profile.toml"  # kept\n')
    entry = tomlcompat.loads(text)["accepted_findings"][0]
    assert entry == {"fingerprint": fingerprint, "reason": "Constant templates only.",
                     "owner": "Web team", "approver": "CISO",
                     "expires": dt.date(2026, 12, 31)}  # fmt: skip
    # a second acceptance of the same finding needs --replace; a bad one changes nothing
    code, _, err = run_cli(*args)
    assert code == 2 and "--replace" in err
    code, _, err = run_cli(*args[:-1], "2099-01-01", "--replace")
    assert code == 2 and "accepted_findings[0].expires" in err, err
    assert (repo / ".baseline.toml").read_text() == text
    code, _, err = run_cli(*args, "--replace", "--vex-status", "affected",
                           "--justification", "component_not_present")  # fmt: skip
    assert code == 2 and "--justification" in err

    out = tmp_path / "second"
    code, _, err = run_cli("assess", str(repo), "--out", str(out), "--format", "json",
                           "--quiet", "--as-of", AS_OF.isoformat())  # fmt: skip
    record = json.loads((out / "assessment.json").read_text())
    [bandit] = [r for r in record["results"] if r["control_id"] == "PW.7.2"]
    assert bandit["status"] != "fail"
    code, listing, _ = run_cli("findings", str(out / "assessment.json"))
    assert "[accepted until 2026-12-31]" in listing


def _finding(fingerprint: str) -> Finding:
    return Finding("R1", "m", Severity.HIGH, "a.py", 1, fingerprint)


def _acceptance(fingerprint: str, expires: dt.date = dt.date(2026, 12, 31)) -> Acceptance:
    return Acceptance(fingerprint, "why", "owner", "approver", expires, source="c.toml:3")


@pytest.mark.parametrize(
    ("evidence", "accepted", "outcome"),
    [
        # a check that does not say which findings fail: every finding counts
        (Evidence("c", CheckOutcome.FAIL, "s", (_finding("a"), _finding("b"))), ["a"], "fail"),
        (
            Evidence("c", CheckOutcome.FAIL, "s", (_finding("a"), _finding("b"))),
            ["a", "b"],
            "pass",
        ),  # fmt: skip
        # the check's threshold: only `a` failed; without it, the check's own other outcome
        (
            Evidence(
                "c",
                CheckOutcome.FAIL,
                "s",
                (_finding("a"), _finding("b")),
                failing=("a",),
                passing_outcome=CheckOutcome.NEEDS_REVIEW,
            ),
            ["a"],
            "needs_review",
        ),  # fmt: skip
        # an error stays an error; an expired acceptance changes nothing
        (Evidence("c", CheckOutcome.ERROR, "s", (_finding("a"),)), ["a"], "error"),
        (Evidence("c", CheckOutcome.FAIL, "s", (_finding("x"),)), ["x-expired"], "fail"),
    ],
)
def test_a_check_is_judged_again_on_the_findings_left(
    evidence: Evidence, accepted: list[str], outcome: str
) -> None:
    acceptances = [
        _acceptance(f.removesuffix("-expired"), dt.date(2026, 1, 1))
        if f.endswith("-expired")
        else _acceptance(f)
        for f in accepted
    ]
    judged, matches = accepted_findings.apply({"k": evidence}, acceptances, AS_OF)
    assert judged["k"].outcome.value == outcome
    assert [f.fingerprint for f in judged["k"].findings] == [
        f.fingerprint for f in evidence.findings
    ]
    assert all(m.checks == ("c",) for m in matches)
    assert accepted_findings.apply({"k": evidence}, [], AS_OF) == ({"k": evidence}, ())


def test_hostile_acceptance_text_and_paths_are_escaped_everywhere(
    run_cli: Any, tmp_path: Path
) -> None:
    """The config's reason and the scanned repository's paths never inject: HTML, Markdown,
    SARIF and `baseline findings` (one line per finding, controls escaped)."""
    from report_sample import HOSTILE_TEXT, hostile_assessment

    assessment = hostile_assessment()
    result = next(r for r in assessment.results if any(e.findings for e in r.evidence))
    evidence = next(e for e in result.evidence if e.findings)
    target = dataclasses.replace(evidence.findings[0], path="evil\npath <b>.py")
    acceptance = _acceptance(target.fingerprint)
    acceptance = dataclasses.replace(acceptance, reason=HOSTILE_TEXT, owner="<i>o</i>")
    target = dataclasses.replace(target, accepted=acceptance)
    marked = dataclasses.replace(evidence, findings=(target, *evidence.findings[1:]))
    results = tuple(
        dataclasses.replace(r, evidence=tuple(marked if e is evidence else e for e in r.evidence))
        for r in assessment.results
    )
    match = AcceptanceMatch(acceptance, (evidence.check,))
    assessment = dataclasses.replace(assessment, results=results, acceptances=(match,))
    files = render_all(assessment, ["html", "md", "sarif", "json"])
    assert "Accepted findings" in files["report.html"] and "Accepted findings" in files["report.md"]
    for name in ("report.html", "report.md"):
        assert "<script>alert(1)</script>" not in files[name], name
        assert "<i>o</i>" not in files[name], name
    json.loads(files["results.sarif"])
    record = tmp_path / "assessment.json"
    record.write_text(files["assessment.json"], encoding="utf-8")
    code, out, _ = run_cli("findings", str(record))
    assert code == 0
    [line] = [row for row in out.splitlines() if "evil" in row]  # one line, not two
    assert line.startswith(target.fingerprint) and "evil\\npath <b>.py" in line
    assert "[accepted until 2026-12-31]" in line
