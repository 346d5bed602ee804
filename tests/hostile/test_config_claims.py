"""The repository's own config cannot pass its own gate silently (issue 13, case 5 and the
`SOURCE_DATE_EPOCH` part of case 7).

Each payload is a `.baseline.toml` written into a copy of examples/insecure-app; the run is
`baseline assess` in a subprocess, as a user runs it. Refused input ends with exit 2 and a
located message; everything else the config declares is reported, per task, as resting on the
repository's own configuration, apart from what the tools observed.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from baseline.catalog.loader import load_catalog

from .doc_table import Row
from .harness import ROOT, Run, assess, check_record, environment

SECTION = "Repository config claims"
APP = ROOT / "examples" / "insecure-app"
TOOLS = Path(sys.executable).parent  # bandit and semgrep of this environment
EPOCH_2020 = "1577836800"  # 2020-01-01T00:00:00Z


def _run(
    base: Path,
    config: str,
    *args: str,
    epoch: str | None = None,
    files: dict[str, str] | None = None,
) -> Run:
    """examples/insecure-app with `config` as its .baseline.toml (and `files`), assessed."""
    target = base / "app"
    shutil.copytree(APP, target)
    (target / ".baseline.toml").write_text(config, encoding="utf-8")
    for name, text in (files or {}).items():
        (target / name).write_text(text, encoding="utf-8")
    extra = {"SOURCE_DATE_EPOCH": epoch} if epoch else {}
    env = environment(TOOLS, **extra)
    return assess(target, base / "out", "--format", "json,md,html", *args, env=env, cwd=base)


def _result(run: Run, task: str) -> dict[str, Any]:
    return next(r for r in run.record["results"] if r["control_id"] == task)


def _kinds(run: Run, task: str) -> set[str]:
    return {c["kind"] for c in _result(run, task)["config_claims"]}


def _shown(run: Run, task: str) -> None:
    """The Markdown and HTML reports say the task rests on the repository's config."""
    md = (run.out / "report.md").read_text("utf-8")
    block = md.split(f"<summary>{task} ", 1)[1].split("</details>", 1)[0]
    assert "Rests on the repository's own configuration" in block
    html = (run.out / "report.html").read_text("utf-8")
    article = html.split(f'id="task-{task.lower().replace(".", "-")}"', 1)[1].split("</article>")[0]
    assert "Rests on the repository's own configuration" in article
    assert "task statuses rest on the repository's own configuration" in md


WAIVER = """[[waivers]]
control = "PW.7.2"
reason = "later"
mitigation = "none"
owner = "dev"
approver = "dev"
expires = {expires}
"""


def waiver_forever_row(base: Path) -> Row:
    run = _run(base, WAIVER.format(expires="9999-12-31"))
    assert run.code == 2, run.stdout + run.stderr
    assert ".baseline.toml:7: waivers[0].expires: 9999-12-31 is more than 365 days" in run.stderr
    assert not (run.out / "assessment.json").exists()
    return Row(SECTION, "waiver until 9999-12-31", "a waiver that never ends",
               "refused, exit 2: `.baseline.toml:7: waivers[0].expires: ... more than 365 days "
               "after <as-of>`")  # fmt: skip


def test_waiver_longer_than_a_year_is_refused(tmp_path, observations) -> None:
    observations.get(SECTION, "waiver until 9999-12-31", lambda: waiver_forever_row(tmp_path))


def builtin_id_row(base: Path) -> Row:
    catalog = (
        '[catalog]\nid = "ssdf-1.1"\ntitle = "SSDF"\nversion = "1.1"\nstatus = "final"\n'
        'extends = "ssdf-1.1"\n\n'
        + "".join(
            f'[[not_applicable]]\ncontrol = "{c.id}"\nreason = "no"\n\n'
            for c in load_catalog("ssdf-1.1").controls
        )
    )
    run = _run(base, 'catalog = "mine.toml"\n', files={"mine.toml": catalog})
    assert run.code == 2, run.stdout + run.stderr
    assert "mine.toml:2: catalog.id: 'ssdf-1.1' is the id of a built-in catalog" in run.stderr
    assert not (run.out / "assessment.json").exists()
    return Row(SECTION, "catalog named ssdf-1.1", "the repository's own catalog calls itself "
               "`ssdf-1.1` (every task not applicable)", "refused, exit 2: `mine.toml:2: "
               "catalog.id: 'ssdf-1.1' is the id of a built-in catalog, but ... differs`")  # fmt: skip


def test_catalog_claiming_a_builtin_id_must_be_the_builtin(tmp_path, observations) -> None:
    observations.get(SECTION, "catalog named ssdf-1.1", lambda: builtin_id_row(tmp_path))


