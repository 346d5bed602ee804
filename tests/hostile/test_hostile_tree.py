"""The full `baseline assess` over the generated hostile tree: every case, every invariant."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from baseline.context import DEFAULT_READ_LIMIT, RunOptions, build_context

from .builders import (
    BEYOND_PATH_MAX_LEVELS,
    BIG_FILE_BYTES,
    DEEP_LEVELS,
    TREE_CASES,
    Case,
    _big_file,
)
from .conftest import HostileTree
from .doc_table import Observations, Row
from .harness import ROOT, check_run, environment

SECTION = "Hostile repository tree"
Observer = Callable[[HostileTree], str]


def _checks_citing(tree: HostileTree, prefix: str) -> list[str]:
    cited = set()
    for result in tree.run.record["results"]:
        for item in result["evidence"]:
            paths = [*item["files"], *(f["path"] for f in item["findings"])]
            if any(p.startswith(prefix) for p in paths):
                cited.add(item["check"])
    return sorted(cited)


def _citing_text(tree: HostileTree, prefix: str) -> str:
    checks = _checks_citing(tree, prefix)
    return f"checks citing them: {', '.join(checks)}" if checks else "no check cites them"


def _finding_paths(tree: HostileTree, check: str) -> list[str]:
    return [f["path"] for f in tree.run.evidence(check)["findings"]]


def _names(tree: HostileTree) -> str:
    listed = sorted(os.listdir(tree.root / "names"))
    reported = _finding_paths(tree, "repo.no_binary_artifacts")
    assert [f"names/{n}" for n in listed] == [p for p in reported if p.startswith("names/")]
    tests = tree.run.evidence("repo.has_test_suite")["files"]
    assert "<script>alert(2)</script>/test_markup.py" in tests
    return (
        f"all {len(listed)} names listed and carried intact as data: repo.no_binary_artifacts "
        "reports each one, repo.has_test_suite cites the test file in the `<script>` folder; "
        "JSON escapes the control characters, no report holds them raw"
    )


def _non_utf8(tree: HostileTree) -> str:
    reported = _finding_paths(tree, "repo.no_binary_artifacts")
    assert "bytes/invalid-\\udcff\\udcfe.whl" in reported
    assert "bytes/latin1-caf\\udce9.exe" in reported
    assert "bytes/dir-\\udcc3(/test_inside.py" in tree.run.evidence("repo.has_test_suite")["files"]
    return (
        "listed and reported; each undecodable byte is written as a `\\udcXX` escape, so "
        "the record stays valid UTF-8 JSON"
    )


def _symlinks_outside(tree: HostileTree) -> str:
    outcomes = {}
    for check in ("repo.has_security_policy", "repo.has_license", "repo.has_codeowners",
                  "repo.has_contributing_guide"):  # fmt: skip
        evidence = tree.run.evidence(check)
        outcomes[check] = evidence["outcome"]
        assert evidence["outcome"] != "pass", check
        assert not evidence["files"] and not evidence["digests"], check
    threat = tree.run.evidence("repo.has_threat_model")
    assert not any(f.startswith("docs/") for f in threat["files"])
    assert _checks_citing(tree, "docs/") == []
    for link in ("src/zero.py", ".github/workflows/zero.yml", "random.md"):
        assert _checks_citing(tree, link) == [], link
    shown = ", ".join(f"{c} {o}" for c, o in outcomes.items())
    return f"links recorded, never followed (docs/ not entered, no device read): {shown}"


def _loops(tree: HostileTree) -> str:
    assert _checks_citing(tree, "loops/") == []
    return "recorded as symlinks, never resolved; the walk terminates"


def _binary_python(tree: HostileTree) -> str:
    return "the run completes; no check crashes on them; " + _citing_text(tree, "src/")


def _big(tree: HostileTree) -> str:
    return (
        f"the run completes; reads are capped ({DEFAULT_READ_LIMIT // 2**20} MiB); "
        + _citing_text(tree, "data/")
    )


def _deep(tree: HostileTree) -> str:
    deep = "/".join(["n"] * DEEP_LEVELS) + "/test_deep.py"
    assert deep in tree.run.evidence("repo.has_test_suite")["files"]
    return (
        f"walked without recursion; the test file at depth {DEEP_LEVELS} is cited by "
        "repo.has_test_suite"
    )


def _beyond(tree: HostileTree) -> str:
    deep = "/".join(["dd"] * BEYOND_PATH_MAX_LEVELS) + "/deep.exe"
    assert deep in _finding_paths(tree, "repo.no_binary_artifacts")
    return (
        f"walked and read a chunk at a time: the .exe at depth {BEYOND_PATH_MAX_LEVELS} "
        f"({len(deep)} bytes of path) is reported by repo.no_binary_artifacts"
    )


def _markers(tree: HostileTree) -> str:
    assert tree.markers == []
    return "never imported or executed: no marker file appeared"


def _yaml(tree: HostileTree) -> str:
    return "the run completes; " + _citing_text(tree, ".github/workflows/")


def _toml(tree: HostileTree) -> str:
    return "the run completes; " + _citing_text(tree, "sub/")


def _git_config(tree: HostileTree) -> str:
    assert tree.markers == []
    commit = tree.run.record["target"]["commit"]
    assert commit and len(commit) == 40
    recorded = tree.run.evidence("git.commit_recorded")
    # The tree holds files the commit does not (the builder adds them after committing): the
    # record lists them rather than attributing them to the commit.
    assert recorded["summary"].startswith(f"assessed commit {commit}"), recorded
    target = tree.run.record["target"]
    assert target["dirty"] is (recorded["outcome"] == "needs_review"), (target, recorded)
    return (
        "git never reads the repository's config (it runs on a shadow git dir of ours): "
        "no marker file appeared; the commit is recorded, and the files it does not hold are "
        f"listed ({target['changed_count']} in the record's target)"
    )


OBSERVERS: dict[str, Observer] = {
    "names-markup": _names,
    "names-non-utf8": _non_utf8,
    "symlinks-outside": _symlinks_outside,
    "symlink-loops": _loops,
    "binary-python": _binary_python,
    "big-file": _big,
    "deep-nesting": _deep,
    "beyond-path-max": _beyond,
    "executable-files": _markers,
    "yaml-bombs": _yaml,
    "toml-in-repo": _toml,
    "git-config-hooks": _git_config,
}


def inside_run_row(tree: HostileTree, validator: Any) -> Row:
    """`baseline assess` typed inside the hostile repository, as CI runs it."""
    script = shutil.which("baseline")
    if script is None:
        pytest.skip("the `baseline` console script is not installed")
    done = subprocess.run([script, "assess", "--quiet"], cwd=tree.root, env=environment(),
                          capture_output=True, text=True, timeout=600, check=False)  # fmt: skip
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert "baseline-report: the output folder is a symbolic link" in done.stderr, done.stderr
    assert list((tree.outside / "report-sink").iterdir()) == []
    assert tree.markers == []
    return Row(
        SECTION,
        "run inside the repository",
        "`baseline assess` run from inside the "
        "hostile tree (its json.py, yaml.py, sitecustomize.py are in the working folder; "
        "`baseline-report` links out)",
        "exit 2: `baseline-report: the output folder is "
        "a symbolic link`; nothing written through the link; nothing in the "
        "working folder imported",
    )


def full_run_row(tree: HostileTree, validator: Any) -> Row:
    """The generic invariants over the whole tree: one row."""
    check_run(tree.run, validator)
    crashed = [
        f"{r['control_id']}/{e['check']}"
        for r in tree.run.record["results"]
        for e in r["evidence"]
        if "raised an unexpected error" in e["summary"]
    ]
    assert crashed == [], f"checks crashed on hostile input: {crashed}"
    assert tree.markers == []
    return Row(
        SECTION,
        "all cases together",
        "every case below in one repository, assessed with every registered check and every format",
        f"completes with exit {tree.run.code}; every invariant holds; no check crashed",
    )


def case_row(tree: HostileTree, validator: Any, case: Case) -> Row:
    """One case's row (after the generic invariants)."""
    check_run(tree.run, validator)
    return Row(SECTION, case.id, case.input, OBSERVERS[case.id](tree))


