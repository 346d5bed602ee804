"""Nothing from the assessed repository runs in any entry point: the Action's steps (run in a
simulated runner whose working directory is the repository, as on GitHub), the console script
and `python -I -m baseline`; and the Action's outputs name only what this run wrote.

The repository plants modules under the names a step could import from its working directory
(`json.py`, `pip/`, `venv/`, `baseline/`, ...); each writes a marker file (outside the
repository) when imported, and the planted `baseline/ci/github_action.py` also forges a passing
summary and `exit-code=0`, as the reported attack did.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from github_sim import TOOL_DIR, ActionRun, Simulator
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from support import EXAMPLES

from .doc_table import Observations, Row
from .harness import ROOT

SECTION = "Entry points"
INSTALL = "Install ssdf-baseline"
KEY = "Key of the tool's environment"
SETUP = (INSTALL, KEY)  # the install and its cache key: the test virtualenv stands for both
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
LOCK = ROOT / "action" / "requirements.lock"
FORGED = "All 42 tasks pass. Policy met"
# Python versions the lock is generated for (action/README.md): 3.11 and later.
LOCKED_PYTHONS = ("3.11", "3.12", "3.13", "3.14")

_MARK = "import pathlib as _p; _p.Path({folder!r}, {name!r}).write_text('ran')\n"
_FORGE = """import os
with open(os.environ["GITHUB_STEP_SUMMARY"], "a") as f:
    f.write({forged!r} + "\\n")
with open(os.environ["GITHUB_OUTPUT"], "a") as f:
    f.write("exit-code=0\\nreport-dir=baseline-report\\n")
"""
# Module files a step could import from its working directory, by marker name.
PLANTED = {
    "json": "json.py",
    "yaml": "yaml.py",
    "jinja2": "jinja2.py",
    "sitecustomize": "sitecustomize.py",
    "usercustomize": "usercustomize.py",
    "pip": "pip/__init__.py",
    "pip.__main__": "pip/__main__.py",
    "venv": "venv/__init__.py",
    "venv.__main__": "venv/__main__.py",
    "ensurepip": "ensurepip/__init__.py",
    "ensurepip.__main__": "ensurepip/__main__.py",
    "baseline": "baseline/__init__.py",
    "baseline.__main__": "baseline/__main__.py",
    "baseline.ci": "baseline/ci/__init__.py",
    "baseline.ci.github_action": "baseline/ci/github_action.py",
}


def plant(root: Path, markers: Path) -> None:
    """Write every planted module into `root`; each leaves `markers/<name>` when imported."""
    markers.mkdir(exist_ok=True)
    for name, relative in PLANTED.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        body = _MARK.format(folder=str(markers), name=name)
        if name == "baseline.ci.github_action":
            body += _FORGE.format(forged=FORGED)
        path.write_text(body, encoding="utf-8")


def ran(markers: Path) -> list[str]:
    """Names of the planted modules that were imported."""
    return sorted(p.name for p in markers.iterdir())


def _simulator(base: Path, with_app: bool, planted: bool = True) -> tuple[Simulator, Path]:
    workspace, scratch, markers = base / "workspace", base / "runner", base / "markers"
    if with_app:
        shutil.copytree(EXAMPLES / "insecure-app", workspace)
    else:
        workspace.mkdir()
    scratch.mkdir()
    markers.mkdir()
    if planted:
        plant(workspace, markers)
    return Simulator(ROOT, workspace, scratch), markers


def _step_log(run: ActionRun) -> str:
    return "\n".join(f"[{s.name}] exit {s.exit_code}\n{s.stdout}\n{s.stderr}" for s in run.steps)


def install_row(base: Path) -> Row:
    """The real install step, offline: it must not import the repository's `pip/` or `venv/`."""
    sim, markers = _simulator(base, with_app=False)
    skip = tuple(s["name"] for s in ACTION["runs"]["steps"] if s.get("name") != INSTALL)
    # No index is reachable: the locked install stops at its first requirement, after the
    # virtualenv is made and its pip has started.
    run = sim.run({}, skip=skip, extra_env={"PIP_NO_INDEX": "1"})
    assert ran(markers) == [], _step_log(run)
    [step] = run.steps
    first = Requirement(next(iter(_lock_entries()))).name
    assert step.exit_code != 0 and first in step.stderr, _step_log(run)
    assert (sim.scratch / TOOL_DIR / "pyvenv.cfg").is_file()  # the tool's own virtualenv
    return Row(SECTION, "action-install-step",
               "Action install step run in a repository holding `pip/`, `venv/`, `ensurepip/`, "
               "`sitecustomize.py`, `json.py`",
               "none imported: `python -I -m venv` makes a private virtualenv under RUNNER_TEMP, "
               "its pip runs with `-I` and installs only hash-pinned requirements")  # fmt: skip


