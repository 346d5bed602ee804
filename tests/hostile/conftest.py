"""Fixtures of the hostile-input suite: the hostile tree and its one full run, observations."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from baseline import toolrun

from .builders import HTML_PAYLOAD, build_tree, remove_tree
from .doc_table import Observations
from .harness import Run, assess, environment


@dataclass
class HostileTree:
    """The generated hostile repository, what lies beside it, and the full run over it."""

    root: Path
    outside: Path
    run: Run

    @property
    def markers(self) -> list[str]:
        """Marker files left by repository code that was executed (must stay empty)."""
        folder = self.outside / "markers"
        return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture(scope="session")
def observations() -> Observations:
    """The docs table's rows, shared by every test of the session."""
    return Observations()


@pytest.fixture(scope="session")
def hostile_tree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileTree]:
    """Build the hostile tree once and run the full `baseline assess` (every check, every
    format) over it, from a neutral working folder."""
    base = tmp_path_factory.mktemp("hostile")
    # The repository's own folder name is hostile too: it reaches every report as the target.
    root, outside = base / f"repo {HTML_PAYLOAD}", base / "outside"
    build_tree(root, outside)
    work = base / "cwd"
    work.mkdir()
    run = assess(root, base / "out", "--format", "all", env=environment(), cwd=work)
    yield HostileTree(root, outside, run)
    remove_tree(root)  # pytest's own clean-up recurses and fails on the deepest folders


@pytest.fixture(scope="session")
def validator(assessment_validator: Any) -> Any:
    """The assessment.json schema validator (session-scoped alias)."""
    return assessment_validator


@pytest.fixture
def fresh_tool_versions() -> Iterator[None]:
    """Forget cached tool versions before and after a test that fakes tools on PATH."""
    toolrun.tool_version.cache_clear()
    yield
    toolrun.tool_version.cache_clear()
