"""Every config key is documented, accepted, recorded, and the record stays valid and readable
by `render`, `diff` and `aggregate` (issue 16: the config, the record and its JSON Schema were
three hand-kept descriptions of the same data; producer fields the config accepted made records
the other commands rejected).

One definition (baseline/project/schema.py) feeds the validation, the config's JSON Schema, the
record schema's config parts and docs/project-config.md (baseline/project/derive.py,
record_parts.py, config_docs.py); the derived files are committed and compared here
(`UPDATE_SCHEMA=1` rewrites the schemas, `UPDATE_DOCS=1` the documentation). The per-key test is parametrized over the definition
itself: a new key is tested with its own example without anyone writing a test.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from support import ROOT, only_git_on_path, write_files

from baseline import tomlcompat
from baseline.aggregate.load import load_rows
from baseline.aggregate.portfolio import build_portfolio
from baseline.aggregate.render import render_portfolio
from baseline.catalog.fields import Field
from baseline.catalog.loader import load_catalog
from baseline.context import RunOptions
from baseline.diff import diff
from baseline.models import Attestation, EvidenceFile, Milestone, Scope, Waiver
from baseline.project import config_docs, derive, record_parts
from baseline.project import schema as project_schema
from baseline.project.config import ProjectConfig
from baseline.project.derive import example_of, json_value, toml_value, walk
from baseline.project.template import attestations_text, config_text
from baseline.report.record_io import load_record
from baseline.report.write import render_all
from baseline.resources import schema_path
from baseline.service import AssessmentRequest, run

RECORD_SCHEMA = schema_path("assessment.schema.json")
CONFIG_SCHEMA = schema_path("config.schema.json")
PAGE = ROOT / "docs" / "project-config.md"
VENDOR_DOC = ROOT / "docs" / "vendor-workflow.md"
_BEGIN, _END = "<!-- producer-keys: generated -->", "<!-- /producer-keys -->"
INCLUDED = "baseline-attestations.toml"
"""The file the `include` example names (and the included-file keys are written to)."""

# A catalog with the task ids the examples name, one cheap file check each, and a semgrep check
# that errors at once (no scanner is on PATH) so that `[semgrep]` claims have a task to land on.
CATALOG = """
[catalog]
id = "keys-profile"
title = "Config keys profile"
version = "1"
status = "final"

[[groups]]
id = "PO"
title = "Prepare"
summary = "s"

[[practices]]
id = "PO.1"
group = "PO"
title = "p"
summary = "s"

[[controls]]
id = "PO.2.2"
practice = "PO.1"
title = "Training"
summary = "Developers are trained."
attestation = "required"
remediation = "Train."

[[controls]]
id = "PS.1.1"
practice = "PO.1"
title = "No binaries"
summary = "No binary artifacts are committed."
attestation = "none"
remediation = "Remove them."

[[controls.checks]]
id = "repo.no_binary_artifacts"

[[controls]]
id = "PW.6.1"
practice = "PO.1"
title = "License"
summary = "A license is declared."
attestation = "none"
remediation = "Add one."

[[controls.checks]]
id = "repo.has_license"

[[controls]]
id = "PW.7.2"
practice = "PO.1"
title = "Code analysis"
summary = "Code is analyzed."
attestation = "none"
remediation = "Analyze."

[[controls.checks]]
id = "sast.semgrep"
"""
RULE = """rules:
  - id: acme.no-print
    languages: [python]
    severity: INFO
    message: use logging
    pattern: print(...)
