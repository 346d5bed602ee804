"""Generate many schema-valid assessment records that differ per repository.

The base is a real assessment of examples/insecure-app; each generated record gets its own
target, commit and a deterministic (seeded) mix of statuses that keeps the schema's rules:
a `pass` only with passing evidence, no `waived` or `attested` without their objects.
"""

from __future__ import annotations

import copy
import hashlib
import random
from functools import lru_cache
from pathlib import Path
from typing import Any

from baseline.catalog.loader import load_catalog
from baseline.context import RunOptions
from baseline.engine import assess
from baseline.models import ControlStatus
from baseline.report.json_record import dumps, expanded, to_record

ROOT = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def base_record() -> dict[str, Any]:
    """A real record: examples/insecure-app against ssdf-1.1 (made once; copy before changing)."""
    catalog = load_catalog("ssdf-1.1")
    target = ROOT / "examples" / "insecure-app"
    assessment = assess(target, catalog, RunOptions(jobs=2), display="insecure-app", quiet=True)
    # Version 1 records (evidence inline; `aggregate` still reads them), so that the variations
    # below can change each task's evidence on its own.
    record = expanded(to_record(assessment))
    del record["check_runs"]
    record["schema_version"] = "1.0"
    return record


def _vary(record: dict[str, Any], index: int) -> dict[str, Any]:
    rng = random.Random(index)  # noqa: S311 - test data, not security
    result = copy.deepcopy(record)
    result["target"] = {
        "path": f"example-org/service-{index:03d}",
        "commit": hashlib.sha1(str(index).encode(), usedforsecurity=False).hexdigest(),
    }
    for item in result["results"]:
        choices = ["fail", "needs_review", "error", "not_applicable"]
        if item["evidence"]:
            choices += ["pass", "pass", "pass"]
        status = rng.choice(choices)
        item["status"] = status
        if status == "pass":
            for evidence in item["evidence"]:
                evidence.update(outcome="pass", error=None, findings=[])
    statuses = [r["status"] for r in result["results"]]
    result["summary"] = {s.value: statuses.count(s.value) for s in ControlStatus}
    return result


def write_records(out: Path, count: int, base: dict[str, Any] | None = None) -> list[Path]:
    """`count` records as OUT/service-NNN/assessment.json; their paths, sorted."""
    base = base if base is not None else base_record()
    paths = []
    for index in range(count):
        path = out / f"service-{index:03d}" / "assessment.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dumps(_vary(base, index)), encoding="utf-8")
        paths.append(path)
    return paths
