"""Workflow probes read what steps DO: actions by identity, version and inputs; scripts as shell
commands, followed into Makefile targets, tox envs, nox sessions, package.json scripts and local
composite actions. Every fixture is a small shape written for these tests, modelled on what
real projects do (flask/requests/pip-audit publishing, sigstore-python's `make lint`,
requests' `make ci`, pip's nox sessions)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from support import PROBES, check_evidence

from baseline.models import CheckOutcome, Evidence

SIGN = "ci.release_signs_artifacts"
PROVENANCE = "ci.release_generates_provenance"
SBOM = "ci.release_generates_sbom"
TESTS = "ci.runs_tests"
ANALYSIS = "ci.runs_code_analysis"
SCHEDULED = "ci.scheduled_scans"


def _repo(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "repo"
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    (root / ".github" / "workflows").mkdir(parents=True, exist_ok=True)
    return root


def _run(root: Path, check: str) -> Evidence:
    return check_evidence(root, check)


def _passing(root: Path, check: str) -> Evidence:
    """The evidence of `check` on `root`, which must pass."""
    evidence = _run(root, check)
    assert evidence.outcome is CheckOutcome.PASS, evidence.summary
    return evidence


def _passes(root: Path) -> set[str]:
    return {c for c in PROBES if _run(root, c).outcome is CheckOutcome.PASS}


# The decoy from the issue: every tool is named, installed or echoed, none is run. The
# workflow runs on every trigger that any probe accepts, so only what the steps do decides.
DECOY = """
    name: decoy
    on:
      push:
        branches: [main]
        tags: ["v*"]
      pull_request:
      release:
        types: [published]
      schedule:
        - cron: "0 3 * * 1"
      workflow_dispatch:
    permissions:
      contents: read
    jobs:
      everything:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - name: Install tools
            run: pip install pytest bandit semgrep cyclonedx-bom pip-audit ruff
          - uses: sigstore/cosign-installer@v3
          - uses: anchore/sbom-action/download-syft@v0
          - name: Tools we like
            run: |
              echo "syft slsa-verifier cosign sign pytest bandit semgrep"
              # pytest -q && bandit -r src
              printf '%s\\n' "cosign sign-blob dist/x" > notes.txt
              cosign version
              bandit --version
              pytest --help
              syft version
              slsa-verifier verify-artifact dist/x --provenance-path p.intoto.jsonl
              grep -r "pytest" docs/ || true
          - name: Lint workflows
            uses: zizmorcore/zizmor-action@v0.2.0
          - run: zizmor .github/workflows
          - run: ruff check .
          - name: Tests of the tests only
            run: bandit -r tests
          - uses: pypa/gh-action-pypi-publish@release/v1
            with:
              password: ${{ secrets.PYPI_TOKEN }}
"""


def test_a_workflow_that_mentions_tools_without_running_them_passes_no_probe(
    tmp_path: Path,
) -> None:
    root = _repo(tmp_path, {".github/workflows/decoy.yml": DECOY})
    for check in PROBES:
        evidence = _run(root, check)
        assert evidence.outcome is CheckOutcome.FAIL, (check, evidence.summary)
        assert "1 with fitting triggers" in evidence.summary
        assert "; not counted: .github/workflows/decoy.yml:" in evidence.summary
    tests = _run(root, TESTS).summary
    assert (
        'decoy.yml:19 job everything step "Install tools": `pip install pytest bandit '
        "semgrep cyclonedx-bom pip-audit ruff` mentions pytest without running it"
    ) in tests


FLASK_PUBLISH = """
    name: Publish
    on:
      push:
        tags: ['*']
    permissions: {}
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2
          - run: uv build
      publish-pypi:
        needs: [build]
        runs-on: ubuntu-latest
        permissions:
          id-token: write
        steps:
          - uses: actions/download-artifact@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c # v8.0.1
          - name: Publish
            uses: pypa/gh-action-pypi-publish@ed0c53931b1dc9bd32cbe73a98c7f6766f8a527e # %s
            with:
              packages-dir: "dist/"