"""
EVIDENCE = b"Secure development training 2026: attendance records.\n"
REPO_FILES: dict[str, str | bytes] = {
    "SECURITY.md": "Report to security@example.org.\n",
    "LICENSE": "Apache License 2.0\n",
    "app.py": "print('hi')\n",
    "tests/test_a.py": "def test_a():\n    assert True\n",
    "build/out.bin": b"\x7fELF\x02\x01\x01" + bytes(64),
    "data/blob.bin": b"\x7fELF\x02\x01\x01" + bytes(64),
    "docs/training-2026.pdf": EVIDENCE,
    "ci/semgrep/acme.yaml": RULE,
    "keys-profile.toml": CATALOG,
}
AS_OF = dt.date(2026, 6, 1)
KEY_CASES: list[tuple[str, tuple[str, ...], Field]] = [
    *(("config", path, spec) for path, spec in walk(project_schema.CONFIG)),
    *(("included", path, spec) for path, spec in walk(project_schema.INCLUDED_FILE)),
]
# What the example cannot be here: a catalog file of the test's own (the built-in example
# would run every scanner of ssdf-1.1).
OVERRIDES: Mapping[tuple[str, ...], Any] = {("catalog",): "keys-profile.toml"}


def _dump(table: Mapping[str, Any]) -> str:
    return "".join(f"{key} = {toml_value(value)}\n" for key, value in table.items())


# -- the derived files ----------------------------------------------------------------------


def _replace_block(text: str, key: str, value: Any, indent: int, after: str = "") -> str:
    """`text` with the JSON object at `"key": {` (at this indent, after the line `after`)
    replaced by `value`: the rest of the hand-laid-out schema stays as it is."""
    pad = " " * indent
    start = text.index(f'\n{pad}"{key}": {{', text.index(f"\n{after}") if after else 0) + 1
    end = text.index(f"\n{pad}}}", start) + len(pad) + 2
    body = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + pad)
    return text[:start] + f'{pad}"{key}": {body}' + text[end:]


def test_the_record_schema_config_parts_are_derived_from_the_config_fields() -> None:
    text = RECORD_SCHEMA.read_text("utf-8")
    derived = record_parts.update_record_schema(json.loads(text))
    if os.environ.get("UPDATE_SCHEMA"):
        text = _replace_block(text, "producer", derived["properties"]["producer"], 4)
        accepted = derived["properties"]["accepted_findings"]
        text = _replace_block(text, "accepted_findings", accepted, 4)
        for name in ("attestation", "waiver"):
            text = _replace_block(text, name, derived["$defs"][name], 4, '  "$defs": {')
        claim = derived["$defs"]["config_claim"]["properties"]["kind"]
        text = _replace_block(text, "kind", claim, 8, '    "config_claim": {')
        scope = derived["$defs"]["finding"]["properties"]["scope"]
        text = _replace_block(text, "scope", scope, 8, '    "finding": {')
        reason = derived["$defs"]["control"]["properties"]["not_applicable"]
        text = _replace_block(text, "not_applicable", reason, 8, '    "control": {')
        text = _replace_block(text, "param_override", derived["$defs"]["param_override"], 4,
                              '  "$defs": {')  # fmt: skip
        RECORD_SCHEMA.write_text(text, "utf-8")
    assert json.loads(text) == derived


def test_the_config_schema_is_derived_from_the_config_fields() -> None:
    derived = json.dumps(derive.config_schema(), indent=2) + "\n"
    if os.environ.get("UPDATE_SCHEMA"):
        CONFIG_SCHEMA.write_text(derived, "utf-8")
    assert CONFIG_SCHEMA.read_text("utf-8") == derived
    jsonschema.Draft202012Validator.check_schema(json.loads(derived))


def test_the_config_documentation_is_derived_from_the_config_fields() -> None:
    page = config_docs.docs_page()
    if os.environ.get("UPDATE_DOCS"):
        PAGE.write_text(page, "utf-8")
    assert PAGE.read_text("utf-8") == page


def test_the_documented_producer_keys_are_derived_from_the_config_fields() -> None:
    text = VENDOR_DOC.read_text("utf-8")
    block = f"{_BEGIN}\n{config_docs.producer_keys_table()}\n{_END}"
    if os.environ.get("UPDATE_DOCS") or os.environ.get("UPDATE_SCHEMA"):
        text = re.sub(re.escape(_BEGIN) + ".*?" + re.escape(_END), lambda _: block, text,
                      flags=re.DOTALL)  # fmt: skip
        VENDOR_DOC.write_text(text, "utf-8")
    assert block in text


def test_the_config_schema_judges_configs_as_the_loader_does() -> None:
    """The committed JSON Schema is usable as editors use it, on configs as TOML parses them
    (dates as ISO text): `baseline init`'s, and one holding every key's example."""
    validator = jsonschema.Draft202012Validator(json.loads(CONFIG_SCHEMA.read_text("utf-8")))
    init = tomlcompat.loads(config_text(load_catalog("ssdf-1.1")))
    every = {k: example_of(f) for k, f in project_schema.CONFIG.items()}
    for config in (init, every):
        assert list(validator.iter_errors(json_value(config))) == []
    for bad in ({"waivers": [{"control": "PS.1.1"}]}, {"producer": {"name": "A", "fax": "1"}},
                {"producer": {"name": "A", "attestation_type": "old"}}):  # fmt: skip
        assert list(validator.iter_errors(bad)), bad


# -- the definition itself ------------------------------------------------------------------


@pytest.mark.parametrize(("root", "path", "spec"), KEY_CASES,
                         ids=[f"{r}:{'.'.join(p)}" for r, p, _ in KEY_CASES])  # fmt: skip
def test_every_key_is_defined_in_full(root: str, path: tuple[str, ...], spec: Field) -> None:
    assert spec.help, "help text"
    assert example_of(spec) not in (None, [], {}, ""), "an example"
    assert spec.record or spec.claim, "where the record carries it, or the claim it gives"
    if spec.choices:
        assert example_of(spec) in spec.choices


@pytest.mark.parametrize(
    ("model", "fields", "base", "extra"),
    [
        (Attestation, project_schema.ATTESTATION, "results[].attestation", {}),
        (Waiver, project_schema.WAIVER, "results[].waiver", {}),
        (Milestone, project_schema.MILESTONE, "results[].waiver.milestones[]", {}),
        # the record's `sha256` is the model's `actual_sha256`: the digest now
        (
            EvidenceFile,
            project_schema.EVIDENCE_FILE,
            "results[].attestation.evidence_files[]",
            {"sha256": "actual_sha256"},
        ),
    ],  # fmt: skip
)
def test_the_models_and_the_config_tables_agree(
    model: type, fields: Mapping[str, Field], base: str, extra: Mapping[str, str]
) -> None:
    """A dataclass that mirrors a config table has exactly the keys the record writes for it."""
    keys = [extra.get(k, k) for k in record_parts.record_keys(fields, base)]
    assert [f.name for f in dataclasses.fields(model)] == keys


def test_every_top_level_key_has_its_place_in_the_parsed_config() -> None:
    """baseline/project/config.py's ProjectConfig keeps each top-level key (two by another
    name: the included files, and the rules of `[semgrep]`)."""
    renamed = {"include": "files", "semgrep": "extra_rules"}
    names = {f.name for f in dataclasses.fields(ProjectConfig)}
    assert [k for k in project_schema.CONFIG if renamed.get(k, k) not in names] == []


def test_the_scope_labels_are_the_models() -> None:
    assert record_parts.scope_labels() == [s.value for s in Scope]


def test_every_claim_kind_comes_from_a_key() -> None:
    schema = json.loads(RECORD_SCHEMA.read_text("utf-8"))
    kinds = schema["$defs"]["config_claim"]["properties"]["kind"]["enum"]
    assert sorted(kinds) == sorted(
        ["attestation", "waiver", "not_applicable", "param", "exclude", "catalog", "scope",
         "rules", "accepted_finding"]
    )  # fmt: skip


# -- a run per key --------------------------------------------------------------------------


def _build(fields: Mapping[str, Field], path: tuple[str, ...]) -> dict[str, Any]:
    """A table holding the key at `path` (its example) and every required key beside it."""
    table = {k: example_of(f) for k, f in fields.items() if f.required}
    key, rest = path[0], path[1:]
    spec = fields[key]
    if rest:
        inner = _build(spec.fields or {}, rest)
        table[key] = [inner] if spec.kind is list else inner
    else:
        table[key] = OVERRIDES.get(path, example_of(spec))
    return table


def _configs(root: str, path: tuple[str, ...]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the config, the included file) holding the key at `path`."""
    if root == "included":
        return {"include": [INCLUDED]}, _build(project_schema.INCLUDED_FILE, path)
    config = _build(project_schema.CONFIG, path)
    included = _build(project_schema.INCLUDED_FILE, ("waivers",)) if path == ("include",) else {}
    return config, included


