"""The wheel carries the catalogs and templates and works from a non-editable install."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from support import ROOT


@pytest.mark.slow
def test_wheel_contains_data_and_loads_installed(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        check=True, capture_output=True,
    )  # fmt: skip
    wheel = next(dist.glob("ssdf_baseline-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "baseline/_data/controls/ssdf-1.1.toml",
        "baseline/_data/controls/ssdf-1.2-draft.toml",
        "baseline/_data/controls/cisa-common-form.toml",
        "baseline/schemas/assessment.schema.json",
    ):
        assert expected in names, expected
    assert any(n.startswith("baseline/_data/templates/") for n in names)

    # A venv that sees the system's dependencies but gets this package only from the wheel.
    env_dir = tmp_path / "venv"
    venv.create(env_dir, system_site_packages=True, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "--no-deps", "--quiet", str(wheel)], check=True)
    probe = (
        "import baseline, baseline.resources as r; from baseline.catalog.loader import load_catalog;"
        "c = load_catalog('ssdf-1.1'); print(baseline.__file__); print(r.controls_dir()); print(len(c.controls))"
    )
    done = subprocess.run(
        [python, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    module, controls, count = done.stdout.split()
    assert str(env_dir) in module and str(ROOT) not in module
    assert controls.endswith("baseline/_data/controls") and str(env_dir) in controls
    assert count == "42"
    cli = env_dir / "bin" / "baseline"
    shown = subprocess.run([cli, "catalog", "show", "ssdf-1.2-draft", "--format", "json"],
                           cwd=tmp_path, capture_output=True, text=True, check=True)  # fmt: skip
    assert '"PS.4.4"' in shown.stdout
