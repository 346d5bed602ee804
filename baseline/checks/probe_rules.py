"""Which actions and commands DO what each workflow probe asks, known by identity.

- Trusted Publishing with `pypa/gh-action-pypi-publish` (`id-token: write`, no `password:`)
  uploads Sigstore-signed PEP 740 attestations by default from v1.11.0 (`attestations: true`
  is the default; `attestations: false` turns them off; v1.10 had them opt-in): that is both
  a signature and provenance. A SHA pin without a version comment is an unknown version and
  counts only with an explicit `attestations: true`.
- Provenance: `actions/attest-build-provenance`, `actions/attest`, the SLSA generator, and
  `docker/build-push-action` pushing an image with `provenance:` asked for (its implicit,
  unsigned default is not counted); `sbom: true` there is an SBOM attestation.
- npm: `npm publish --provenance` (or `npm stage publish`, `pnpm publish`, `yarn npm publish`)
  in a job with `id-token: write` publishes Sigstore-signed SLSA provenance: both a signature
  and provenance, as PEP 740 attestations are.
- Signing: `sigstore/gh-action-sigstore-python`, and commands `cosign sign|sign-blob|attest`,
  `sigstore sign`, `gpg --detach-sign`, `minisign -S`, `signtool sign`, `jarsigner`.
  `sigstore/cosign-installer` only installs: a later `cosign sign` is what counts.
- SBOM: `anchore/sbom-action`, `CycloneDX/*` actions, `actions/attest-sbom`, trivy-action
  with an SBOM format; `cyclonedx-py|bom|npm|gomod`, `cdxgen`, `syft -o cyclonedx|spdx`,
  `trivy --format cyclonedx|spdx`, `pip-audit -f cyclonedx-*`, `sbom-tool generate`.
- Code analysis of the product: CodeQL (analyze after init in the job), semgrep, bandit on
  non-test code, ruff with the `S` (flake8-bandit) rules selected on the command line or in
  ruff's configuration, gosec, and a few more. zizmor, actionlint and other linters of the
  workflows themselves are not analysis of the product.
- Tests: pytest, unittest, nose2, go/cargo/dotnet/hatch test, jest/vitest/mocha, maven and
  gradle test phases, `manage.py test`, ... (make/tox/nox/npm are followed before this).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from baseline import tomlcompat
from baseline.checks.memo import shared_scan
from baseline.checks.workflow_steps import ActionUse, Run, StepView, action_use
from baseline.checks.workflow_yaml import load_workflows, steps
from baseline.context import Context

UseRule = Callable[[Context, ActionUse, StepView], "str | None"]
RunRule = Callable[[Context, Run], "str | None"]
NON_PRODUCT = ("test", "tests", "testing", "docs", "doc", "examples", "example", "fixtures")


@dataclass(frozen=True)
class Judge:
    """What counts for one probe: among the step's actions, and among the programs it runs."""

    use: UseRule
    run: RunRule
    names: frozenset[str] = frozenset()
    """Programs and actions whose mere mention (installed, echoed) is worth a note on a fail."""
    step_run: Callable[[Run, StepView], str | None] | None = None
    """A rule on a program that also needs its step's job (`id-token: write`)."""


def _starts(identity: str, *prefixes: str) -> bool:
    return any(identity == p or identity.startswith(p + "/") for p in prefixes)


def _option(args: tuple[str, ...], *names: str) -> list[str]:
    """Values of an option (`-o x`, `-o=x`, `--output x`, `--output=x`, `-ox`)."""
    out: list[str] = []
    for index, arg in enumerate(args):
        for name in names:
            if arg == name and index + 1 < len(args):
                out.append(args[index + 1])
            elif arg.startswith(name + "="):
                out.append(arg[len(name) + 1 :])
            elif len(name) == 2 and arg.startswith(name) and len(arg) > 2 and arg[2] != "-":
                out.append(arg[2:])
    return out


def _true(value: str | None) -> bool | None:
    if value is None:
        return None
    return value.strip().lower() in ("true", "yes", "1")