def _found(record: Any, path: str) -> list[Any]:
    """The values at a record path (`results[].waiver.reason`), lists flattened."""
    values = [record]
    for part in path.split("."):
        name, each = part.removesuffix("[]"), part.endswith("[]")
        values = [v[name] for v in values if isinstance(v, dict) and v.get(name) is not None]
        if each:
            values = [item for v in values for item in v]
    return [i for v in values for i in (v if isinstance(v, list) else [v])]


def _carries(found: list[Any], expected: Any) -> bool:
    """Whether the record's values hold the example: each scalar equal, or inside a text
    (a claim's detail); a table, only present (its keys are each tested on their own)."""
    if isinstance(expected, dict) or (isinstance(expected, list) and expected
                                      and isinstance(expected[0], dict)):  # fmt: skip
        return bool(found)
    wanted = expected if isinstance(expected, list) else [expected]
    return all(
        any(v == w or (isinstance(v, str) and isinstance(w, str) and w in v) for v in found)
        for w in wanted
    )


@cache
def _record_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(RECORD_SCHEMA.read_text("utf-8")))


@pytest.mark.parametrize(("root", "path", "spec"), KEY_CASES,
                         ids=[f"{r}:{'.'.join(p)}" for r, p, _ in KEY_CASES])  # fmt: skip
