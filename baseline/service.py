"""One assessment, start to end: the run every entry point calls.

`run(request)` reads the target's config (as far as the operator trusts it), loads the catalog,
checks the policy against it, runs the checks, evaluates, records the trust decisions, writes
the reports and the evidence bundle, and judges the gate. `baseline assess`, `assess-many`,
`precommit` and the GitHub Action (through `assess`) differ only in the request they build:
which targets, which formats, whether a narrowing of the catalog (precommit keeps the
file-level controls) applies. So the same repository gets the same statuses through each.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from baseline.bundle.keyless import Keyless
from baseline.context import RunOptions
from baseline.engine import assess
from baseline.models import (
    Assessment,
    Attestation,
    Catalog,
    ConfigTrust,
    ControlStatus,
    FileDigest,
    GateRecord,
    TrustRecord,
    Waiver,
)
from baseline.operator import DEFAULT_MAX_WAIVER_DAYS, inside_tree
from baseline.policy import Policy
from baseline.project.bind import Project
from baseline.project.setup import load_project
from baseline.report.registry import FORMATS
from baseline.report.write import render_formats, write_rendered

DEFAULT_FAIL_ON = frozenset({ControlStatus.FAIL, ControlStatus.ERROR})


@dataclass(frozen=True)
class AssessmentRequest:
    """What to assess, against what, how far to trust the target's config, what to write."""

    target: Path
    """The repository (a folder); nothing in it is executed."""
    display: str | None = None
    """How the record names the target (default: the path as given)."""
    catalog: str | None = None
    """A built-in catalog id or a catalog file; None: the config's (trust `all`), else
    ssdf-1.1."""
    config: str | None = None
    """An explicit config file; None: the target's own `.baseline.toml` / `pyproject.toml`."""
    config_trust: ConfigTrust = ConfigTrust.ALL
    """How much of the target's own config counts (the operator's decision)."""
    discover_config: bool = True
    """Look for the target's config (False: `--no-config`, not even its digest is recorded)."""
    policy: Policy = field(default_factory=lambda: Policy(DEFAULT_FAIL_ON))
    """The gate: statuses that fail the run, controls and form items that must be met."""
    options: RunOptions = field(default_factory=RunOptions)
    """Jobs, exclusions, cache, online settings; the config's exclusions and scope are added."""
    formats: tuple[str, ...] = ()
    """Report formats to write into `out` (none: nothing is written)."""
    out: Path | None = None
    bundle: Path | None = None
    """Write the evidence bundle (a .zip) here."""
    sign_key: Path | None = None
    keyless: Keyless | None = None
    """Sign the bundle keyless too (Sigstore, online); None: not."""
    max_waiver_days: int = DEFAULT_MAX_WAIVER_DAYS
    policy_file: FileDigest | None = None
    """The operator's policy file, recorded in the trust section."""
    narrow: Callable[[Catalog], Catalog] | None = None
    """A narrowing of the catalog before the run (precommit: the file-level controls only)."""
    attestations: Mapping[str, Attestation] = field(default_factory=dict)
    """Attestations given in code, on top of the config's (a library caller's)."""
    waivers: Mapping[str, Waiver] = field(default_factory=dict)
    quiet: bool = True
    """No progress on stderr."""


@dataclass(frozen=True)
class AssessmentOutcome:
    """The assessment, the gates it did not meet, and what was written."""

    assessment: Assessment
    failures: tuple[str, ...]
    """One line per unmet gate (empty: the policy is met)."""
    project: Project
    """The catalog, config and claims the run used."""
    out: Path | None = None

    @property
    def exit_code(self) -> int:
        """0 when the policy is met, 1 when not (the CLI's and the Action's exit code)."""
        return 1 if self.failures else 0


def load(request: AssessmentRequest) -> Project:
    """The request's catalog and config, validated (InputError on bad input) before any work."""
    project = load_project(
        request.target, request.config, request.catalog,
        use_config=request.discover_config,
        trust=request.config_trust, as_of=request.options.as_of,
        max_waiver_days=request.max_waiver_days,
    )  # fmt: skip
    if request.narrow is not None:
        project = dataclasses.replace(project, catalog=request.narrow(project.catalog))
    request.policy.validate(project.catalog)
    return project


def _config_in_target(request: AssessmentRequest, project: Project) -> bool | None:
    if project.config is None:
        return None
    if request.config is None:
        return True  # discovered in the target itself
    return inside_tree(Path(request.config), request.target)


def run(request: AssessmentRequest, project: Project | None = None) -> AssessmentOutcome:
    """Assess the target, write what the request asks for, and judge the gate.

    `project` is the result of `load(request)` when the caller loaded it first (assess-many
    validates every target's config before assessing any)."""
    project = project or load(request)
    base = request.options
    options = dataclasses.replace(
        base,
        excludes=base.excludes + project.excludes,
        exclude_sources={**base.exclude_sources, **project.exclude_sources},
        scope=project.scope,
    )
    assessment = assess(
        request.target, project.catalog, options,
        display=request.display or str(request.target),
        attestations={**project.attestations, **request.attestations},
        waivers={**project.waivers, **request.waivers},
        claims=project.claims, accepted=project.accepted, quiet=request.quiet,
    )  # fmt: skip
    assessment = dataclasses.replace(
        assessment, producer=project.producer,
        trust=TrustRecord(project.trust, project.config, request.policy_file,
                          _config_in_target(request, project)),
    )  # fmt: skip
    # The verdict is part of the record, so it is judged before anything is written.
    failures = tuple(request.policy.failures(assessment))
    policy = request.policy
    assessment = dataclasses.replace(assessment, gate=GateRecord(
        tuple(sorted(s.value for s in policy.fail_on)), policy.controls, policy.form_items,
        failures,
    ))  # fmt: skip
    # Rendered once: the output folder takes the chosen formats, the bundle every format.
    chosen = list(request.formats) if request.out is not None else []
    wanted = list(FORMATS) if request.bundle is not None else chosen
    rendered = render_formats(assessment, wanted)
    if chosen and request.out is not None:
        write_rendered({n: t for f in chosen for n, t in rendered[f].items()}, request.out)
    if request.bundle is not None:
        from baseline.bundle.write import write_bundle  # cryptography loads only for bundles

        every_file = {n: t for files in rendered.values() for n, t in files.items()}
        write_bundle(assessment, request.bundle, project.evidence,
                     str(request.sign_key) if request.sign_key else None,
                     config_files=project.config_files,
                     reports=every_file, keyless=request.keyless)  # fmt: skip
    return AssessmentOutcome(assessment, failures, project, request.out)