%s"""


def _publish(tmp_path: Path, version: str = "v1.13.0", extra: str = "") -> Path:
    text = FLASK_PUBLISH % (version, textwrap.indent(textwrap.dedent(extra), " " * 14))
    return _repo(tmp_path, {".github/workflows/publish.yaml": text})


def test_trusted_publishing_signs_and_attests_provenance(tmp_path: Path) -> None:
    root = _publish(tmp_path)
    assert _passes(root) == {SIGN, PROVENANCE}
    for check in (SIGN, PROVENANCE):
        evidence = _run(root, check)
        assert (
            '.github/workflows/publish.yaml:19 job publish-pypi step "Publish"' in evidence.summary
        )
        assert "v1.13.0" in evidence.summary and "PEP 740" in evidence.summary
        [cited] = [f for f in evidence.findings if f.rule.endswith("-step")]
        assert (cited.path, cited.line) == (".github/workflows/publish.yaml", 19)


@pytest.mark.parametrize(
    ("version", "extra", "signed"),
    [
        ("v1.13.0", "", True),
        ("v1.11.0", "", True),
        ("v1.10.3", "", False),  # attestations were opt-in before v1.11.0
        ("v1.10.3", "attestations: true\n", True),
        ("v1.12.4", "attestations: false\n", False),
        ("v1.12.4", "password: ${{ secrets.PYPI_API_TOKEN }}\n", False),  # no Trusted Publishing
        ("", "", False),  # a SHA pin with no version comment: the default is unknown
        ("", "attestations: true\n", True),
    ],
)
def test_pypi_publish_versions_and_inputs(
    tmp_path: Path, version: str, extra: str, signed: bool
) -> None:
    root = _publish(tmp_path, version, extra)
    for check in (SIGN, PROVENANCE):
        outcome = _run(root, check).outcome
        assert outcome is (CheckOutcome.PASS if signed else CheckOutcome.FAIL), (check, version)


def test_id_token_must_be_granted_to_the_publishing_job(tmp_path: Path) -> None:
    shape = """
        on:
          release:
            types: [published]
        permissions:
          id-token: write
        jobs:
          pypi:
            runs-on: ubuntu-latest
            %s
            steps:
              - uses: pypa/gh-action-pypi-publish@release/v1
    """
    inherited = _repo(tmp_path / "a", {".github/workflows/r.yml": shape % ""})
    assert _run(inherited, SIGN).outcome is CheckOutcome.PASS
    # A job-level permissions block replaces the workflow's: no id-token here.
    replaced = _repo(
        tmp_path / "b", {".github/workflows/r.yml": shape % "permissions:\n  contents: read"}
    )
    assert _run(replaced, SIGN).outcome is CheckOutcome.FAIL


SIGSTORE_MAKEFILE = """
    PY_MODULE := sigstore_app
    VENV ?= .venv

    .PHONY: lint
    lint: $(VENV)/pyvenv.cfg
    \tuv run --locked --dev ruff format --check $(ALL_PY_SRCS)
    \tuv run --locked --dev mypy $(PY_MODULE)
    \tuv run --locked --dev bandit -c pyproject.toml -r $(PY_MODULE)

    .PHONY: test
    test: $(VENV)/pyvenv.cfg
    \t$(TEST_ENV) uv run --locked --dev pytest --cov=$(PY_MODULE) $(T) $(TEST_ARGS)

    .PHONY: tidy
    tidy:
    \tuv run ruff check --fix .
"""
LINT_WORKFLOW = """
    name: Lint
    on:
      push:
        branches: [main]
      pull_request:
    jobs:
      lint:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - name: lint
            run: make %s
"""


def test_make_lint_runs_bandit_on_the_product(tmp_path: Path) -> None:
    root = _repo(
        tmp_path,
        {"Makefile": SIGSTORE_MAKEFILE, ".github/workflows/lint.yml": LINT_WORKFLOW % "lint"},
    )
    evidence = _passing(root, ANALYSIS)
    assert (
        '.github/workflows/lint.yml:11 job lint step "lint": runs `bandit -c '
        "pyproject.toml -r sigstore_app` (via make lint at Makefile:8)"
    ) in evidence.summary
    assert _run(root, TESTS).outcome is CheckOutcome.FAIL  # lint is not the test suite
    # `$(TEST_ENV) uv run ... pytest $(T)`: unknown variables are words, never a program.
    (root / ".github/workflows/lint.yml").write_text(
        textwrap.dedent(LINT_WORKFLOW % "test T=${{ matrix.tests }}")
    )
    tests = _run(root, TESTS)
    assert (
        "runs `pytest --cov=sigstore_app ${{…}} ${TEST_ARGS}` (via make test "
        "T=${{…}} at Makefile:12)"
    ) in tests.summary, tests.summary


def test_make_targets_that_do_not_analyse_the_product(tmp_path: Path) -> None:
    tests_only = SIGSTORE_MAKEFILE.replace("-r $(PY_MODULE)", "-r tests")
    root = _repo(
        tmp_path / "a",
        {"Makefile": tests_only, ".github/workflows/lint.yml": LINT_WORKFLOW % "lint"},
    )
    assert _run(root, ANALYSIS).outcome is CheckOutcome.FAIL
    plain_ruff = _repo(
        tmp_path / "b",
        {"Makefile": SIGSTORE_MAKEFILE, ".github/workflows/lint.yml": LINT_WORKFLOW % "tidy"},
    )
    assert _run(plain_ruff, ANALYSIS).outcome is CheckOutcome.FAIL


@pytest.mark.parametrize(
    ("config", "passes"),
    [
        ('[tool.ruff.lint]\nselect = ["E", "F"]\n', False),
        ('[tool.ruff.lint]\nextend-select = ["S"]\n', True),
        ('[tool.ruff]\nselect = ["E", "S1"]\n', True),
        ('[tool.ruff.lint]\nselect = ["ALL"]\n', True),
    ],
)
def test_ruff_counts_with_the_bandit_rules_selected(
    tmp_path: Path, config: str, passes: bool
) -> None:
    root = _repo(
        tmp_path,
        {
            "Makefile": SIGSTORE_MAKEFILE,
            "pyproject.toml": config,
            ".github/workflows/lint.yml": LINT_WORKFLOW % "tidy",
        },
    )
    evidence = _run(root, ANALYSIS)
    assert evidence.outcome is (CheckOutcome.PASS if passes else CheckOutcome.FAIL)
    if passes:
        assert "runs `ruff check --fix .` with the S (bandit) rules" in evidence.summary


def test_ruff_select_s_on_the_command_line(tmp_path: Path) -> None:
    workflow = LINT_WORKFLOW.replace("make %s", "ruff check --select S,B src")
    root = _repo(tmp_path, {".github/workflows/lint.yml": workflow})
    assert _run(root, ANALYSIS).outcome is CheckOutcome.PASS


REQUESTS_MAKEFILE = """
    .PHONY: docs
    init:
    \tpython -m pip install -r requirements-dev.txt
    test:
    \tpython -m pytest tests

    ci:
    \tpython -m pytest tests --junitxml=report.xml