def url_attestation_row(base: Path, validator: Any) -> Row:
    config = (
        '[[attestations]]\ncontrol = "PO.1.1"\nstatement = "We do."\nby = "dev"\n'
        'date = 2025-12-01\nurls = ["https://example.com/trust-me"]\n'
    )
    run = _run(base, config, "--fail-on", "none", "--require", "PO.1.1")
    check_record(run, validator)
    po = _result(run, "PO.1.1")
    assert po["status"] == "needs_review", po["reason"]
    assert po["attestation_problems"][0].startswith("evidence is a URL without a digest")
    assert run.code == 1 and "Policy met" not in run.stdout
    assert _kinds(run, "PO.1.1") == {"attestation"}
    assert _result(run, "PO.1.1")["config_claims"][0]["source"].endswith(".baseline.toml:1")
    _shown(run, "PO.1.1")
    return Row(SECTION, "URL-only attestation", "an attestation whose evidence is only a URL",
               "`needs_review`: 'evidence is a URL without a digest: cannot be verified'; "
               "`--require PO.1.1` fails (exit 1); the task shows the claim")  # fmt: skip


def test_url_only_attestation_does_not_count(tmp_path, validator, observations) -> None:
    observations.get(SECTION, "URL-only attestation",
                     lambda: url_attestation_row(tmp_path, validator))  # fmt: skip


def exclude_all_row(base: Path, validator: Any) -> Row:
    run = _run(base, 'excludes = ["*"]\n')
    check_record(run, validator)
    bandit = run.evidence("sast.bandit")
    assert bandit["outcome"] == "needs_review", bandit["summary"]
    assert "Python files were excluded by '*' (from " in bandit["summary"]
    assert ".baseline.toml:1)" in bandit["summary"]
    assert run.evidence("sast.semgrep")["outcome"] == "needs_review"
    assert "exclude" in _kinds(run, "PW.7.2")
    assert _result(run, "PW.7.2")["status"] != "pass"
    _shown(run, "PW.7.2")
    return Row(SECTION, "excludes everything", '`excludes = ["*"]`',
               "bandit and semgrep `needs_review`: 'bandit scanned nothing: 6 Python files were "
               "excluded by '*' (from .baseline.toml:1)'; every automated task shows the "
               "exclusion")  # fmt: skip


def test_exclusion_that_empties_a_scan_cannot_pass(tmp_path, validator, observations) -> None:
    observations.get(SECTION, "excludes everything", lambda: exclude_all_row(tmp_path, validator))


def all_not_applicable_row(base: Path, validator: Any) -> Row:
    config = "".join(
        f'[[not_applicable]]\ncontrol = "{c.id}"\nreason = "not us"\n\n'
        for c in load_catalog("ssdf-1.1").controls
    )
    run = _run(base, config)
    check_record(run, validator)
    assert run.code == 1, run.stdout
    assert "Policy met" not in run.stdout
    assert "all 42 tasks are declared not applicable" in run.stdout
    md = (run.out / "report.md").read_text("utf-8")
    assert "**42 of 42 task statuses rest on the repository's own configuration" in md
    assert "WARNING" in md and "nothing was assessed" in md
    assert run.record["trust"]["tasks_resting_on_config"] == 42
    return Row(SECTION, "every task not applicable", "`not_applicable` on all 42 tasks",
               "exit 1: 'all 42 tasks are declared not applicable by the repository's own "
               "configuration: nothing was assessed'; the summary says so in bold")  # fmt: skip


def test_all_tasks_not_applicable_is_not_policy_met(tmp_path, validator, observations) -> None:
    observations.get(SECTION, "every task not applicable",
                     lambda: all_not_applicable_row(tmp_path, validator))  # fmt: skip


def param_override_row(base: Path, validator: Any) -> Row:
    config = (
        '[[params]]\ncontrol = "PW.7.2"\ncheck = "sast.bandit"\n'
        'params = { rules = ["B703"], fail_on = "high" }\n'
    )
    run = _run(base, config)
    check_record(run, validator)
    task = _result(run, "PW.7.2")
    bandit = next(e for e in task["evidence"] if e["check"] == "sast.bandit")
    overrides = {o["param"]: o for o in bandit["overrides"]}
    assert overrides["rules"]["value"] == ["B703"]
    assert overrides["rules"]["default"] == []
    assert overrides["fail_on"] == {
        "param": "fail_on", "value": "high", "default": "medium",
        "source": overrides["rules"]["source"],
    }  # fmt: skip
    assert overrides["rules"]["source"].endswith(".baseline.toml:4")
    assert _kinds(run, "PW.7.2") == {"param"}
    _shown(run, "PW.7.2")
    return Row(SECTION, "parameter override", "`rules` and `fail_on` of sast.bandit narrowed "
               "for PW.7.2", "each override in the check's evidence (param, value, catalog "
               "default, `.baseline.toml:4`) and shown on the task")  # fmt: skip


def test_parameter_overrides_are_recorded(tmp_path, validator, observations) -> None:
    observations.get(SECTION, "parameter override", lambda: param_override_row(tmp_path, validator))