def pypi_attestations(use: ActionUse) -> str | None:
    """Why a pypi-publish step publishes PEP 740 attestations, or None."""
    if not _starts(use.identity, "pypa/gh-action-pypi-publish"):
        return None
    if not use.id_token or use.inputs.get("password"):
        return None  # an API token: no Trusted Publishing, no attestations
    explicit = _true(use.inputs.get("attestations"))
    version = use.version
    if explicit is False:
        return None
    known = "version unknown" if version is None else "v" + ".".join(map(str, version))
    if explicit and (version is None or version >= (1, 10)):
        on = "attestations: true"
    elif version is not None and (version >= (1, 11) or version == (1,)):
        on = "attestations on by default since v1.11.0"
    else:
        return None
    return (
        f"publishes to PyPI with Trusted Publishing (id-token: write) via "
        f"{use.identity}@{use.ref[:12]} ({known}); {on}: Sigstore-signed PEP 740 "
        "attestations"
    )


def _docker_pushes(use: ActionUse) -> bool:
    """A `docker/build-push-action` step that pushes to a registry, where attestations go (the
    `docker` exporter and `load: true` keep none). A `push:` expression is not counted: it may
    be false on the event that runs the release."""
    outputs = use.inputs.get("outputs", "").replace(" ", "").lower()
    return (
        bool(_true(use.inputs.get("push")))
        or "type=registry" in outputs
        or ("type=image" in outputs and "push=true" in outputs)
    )


def _off(value: str | None) -> bool:
    return value is not None and value.strip().lower() in ("false", "no", "0", "")


def docker_attestation(use: ActionUse, kind: str) -> str | None:
    """Why a `docker/build-push-action` step pushes a BuildKit `provenance` or `sbom`
    attestation that the workflow asks for (`sbom: true`, `provenance: mode=max`), or None.
    The provenance BuildKit adds by default from v4 is not counted: nothing in the workflow
    asks for it, it is unsigned, and a reviewer of the file cannot see it (WebGoat/WebGoat's
    release is judged so in benchmarks/truth)."""
    if not _starts(use.identity, "docker/build-push-action") or not _docker_pushes(use):
        return None
    value = use.inputs.get(kind)
    if value is None or _off(value) or "${{" in value:
        return None
    pushes = f"pushes the image with {use.identity}@{use.ref[:12]}"
    return f"{pushes} and `{kind}: {value}`: a BuildKit {kind} attestation"


def npm_provenance(run: Run, step: StepView) -> str | None:
    """Why `npm publish --provenance` (also `npm stage publish`, `pnpm publish`, `yarn npm
    publish`) publishes Sigstore-signed SLSA provenance with the package, or None: npm signs
    the statement with a Fulcio certificate for the workflow, so the job must be able to
    request an OIDC token (`id-token: write`); without it the publish fails."""
    words = run.args
    if run.tool == "yarn" and words[:1] == ("npm",):
        words = words[1:]
    if run.tool in ("npm", "pnpm") and words[:1] == ("stage",):
        words = words[1:]
    if run.tool not in ("npm", "pnpm", "yarn") or words[:1] != ("publish",):
        return None
    if not any(a in ("--provenance", "--provenance=true") for a in words):
        return None
    if not step.step.id_token:
        return None
    return (
        f"runs `{run.text}` with id-token: write: Sigstore-signed SLSA provenance published "
        "with the package"
    )


def _sign_use(ctx: Context, use: ActionUse, step: StepView) -> str | None:
    if _starts(use.identity, "sigstore/gh-action-sigstore-python"):
        return f"signs with Sigstore ({use.identity})"
    return pypi_attestations(use)


def _gpg_signs(args: tuple[str, ...]) -> bool:
    for arg in args:
        if arg in ("--detach-sign", "--sign", "--clearsign", "--clear-sign", "--detach-sig"):
            return True
        if re.fullmatch(r"-[a-zA-Z]+", arg) and ("b" in arg or "s" in arg):
            return True
    return False


