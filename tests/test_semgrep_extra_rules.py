"""Rules a catalog or a project config adds to the shipped semgrep pack: validated, run in the
one semgrep invocation, digested, and every finding labelled with its origin."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
from support import check_evidence, write_files

from baseline.catalog.loader import load_catalog
from baseline.errors import InputError
from baseline.models import CheckOutcome, ConfigTrust, RuleFile
from baseline.project.setup import load_project
from baseline.report.json_record import expanded
from baseline.resources import schema_path
from baseline.tools import semgrep_rules

RULE = """rules:
  - id: acme.no-print
    message: do not print in the product; log instead
    severity: WARNING
    languages: [python]
    metadata:
      cwe: ["CWE-532: Insertion of Sensitive Information into Log File"]
    pattern: print(...)
"""
APP = {"app/main.py": "def main() -> None:\n    print('hi')\n"}


def _catalog(tmp_path: Path, entries: str, files: dict[str, str]) -> Path:
    (tmp_path / "cat").mkdir(exist_ok=True)
    write_files(tmp_path / "cat", files)
    catalog = tmp_path / "cat" / "acme.toml"
    catalog.write_text(
        '[catalog]\nid = "acme"\ntitle = "Acme"\nversion = "1"\nstatus = "draft"\n'
        'extends = "ssdf-1.1"\n\n[semgrep]\nextra_rules = ' + entries + "\n"
    )
    return catalog


def _load(root: Path, entries: list[str], shipped: tuple[str, ...] = ()) -> semgrep_rules.Loaded:
    return semgrep_rules.load(root, entries, "config", (".baseline.toml", 3), shipped, False)


def test_catalog_rules_run_with_the_shipped_pack_and_are_labelled(tmp_path: Path) -> None:
    catalog = load_catalog(_catalog(tmp_path, '["rules"]', {"rules/acme.yaml": RULE}))
    (added,) = catalog.semgrep_rules
    assert (added.origin, added.rules) == ("catalog:rules/acme.yaml", ("acme.no-print",))
    target = tmp_path / "repo"
    write_files(target, {**APP, "app/run.py": "import os\n\n\ndef f(x):\n    os.system(x)\n"})
    evidence = check_evidence(target, "sast.semgrep", semgrep_rules=catalog.semgrep_rules)
    origins = {f.rule: f.origin for f in evidence.findings}
    assert origins["acme.no-print"] == "catalog:rules/acme.yaml"
    assert origins["python.subprocess-shell-injection"] == "shipped"
    acme = next(f for f in evidence.findings if f.rule == "acme.no-print")
    assert acme.cwe == ("CWE-532",) and acme.path == "app/main.py"
    (run,) = evidence.tool_runs  # one invocation for both packs
    configs = [run.command[i + 1] for i, a in enumerate(run.command) if a == "--config"]
    assert configs == ["controls/rules", "catalog:rules/acme.yaml"]
    assert evidence.digests["rules catalog:rules/acme.yaml"] == added.sha256
    # A check's `rules` may select the added rules alone.
    only = check_evidence(
        target, "sast.semgrep", {"rules": ["acme.*"]}, semgrep_rules=catalog.semgrep_rules
    )
    assert [f.rule for f in only.findings] == ["acme.no-print"]


def test_config_rules_are_a_claim_and_count_only_with_trust_all(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {**APP, "ci/semgrep/acme.yaml": RULE, "ci/semgrep/acme.test.yaml": "not: [rules",
         ".baseline.toml": '[semgrep]\nextra_rules = ["ci/semgrep"]\n'},
    )  # fmt: skip
    project = load_project(tmp_path, None, None)
    (added,) = project.catalog.semgrep_rules
    assert added.origin == "config:ci/semgrep/acme.yaml"
    claims = [c for c in project.claims["PW.7.2"] if c.kind == "rules"]
    assert len(claims) == 1 and claims[0].source.endswith(".baseline.toml:2")
    assert "config:ci/semgrep/acme.yaml (1 rules" in claims[0].detail
    assert "PO.1.1" not in project.claims or all(
        c.kind != "rules" for c in project.claims["PO.1.1"]
    )
    vendor_only = load_project(tmp_path, None, None, trust=ConfigTrust.ATTESTATIONS)
    assert vendor_only.catalog.semgrep_rules == ()
    assert all(c.kind != "rules" for cs in vendor_only.claims.values() for c in cs)


def _problems(excinfo: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def test_a_rule_id_taken_by_a_shipped_rule_is_refused(tmp_path: Path) -> None:
    rule = RULE.replace("acme.no-print", "python.eval-exec-dynamic")
    write_files(
        tmp_path,
        {**APP, "rules.yaml": rule, ".baseline.toml": '[semgrep]\nextra_rules = ["rules.yaml"]\n'},
    )
    with pytest.raises(InputError) as excinfo:
        load_project(tmp_path, None, None)
    (problem,) = _problems(excinfo)
    assert (
        "rules.yaml:2: rules[].id: rule id 'python.eval-exec-dynamic' is already taken" in problem
    )
    # Two added files may not share an id either.
    write_files(tmp_path, {"a/x.yaml": RULE, "a/y.yaml": RULE})
    loaded = _load(tmp_path, ["a"])
    assert [str(p) for p in loaded.problems] == [
        "a/y.yaml:2: rules[].id: rule id 'acme.no-print' is already taken by "
        "config:a/x.yaml; give it its own id"
    ]


def test_symlinks_are_refused(tmp_path: Path) -> None:
    write_files(tmp_path, {"real/acme.yaml": RULE})
    os.symlink(tmp_path / "real" / "acme.yaml", tmp_path / "link.yaml")
    os.symlink(tmp_path / "real", tmp_path / "linked")
    (tmp_path / "folder").mkdir()
    os.symlink(tmp_path / "real" / "acme.yaml", tmp_path / "folder" / "in.yaml")
    (tmp_path / "outer").mkdir()
    os.symlink(tmp_path / "real", tmp_path / "outer" / "sub")
    for entry in ("link.yaml", "linked/acme.yaml", "folder", "outer"):
        loaded = _load(tmp_path, [entry])
        assert loaded.files == [] and len(loaded.problems) == 1, entry
        assert "symbolic link" in str(loaded.problems[0]), entry


@pytest.mark.parametrize("entry", ["../outside.yaml", "/etc/passwd", "a/../../x.yaml", ""])
def test_paths_that_leave_the_repository_are_refused(tmp_path: Path, entry: str) -> None:
    (problem,) = _load(tmp_path / "repo", [entry]).problems
    assert (problem.file, problem.line, problem.key) == (
        ".baseline.toml",
        3,
        "semgrep.extra_rules[0]",
    )


@pytest.mark.parametrize(
    ("text", "line", "key", "message"),
    [
        ("rules:\n  - id: x\n    message: [unclosed\n", 4, "", "invalid YAML"),
        ("rules: []\n", 1, "rules", "non-empty list"),
        ("rules:\n  - id: a.b\n", 2, "rules[0].message", "what is wrong"),
        (RULE.replace("severity: WARNING", "severity: LOUD"), 4, "rules[0].severity", "one of"),
        (RULE.replace("    pattern: print(...)\n", ""), 2, "rules[0].pattern", "needs one of"),
        (RULE.replace("languages: [python]", "languages: []"), 5, "rules[0].languages", "list"),
        (RULE + "    mode: join\n", 9, "rules[0].mode", "refused"),
        (RULE + "options:\n  x: 1\n", 9, "options", "unknown top-level key"),
    ],
)
def test_bad_rule_files_name_file_line_and_key(
    tmp_path: Path, text: str, line: int, key: str, message: str
) -> None:
    write_files(tmp_path, {"rules/bad.yaml": text})
    problems = _load(tmp_path, ["rules/bad.yaml"]).problems
    assert any(
        (p.file, p.line, p.key) == ("rules/bad.yaml", line, key) and message in p.message
        for p in problems
    ), [str(p) for p in problems]


def test_a_bad_config_rule_is_exit_code_2(run_cli, tmp_path: Path) -> None:
    write_files(
        tmp_path / "repo",
        {**APP, "bad.yaml": "rules:\n  - id: x\n    message: [oops\n",
         ".baseline.toml": '[semgrep]\nextra_rules = ["bad.yaml"]\n'},
    )  # fmt: skip
    code, _, err = run_cli("assess", str(tmp_path / "repo"), "--out", str(tmp_path / "out"))
    assert code == 2 and "bad.yaml:4" in err and "invalid YAML" in err
    assert not (tmp_path / "out").exists()


def test_registry_configs_only_from_the_catalog_and_only_online(tmp_path: Path) -> None:
    assert "registry config" in str(_load(tmp_path, ["p/python"]).problems[0])
    catalog = load_catalog(_catalog(tmp_path, '["p/python"]', {}))
    assert catalog.semgrep_registry == ("p/python",) and catalog.semgrep_rules == ()
    write_files(tmp_path / "repo", APP)
    evidence = check_evidence(
        tmp_path / "repo", "sast.semgrep", semgrep_registry=catalog.semgrep_registry
    )
    assert evidence.outcome is CheckOutcome.NEEDS_REVIEW
    assert "registry rules (p/python) did not run: they need --online" in evidence.summary
    (run,) = evidence.tool_runs
    assert "p/python" not in run.command


def test_editing_an_added_rule_reruns_the_scan(tmp_path: Path) -> None:
    write_files(tmp_path / "repo", APP)
    rules = tmp_path / "repo" / "acme.yaml"
    cache = tmp_path / "cache.sqlite"

    def run() -> list[str]:
        (added,) = _load(tmp_path / "repo", ["acme.yaml"]).files
        evidence = check_evidence(
            tmp_path / "repo", "sast.semgrep", {"rules": ["acme.*"]}, cache=cache,
            semgrep_rules=(added,),
        )  # fmt: skip
        return [f"{f.rule}:{f.line}" for f in evidence.findings]

    rules.write_text(RULE)
    assert run() == ["acme.no-print:2"]
    assert run() == ["acme.no-print:2"]  # warm: from the cache
    rules.write_text(RULE.replace("print(...)", "main()"))
    assert run() == []  # the edited rule ran: no stale finding from the cache
    rules.write_text(RULE.replace("acme.no-print", "acme.other"))
    assert run() == ["acme.other:2"]  # a new id: the finding under its new name


def test_a_rule_file_changed_after_validation_is_an_error(tmp_path: Path) -> None:
    write_files(tmp_path / "repo", {**APP, "acme.yaml": RULE})
    (added,) = _load(tmp_path / "repo", ["acme.yaml"]).files
    (tmp_path / "repo" / "acme.yaml").write_text(RULE.replace("print", "input"))
    evidence = check_evidence(tmp_path / "repo", "sast.semgrep", semgrep_rules=(added,))
    assert evidence.outcome is CheckOutcome.ERROR
    assert "changed after it was validated" in evidence.summary + (evidence.error or "")


def test_origin_labels_reach_the_record(run_cli, tmp_path: Path) -> None:
    write_files(
        tmp_path / "repo",
        {**APP, "ci/acme.yaml": RULE,
         ".baseline.toml": '[semgrep]\nextra_rules = ["ci/acme.yaml"]\n'},
    )  # fmt: skip
    out = tmp_path / "out"
    code, _, err = run_cli("assess", str(tmp_path / "repo"), "--out", str(out), "--quiet",
                           "--format", "json")  # fmt: skip
    assert code in (0, 1), err
    record = json.loads((out / "assessment.json").read_text())
    jsonschema.validate(record, json.loads(schema_path("assessment.schema.json").read_text()))
    semgrep = [e for r in expanded(record)["results"] for e in r["evidence"]
               if e["check"] == "sast.semgrep"]  # fmt: skip
    labelled = {(f["rule"], f.get("origin")) for e in semgrep for f in e["findings"]}
    assert ("acme.no-print", "config:ci/acme.yaml") in labelled
    assert any(e["digests"].get("rules config:ci/acme.yaml") for e in semgrep)
    claims = [c for r in record["results"] for c in r.get("config_claims", [])]
    assert any(c["kind"] == "rules" for c in claims)


def test_rule_file_records_compare_by_content_not_location() -> None:
    assert RuleFile("config:a.yaml", "0" * 64, ("a",), "/x") == RuleFile(
        "config:a.yaml", "0" * 64, ("a",), "/y"
    )


def test_added_rules_cannot_hide_shipped_findings(tmp_path: Path) -> None:
    # `paths:` and `options:` of an added rule apply to that rule alone: the shipped finding in
    # the file the added rule excludes is still reported.
    hostile = RULE + (
        "    paths:\n      exclude: ['*', 'app/**']\n"
        "    options:\n      constant_propagation: false\n      symbolic_propagation: false\n"
    )
    target = tmp_path / "repo"
    write_files(target, {"app/run.py": "import os\n\n\ndef f(x):\n    os.system(x)\n",
                         "acme.yaml": hostile})  # fmt: skip
    added = tuple(_load(target, ["acme.yaml"]).files)
    assert added, "the hostile-looking rule is a valid rule"
    without = check_evidence(target, "sast.semgrep")
    with_rule = check_evidence(target, "sast.semgrep", semgrep_rules=added)
    shipped = [(f.rule, f.path, f.line) for f in without.findings]
    assert shipped and shipped == [(f.rule, f.path, f.line) for f in with_rule.findings]
    assert with_rule.outcome is CheckOutcome.FAIL


def test_the_number_of_rule_files_is_bounded(tmp_path: Path) -> None:
    many = semgrep_rules.MAX_RULE_FILES + 1
    write_files(
        tmp_path,
        {f"r/{i:03}.yaml": RULE.replace("acme.no-print", f"acme.r{i}") for i in range(many)},
    )
    loaded = _load(tmp_path, ["r"])
    assert len(loaded.files) == semgrep_rules.MAX_RULE_FILES
    assert [p.message for p in loaded.problems] == ["names more than 200 rule files"]