def test_each_key_is_accepted_recorded_valid_documented_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, root: str, path: tuple[str, ...], spec: Field
) -> None:
    monkeypatch.setenv("PATH", only_git_on_path(tmp_path / "bin"))  # no scanner runs
    repo = tmp_path / "repo"
    write_files(repo, REPO_FILES)
    config, included = _configs(root, path)
    (repo / ".baseline.toml").write_text(_dump(config))
    if included:
        (repo / INCLUDED).write_text(_dump(included))
    catalog = None if "catalog" in config else str(repo / "keys-profile.toml")
    outcome = run(AssessmentRequest(repo, catalog=catalog, options=RunOptions(as_of=AS_OF),
                                    formats=("json",), out=tmp_path / "out"))  # fmt: skip
    record_path = tmp_path / "out" / "assessment.json"
    record = json.loads(record_path.read_text("utf-8"))
    assert list(_record_validator().iter_errors(record)) == []

    claims = [c for r in record["results"] for c in r.get("config_claims", ())]
    if spec.claim:
        assert spec.claim in {c["kind"] for c in claims}, claims
    if spec.record:
        found = _found(record, spec.record)
        assert _carries(found, json_value(OVERRIDES.get(path, example_of(spec)))), found

    assert f"| `{path[-1]}` |" in _documented_section(root, path)

    # render, diff and aggregate read the record back
    assessment = load_record(record_path)
    assert [r.status for r in assessment.results] == [r.status for r in outcome.assessment.results]
    rendered = render_all(assessment, ["md", "html", "sarif", "oscal", "form"])
    assert all(rendered.values())
    same = diff(assessment, assessment)
    assert not (same.regressed or same.improved or same.changed or same.new_findings)
    portfolio = render_portfolio(build_portfolio(load_rows([str(record_path)])))
    assert any("keys-profile" in text for text in portfolio.values())


