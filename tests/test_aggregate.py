"""`baseline aggregate`: a deterministic portfolio, and located errors for bad inputs."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema
import pytest
from support import load_json

from baseline.aggregate.load import record_validator
from baseline.report.json_record import dumps
from baseline.report.mdtext import md as md_escape
from baseline.resources import schema_path
from benchmarks.portfolio_records import base_record, write_records


@pytest.fixture(scope="session")
def base() -> dict[str, Any]:
    return base_record()


def _write(path: Path, record: dict[str, Any]) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(record), encoding="utf-8")
    return str(path)


def test_portfolio_orders_worst_first_and_is_deterministic(
    run_cli, tmp_path: Path, base, assessment_validator
) -> None:
    files = [str(p) for p in write_records(tmp_path / "in", 12, base)]
    for f in files:
        assessment_validator.validate(load_json(Path(f)))
    code, out, _ = run_cli("aggregate", *files, "--out", str(tmp_path / "a"))
    assert code == 0 and "Portfolio of 12 assessments" in out
    assert run_cli("aggregate", *reversed(files), "--out", str(tmp_path / "b"))[0] == 0
    for name in ("portfolio.html", "portfolio.md", "portfolio.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name

    portfolio = load_json(tmp_path / "a" / "portfolio.json")
    schema = load_json(schema_path("portfolio.schema.json"))
    jsonschema.validators.validator_for(schema)(schema).validate(portfolio)
    assert portfolio["repositories_count"] == 12 and len(portfolio["tasks"]) == 42
    gaps = [(t["counts"]["fail"], t["counts"]["error"]) for t in portfolio["tasks"]]
    assert gaps == sorted(gaps, reverse=True)  # worst gaps first
    repos = portfolio["repositories"]
    assert [r["counts"]["fail"] for r in repos] == sorted((r["counts"]["fail"] for r in repos),
                                                          reverse=True)  # fmt: skip
    for task in portfolio["tasks"]:  # each task's counts add up over the repositories
        assert sum(task["counts"].values()) == 12
        assert task["counts"]["fail"] == sum(r["statuses"][task["id"]] == "fail" for r in repos)

    html = (tmp_path / "a" / "portfolio.html").read_text()
    assert 'http-equiv="Content-Security-Policy"' in html and "<script" not in html
    assert html.count('<td class="s-') == 12 * 42
    md = (tmp_path / "a" / "portfolio.md").read_text()
    assert md.count("| example-org/service-") == 12 and "## Worst gaps" in md
    assert str(tmp_path) not in html + md + json.dumps(portfolio)  # no input paths leak


def test_hostile_target_names_are_escaped(run_cli, tmp_path: Path, base) -> None:
    record = copy.deepcopy(base)
    record["target"]["path"] = '<script>alert(1)</script>"><img src=x onerror=alert(2)>|x'
    code, _, err = run_cli("aggregate", _write(tmp_path / "r.json", record),
                           "--out", str(tmp_path / "o"))  # fmt: skip
    assert code == 0, err
    html = (tmp_path / "o" / "portfolio.html").read_text()
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;" in html
    md = (tmp_path / "o" / "portfolio.md").read_text()
    assert "<script>" not in md and "&lt;script&gt;" in md and "\\|x" in md
    assert md_escape("a\nb|c") == "a b\\|c"


def _problem(run_cli, tmp_path: Path, *files: str) -> str:
    code, _, err = run_cli("aggregate", *files, "--out", str(tmp_path / "out"))
    assert code == 2
    assert not (tmp_path / "out").exists()  # nothing written on bad input
    return err


def test_malformed_record_is_located(run_cli, tmp_path: Path, base) -> None:
    good = _write(tmp_path / "good.json", base)
    bad = copy.deepcopy(base)
    bad["results"][3]["status"] = "sort-of"
    err = _problem(run_cli, tmp_path, good, _write(tmp_path / "bad.json", bad))
    assert "bad.json: /results/3/status:" in err and "good.json" not in err
    edited = copy.deepcopy(base)
    edited["summary"]["fail"] += 1
    edited["results"][5]["control_id"] = edited["results"][4]["control_id"]
    err = _problem(run_cli, tmp_path, good, _write(tmp_path / "edited.json", edited))
    assert "edited.json: /summary/fail: says" in err
    assert "edited.json: /results/5/control_id: " in err and "appears twice" in err
    (tmp_path / "broken.json").write_text('{"schema_version": "1.0",\n  oops}')
    err = _problem(run_cli, tmp_path, good, str(tmp_path / "broken.json"))
    assert "broken.json:2: not JSON" in err
    err = _problem(run_cli, tmp_path, good, str(tmp_path / "missing.json"))
    assert "missing.json: cannot read" in err


def test_records_from_another_catalog_are_rejected(run_cli, tmp_path: Path, base) -> None:
    first = _write(tmp_path / "a.json", base)
    other = copy.deepcopy(base)
    other["target"]["path"] = "elsewhere"
    other["catalog"]["digest"] = "0" * 64
    err = _problem(run_cli, tmp_path, first, _write(tmp_path / "b.json", other))
    assert "b.json: /catalog/digest: catalog digest 000000000000 differs" in err
    other["catalog"]["id"] = "acme-ssdf"
    err = _problem(run_cli, tmp_path, first, _write(tmp_path / "b.json", other))
    assert "b.json: /catalog/id: catalog 'acme-ssdf' differs from 'ssdf-1.1'" in err


def test_the_same_target_twice_is_rejected(run_cli, tmp_path: Path, base) -> None:
    err = _problem(run_cli, tmp_path, _write(tmp_path / "a.json", base),
                   _write(tmp_path / "b.json", base))  # fmt: skip
    assert "b.json: /target/path: target 'insecure-app' is also assessed in" in err


def test_two_repositories_both_assessed_as_dot_stay_apart(run_cli, tmp_path: Path, base) -> None:
    # Two CI jobs, each in its own checkout, both run `baseline assess .` (issue 16).
    files = []
    for name in ("api", "web"):
        record = copy.deepcopy(base)
        record["target"] = {"path": ".", "commit": base["target"]["commit"],
                            "url": f"https://github.com/acme/{name}", "subdir": "",
                            "branch": None, "shallow": False, "dirty": False,
                            "changed_count": 0, "changed": [], "url_source": "x"}  # fmt: skip
        files.append(_write(tmp_path / f"{name}.json", record))
    code, out, err = run_cli("aggregate", *files, "--out", str(tmp_path / "p"))
    assert code == 0, err
    portfolio = load_json(tmp_path / "p" / "portfolio.json")
    assert "github.com/acme/api" in json.dumps(portfolio)
    assert "github.com/acme/web" in json.dumps(portfolio)
    again = _write(tmp_path / "api-again.json", load_json(Path(files[0])))
    err = _problem(run_cli, tmp_path, files[0], again)  # the same repository twice
    assert "target 'github.com/acme/api' is also assessed in" in err


def _mutations(base: dict[str, Any]) -> list[dict[str, Any]]:
    """Records that break the schema in different ways, and one that keeps it."""
    out = []
    for path, value in (
        (("results", 0, "status"), "pass"),  # pass without passing evidence
        (("summary", "fail"), -1),
        (("catalog", "digest"), "xyz"),
        (("target", "commit"), "HEAD"),
        (("results", 1, "evidence"), [{"check": "x"}]),
        (("results", 2, "waiver"), None),  # allowed: stays valid
    ):
        record = copy.deepcopy(base)
        node: Any = record
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        out.append(record)
    extra = copy.deepcopy(base)
    extra["unexpected"] = True
    out.append(extra)
    return out


def test_compiled_validator_agrees_with_jsonschema(base, assessment_validator) -> None:
    fast = record_validator()
    mutations = _mutations(base)
    assert sum(not assessment_validator.is_valid(m) for m in mutations) == len(mutations) - 1
    for record in [base, *mutations]:
        reference = assessment_validator.is_valid(record)
        try:
            fast(record)
            compiled = True
        except fastjsonschema.JsonSchemaValueException:
            compiled = False
        assert compiled == reference, jsonschema.exceptions.best_match(
            assessment_validator.iter_errors(record)
        )
