"""The Python web frameworks pack (controls/rules/python-web.yaml) keeps its shape: one source
list repeated in every request-taint rule (osemgrep resolves no YAML anchors, so the copies must
be kept equal by hand), only a `rules` key, and the metadata every shipped rule carries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

PACK = Path(__file__).resolve().parent.parent / "controls" / "rules" / "python-web.yaml"
# its sources are cookies and headers only, on purpose (access decisions, not injection)
OWN_SOURCES = {"python.authorization-from-client-data"}


def _pack() -> dict[str, Any]:
    document = yaml.safe_load(PACK.read_text("utf-8"))
    assert isinstance(document, dict)
    return document


def test_the_pack_has_only_rules_at_the_top() -> None:
    assert list(_pack()) == ["rules"]  # osemgrep refuses any other top-level key


def test_every_request_taint_rule_has_the_same_sources() -> None:
    taint = [r for r in _pack()["rules"] if r.get("mode") == "taint" and r["id"] not in OWN_SOURCES]
    assert len(taint) >= 10
    first = taint[0]["pattern-sources"]
    differing = [r["id"] for r in taint if r["pattern-sources"] != first]
    assert differing == []


def test_every_rule_carries_the_shipped_metadata() -> None:
    for rule in _pack()["rules"]:
        meta = rule["metadata"]
        assert rule["id"].startswith("python."), rule["id"]
        assert rule["severity"] in {"ERROR", "WARNING", "INFO"}, rule["id"]
        assert meta["category"] == "security", rule["id"]
        assert all(c.startswith("CWE-") and ": " in c for c in meta["cwe"]), rule["id"]
        assert {"confidence", "likelihood", "impact"} <= set(meta), rule["id"]
        assert "PW.5.1" in meta["ssdf"], rule["id"]