def _sign_run(ctx: Context, run: Run) -> str | None:
    first = run.args[0] if run.args else ""
    if run.tool == "cosign" and first in ("sign", "sign-blob", "attest", "attest-blob"):
        return f"runs `{run.text}`"
    if run.tool == "sigstore" and first == "sign":
        return f"runs `{run.text}`"
    if run.tool in ("gpg", "gpg2") and _gpg_signs(run.args):
        return f"runs `{run.text}`"
    if run.tool == "minisign" and "-S" in run.args:
        return f"runs `{run.text}`"
    if run.tool in ("signtool", "notation") and first == "sign":
        return f"runs `{run.text}`"
    if run.tool == "jarsigner" and "-verify" not in run.args:
        return f"runs `{run.text}`"
    return None


def _provenance_use(ctx: Context, use: ActionUse, step: StepView) -> str | None:
    if _starts(use.identity, "actions/attest-build-provenance", "actions/attest"):
        return f"attests build provenance ({use.identity})"
    if _starts(use.identity, "slsa-framework/slsa-github-generator"):
        return f"generates SLSA provenance ({use.identity})"
    return pypi_attestations(use) or docker_attestation(use, "provenance")


def _provenance_run(ctx: Context, run: Run) -> str | None:
    if (run.tool == "witness" and run.args[:1] == ("run",)) or run.tool == "in-toto-run":
        return f"runs `{run.text}`"
    return None


_SBOM_FORMAT = re.compile(r"^(cyclonedx|spdx)", re.IGNORECASE)


def _sbom_use(ctx: Context, use: ActionUse, step: StepView) -> str | None:
    if use.identity == "anchore/sbom-action" or use.identity.startswith("cyclonedx/"):
        return f"generates an SBOM ({use.identity})"
    if _starts(use.identity, "actions/attest-sbom"):
        return f"attests an SBOM ({use.identity})"
    if _starts(use.identity, "aquasecurity/trivy-action") and _SBOM_FORMAT.match(
        use.inputs.get("format", "")
    ):
        return f"generates an SBOM ({use.identity}, format {use.inputs['format']})"
    return docker_attestation(use, "sbom")


def _sbom_run(ctx: Context, run: Run) -> str | None:
    if (
        run.tool
        in (
            "cyclonedx-py",
            "cyclonedx-bom",
            "cyclonedx-npm",
            "cyclonedx-gomod",
            "cdxgen",
            "spdx-sbom-generator",
        )
        and "--help" not in run.args
    ):
        return f"runs `{run.text}`"
    if run.tool == "syft" and any(
        _SBOM_FORMAT.match(v) for v in _option(run.args, "-o", "--output")
    ):
        return f"runs `{run.text}`"
    if run.tool in ("trivy", "pip-audit") and any(
        _SBOM_FORMAT.match(v) for v in _option(run.args, "-f", "--format")
    ):
        return f"runs `{run.text}`"
    if run.tool == "sbom-tool" and run.args[:1] == ("generate",):
        return f"runs `{run.text}`"
    return None


_ANALYSIS_ACTIONS = (
    "returntocorp/semgrep-action",
    "semgrep/semgrep-action",
    "pycqa/bandit-action",
    "shundor/python-bandit-scan",
    "mdegis/bandit-action",
    "jpetrucciani/bandit-check",
    "securego/gosec",
    "sonarsource/sonarqube-scan-action",
    "sonarsource/sonarcloud-github-action",
)


def _analysis_use(ctx: Context, use: ActionUse, step: StepView) -> str | None:
    if _starts(use.identity, "github/codeql-action/analyze"):
        init = any(_starts(u.identity, "github/codeql-action/init") for u in step.uses) or any(
            _starts(u.identity, "github/codeql-action/init") for u in _job_uses(ctx, step)
        )
        return f"analyzes the code with CodeQL ({use.identity})" if init else None
    if _starts(use.identity, *_ANALYSIS_ACTIONS):
        return f"analyzes the code ({use.identity})"
    if _starts(use.identity, "snyk/actions") and use.inputs.get("command", "").startswith("code"):
        return f"analyzes the code (snyk code, {use.identity})"
    if _starts(use.identity, "golangci/golangci-lint-action") and golangci_gosec(ctx):
        return f"runs golangci-lint with gosec enabled ({use.identity})"
    if _starts(use.identity, "astral-sh/ruff-action"):
        args = tuple(use.inputs.get("args", "check").split())
        if (args[:1] == ("check",) or not args) and ruff_security(ctx, args):
            return f"runs ruff with the S (bandit) rules ({use.identity})"
    return None