def assess_row(base: Path) -> Row:
    """The Assess and policy steps on the insecure example with the planted modules."""
    sim, markers = _simulator(base, with_app=True)
    run = sim.run({}, skip=SETUP, preinstalled=Path(sys.prefix))
    log = _step_log(run)
    assert ran(markers) == [], log
    out = run.outputs["assess"]
    assert out["exit-code"] == "1" and run.exit_code == 1, log
    assert FORGED not in run.summary and "RV.1.3" in run.summary, run.summary
    assert run.summary.rstrip().endswith("): not met; exit code 1."), run.summary
    assert out["report-dir"] == "baseline-report" and int(out["fail"]) > 0
    assert (sim.workspace / out["json"]).is_file()
    return Row(SECTION, "action-assess-step",
               "Action run in a repository holding `baseline/` (forging a passing summary and "
               "`exit-code=0`), `json.py`, `yaml.py`, `jinja2.py`, `sitecustomize.py`",
               "none imported: the step runs the tool's virtualenv with `python -I`; the "
               "summary and `exit-code=1` come from the real assessment")  # fmt: skip


def console_row(base: Path) -> Row:
    """The console script and `python -I -m baseline` inside a tree holding `baseline/`."""
    tree, markers = base / "tree", base / "markers"
    tree.mkdir()
    plant(tree, markers)
    scripts = Path(sys.executable).parent
    env = {"PATH": f"{scripts}:/usr/bin:/bin", "HOME": str(base)}

    def version(*argv: str) -> str:
        done = subprocess.run(argv, cwd=tree, env=env, capture_output=True, text=True,
                              timeout=60, check=False)  # fmt: skip
        return done.stdout + done.stderr

    assert version(str(scripts / "baseline"), "--version").startswith("ssdf-baseline ")
    assert version(sys.executable, "-I", "-m", "baseline", "--version").startswith("ssdf-")
    assert ran(markers) == []
    # What the README warns about: plain `python -m` puts the working directory first.
    version(sys.executable, "-m", "baseline", "--version")
    assert "baseline" in ran(markers)
    return Row(SECTION, "cli-in-planted-tree",
               "`baseline --version` and `python -I -m baseline --version` run inside a tree "
               "holding `baseline/__init__.py`",
               "the installed tool runs, the tree's package is not imported; plain `python -m "
               "baseline` would import it (documented: use the console script or `-I`)")  # fmt: skip


def stale_report_row(base: Path) -> Row:
    """After a run that stops with exit 2, the outputs name no report, old ones neither."""
    sim, markers = _simulator(base, with_app=False, planted=False)
    stale = sim.workspace / "baseline-report"
    stale.mkdir()
    (stale / "assessment.json").write_text('{"summary": {"fail": 0}}\n', encoding="utf-8")
    (stale / "report.md").write_text(f"{FORGED}\n", encoding="utf-8")
    run = sim.run({"catalog": "no-such-catalog"}, skip=SETUP, preinstalled=Path(sys.prefix))
    out = run.outputs["assess"]
    assert run.exit_code == 2 and out["exit-code"] == "2", _step_log(run)
    assert {k: out[k] for k in ("report-dir", "json", "markdown", "bundle")} == dict.fromkeys(
        ("report-dir", "json", "markdown", "bundle"), ""
    ), out
    assert FORGED not in run.summary and ran(markers) == []
    return Row(SECTION, "action-stale-reports",
               "Action run that exits 2 (unknown catalog) over a `baseline-report/` left by an "
               "earlier run",
               "`report-dir`, `json`, `markdown` and `bundle` outputs empty: nothing points at "
               "the old files")  # fmt: skip