"""
TESTS_WORKFLOW = """
    name: Tests
    on: [push, pull_request]
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - name: Install dependencies
            run: |
              make
          - name: Run tests
            run: |
              %s
"""


def test_make_ci_runs_pytest(tmp_path: Path) -> None:
    root = _repo(
        tmp_path,
        {
            "Makefile": REQUESTS_MAKEFILE,
            ".github/workflows/run-tests.yml": TESTS_WORKFLOW % "make ci",
        },
    )
    evidence = _passing(root, TESTS)
    assert (
        '.github/workflows/run-tests.yml:11 job build step "Run tests": runs `pytest tests '
        "--junitxml=report.xml` (via make ci at Makefile:8)"
    ) in evidence.summary
    [cited] = [f for f in evidence.findings if f.rule == "runs_tests-step"]
    assert (cited.path, cited.line) == (".github/workflows/run-tests.yml", 11)


def test_make_without_a_test_recipe_runs_no_tests(tmp_path: Path) -> None:
    # `make` alone runs the first target (init: pip install), which tests nothing.
    root = _repo(
        tmp_path,
        {
            "Makefile": REQUESTS_MAKEFILE,
            ".github/workflows/run-tests.yml": TESTS_WORKFLOW % "make init",
        },
    )
    assert _run(root, TESTS).outcome is CheckOutcome.FAIL
    missing = _repo(
        tmp_path / "b", {".github/workflows/run-tests.yml": TESTS_WORKFLOW % "make test"}
    )
    assert _run(missing, TESTS).outcome is CheckOutcome.FAIL  # no Makefile: nothing known


def test_make_prerequisites_and_recursive_make_are_followed(tmp_path: Path) -> None:
    makefile = (
        "check: lint unit\nlint:\n\tflake8 .\nunit:\n\t$(MAKE) -C . pytest-all\n"
        "pytest-all:\n\tcoverage run -m pytest -q\n"
    )
    root = _repo(
        tmp_path, {"Makefile": makefile, ".github/workflows/t.yml": TESTS_WORKFLOW % "make check"}
    )
    evidence = _passing(root, TESTS)
    assert "runs `pytest -q`" in evidence.summary


TOX_INI = """
    [tox]
    envlist = py3{11,12}, lint

    [testenv]
    deps = -r requirements-test.txt
    commands =
        {envpython} -m pytest {posargs:tests}

    [testenv:lint]
    commands = flake8 src
"""


@pytest.mark.parametrize(
    ("command", "passes"),
    [
        ("tox -e py${{ matrix.python }}", True),
        ("tox run", True),
        ("tox -e lint", False),
    ],
)
def test_tox_envs_are_followed(tmp_path: Path, command: str, passes: bool) -> None:
    root = _repo(
        tmp_path, {"tox.ini": TOX_INI, ".github/workflows/t.yml": TESTS_WORKFLOW % command}
    )
    evidence = _run(root, TESTS)
    assert evidence.outcome is (CheckOutcome.PASS if passes else CheckOutcome.FAIL)
    if passes:
        assert "runs `pytest tests` (via tox" in evidence.summary


def test_tox_toml_env_commands(tmp_path: Path) -> None:
    tox_toml = 'env_list = ["py"]\n[env_run_base]\ncommands = [["pytest", "-v"]]\n'
    root = _repo(
        tmp_path, {"tox.toml": tox_toml, ".github/workflows/t.yml": TESTS_WORKFLOW % "uvx tox run"}
    )
    assert "runs `pytest -v`" in _run(root, TESTS).summary


NOXFILE = """
    import nox
    from pathlib import Path

    Path("NOXFILE-WAS-EXECUTED").write_text("marker")

    nox.options.sessions = ["lint"]

    @nox.session(python=["3.9", "3.10", "3.11"])
    def test(session):
        session.install("-r", "tests/requirements.txt")
        session.run("pytest", *session.posargs)

    @nox.session
    def lint(session):
        session.run("pre-commit", "run", "--all-files")
