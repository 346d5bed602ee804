"""ssdf-baseline: assess a source repository against the NIST SSDF (SP 800-218).

The public API (documented in docs/api.md; everything else is private by name):

- `run(AssessmentRequest(...)) -> AssessmentOutcome`: one assessment, as `baseline assess`
  runs it (config, catalog, policy, checks, evaluation, reports, bundle, gate);
- `load_catalog(id_or_path)`: a built-in or custom catalog, validated;
- `read_record(path)`: an `assessment.json` back as an `Assessment`, validated;
- `render(assessment, formats)`: report files in memory (`{file name: text}`);
- `register_check(Check(...))`: a check of your own that catalogs may name.
"""

from baseline._version import __version__
from baseline.catalog.loader import load_catalog
from baseline.checks.interface import Check, Param, Params
from baseline.checks.registry import register_check
from baseline.context import Context, RunOptions
from baseline.models import (
    Assessment,
    Attestation,
    Catalog,
    CheckOutcome,
    ConfigTrust,
    ControlStatus,
    Evidence,
    Finding,
    Result,
    Severity,
    Waiver,
)
from baseline.policy import Policy
from baseline.report.record_io import load_record as read_record
from baseline.report.write import render_all as render
from baseline.service import AssessmentOutcome, AssessmentRequest, run

__all__ = [
    "Assessment",
    "AssessmentOutcome",
    "AssessmentRequest",
    "Attestation",
    "Catalog",
    "Check",
    "CheckOutcome",
    "ConfigTrust",
    "Context",
    "ControlStatus",
    "Evidence",
    "Finding",
    "Param",
    "Params",
    "Policy",
    "Result",
    "RunOptions",
    "Severity",
    "Waiver",
    "__version__",
    "load_catalog",
    "read_record",
    "register_check",
    "render",
    "run",
]
