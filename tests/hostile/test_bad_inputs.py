"""Broken catalogs and project config: exit 2 with a located message, never a traceback."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .builders import write
from .doc_table import Observations, Row
from .harness import assess, environment, reads_project_config

CATALOGS = "Bad catalogs"
CONFIGS = "Bad project config"
_HEAD = '[catalog]\nid = "bad"\ntitle = "bad"\nversion = "1"\nstatus = "draft"\n'


@dataclass(frozen=True)
class BadFile:
    """A broken input file and the line its error must point at (None: file only)."""

    id: str
    input: str
    name: str
    content: bytes
    line: int | None


def _text(text: str) -> bytes:
    return text.encode("utf-8")


BAD_CATALOGS = (
    BadFile("duplicate-key", "a key given twice in one table", "dup.toml",
            _text(_HEAD + 'extends = "ssdf-1.1"\nid = "again"\n'), 7),
    BadFile("duplicate-table", "the same [table] header twice", "duptable.toml",
            _text(_HEAD + '\n[catalog]\nextends = "ssdf-1.1"\n'), 7),
    BadFile("deep-arrays", "an array nested 5000 levels deep", "deep.toml",
            _text(_HEAD + "\n[[groups]]\nid = " + "[" * 5000 + "]" * 5000 + "\n"), 8),
    BadFile("deep-inline-tables", "inline tables nested 3000 levels deep", "deepinline.toml",
            _text(_HEAD + "x = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n"), 6),
    BadFile("deep-dotted-key", "a dotted key 3000 levels deep", "dotted.toml",
            _text(_HEAD + ".".join(["k"] * 3000) + " = 1\n"), None),
    BadFile("deep-params", "check params as a table nested 200 levels deep", "params.toml",
            _text(_HEAD + 'extends = "ssdf-1.1"\n\n[[params]]\ncontrol = "PW.8.2"\n'
                  'check = "repo.has_test_suite"\nparams = { max_listed = '
                  + "{a = " * 200 + "1" + "}" * 200 + " }\n"), 11),
    BadFile("binary", "random binary bytes", "binary.toml", bytes(range(256)) * 8, 1),
    BadFile("utf16", "a UTF-16 file with a byte-order mark", "utf16.toml",
            _HEAD.encode("utf-16"), 1),
    BadFile("extends-itself", "a catalog that extends itself", "self.toml",
            _text(_HEAD + 'extends = "self.toml"\n'), None),
    BadFile("extends-device", "`extends` naming /dev/zero", "device.toml",
            _text(_HEAD + 'extends = "/dev/zero"\n'), 6),
    BadFile("unknown-check", "a control naming a check that does not exist", "unknown.toml",
            _text(_HEAD + 'extends = "ssdf-1.1"\n\n[[params]]\ncontrol = "PW.8.2"\n'
                  'check = "repo.has_tests"\nparams = {}\n'), 10),
)  # fmt: skip


def _located(stderr: str, name: str, line: int | None) -> str:
    """The first problem line of the message, checked to name the file (and line)."""
    assert "Traceback" not in stderr, stderr
    problems = [ln.strip() for ln in stderr.splitlines() if name in ln]
    assert problems, stderr
    if line is not None:
        assert any(f"{name}:{line}" in p for p in problems), (line, stderr)
    return problems[0]


def _short(problem: str, folder: Path) -> str:
    text = problem.replace(f"{folder}/", "")
    # tomllib's wording differs between Python versions; the location is what matters here.
    return re.sub(r"invalid TOML: .*", "invalid TOML (the parser's message)", text)


def catalog_row(case: BadFile, factory: pytest.TempPathFactory) -> Row:
    """`baseline assess --catalog BAD` exits 2 naming the file and line."""
    folder = factory.mktemp(f"catalog-{case.id}")
    write(folder / case.name, case.content)
    target = folder / "repo"
    target.mkdir()
    run = assess(target, folder / "out", "--catalog", str(folder / case.name),
                 env=environment(), cwd=folder)  # fmt: skip
    assert run.code == 2, (run.code, run.stderr)
    assert not (folder / "out").exists()
    problem = _located(run.stderr, case.name, case.line)
    return Row(CATALOGS, case.id, case.input, f"exit 2: `{_short(problem, folder)}`")


@pytest.mark.parametrize("case", BAD_CATALOGS, ids=lambda c: c.id)
def test_bad_catalog(case: BadFile, tmp_path_factory, observations) -> None:
    observations.get(CATALOGS, case.id, lambda: catalog_row(case, tmp_path_factory))


# --- project config (.baseline.toml / pyproject.toml), once baseline.config exists -----------

NO_CONFIG = "`baseline assess` does not read a project config (.baseline.toml) on this branch yet"


@pytest.fixture
def project_config() -> None:
    """Skip unless the run reads `.baseline.toml` (the project config is another issue's)."""
    if not reads_project_config():
        pytest.skip(NO_CONFIG)


OUTSIDE_MARK = "READ-FROM-OUTSIDE-THE-TREE"

BAD_CONFIGS = (
    BadFile("config-duplicate-key", "`.baseline.toml` with a key given twice", ".baseline.toml",
            _text('catalog = "ssdf-1.1"\ncatalog = "ssdf-1.2-draft"\n'), 2),
    BadFile("config-deep-nesting", "`.baseline.toml` with arrays nested 5000 levels deep",
            ".baseline.toml", _text("excludes = " + "[" * 5000 + "]" * 5000 + "\n"), 1),
    BadFile("config-binary", "`.baseline.toml` holding random binary bytes", ".baseline.toml",
            bytes(range(256)) * 8, 1),
    BadFile("config-unknown-key", "`.baseline.toml` with an unknown key", ".baseline.toml",
            _text('catalogue = "ssdf-1.1"\n'), 1),
    BadFile("pyproject-duplicate-key", "`pyproject.toml` whose [tool.baseline] repeats a key",
            "pyproject.toml", _text('[tool.baseline]\ncatalog = "a"\ncatalog = "b"\n'), 3),
    BadFile("pyproject-deep-nesting", "`pyproject.toml` with 5000-level nesting",
            "pyproject.toml", _text("[tool.baseline]\nx = " + "[" * 5000 + "]" * 5000), 2),
)  # fmt: skip


def config_row(case: BadFile, factory: pytest.TempPathFactory, validator: Any) -> Row:
    """A repository with a broken config: exit 2 naming the file, or the config ignored."""
    folder = factory.mktemp(case.id)
    target = folder / "repo"
    write(target / case.name, case.content)
    run = assess(target, folder / "out", env=environment(), cwd=folder)
    assert run.code in (0, 1, 2), (run.code, run.stderr)
    if run.code == 2:
        problem = _located(run.stderr, case.name, case.line)
        return Row(CONFIGS, case.id, case.input, f"exit 2: `{_short(problem, target)}`")
    from .harness import check_run

    check_run(run, validator)
    return Row(CONFIGS, case.id, case.input, f"ignored: completes with exit {run.code}")


def symlinked_config_row(factory: pytest.TempPathFactory, validator: Any) -> Row:
    """A `.baseline.toml` symlinked to a config outside the tree is never read."""
    folder = factory.mktemp("config-symlink")
    outside = folder / "outside.toml"
    outside.write_text(
        f'[[not_applicable]]\ncontrol = "PO.1.1"\nreason = "{OUTSIDE_MARK}"\n', encoding="utf-8"
    )
    target = folder / "repo"
    target.mkdir()
    (target / ".baseline.toml").symlink_to(outside)
    run = assess(target, folder / "out", env=environment(), cwd=folder)
    assert run.code in (0, 1, 2), (run.code, run.stderr)
    assert OUTSIDE_MARK not in run.stdout + run.stderr
    if run.code != 2:
        assert OUTSIDE_MARK not in (folder / "out" / "assessment.json").read_text("utf-8")
    return Row(
        CONFIGS,
        "config-symlink-outside",
        "`.baseline.toml` as a symlink to a config outside the tree",
        f"not read (exit {run.code})",
    )


def all_config_rows(factory: Any, validator: Any, obs: Observations) -> list[Row]:
    """Rows of the config section when config loading exists (for the docs table)."""
    if not reads_project_config():
        return []
    rows = [obs.get(CONFIGS, c.id, lambda c=c: config_row(c, factory, validator))
            for c in BAD_CONFIGS]  # fmt: skip
    rows.append(obs.get(CONFIGS, "config-symlink-outside",
                        lambda: symlinked_config_row(factory, validator)))  # fmt: skip
    return rows


def all_catalog_rows(factory: Any, obs: Observations) -> list[Row]:
    """Rows of the catalog section (for the docs table)."""
    return [obs.get(CATALOGS, c.id, lambda c=c: catalog_row(c, factory)) for c in BAD_CATALOGS]


@pytest.mark.parametrize("case", BAD_CONFIGS, ids=lambda c: c.id)
def test_bad_config(case: BadFile, tmp_path_factory, validator, observations,
                    project_config) -> None:  # fmt: skip
    observations.get(CONFIGS, case.id, lambda: config_row(case, tmp_path_factory, validator))


def test_symlinked_config_is_not_followed(tmp_path_factory, validator, observations,
                                          project_config) -> None:  # fmt: skip
    observations.get(CONFIGS, "config-symlink-outside",
                     lambda: symlinked_config_row(tmp_path_factory, validator))  # fmt: skip
