"""Property-based tests: the catalog loader, the status rule, and (when present) project config.

Invariants: a loader returns a value or raises InputError with located problems, never another
exception; no `pass` without a passing check; `waived` only with a failing check and an
unexpired waiver; the same input gives the same output.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baseline.catalog.loader import load_catalog
from baseline.cli import main
from baseline.errors import InputError
from baseline.evaluate import attestation_problems, evaluate
from baseline.models import (
    Attestation,
    AttestationLevel,
    Catalog,
    CheckOutcome,
    CheckSpec,
    Control,
    ControlStatus,
    Evidence,
    EvidenceFile,
    Waiver,
)

from .harness import ROOT, TINY_CATALOG, reads_project_config

SETTINGS = settings(
    max_examples=60, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)  # fmt: skip

# --- the catalog loader ----------------------------------------------------------------------

SEED = (ROOT / "examples" / "acme-catalog.toml").read_text(encoding="utf-8")
STANDALONE = TINY_CATALOG
TOKENS = (
    "[", "]", "[[", "]]", "{", "}", '"', "'", '"""', "=", " = ", ",", ".", "#", "\n", "\\",
    "[[controls]]", "[[controls.checks]]", "[[groups]]", "[[practices]]", "[[params]]",
    "[[not_applicable]]", "[catalog]", 'id = "PO.1.1"', "id = 1", 'extends = "ssdf-1.1"',
    'extends = "missing.toml"', 'extends = "/dev/zero"', 'control = "PW.8.2"',
    'check = "repo.has_test_suite"', "params = { max_listed = -1 }", "params = { nope = [] }",
    'reason = ""', "1979-05-27T07:32:00Z", "inf", "nan", "true", "-0", "0x1F", "\x00", "\ufeff",
    "\udcff", "[" * 600, "{a = " * 400, "a." * 300 + "b = 1",
)  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn, seed: str) -> str:
    """A seed document after a few random edits."""
    lines = seed.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["delete", "duplicate", "insert", "replace", "truncate", "swap"]))
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        if op == "delete" and lines:
            del lines[at]
        elif op == "duplicate" and lines:
            lines.insert(at, lines[at])
        elif op == "insert":
            lines.insert(at, draw(st.sampled_from(TOKENS)) + draw(st.sampled_from(["", "\n"])))
        elif op == "replace" and lines:
            line = lines[at]
            col = draw(st.integers(0, len(line)))
            lines[at] = line[:col] + draw(st.sampled_from(TOKENS)) + line[col + 1 :]
        elif op == "truncate":
            lines = lines[:at]
        elif op == "swap" and len(lines) > 1:
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
    return "".join(lines)


def _load(text: str) -> Catalog | InputError:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "catalog.toml"
        path.write_bytes(text.encode("utf-8", "surrogateescape"))
        try:
            return load_catalog(path)
        except InputError as exc:
            assert exc.problems, "an InputError must list its problems"
            for problem in exc.problems:
                assert problem.file.endswith("catalog.toml") or problem.file.startswith(
                    ("controls/", "missing", "/dev/zero")
                ), problem
                assert problem.message, problem
                assert problem.line is None or problem.line >= 1, problem
            exc.problems = [p.__class__(Path(p.file).name, p.line, p.key, p.message)
                            for p in exc.problems]  # fmt: skip
            return exc


def _same(first: Catalog | InputError, second: Catalog | InputError) -> bool:
    if isinstance(first, InputError) and isinstance(second, InputError):
        return first.problems == second.problems
    return first == second


documents = st.one_of(
    mutated(SEED),
    mutated(STANDALONE),
    st.lists(st.sampled_from(TOKENS), max_size=40).map("".join),
    st.text(max_size=300),
)


@SETTINGS
@given(documents)
def test_catalog_loader_returns_a_catalog_or_located_problems(text: str) -> None:
    first = _load(text)
    assert isinstance(first, (Catalog, InputError))
    assert _same(first, _load(text)), "the same document must give the same answer"


def test_the_seeds_are_valid() -> None:
    assert isinstance(_load(SEED), Catalog) and isinstance(_load(STANDALONE), Catalog)


# --- the status rule -------------------------------------------------------------------------

TODAY = dt.date(2026, 6, 1)
days = st.integers(-400, 400).map(lambda n: TODAY + dt.timedelta(days=n))
digest = st.sampled_from(["ab" * 32, "cd" * 32])


@st.composite
def controls(draw: st.DrawFn) -> Control:
    names = draw(st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=4, unique=True))
    return Control(
        id="PW.7.2", title="t", summary="s", group="PW", practice="PW.7",
        attestation=draw(st.sampled_from(list(AttestationLevel))), remediation="r",
        checks=tuple(CheckSpec(n) for n in names),
        not_applicable=draw(st.one_of(st.none(), st.just("out of scope"))),
    )  # fmt: skip