def all_rows(tree: HostileTree, validator: Any, observations: Observations) -> list[Row]:
    """Every row of this section (for the docs table)."""
    rows = [
        observations.get(SECTION, "all", lambda: full_run_row(tree, validator)),
        observations.get(SECTION, "inside", lambda: inside_run_row(tree, validator)),
    ]
    rows.extend(
        observations.get(SECTION, case.id, lambda c=case: case_row(tree, validator, c))
        for case in TREE_CASES
    )
    return rows


def test_every_case_has_an_observer() -> None:
    assert sorted(OBSERVERS) == sorted(c.id for c in TREE_CASES)


@pytest.mark.slow
def test_full_run_keeps_every_invariant(hostile_tree, validator, observations) -> None:
    observations.get(SECTION, "all", lambda: full_run_row(hostile_tree, validator))


@pytest.mark.slow
def test_run_inside_the_repository(hostile_tree, validator, observations) -> None:
    observations.get(SECTION, "inside", lambda: inside_run_row(hostile_tree, validator))


@pytest.mark.parametrize("case", TREE_CASES, ids=lambda c: c.id)
@pytest.mark.slow
def test_case(case: Case, hostile_tree, validator, observations) -> None:
    observations.get(SECTION, case.id, lambda: case_row(hostile_tree, validator, case))


_PEAK = textwrap.dedent(
    """
    import json, resource, sys
    from pathlib import Path
    from baseline.checks.registry import CHECKS
    from baseline.context import RunOptions, build_context
    ctx = build_context(Path(sys.argv[1]), "t", RunOptions(jobs=1))
    for check in CHECKS.values():
        if not check.tools:
            check.run(ctx, check.resolve({}))
    for rel in ctx.files:
        ctx.read_text(rel)
        ctx.sha256(rel)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
    """
)


def test_reading_a_big_file_is_capped(tmp_path: Path) -> None:
    small, big = tmp_path / "small", tmp_path / "big"
    small.mkdir()
    big.mkdir()
    (small / "data").mkdir()
    (small / "data" / "huge.txt").write_bytes(b"head\n")
    _big_file(big, tmp_path)
    ctx = build_context(big, "big", RunOptions(jobs=1))
    assert len(ctx.read_bytes("data/huge.txt")) == DEFAULT_READ_LIMIT
    assert len(ctx.read_bytes("data/huge.txt", limit=10)) == 10

    def peak(root: Path) -> int:
        done = subprocess.run([sys.executable, "-c", _PEAK, str(root)], env=environment(),
                              capture_output=True, text=True, check=True, cwd=ROOT)  # fmt: skip
        return int(json.loads(done.stdout))

    # Every file-reading check and a full read of every file: memory must not grow by anything
    # near the file's size (it grows by the 2 MiB read cap at most).
    assert peak(big) - peak(small) < BIG_FILE_BYTES // 4