def _job_uses(ctx: Context, step: StepView) -> list[ActionUse]:
    """Every action the step's job uses (CodeQL's analyze needs an init in the job)."""

    def gather() -> list[ActionUse]:
        return [
            use
            for workflow in load_workflows(ctx)
            if workflow.path == step.step.path and not workflow.problem
            for other in steps(workflow)
            if other.job == step.step.job and (use := action_use(other.uses, other))
        ]

    return shared_scan(ctx, {"job-uses": [step.step.path, step.step.job]}, gather)


def _ruff_config(ctx: Context) -> tuple[list[str], list[str]] | None:
    """ruff's select and extend-select, read once per assessment."""
    return shared_scan(ctx, {"ruff-config": True}, lambda: _read_ruff_config(ctx))


def _read_ruff_config(ctx: Context) -> tuple[list[str], list[str]] | None:
    for rel in ("ruff.toml", ".ruff.toml", "pyproject.toml"):
        if rel not in ctx.files:
            continue
        try:
            data: Any = tomlcompat.loads(ctx.read_text(rel, 512 * 1024))
        except (tomlcompat.TOMLDecodeError, OSError, ValueError):
            continue
        if rel == "pyproject.toml":
            tool = data.get("tool")
            data = tool.get("ruff") if isinstance(tool, dict) else None
            if not isinstance(data, dict):
                continue
        lint = data.get("lint") if isinstance(data.get("lint"), dict) else {}
        return _listed(lint, data, "select"), _listed(lint, data, "extend-select")
    return None


def _listed(lint: dict[str, Any], top: dict[str, Any], key: str) -> list[str]:
    value = lint.get(key, top.get(key, []))
    return [str(v) for v in value] if isinstance(value, list) else []


def _has_s(codes: list[str]) -> bool:
    return any(re.fullmatch(r"S\d*|ALL", c.strip().upper()) for c in codes)


def ruff_security(ctx: Context, args: tuple[str, ...]) -> bool:
    """Whether `ruff <args>` checks the S (flake8-bandit) rules: on its command line, or in
    ruff.toml / .ruff.toml / pyproject's [tool.ruff] select or extend-select."""
    split = [c for v in _option(args, "--select") for c in v.split(",")]
    extend = [c for v in _option(args, "--extend-select") for c in v.split(",")]
    if _has_s(split) or _has_s(extend):
        return True
    config = _ruff_config(ctx)
    if config is None:
        return False
    select, extend_config = config
    return _has_s(extend_config) or (not split and _has_s(select))


def golangci_gosec(ctx: Context) -> bool:
    """Whether the repository's golangci-lint configuration enables the gosec linter (read
    once per assessment)."""
    return shared_scan(ctx, {"golangci-gosec": True}, lambda: _read_golangci_gosec(ctx))


def _read_golangci_gosec(ctx: Context) -> bool:
    for rel in (".golangci.yml", ".golangci.yaml"):
        if rel not in ctx.files:
            continue
        try:
            data = yaml.safe_load(ctx.read_text(rel, 256 * 1024))
        except (yaml.YAMLError, OSError, ValueError, RecursionError):
            return False
        linters = data.get("linters") if isinstance(data, dict) else None
        if not isinstance(linters, dict):
            return False
        enabled = linters.get("enable")
        disabled = linters.get("disable") or []
        everything = linters.get("enable-all") is True or linters.get("default") == "all"
        listed = isinstance(enabled, list) and "gosec" in enabled
        return (listed or everything) and not (isinstance(disabled, list) and "gosec" in disabled)
    return False


