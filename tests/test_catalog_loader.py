"""The catalog loader: every mistake reported at once, located, exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import EXAMPLES

from baseline.catalog.loader import load_catalog
from baseline.catalog.locate import KeyLines
from baseline.errors import InputError

BAD_CATALOG = """\
[catalog]
id = "broken"
title = "A catalog with many mistakes"
version = "1"
status = "final"
crosswalks = ["my-form"]
colour = "blue"

[[groups]]
id = "PO"
title = "Prepare"

[[practices]]
id = "PO.1"
group = "PO"
title = "Requirements"

[[practices]]
id = "PO.2"
group = "XX"
title = "Roles"

[[controls]]
id = "PO.1.1"
practice = "PO.1"
title = "First"
summary = "A task."
attestation = "required"
remediation = "Do it."

[[controls.checks]]
id = "repo.has_licence"

[[controls]]
id = "PO.1.1"
practice = "PO.1"
title = "Duplicate"
summary = "Same id again."
attestation = "required"
remediation = "Do it."

[[controls]]
id = "PO.1.2"
practice = "PO.9"
title = "Bad practice and no summary"
attestation = "sometimes"
remediation = 42

[[controls]]
id = "PO.1.3"
practice = "PO.1"
title = "Bad parameter"
summary = "A task."
attestation = "optional"
remediation = "Do it."

[[controls.checks]]
id = "repo.has_test_suite"
params = { max_listd = 5 }
"""

BAD_CROSSWALK = """\
[crosswalk]
id = "my-form"
title = "Form"
catalog = "broken"

[[items]]
id = "1"
title = "Item"
tasks = ["PO.1.1", "PO.7.7"]
"""


def _problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_catalog(path)
    return [str(p) for p in caught.value.problems]


def test_every_mistake_is_reported_with_location(tmp_path: Path, run_cli) -> None:
    catalog = tmp_path / "broken.toml"
    catalog.write_text(BAD_CATALOG)
    (tmp_path / "my-form.toml").write_text(BAD_CROSSWALK)
    name = str(catalog)
    expected = [
        f"{name}:7: catalog.colour: unknown key",
        f"{name}:20: practice PO.2.group: no group 'XX'",
        f"{name}:32: control PO.1.1.checks[0].id: check 'repo.has_licence' is not a known check (did you mean 'repo.has_license'?)",
        f"{name}:35: control PO.1.1.id: duplicate control id 'PO.1.1'",
        f"{name}:42: control PO.1.2.summary: is required but missing",
        f"{name}:46: control PO.1.2.attestation: must be one of 'required', 'optional', 'none', not 'sometimes'",
        f"{name}:47: control PO.1.2.remediation: must be a string, not 42",
        f"{name}:59: control PO.1.3.checks[0].params.max_listd: check 'repo.has_test_suite' has no parameter 'max_listd' (did you mean 'max_listed'?)",
        f"{tmp_path / 'my-form.toml'}:9: item 1.tasks: no task 'PO.7.7' in the catalog",
    ]  # fmt: skip
    problems = _problems(catalog)
    for line in expected:
        assert any(p.startswith(line) for p in problems), (line, problems)
    assert any("no practice 'PO.9'" in p for p in problems)

    code, _, err = run_cli("catalog", "validate", name)
    assert code == 2
    assert "Traceback" not in err
    assert err.count(name) >= len(expected) - 1
    assert f"{len(problems)} problems found" in err


def test_syntax_error_names_the_line(tmp_path: Path, run_cli) -> None:
    bad = tmp_path / "syntax.toml"
    bad.write_text('[catalog]\nid = "x"\nid = "again"\n')
    problems = _problems(bad)
    assert len(problems) == 1 and problems[0].startswith(f"{bad}:3: invalid TOML")
    assert run_cli("catalog", "validate", str(bad))[0] == 2


def test_extension_cycle_is_reported(tmp_path: Path) -> None:
    header = '[catalog]\nid = "{0}"\ntitle = "t"\nversion = "1"\nstatus = "final"\nextends = "{1}.toml"\n'
    (tmp_path / "a.toml").write_text(header.format("a", "b"))
    (tmp_path / "b.toml").write_text(header.format("b", "a"))
    problems = _problems(tmp_path / "a.toml")
    assert any("extension cycle" in p and "a.toml -> " in p for p in problems), problems


def test_unknown_catalog_reference(run_cli) -> None:
    code, _, err = run_cli("catalog", "show", "ssdf-9.9")
    assert code == 2 and "built-in: ssdf-1.1, ssdf-1.2-draft" in err


def test_example_extension_catalog() -> None:
    catalog = load_catalog(EXAMPLES / "acme-catalog.toml")
    assert catalog.id == "acme-ssdf" and len(catalog.controls) == 43
    assert catalog.control("PO.1.3").not_applicable
    tests = next(s for s in catalog.control("PW.8.2").checks if s.check == "repo.has_test_suite")
    assert tests.params == {"max_listed": 50}
    assert catalog.control("ACME.1.1").group == "ACME"
    assert catalog.crosswalk("cisa-common-form") is not None
    base = load_catalog("ssdf-1.1")
    assert catalog.digest != base.digest


def test_extension_mistakes_are_located(tmp_path: Path) -> None:
    user = tmp_path / "user.toml"
    user.write_text(
        '[catalog]\nid = "u"\ntitle = "t"\nversion = "1"\nstatus = "final"\nextends = "ssdf-1.1"\n\n'
        '[[not_applicable]]\ncontrol = "PO.9.9"\nreason = "x"\n\n'
        '[[params]]\ncontrol = "RV.1.3"\ncheck = "repo.has_license"\nparams = {}\n'
    )
    problems = _problems(user)
    assert any(
        p.startswith(f"{user}:9: not_applicable[0].control: no control 'PO.9.9'") for p in problems
    )
    assert any(
        p.startswith(f"{user}:14: params[0].check: control RV.1.3 has no check") for p in problems
    )


def test_key_lines_follow_nested_arrays() -> None:
    lines = KeyLines(BAD_CATALOG)
    assert lines.line(("catalog", "colour")) == 7
    assert lines.line(("controls", 0, "checks", 0, "id")) == 32
    assert lines.line(("controls", 3, "checks", 0, "params", "max_listd")) == 59
    assert lines.line(("controls", 2, "nothing")) == 42