def epoch_row(base: Path, validator: Any) -> Row:
    expired = WAIVER.format(expires="2025-06-30")
    run = _run(base, expired, "--fail-on", "fail", epoch=EPOCH_2020)
    check_record(run, validator)
    task = _result(run, "PW.7.2")
    assert task["status"] == "fail", task["reason"]
    assert task["waiver_problems"] == ["expired on 2025-06-30"]
    assert run.record["generated_at"].startswith("2020-01-01")  # the timestamp stays pinned
    assert run.record["as_of"] == dt.datetime.now(tz=dt.timezone.utc).date().isoformat()
    assert run.code == 1
    return Row(SECTION, "SOURCE_DATE_EPOCH in 2020", "a waiver that expired in 2025, run with "
               "`SOURCE_DATE_EPOCH` set to 2020", "the waiver is reported expired (expiry is "
               "judged on the real date; the epoch pins only the timestamp)")  # fmt: skip


def test_source_date_epoch_does_not_revive_expired_waivers(tmp_path, validator, observations):
    observations.get(SECTION, "SOURCE_DATE_EPOCH in 2020", lambda: epoch_row(tmp_path, validator))


def test_as_of_chooses_the_day(tmp_path: Path, validator: Any) -> None:
    run = _run(tmp_path, WAIVER.format(expires="2025-06-30"), "--as-of", "2025-01-01",
               "--fail-on", "fail")  # fmt: skip
    check_record(run, validator)
    assert run.record["as_of"] == "2025-01-01"
    assert _result(run, "PW.7.2")["status"] == "waived"
    assert "| Expiry judged as of | 2025-01-01 |" in (run.out / "report.md").read_text("utf-8")
    bad = assess(run.target, tmp_path / "out2", "--as-of", "June", env=environment(TOOLS),
                 cwd=tmp_path)  # fmt: skip
    assert bad.code == 2 and "--as-of: 'June' is not a date (YYYY-MM-DD)" in bad.stderr


def test_as_of_bounds_waivers_too(tmp_path: Path) -> None:
    # 2025-06-30 is within a year of 2025-01-01, not of 2024-01-01: the bound uses --as-of.
    run = _run(tmp_path, WAIVER.format(expires="2025-06-30"), "--as-of", "2024-01-01")
    assert run.code == 2 and "more than 365 days after 2024-01-01" in run.stderr, run.stderr


def all_rows(factory: pytest.TempPathFactory, validator: Any, obs: Any) -> list[Row]:
    """Every row of this section, for docs/hostile-inputs.md."""
    cases = [
        ("waiver until 9999-12-31", lambda: waiver_forever_row(factory.mktemp("w"))),
        ("catalog named ssdf-1.1", lambda: builtin_id_row(factory.mktemp("c"))),
        ("URL-only attestation", lambda: url_attestation_row(factory.mktemp("u"), validator)),
        ("excludes everything", lambda: exclude_all_row(factory.mktemp("x"), validator)),
        ("every task not applicable",
         lambda: all_not_applicable_row(factory.mktemp("n"), validator)),
        ("parameter override", lambda: param_override_row(factory.mktemp("p"), validator)),
        ("SOURCE_DATE_EPOCH in 2020", lambda: epoch_row(factory.mktemp("e"), validator)),
    ]  # fmt: skip
    return [obs.get(SECTION, case, compute) for case, compute in cases]


def test_record_schema_declares_the_new_fields() -> None:
    schema = json.loads((ROOT / "baseline" / "schemas" / "assessment.schema.json").read_text())
    assert "config_claims" in schema["$defs"]["result"]["properties"]
    assert "overrides" in schema["$defs"]["evidence"]["properties"]
    assert {"as_of", "trust"} <= set(schema["properties"])
    assert "tasks_resting_on_config" in schema["properties"]["trust"]["properties"]


def test_a_scope_that_calls_the_product_a_fixture_is_a_claim(
    tmp_path: Path, validator: Any
) -> None:
    # `[scope]` decides which findings fail; a repository that files its own code under
    # `fixture` must not pass silently: every automated task says what it rested on.
    run = _run(tmp_path, '[scope]\nfixture = ["**"]\n', "--fail-on", "fail")
    check_record(run, validator)
    bandit = _result(run, "PW.7.2")
    kinds = [c["kind"] for c in bandit["config_claims"]]
    assert "scope" in kinds, bandit["config_claims"]
    assert any("fixture" in c["detail"] for c in bandit["config_claims"] if c["kind"] == "scope")
    assert "Scope at" in (run.out / "report.md").read_text("utf-8")
    bounded = _run(tmp_path / "b", '[scope]\nfixture = ["' + "a" * 1001 + '"]\n')
    assert bounded.code == 2 and "scope.fixture" in bounded.stderr, bounded.stderr


def test_the_scanner_size_limit_cannot_be_raised_past_its_cap(tmp_path: Path) -> None:
    # A repository that raised the limit could hand the scanners a multi-gigabyte sparse file.
    raised = (
        '[[params]]\ncontrol = "PW.7.2"\ncheck = "sast.bandit"\n'
        "params = { max_file_bytes = 67108865 }\n"
    )
    run = _run(tmp_path, raised)
    assert run.code == 2, run.stderr
    assert (
        ".baseline.toml:4: params[0].params.max_file_bytes: 67108865 is not between 1 and "
        "67108864" in run.stderr
    ), run.stderr