CASES = {
    "action-install-step": install_row,
    "action-assess-step": assess_row,
    "cli-in-planted-tree": console_row,
    "action-stale-reports": stale_report_row,
}


def all_rows(factory: pytest.TempPathFactory, observations: Observations) -> list[Row]:
    """Every row of this section (computed once per session)."""
    return [
        observations.get(SECTION, case, lambda fn=fn, case=case: fn(factory.mktemp(case)))
        for case, fn in CASES.items()
    ]


@pytest.mark.parametrize("case", list(CASES))
def test_entry_point(
    case: str, tmp_path_factory: pytest.TempPathFactory, observations: Observations
) -> None:
    fn = CASES[case]
    observations.get(SECTION, case, lambda: fn(tmp_path_factory.mktemp(case)))


# Every documented or scripted way of starting Python: `python -m X`, `python3 -m X`, or a
# `.../bin/python -m X`. Each must be isolated (`-I`), since it may run inside a repository;
# only the developers' `python -m pytest`, run in this project's own checkout, is exempt.
_PYTHON_M = re.compile(
    r"(?<![\w/-])(?:\S*/)?python3?(?:\.\d+)?\"?((?:\s+-[A-Za-z]+)*)\s+-m\s+([\w.]+)"
)
DOCUMENTED = ("action.yml", "README.md", "docs/*.md", "examples/workflows/*.yml")


def test_every_documented_python_m_is_isolated() -> None:
    found = []
    for pattern in DOCUMENTED:
        for path in sorted(ROOT.glob(pattern)):
            if path.name == "hostile-inputs.md":  # generated; quotes test commands
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                found.extend(
                    f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
                    for match in _PYTHON_M.finditer(line)
                    if "I" not in match.group(1)
                    and match.group(2) != "pytest"
                    and not line[: match.start()].endswith("plain `")  # README's warning
                )
    assert found == []
    runs = [s.get("run", "") for s in ACTION["runs"]["steps"]]
    assert sum(len(_PYTHON_M.findall(run)) for run in runs) >= 3  # venv, pip, the assessment


def _lock_entries() -> dict[str, list[str]]:
    """Each locked requirement (name==version ; marker) with its hashes, from the lock file."""
    text = re.sub(r"\\\n", " ", LOCK.read_text(encoding="utf-8"))
    entries = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            requirement, *options = line.split(" --hash=")
            entries[requirement.strip()] = [option.strip() for option in options]
    return entries


def test_the_action_installs_only_hash_pinned_requirements() -> None:
    entries = _lock_entries()
    assert entries, LOCK
    for requirement, hashes in entries.items():
        parsed = Requirement(requirement)
        assert re.fullmatch(r"==[\w.+!-]+", str(parsed.specifier)), requirement
        assert hashes and all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), requirement
    locked = {canonicalize_name(Requirement(r).name) for r in entries}
    pyproject = __import__("tomllib" if sys.version_info >= (3, 11) else "tomli")
    project = pyproject.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    needed = {
        canonicalize_name(parsed.name)
        for text in [*project["project"]["dependencies"], *project["build-system"]["requires"]]
        if (parsed := Requirement(text)).marker is None
        or any(parsed.marker.evaluate({"python_version": v}) for v in LOCKED_PYTHONS)
    }
    assert needed - locked == set(), "regenerate action/requirements.lock (action/README.md)"
    install = next(s for s in ACTION["runs"]["steps"] if s.get("name") == INSTALL)["run"]
    pip_lines = [line for line in install.splitlines() if '"${pip[@]}" install' in line]
    assert [line.strip() for line in pip_lines] == [
        '"${pip[@]}" install --require-hashes --no-deps -r '
        '"$GITHUB_ACTION_PATH/action/requirements.lock"',
        '"${pip[@]}" install --no-deps --no-build-isolation "$GITHUB_ACTION_PATH"',
        # sign-keyless only: the sigstore extra (action/sigstore.lock, hash-pinned too)
        '"${pip[@]}" install --require-hashes --no-deps -r '
        '"$GITHUB_ACTION_PATH/action/sigstore.lock"',
    ]