def _bandit_targets(args: tuple[str, ...]) -> list[str]:
    valued = {
        "-c",
        "--configfile",
        "-f",
        "--format",
        "-o",
        "--output",
        "-t",
        "--tests",
        "-s",
        "--skip",
        "-x",
        "--exclude",
        "-p",
        "--profile",
        "-b",
        "--baseline",
        "--ini",
        "--msg-template",
        "-a",
        "--aggregate",
        "--severity-level",
        "--confidence-level",
        "-n",
        "--number",
    }
    targets: list[str] = []
    words = iter(args)
    for word in words:
        if word in valued:
            next(words, None)
        elif not word.startswith("-"):
            targets.append(word)
    return targets


def _product(targets: list[str]) -> bool:
    def segment(path: str) -> str:
        return path.removeprefix("./").split("/", 1)[0].lower()

    return not targets or any(segment(t) not in NON_PRODUCT for t in targets)


def _analysis_run(ctx: Context, run: Run) -> str | None:
    first = run.args[0] if run.args else ""
    if run.tool == "bandit" and "--version" not in run.args:
        targets = _bandit_targets(run.args)
        return f"runs `{run.text}`" if _product(targets) else None
    if run.tool == "semgrep" and (
        first in ("scan", "ci") or any(a.startswith(("--config", "-c")) for a in run.args)
    ):
        return f"runs `{run.text}`"
    if run.tool == "ruff" and (
        first == "check"
        or (
            first
            and not first.startswith("-")
            and first not in ("format", "version", "rule", "clean")
        )
    ):
        return (
            f"runs `{run.text}` with the S (bandit) rules" if ruff_security(ctx, run.args) else None
        )
    if run.tool == "golangci-lint" and first == "run" and golangci_gosec(ctx):
        return f"runs `{run.text}` with gosec enabled"
    if run.tool == "codeql" and run.args[:2] == ("database", "analyze"):
        return f"runs `{run.text}`"
    if run.tool in ("gosec", "brakeman", "flawfinder", "njsscan", "spotbugs") and (
        "--version" not in run.args and "-version" not in run.args
    ):
        return f"runs `{run.text}`"
    if run.tool == "snyk" and run.args[:2] == ("code", "test"):
        return f"runs `{run.text}`"
    return None


_DEP_ACTIONS = (
    "google/osv-scanner-action",
    "pypa/gh-action-pip-audit",
    "aquasecurity/trivy-action",
    "anchore/scan-action",
    "ossf/scorecard-action",
    "snyk/actions",
)


def _scan_use(ctx: Context, use: ActionUse, step: StepView) -> str | None:
    if _starts(use.identity, *_DEP_ACTIONS):
        return f"scans dependencies ({use.identity})"
    return _analysis_use(ctx, use, step)


def _scan_run(ctx: Context, run: Run) -> str | None:
    first = run.args[0] if run.args else ""
    if "--version" in run.args or "--help" in run.args:
        return None
    if run.tool in (
        "pip-audit",
        "osv-scanner",
        "grype",
        "govulncheck",
        "dependency-check",
        "dependency-check.sh",
        "bundler-audit",
        "trivy",
    ):
        return f"runs `{run.text}`"
    if run.tool in ("npm", "yarn", "pnpm", "cargo", "bundle") and first == "audit":
        return f"runs `{run.text}`"
    if run.tool == "safety" and first in ("check", "scan"):
        return f"runs `{run.text}`"
    if run.tool == "snyk" and first == "test":
        return f"runs `{run.text}`"
    return _analysis_run(ctx, run)


_TEST_TOOLS = {
    "pytest",
    "unittest",
    "nose2",
    "nosetests",
    "trial",
    "ctest",
    "rspec",
    "phpunit",
    "jest",
    "vitest",
    "mocha",
    "ava",
    "stestr",
    "green",
    "karma",
    "cypress",
    "playwright",
    "gotestsum",
}
_TEST_SUBCOMMAND = {
    "go",
    "richgo",
    "cargo",
    "dotnet",
    "hatch",
    "swift",
    "mix",
    "deno",
    "bun",
    "zig",
    "flutter",
    "dart",
}


