"""ssdf-baseline: assess a source repository against the NIST SSDF (SP 800-218).

The public API (documented in docs/api.md; everything else is private by name):

- `run(AssessmentRequest(...)) -> AssessmentOutcome`: one assessment, as `baseline assess`
  runs it (config, catalog, policy, checks, evaluation, reports, bundle, gate);
- `load_catalog(id_or_path)`: a built-in or custom catalog, validated;
- `read_record(path)`: an `assessment.json` back as an `Assessment`, validated;
- `render(assessment, formats)`: report files in memory (`{file name: text}`);
- `register_check(Check(...))`: a check of your own that catalogs may name.
"""

import importlib
from typing import TYPE_CHECKING, Any

from baseline._version import __version__

# Loaded on first use, not on `import baseline`: `python -m baseline` imports this package
# before baseline/__main__.py can take the working folder off sys.path, and an assessed
# repository's yaml.py or json.py there must never be imported (tests/test_cli_assess.py).
_EXPORTS = {
    "load_catalog": ("baseline.catalog.loader", "load_catalog"),
    "Check": ("baseline.checks.interface", "Check"),
    "Param": ("baseline.checks.interface", "Param"),
    "Params": ("baseline.checks.interface", "Params"),
    "register_check": ("baseline.checks.registry", "register_check"),
    "Context": ("baseline.context", "Context"),
    "RunOptions": ("baseline.context", "RunOptions"),
    "Policy": ("baseline.policy", "Policy"),
    "read_record": ("baseline.report.record_io", "load_record"),
    "render": ("baseline.report.write", "render_all"),
    "AssessmentOutcome": ("baseline.service", "AssessmentOutcome"),
    "AssessmentRequest": ("baseline.service", "AssessmentRequest"),
    "run": ("baseline.service", "run"),
    **{
        name: ("baseline.models", name)
        for name in (
            "Assessment",
            "Attestation",
            "Catalog",
            "CheckOutcome",
            "ConfigTrust",
            "ControlStatus",
            "Evidence",
            "Finding",
            "Result",
            "Severity",
            "Waiver",
        )
    },
}

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562)."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'baseline' has no attribute {name!r}")
    module, attribute = _EXPORTS[name]
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


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