"""


@pytest.mark.parametrize(
    ("command", "passes"),
    [
        ("nox -s test-${{ matrix.python }} -- tests/unit", True),
        ("nox --session test", True),
        ("nox", False),  # the default sessions: lint only
    ],
)
def test_nox_sessions_are_read_not_imported(tmp_path: Path, command: str, passes: bool) -> None:
    root = _repo(
        tmp_path, {"noxfile.py": NOXFILE, ".github/workflows/ci.yml": TESTS_WORKFLOW % command}
    )
    evidence = _run(root, TESTS)
    assert evidence.outcome is (CheckOutcome.PASS if passes else CheckOutcome.FAIL)
    if passes:
        assert "noxfile.py:11 [test]" in evidence.summary
    assert not (root / "NOXFILE-WAS-EXECUTED").exists()
    assert not (tmp_path / "NOXFILE-WAS-EXECUTED").exists()


@pytest.mark.parametrize(
    ("script", "passes"),
    [
        ('"jest --coverage"', True),
        ('"echo \\"Error: no test specified\\" && exit 1"', False),
    ],
)
def test_npm_test_reads_package_json(tmp_path: Path, script: str, passes: bool) -> None:
    package = '{\n  "name": "x",\n  "scripts": {\n    "test": ' + script + "\n  }\n}\n"
    root = _repo(
        tmp_path,
        {
            "package.json": package,
            ".github/workflows/ci.yml": TESTS_WORKFLOW % "npm ci && npm test",
        },
    )
    evidence = _run(root, TESTS)
    assert evidence.outcome is (CheckOutcome.PASS if passes else CheckOutcome.FAIL)
    if passes:
        assert "(via npm test at package.json:4 [test])" in evidence.summary


def test_npm_script_through_nyc_reaches_mocha(tmp_path: Path) -> None:
    # expressjs/express: ci.yml:80 `npm run test-ci` -> package.json:95 `nyc --exclude examples
    # ... --reporter=text npm test` -> :94 `mocha ... test/`, three levels down.
    package = (
        '{\n  "scripts": {\n'
        '    "test": "mocha --require test/support/env --check-leaks test/",\n'
        '    "test-ci": "nyc --exclude examples --exclude test --reporter=lcovonly npm test"\n'
        "  }\n}\n"
    )
    root = _repo(
        tmp_path,
        {"package.json": package, ".github/workflows/ci.yml": TESTS_WORKFLOW % "npm run test-ci"},
    )
    evidence = _run(root, TESTS)
    assert evidence.outcome is CheckOutcome.PASS, evidence.summary
    assert "mocha" in evidence.summary


# juice-shop/juice-shop ci.yml:112-117: the server tests run through nick-invision/retry's
# `command:` input -> package.json:70 `nyc ... npm run test:server` -> :69 `node ... --test`.
RETRY_WORKFLOW = """
    on: [push, pull_request]
    jobs:
      server-test:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - run: npm install
          - name: "Execute server unit tests"
            uses: nick-invision/retry@7152eba30c6575329ac0576536151aca5a72780e #v3.0.0
            with:
              timeout_minutes: 10
              max_attempts: 3
              command: %s
"""
JUICE_PACKAGE = (
    '{\n  "scripts": {\n'
    '    "test:server": "node --import ./test/server/helpers/test-env.mjs --import tsx --test '
    '--test-force-exit \\"test/server/**/*.unit.test.ts\\"",\n'
    '    "test:server:coverage": "nyc --report-dir=./coverage/server-tests npm run test:server",\n'
    '    "lint": "eslint *.ts"\n'
    "  }\n}\n"
)


@pytest.mark.parametrize(
    ("command", "passes"),
    [
        ("npm run test:server:coverage", True),
        ("npm run lint", False),
        (
            ">\n                NODE_ENV=7ms npm run test:server &&\n                NODE_ENV=ctf npm run test:server",
            True,
        ),
    ],
)
def test_a_retry_actions_command_is_read_as_a_script(
    tmp_path: Path, command: str, passes: bool
) -> None:
    workflow = RETRY_WORKFLOW % command
    root = _repo(tmp_path, {"package.json": JUICE_PACKAGE, ".github/workflows/ci.yml": workflow})
    evidence = _run(root, TESTS)
    assert evidence.outcome is (CheckOutcome.PASS if passes else CheckOutcome.FAIL), (
        evidence.summary
    )
    if passes:
        assert "--test" in evidence.summary


COMPOSITE = """
    name: sign
    runs:
      using: composite
      steps:
        - uses: sigstore/cosign-installer@d7d6bc7722e3daa8354c50bcb52f4837da5e9b6a # v3.8.1
        - shell: bash
          run: cosign sign-blob --yes --bundle "$1.bundle" dist/app.tar.gz