def _documented_section(root: str, path: tuple[str, ...]) -> str:
    """The part of docs/project-config.md that documents the table the key is in."""
    page = PAGE.read_text("utf-8")
    name = ".".join(path[:-1])
    if root == "included" and len(path) == 1:
        headings = ["## Files named by `include`"]
    elif len(path) == 1:
        headings = ["## The top level"]
    else:
        headings = [f"## `[{name}]`", f"## `[[{name}]]`"]
    heading = next(h for h in headings if h in page)
    return page[page.index(heading) :].split("\n## ")[0]


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # No scanner on PATH (the semgrep task errors at once): the keys are what is tested here.
    env = {**os.environ, "PATH": str(cwd / "bin")}
    return subprocess.run([sys.executable, "-I", "-m", "baseline", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip


def test_a_config_with_every_key_through_the_command_line(tmp_path: Path) -> None:
    """The command line takes what the library takes: the documentation's config with every
    key at once, then `render`, `diff` and `aggregate` on the record; a wrong value is exit 2
    with file, line and key."""
    only_git_on_path(tmp_path / "bin")
    repo = tmp_path / "repo"
    write_files(repo, {**REPO_FILES, INCLUDED: "# nothing yet\n"})
    # docs/project-config.md's complete example, on the test's catalog
    page = PAGE.read_text("utf-8")
    example = page[page.index("```toml\n", page.index("## Every key at once")) + 8 :]
    example = example[: example.index("```")]
    assert tomlcompat.loads(example) == derive.full_example()
    (repo / ".baseline.toml").write_text(
        example.replace('catalog = "ssdf-1.1"', f'catalog = "{OVERRIDES[("catalog",)]}"')
    )
    done = _cli(tmp_path, "assess", "repo", "--out", "out", "--format", "json", "--quiet",
                "--as-of", AS_OF.isoformat())  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    record = tmp_path / "out" / "assessment.json"
    data = json.loads(record.read_text("utf-8"))
    assert list(_record_validator().iter_errors(data)) == []
    kinds = {c["kind"] for r in data["results"] for c in r.get("config_claims", ())}
    assert kinds == set(record_parts.claim_kinds())
    assert data["producer"] == json_value(derive.full_example()["producer"])
    for command in (["render", str(record), "--out", "rendered"],
                    ["diff", str(record), str(record)],
                    ["aggregate", str(record), "--out", "portfolio"]):  # fmt: skip
        again = _cli(tmp_path, *command)
        assert again.returncode == 0, (command, again.stdout, again.stderr)

    every = {k: OVERRIDES.get((k,), example_of(f)) for k, f in project_schema.CONFIG.items()}
    (repo / ".baseline.toml").write_text(_dump({**every, "producer": {"name": "A", "city": 1}}))
    bad = _cli(tmp_path, "assess", "repo", "--out", "out2", "--quiet")
    assert bad.returncode == 2
    assert ".baseline.toml:6" in bad.stderr and "producer.city" in bad.stderr, bad.stderr


def _uncommented(text: str) -> dict[str, Any]:
    """A template with its commented-out TOML lines (`# key = ...`, `# [table]`) switched on."""
    keep = re.compile(r"^(\[|[a-z_]+ = )")
    lines = [line.removeprefix("# ") for line in text.splitlines()]
    return json_value(tomlcompat.loads("\n".join(x for x in lines if keep.match(x))))


def test_the_init_templates_use_only_defined_keys() -> None:
    """`baseline init` writes the keys the definition knows, with values of the right type,
    also in the parts it leaves commented out."""
    schema = json.loads(CONFIG_SCHEMA.read_text("utf-8"))
    catalog = load_catalog("ssdf-1.1")
    config = _uncommented(config_text(catalog))
    assert {"producer", "params", "not_applicable", "semgrep"} <= config.keys()
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(config)) == []
    included = _uncommented(attestations_text(catalog, AS_OF))
    assert included["attestations"] and included["waivers"]
    nested = {**schema["$defs"]["included_file"], "$defs": schema["$defs"]}
    assert list(jsonschema.Draft202012Validator(nested).iter_errors(included)) == []