def _tests_run(ctx: Context, run: Run) -> str | None:
    first = run.args[0] if run.args else ""
    if "--version" in run.args or "--help" in run.args:
        return None
    if run.tool in _TEST_TOOLS and not (
        run.tool in ("cypress", "playwright") and first not in ("run", "test")
    ):
        return f"runs `{run.text}`"
    if run.tool in _TEST_SUBCOMMAND and first == "test":
        return f"runs `{run.text}`"
    if run.tool in ("mvn", "mvnw") and any(a in ("test", "verify", "install") for a in run.args):
        return f"runs `{run.text}`"
    if run.tool in ("gradle", "gradlew") and any(a in ("test", "check", "build") for a in run.args):
        return f"runs `{run.text}`"
    if (
        run.tool == "python"
        and first.rsplit("/", 1)[-1] in ("manage.py", "setup.py")
        and (run.args[1:2] == ("test",))
    ):
        return f"runs `{run.text}`"
    if run.tool == "django" and first == "test":
        return f"runs `{run.text}`"
    if run.tool == "node" and any(a == "--test" or a.startswith("--test=") for a in run.args):
        return f"runs `{run.text}`"  # Node's built-in test runner (juice-shop/juice-shop)
    return None


def extra_use(use: ActionUse, needles: list[str]) -> str | None:
    """An action the operator's `extra` parameter names (`owner/repo` prefix)."""
    for needle in needles:
        if "/" in needle and _starts(use.identity, needle.lower().strip("/")):
            return f"uses {use.identity} (listed in the check's `extra`)"
    return None


def extra_run(run: Run, needles: list[str]) -> str | None:
    """A command the operator's `extra` parameter names (program and leading arguments)."""
    words = (run.tool, *run.args)
    for needle in needles:
        wanted = tuple(needle.lower().split())
        if wanted and "/" not in needle and words[: len(wanted)] == wanted:
            return f"runs `{run.text}` (listed in the check's `extra`)"
    return None


def _none_use(ctx: Context, use: ActionUse, step: StepView) -> str | None:
    return None


_ANALYZERS = frozenset({"bandit", "semgrep", "codeql", "gosec", "ruff", "zizmor"})
TESTS = Judge(_none_use, _tests_run, frozenset(_TEST_TOOLS | {"tox", "nox", "make"}))
CODE_ANALYSIS = Judge(_analysis_use, _analysis_run, _ANALYZERS)
SCHEDULED_SCAN = Judge(
    _scan_use, _scan_run, _ANALYZERS | {"pip-audit", "osv-scanner", "trivy", "grype", "safety"}
)
SIGNING = Judge(
    _sign_use,
    _sign_run,
    frozenset({"cosign", "sigstore", "gpg", "minisign", "sigstore/cosign-installer"}),
    npm_provenance,
)
SBOM = Judge(
    _sbom_use,
    _sbom_run,
    frozenset(
        {"syft", "cyclonedx-bom", "cyclonedx-py", "trivy", "anchore/sbom-action/download-syft"}
    ),
)
PROVENANCE = Judge(
    _provenance_use,
    _provenance_run,
    frozenset({"slsa-verifier", "in-toto", "witness"}),
    npm_provenance,
)


def mentions(judge: Judge, step: StepView) -> str | None:
    """Why a step that proves nothing looks as if it might (`pip install bandit`, an echo,
    `bandit --version`, an installer action), for the note on a failing probe."""
    for use in step.uses:
        if use.identity in judge.names:
            return f"uses {use.identity} (installs only)"
    for run in step.runs:
        if run.tool in judge.names:
            return f"runs `{run.text}`, which does not do what this probe asks"
        words = {w.lower().strip("\"'") for a in run.args for w in a.split()}
        named = sorted(judge.names & words)
        if named:
            return f"`{run.text}` mentions {', '.join(named)} without running it"
    return None