"""
RELEASE = """
    on:
      release:
        types: [published]
    jobs:
      release:
        runs-on: ubuntu-latest
        permissions:
          id-token: write
        steps:
          - uses: actions/checkout@v4
          - name: Sign
            uses: ./.github/actions/sign
"""


def test_composite_action_of_the_repository_is_followed(tmp_path: Path) -> None:
    root = _repo(
        tmp_path,
        {".github/actions/sign/action.yml": COMPOSITE, ".github/workflows/release.yml": RELEASE},
    )
    evidence = _passing(root, SIGN)
    assert (
        '.github/workflows/release.yml:11 job release step "Sign": runs `cosign sign-blob --yes'
    ) in evidence.summary
    assert (
        "via composite action ./.github/actions/sign at .github/actions/sign/action.yml:7"
        in evidence.summary
    )


def test_cosign_installer_alone_signs_nothing(tmp_path: Path) -> None:
    installer_only = COMPOSITE.replace("cosign sign-blob", "cosign version #")
    root = _repo(
        tmp_path,
        {
            ".github/actions/sign/action.yml": installer_only,
            ".github/workflows/release.yml": RELEASE,
        },
    )
    assert _run(root, SIGN).outcome is CheckOutcome.FAIL


def test_triggers_decide_which_workflows_count(tmp_path: Path) -> None:
    sign_on = """
        on: %s
        jobs:
          s:
            runs-on: ubuntu-latest
            steps:
              - run: cosign sign-blob --yes dist/app.tar.gz
    """
    cases = {
        "[pull_request]": CheckOutcome.FAIL,
        "{push: {branches: [main]}}": CheckOutcome.FAIL,  # CI on a branch is not a release
        "{push: {tags: ['v*']}}": CheckOutcome.PASS,
        "{release: {types: [published]}}": CheckOutcome.PASS,
        "[workflow_dispatch]": CheckOutcome.PASS,
    }
    for index, (on, want) in enumerate(cases.items()):
        root = _repo(tmp_path / str(index), {".github/workflows/w.yml": sign_on % on})
        assert _run(root, SIGN).outcome is want, on
    manual_tests = TESTS_WORKFLOW.replace("on: [push, pull_request]", "on: [workflow_dispatch]")
    root = _repo(tmp_path / "t", {".github/workflows/t.yml": manual_tests % "pytest"})
    assert _run(root, TESTS).outcome is CheckOutcome.FAIL


def test_reusable_workflow_runs_with_its_callers_triggers(tmp_path: Path) -> None:
    callee = """
        on: [workflow_call]
        jobs:
          provenance:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
              attestations: write
            steps:
              - uses: actions/attest-build-provenance@v2
                with:
                  subject-path: dist/*
    """
    caller = """
        on:
          push:
            tags: ["v*"]
        jobs:
          call:
            uses: ./.github/workflows/provenance.yml
    """
    root = _repo(tmp_path, {".github/workflows/provenance.yml": callee})
    assert _run(root, PROVENANCE).outcome is CheckOutcome.FAIL  # called by nobody here
    (root / ".github/workflows/release.yml").write_text(textwrap.dedent(caller))
    evidence = _passing(root, PROVENANCE)
    assert ".github/workflows/provenance.yml:9 job provenance" in evidence.summary


@pytest.mark.parametrize(
    ("step", "passes"),
    [
        ("run: syft dir:. -o spdx-json=dist/sbom.spdx.json", True),
        ("run: syft scan dir:. --output cyclonedx-json", True),
        ("run: syft dir:.", False),  # a table on the console is not an SBOM
        ("run: trivy fs --format cyclonedx --output sbom.json .", True),
        ("run: trivy fs --severity HIGH .", False),
        ("run: python -m cyclonedx_py environment -o sbom.json", True),
        ("uses: anchore/sbom-action@v0", True),
        ("uses: anchore/sbom-action/download-syft@v0", False),
        ("uses: CycloneDX/gh-python-generate-sbom@v2", True),
    ],
)
def test_sbom_generators(tmp_path: Path, step: str, passes: bool) -> None:
    workflow = f"""
        on:
          push:
            tags: ["v*"]
        jobs:
          sbom:
            runs-on: ubuntu-latest
            steps:
              - {step}
    """
    root = _repo(tmp_path, {".github/workflows/sbom.yml": workflow})
    assert _run(root, SBOM).outcome is (CheckOutcome.PASS if passes else CheckOutcome.FAIL)


# healthchecks/healthchecks .github/workflows/publish_docker_image.yml: the release pushes the
# image with docker/build-push-action@v7 and `sbom: true` (the SBOM probe said "fail"). The
# provenance BuildKit adds unasked (v4+) is unsigned and not counted (WebGoat/WebGoat's truth).
DOCKER_RELEASE = """
    on:
      release:
        types: [published]
    permissions: {}
    jobs:
      push_to_registry:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v7
          - name: Build and push Docker image
            uses: docker/build-push-action@%s
            with:
              context: .
              file: docker/Dockerfile
%s
"""


@pytest.mark.parametrize(
    ("ref", "inputs", "provenance", "sbom"),
    [
        ("v7", "push: true\nsbom: true", False, True),
        ("v7", "push: true", False, False),  # only BuildKit's implicit, unsigned provenance
        ("v7", "push: true\nprovenance: false\nsbom: false", False, False),
        ("v7", "push: true\nprovenance: mode=max", True, False),
        ("v7", "load: true\nsbom: true", False, False),  # kept on the runner: no attestation
        ("v7", "push: ${{ github.event_name != 'pull_request' }}\nsbom: true", False, False),
        ("v7", "push: true\nsbom: ${{ inputs.sbom }}", False, False),
        ("v7", "outputs: type=registry\nsbom: true\nprovenance: true", True, True),
        ("0123456789abcdef0123456789abcdef01234567", "push: true\nsbom: true", False, True),
    ],
)
def test_docker_build_push_attestations(
    tmp_path: Path, ref: str, inputs: str, provenance: bool, sbom: bool
) -> None:
    indented = textwrap.indent(inputs, " " * 14)
    root = _repo(tmp_path, {".github/workflows/docker.yml": DOCKER_RELEASE % (ref, indented)})
    for check, want in ((PROVENANCE, provenance), (SBOM, sbom)):
        outcome = _run(root, check).outcome
        assert outcome is (CheckOutcome.PASS if want else CheckOutcome.FAIL), (check, inputs)


# honojs/hono .github/workflows/release.yml: on a tag, `npm stage publish --provenance` in a job
# with id-token: write (npm signs the SLSA provenance with Sigstore): both probes said "fail".
NPM_RELEASE = """
    on:
      push:
        tags: ['*']
    permissions:
      contents: read
    jobs:
      npm:
        runs-on: ubuntu-latest
        permissions:
          contents: read
%s
        steps:
          - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6
          - run: npm install -g npm@11.17.0
          - name: Publish to npm
            run: %s
"""


@pytest.mark.parametrize(
    ("id_token", "command", "passes"),
    [
        (True, "npm stage publish --provenance --access public", True),
        (True, "npm publish --provenance", True),
        (True, "pnpm publish --provenance --no-git-checks", True),
        (True, "yarn npm publish --provenance", True),
        (True, "npm publish --access public", False),  # no provenance asked for
        (False, "npm publish --provenance", False),  # no OIDC token: the publish fails
        (True, "npm pack --provenance", False),
    ],
)
def test_npm_publish_with_provenance(
    tmp_path: Path, id_token: bool, command: str, passes: bool
) -> None:
    grant = "          id-token: write" if id_token else ""
    root = _repo(tmp_path, {".github/workflows/release.yml": NPM_RELEASE % (grant, command)})
    for check in (PROVENANCE, SIGN):
        outcome = _run(root, check).outcome
        assert outcome is (CheckOutcome.PASS if passes else CheckOutcome.FAIL), (check, command)


CODEQL = """
    on:
      push:
      schedule:
        - cron: "0 5 * * 1"
    jobs:
      analyze:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          %s
          - name: Perform CodeQL Analysis
            uses: github/codeql-action/analyze@v3
"""


def test_codeql_analyze_after_init(tmp_path: Path) -> None:
    with_init = _repo(
        tmp_path / "a",
        {".github/workflows/codeql.yml": CODEQL % "- uses: github/codeql-action/init@v3"},
    )
    for check in (ANALYSIS, SCHEDULED):
        evidence = _passing(with_init, check)
        assert 'step "Perform CodeQL Analysis": analyzes the code with CodeQL' in evidence.summary
    alone = _repo(tmp_path / "b", {".github/workflows/codeql.yml": CODEQL % "- run: true"})
    assert _run(alone, ANALYSIS).outcome is CheckOutcome.FAIL


def test_zizmor_alone_is_not_code_analysis(tmp_path: Path) -> None:
    flask_zizmor = """
        on:
          push:
            branches: [main]
          pull_request:
        jobs:
          zizmor:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: uvx zizmor --persona=pedantic --format=sarif . > results.sarif
              - uses: github/codeql-action/upload-sarif@v3
                with:
                  sarif_file: results.sarif
    """
    root = _repo(tmp_path, {".github/workflows/zizmor.yaml": flask_zizmor})
    assert _run(root, ANALYSIS).outcome is CheckOutcome.FAIL


def test_golangci_lint_counts_with_gosec_enabled(tmp_path: Path) -> None:
    workflow = """
        on: [push, pull_request]
        jobs:
          lint:
            runs-on: ubuntu-latest
            steps:
              - uses: golangci/golangci-lint-action@v8.0.0
    """
    root = _repo(
        tmp_path,
        {
            ".github/workflows/test.yml": workflow,
            ".golangci.yml": "linters:\n  enable:\n    - errcheck\n",
        },
    )
    assert _run(root, ANALYSIS).outcome is CheckOutcome.FAIL
    (root / ".golangci.yml").write_text("linters:\n  enable:\n    - errcheck\n    - gosec\n")
    assert _run(root, ANALYSIS).outcome is CheckOutcome.PASS


def test_extra_parameter_names_commands_and_actions(tmp_path: Path) -> None:
    workflow = TESTS_WORKFLOW % "./ci/run-suite.sh --all && acme-test run"
    root = _repo(tmp_path, {".github/workflows/t.yml": workflow})
    assert _run(root, TESTS).outcome is CheckOutcome.FAIL
    evidence = check_evidence(root, TESTS, {"extra": ["acme-test run"]})
    assert evidence.outcome is CheckOutcome.PASS
    assert "listed in the check's `extra`" in evidence.summary


def test_shell_commands_are_parsed_not_searched() -> None:
    from baseline.checks.shell_words import commands
    from baseline.checks.workflow_steps import normalize

    words = [c.words for c in commands('echo "syft slsa-verifier" && pip install pytest bandit')]
    assert words == [("echo", "syft slsa-verifier"), ("pip", "install", "pytest", "bandit")]
    # Substitutions run; comments, quoted text and here-strings do not.
    script = "VERSION=$(git describe)\n# bandit -r src\n[[ -n x ]] && python -m pytest -q\n"
    found = [normalize(c.words) for c in commands(script)]
    assert ("git", ("describe",)) in found
    assert ("pytest", ("-q",)) in found
    assert all(tool != "bandit" for tool, _ in filter(None, found))
    assert [c.line for c in commands("true\n\ncosign sign x")] == [0, 2]


@pytest.mark.parametrize(
    ("words", "want"),
    [
        (
            ("sudo", "-E", "env", "A=1", "python3.12", "-I", "-m", "bandit", "-r", "src"),
            ("bandit", ("-r", "src")),
        ),
        (("uv", "run", "--locked", "--with", "x", "pytest"), ("pytest", ())),
        (("poetry", "run", "coverage", "run", "-m", "pytest"), ("pytest", ())),
        (("npx", "--no-install", "jshint", "."), ("jshint", (".",))),
        ((".venv/bin/pytest", "-x"), ("pytest", ("-x",))),
        (("unshare", "--map-root-user", "--net", "make", "test"), ("make", ("test",))),
        (("pip", "install", "bandit"), ("pip", ("install", "bandit"))),
        (("nyc", "--exclude", "test", "--reporter=text", "npm", "test"), ("npm", ("test",))),
        (("c8", "-r", "lcov", "mocha", "test/"), ("mocha", ("test/",))),
        (("nyc", "report", "--reporter=lcov"), ("report", ("--reporter=lcov",))),
        # The word after an option that takes a value is that value, never the command: each
        # of these runs `true`, and was read as running mocha (a ci.runs_tests pass resting on
        # a misread word). nyc's value options come from @istanbuljs/schema, c8's from its
        # lib/parse-args.js; yargs also takes their camelCase spelling.
        (("nyc", "--temp-directory", "mocha", "true"), ("true", ())),
        (("nyc", "--cache-dir", "mocha", "true"), ("true", ())),
        (("nyc", "--tempDir", "mocha", "true"), ("true", ())),
        (("nyc", "--reportDir", "mocha", "true"), ("true", ())),
        (("c8", "--report-dir", "mocha", "true"), ("true", ())),
        (("c8", "--resolve", "mocha", "true"), ("true", ())),
        (("c8", "--wrapper-length", "mocha", "true"), ("true", ())),
        (("c8", "--reportsDir", "mocha", "true"), ("true", ())),
    ],
)
def test_wrappers_are_taken_off(words: tuple[str, ...], want: tuple[str, tuple[str, ...]]) -> None:
    from baseline.checks.workflow_steps import normalize

    assert normalize(words) == want


def test_versions_from_refs_and_comments() -> None:
    from baseline.checks.workflow_steps import parse_version

    assert parse_version("v1.12.4") == (1, 12, 4)
    assert parse_version("release/v1") == (1,)
    assert parse_version("main") is None


PRE_COMMIT = """
    repos:
      - repo: https://github.com/astral-sh/ruff-pre-commit
        rev: v0.15.9
        hooks:
          - id: ruff-check
            args: [--fix]
      - repo: https://github.com/PyCQA/bandit
        rev: 1.8.6
        hooks:
          - id: bandit
            args: ["-c", "pyproject.toml"]
"""


@pytest.mark.parametrize(
    ("step", "passes"),
    [
        ("run: pre-commit run --all-files", True),
        ("run: uv run --group pre-commit pre-commit run ruff-check --all-files", False),
        ("uses: pre-commit/action@v3.0.1", True),
    ],
)
def test_pre_commit_hooks_are_followed(tmp_path: Path, step: str, passes: bool) -> None:
    workflow = f"""
        on: [push, pull_request]
        jobs:
          pre-commit:
            runs-on: ubuntu-latest
            steps:
              - {step}
    """
    root = _repo(
        tmp_path,
        {".pre-commit-config.yaml": PRE_COMMIT, ".github/workflows/pre-commit.yaml": workflow},
    )
    evidence = _run(root, ANALYSIS)
    assert evidence.outcome is (CheckOutcome.PASS if passes else CheckOutcome.FAIL)
    if passes:
        assert "runs `bandit -c pyproject.toml`" in evidence.summary
        assert ".pre-commit-config.yaml:10 [bandit]" in evidence.summary


def test_a_hostile_fan_out_stays_quick(tmp_path: Path) -> None:
    # Thousands of steps, each through tox, make, npm and nox files with thousands of entries.
    steps = "".join(
        f"      - run: tox -e e{i} && make t{i} && npm run s{i} && nox -s n{i}\n"
        for i in range(1500)
    )
    root = _repo(
        tmp_path,
        {
            ".github/workflows/w.yml": "on: [push]\njobs:\n  j:\n    runs-on: x\n    steps:\n"
            + steps,
            "tox.ini": "[tox]\nenvlist=py\n"
            + "".join(f"[testenv:e{i}]\ncommands = flake8 {i}\n" for i in range(4000)),
            "Makefile": "".join(f"t{i}: t{i + 1}\n\techo {i}\n" for i in range(4000)),
            "package.json": '{"scripts": {'
            + ",".join(f'"s{i}": "echo {i}"' for i in range(4000))
            + "}}",
        },
    )
    import time

    started = time.monotonic()
    assert _run(root, TESTS).outcome is CheckOutcome.FAIL
    assert time.monotonic() - started < 20


def test_a_makefile_line_of_long_references_is_cut_not_built() -> None:
    # 100,000 references to a 4,000-character variable would expand to 400 MB.
    from baseline.checks.task_runners import MAX_LINE, parse_makefile

    make = parse_makefile(
        "Makefile", "A := " + "x" * 4000 + "\nall:\n\techo pytest " + "$(A)" * 100_000 + "\n"
    )
    [(where, text)] = make.run([])
    assert where == "Makefile:3"
    assert text.startswith("echo pytest xxxx") and len(text) == MAX_LINE


def test_a_noxfile_nested_too_deep_to_unparse_reads_as_no_sessions() -> None:
    # ast.parse accepts it; ast.unparse of the argument recurses past Python's limit.
    from baseline.checks.task_runners import _nox_sessions

    text = "import nox\n@nox.session\ndef t(session):\n    session.run(" + "-" * 500 + "1)\n"
    assert _nox_sessions(text) == ({}, [])


def test_a_makefile_of_many_targets_sharing_many_prerequisites_stays_small() -> None:
    # 3,000 targets that each depend on the same 3,000 names would list nine million.
    from baseline.checks.task_runners import MAX_LISTED, parse_makefile

    names = " ".join(f"a{i}" for i in range(3000))
    make = parse_makefile("Makefile", f"{names}: {names}\n\techo hi\nlast: a1\n")
    assert sum(map(len, make.prereqs.values())) <= MAX_LISTED + 3000
    assert make.prereqs["last"] == [] and make.prereqs["a0"][:2] == ["a0", "a1"]
    assert len(make.run(["a5"])) <= MAX_LISTED


@pytest.mark.parametrize(
    "text",
    [
        " ".join(f"a{i}" for i in range(20_000)) + ":\n" + "\tx\n" * 60_000,  # 1.2e9 lines
        "a\\\n" * 170_000,  # one logical line of 170,000 continuations
    ],
)
def test_a_hostile_makefile_parses_quickly(text: str) -> None:
    import time

    from baseline.checks.task_runners import MAX_LISTED, parse_makefile

    started = time.monotonic()
    make = parse_makefile("Makefile", text)
    assert time.monotonic() - started < 5
    assert sum(map(len, make.recipes.values())) <= MAX_LISTED


def test_a_hostile_pre_commit_fan_out_is_cut_like_a_script(tmp_path: Path) -> None:
    # pre-commit/action runs every hook: 3,000 local hooks, each `make` of 2,000 echo lines.
    from baseline.checks.workflow_steps import MAX_RUNS, view
    from baseline.checks.workflow_yaml import load_workflows, steps
    from baseline.context import RunOptions, build_context

    hooks = "".join(f"  - id: h{i}\n    entry: make\n" for i in range(3000))
    root = _repo(
        tmp_path,
        {
            ".github/workflows/w.yml": "on: [push]\njobs:\n  j:\n    runs-on: x\n    steps:\n"
            "      - uses: pre-commit/action@v3.0.1\n",
            ".pre-commit-config.yaml": "repos:\n- repo: local\n  hooks:\n" + hooks,
            "Makefile": "all:\n" + "\techo x\n" * 2000,
        },
    )
    ctx = build_context(root, "repo", RunOptions())
    [step] = [s for w in load_workflows(ctx) for s in steps(w)]
    assert len(view(ctx, step).runs) == MAX_RUNS