attestations = st.builds(
    Attestation,
    control=st.just("PW.7.2"), statement=st.just("s"), by=st.just("CISO"), date=days,
    expires=st.one_of(st.none(), days),
    evidence_files=st.lists(
        st.builds(EvidenceFile, path=st.just("docs/x.md"),
                  declared_sha256=st.one_of(st.none(), digest),
                  actual_sha256=st.one_of(st.none(), digest)), max_size=2,
    ).map(tuple),
    urls=st.lists(st.just("https://example.org/x"), max_size=1).map(tuple),
)  # fmt: skip
waivers = st.builds(
    Waiver, control=st.just("PW.7.2"), reason=st.just("r"), mitigation=st.just("m"),
    owner=st.just("o"), approver=st.just("a"), expires=days,
)  # fmt: skip


@SETTINGS
@given(
    controls(),
    st.data(),
    st.one_of(st.none(), attestations),
    st.one_of(st.none(), waivers),
)
def test_status_rule_invariants(control, data, attestation, waiver) -> None:  # type: ignore[no-untyped-def]
    outcomes = [data.draw(st.sampled_from(list(CheckOutcome))) for _ in control.checks]
    evidence = [
        Evidence(s.check, o, o.value) for s, o in zip(control.checks, outcomes, strict=True)
    ]
    result = evaluate(control, evidence, attestation, waiver, TODAY)
    status = result.status
    kinds = set(outcomes)

    assert (status is ControlStatus.NOT_APPLICABLE) == (control.not_applicable is not None)
    if status is ControlStatus.PASS:
        assert CheckOutcome.PASS in kinds and kinds <= {
            CheckOutcome.PASS,
            CheckOutcome.NOT_APPLICABLE,
        }
    if status is ControlStatus.WAIVED:
        assert CheckOutcome.FAIL in kinds and waiver is not None and waiver.expires >= TODAY
    if status is ControlStatus.ATTESTED:
        assert attestation is not None and not attestation_problems(attestation, TODAY)
    if status is ControlStatus.ERROR:
        assert CheckOutcome.ERROR in kinds
    if control.not_applicable is None and CheckOutcome.FAIL in kinds:
        assert status in (ControlStatus.FAIL, ControlStatus.WAIVED)
    if not control.checks:
        assert status in (ControlStatus.ATTESTED, ControlStatus.NEEDS_REVIEW,
                          ControlStatus.NOT_APPLICABLE)  # fmt: skip
    # The same input gives the same output; the order checks finish in does not matter.
    assert evaluate(control, evidence, attestation, waiver, TODAY) == result
    shuffled = data.draw(st.permutations(evidence))
    assert evaluate(control, shuffled, attestation, waiver, TODAY).status is status


# --- project config and attestations (once baseline.config exists) ----------------------------

CONFIG_SEED = """excludes = ["vendor/**"]

[[not_applicable]]
control = "PO.1.1"
reason = "Out of scope for this product."

[[attestations]]
control = "PO.1.1"
statement = "Security requirements are written down and reviewed yearly."
by = "CISO"
date = 2026-01-01
expires = 2027-01-01
evidence = ["docs/requirements.md"]

[[waivers]]
control = "PO.1.1"
reason = "legacy"
mitigation = "WAF"
owner = "owner"
approver = "approver"
expires = 2026-12-31
"""


def _assess_with_config(text: str) -> int:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        (base / "catalog.toml").write_text(STANDALONE, encoding="utf-8")
        target = base / "repo"
        (target / "docs").mkdir(parents=True)
        (target / "docs" / "requirements.md").write_text("# Requirements\n", encoding="utf-8")
        (target / ".baseline.toml").write_bytes(text.encode("utf-8", "surrogateescape"))
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["assess", str(target), "--out", str(base / "out"), "--quiet",
                         "--format", "json", "--catalog", str(base / "catalog.toml")])  # fmt: skip
        assert code in (0, 1, 2), err.getvalue()
        if code == 2:
            assert ".baseline.toml" in err.getvalue() or "catalog" in err.getvalue(), err.getvalue()
        return code


@SETTINGS
@given(st.one_of(mutated(CONFIG_SEED), st.text(max_size=200)))
def test_config_and_attestation_loading_never_crashes(text: str) -> None:
    if not reads_project_config():
        pytest.skip("`baseline assess` does not read a project config on this branch yet")
    assert _assess_with_config(text) == _assess_with_config(text)
