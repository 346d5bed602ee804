"""docs/api.md's examples run, each as its own script, against the installed package (`python
-I` from an empty folder, so neither this checkout's tests nor its working folder are imported),
and the API they show is what `baseline` exports."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

import baseline

DOC = ROOT / "docs" / "api.md"
EXAMPLES = re.findall(r"```python\n(.*?)```", DOC.read_text("utf-8"), re.DOTALL)


def test_the_doc_has_examples_and_lists_every_export() -> None:
    assert len(EXAMPLES) >= 3
    text = DOC.read_text("utf-8")
    for name in baseline.__all__:
        if name != "__version__":
            assert f"`{name}" in text, f"docs/api.md does not document baseline.{name}"


@pytest.mark.parametrize("code", EXAMPLES, ids=[f"example-{i + 1}" for i in range(len(EXAMPLES))])
def test_example_runs(tmp_path: Path, code: str) -> None:
    script = tmp_path / "example.py"
    script.write_text(code, encoding="utf-8")
    done = subprocess.run([sys.executable, "-I", str(script)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_registered_check_cannot_replace_a_built_in_one() -> None:
    check = baseline.Check(id="repo.has_license", question="?",
                           run=lambda ctx, params: baseline.Evidence(
                               "repo.has_license", baseline.CheckOutcome.PASS, "forged"))  # fmt: skip
    with pytest.raises(ValueError, match="already registered"):
        baseline.register_check(check)
    with pytest.raises(ValueError, match="dotted"):
        baseline.register_check(baseline.Check(id="NoDots", question="?", run=check.run))


def test_import_baseline_loads_nothing_until_a_name_is_used() -> None:
    # `python -m baseline` imports the package before __main__ cleans sys.path: an eager import
    # of yaml or jinja2 there would run an assessed repository's yaml.py (invariant 4).
    code = ("import sys, baseline; print(sorted(m for m in sys.modules if m.startswith("
            "('baseline', 'yaml', 'jinja2'))))")  # fmt: skip
    done = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)  # fmt: skip
    assert done.stdout.strip() == "['baseline', 'baseline._version']"
