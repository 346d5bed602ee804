"""The GitHub Action's main step: run `baseline assess`, then write the summary and outputs.

action.yml passes its inputs in environment variables (never by expanding them into the
script), calls `python -I -m baseline.ci.github_action --defer-exit` from the tool's own
virtualenv (isolated: the working directory is the assessed repository, which must never be on
sys.path), and exits with the code this step recorded once the optional SARIF upload has run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from baseline.bundle import MANIFEST
from baseline.ci.github_output import append_summary, write_outputs
from baseline.cli import main as baseline_main
from baseline.models import ControlStatus
from baseline.report.mdtext import md as md_escape
from baseline.report.view import STATUS_LABELS as LABELS
from baseline.terminal import say

# GitHub rejects a step summary over 1 MiB; leave room for the lines this module adds.
SUMMARY_LIMIT = 1_000_000
_LISTED = 50
REPORT_FILES = {
    "json": "assessment.json",
    "markdown": "report.md",
    "html": "report.html",
    "sarif": "results.sarif",
}


@dataclass(frozen=True)
class ActionInputs:
    """The action's inputs, as action.yml hands them over in BASELINE_* variables."""

    path: str = "."
    catalog: str = ""
    """Empty: `baseline assess` decides (the config's catalog at trust `all`, else ssdf-1.1)."""
    formats: str = "all"
    fail_on: str = ""
    """The statuses that fail the step ("": the policy's, else fail,error)."""
    out: str = "baseline-report"
    bundle: str = ""
    config_trust: str = ""
    """none, attestations or all ("": the policy's, else attestations). The Action runs on pull
    requests from anyone: by default only the vendor's claims in the repository's config count,
    not what changes what the tools look at (docs/vendor-workflow.md)."""
    policy: str = ""
    """The operator's policy file, outside the assessed tree ("" for none)."""
    config: str = ""
    """A project config file for `--config` ("": the assessed repository's own, if any)."""
    online: bool = False
    """Run the GitHub API checks (`--online`) with `api_token`."""
    api_token: str = field(default="", repr=False)
    """Token for the online checks: handed to the in-process run, never to a tool or a log."""
    sign_key: str = field(default="", repr=False)
    """An Ed25519 private key (PEM text, from a secret) to sign the bundle with."""
    sign_keyless: bool = False
    """Also sign the bundle keyless with Sigstore (`--sign-keyless`), as the workflow's OIDC
    identity: the job needs `permissions: id-token: write`."""
    sigstore_trust_config: str = ""
    """A Sigstore ClientTrustConfig file for a private instance ("": the public one)."""
    require: str = ""
    """Comma-separated tasks that must be met (`--require`)."""
    require_form_items: str = ""
    """Comma-separated CISA form items that must be attestable (`--require-form-item`)."""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ActionInputs:
        """Read the inputs; an empty variable means the default."""
        defaults = cls()

        def get(name: str, default: str) -> str:
            return env.get(f"BASELINE_{name}", "").strip() or default

        return cls(
            path=get("PATH", defaults.path),
            catalog=get("CATALOG", defaults.catalog),
            formats=get("FORMATS", defaults.formats),
            fail_on=get("FAIL_ON", ""),
            out=get("OUT", defaults.out),
            bundle=get("BUNDLE", ""),
            config_trust=get("CONFIG_TRUST", ""),
            policy=get("POLICY", ""),
            config=get("CONFIG", ""),
            online=get("ONLINE", "false").lower() == "true",
            api_token=env.get("BASELINE_API_TOKEN", "").strip(),
            sign_key=env.get("BASELINE_SIGN_KEY", ""),
            sign_keyless=get("SIGN_KEYLESS", "false").lower() == "true",
            sigstore_trust_config=get("SIGSTORE_TRUST_CONFIG", ""),
            require=get("REQUIRE", ""),
            require_form_items=get("REQUIRE_FORM_ITEMS", ""),
        )

    @property
    def fail_on_arg(self) -> str | None:
        """`--fail-on` for `baseline assess`: the input, else (without a policy) the default;
        None with a policy and no input, so that the policy's gate counts."""
        if self.fail_on or not self.policy:
            return self.fail_on or "fail,error"
        return None

    @property
    def gate(self) -> str:
        """The gate as the summary names it."""
        return self.fail_on_arg or "the policy's fail_on"


def assess_argv(inputs: ActionInputs, sign_key: Path | None = None) -> list[str]:
    """The `baseline` arguments for these inputs (a list: no shell ever sees them, and the run
    is in this process, so not even the process table). `sign_key`: where the key was put."""
    argv = ["assess", inputs.path, "--out", inputs.out, "--format", inputs.formats]
    if inputs.catalog:  # left empty, the same rule as `baseline assess` chooses the catalog
        argv += ["--catalog", inputs.catalog]
    if inputs.fail_on_arg is not None:
        argv += ["--fail-on", inputs.fail_on_arg]
    if inputs.policy:
        argv += ["--policy", inputs.policy]
    if inputs.config:
        argv += ["--config", inputs.config]
    # Given explicitly, the input wins over the policy; left empty, the policy's trust level
    # counts, and without a policy `attestations`.
    if inputs.config_trust or not inputs.policy:
        argv += ["--config-trust", inputs.config_trust or "attestations"]
    if inputs.bundle:
        argv += ["--bundle", inputs.bundle]
    if sign_key is not None:
        argv += ["--sign-key", str(sign_key)]
    if inputs.sign_keyless:
        argv += ["--sign-keyless"]
    if inputs.sigstore_trust_config:
        argv += ["--sigstore-trust-config", inputs.sigstore_trust_config]
    for task in _listed(inputs.require):
        argv += ["--require", task]
    for item in _listed(inputs.require_form_items):
        argv += ["--require-form-item", item]
    if inputs.online:
        argv += ["--online", "--github-token", inputs.api_token]
    return argv


def _listed(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _run_with_key(inputs: ActionInputs) -> int:
    """Run `baseline assess`; a signing key from a secret lives in a private file (0600, in a
    private folder) only while the run lasts."""
    if not inputs.sign_key:
        return run_baseline(assess_argv(inputs))
    if not inputs.bundle:
        say("baseline: the sign-key input needs the bundle input (a folder to write)")
        return 2
    with tempfile.TemporaryDirectory(prefix="baseline-key-") as folder:
        key = Path(folder) / "bundle.key"
        descriptor = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(inputs.sign_key)
        return run_baseline(assess_argv(inputs, key))


def run_baseline(argv: Sequence[str]) -> int:
    """Run the CLI in this process; a usage error (argparse's SystemExit) keeps its code."""
    try:
        return baseline_main(list(argv))
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2


FileStamp = tuple[int, int]


def stamps(out: Path, names: Sequence[str] = tuple(REPORT_FILES.values())) -> dict[str, FileStamp]:
    """(inode, mtime) of each named file present, to tell this run's files from older ones."""
    found = {}
    for name in names:
        try:
            info = (out / name).stat()
        except OSError:
            continue
        found[name] = (info.st_ino, info.st_mtime_ns)
    return found


def written_now(
    out: Path,
    before: Mapping[str, FileStamp],
    code: int,
    names: Sequence[str] = tuple(REPORT_FILES.values()),
) -> frozenset[str]:
    """Files this run wrote (they are replaced atomically: a new inode each time)."""
    if code not in (0, 1):  # no assessment was completed
        return frozenset()
    after = stamps(out, names)
    return frozenset(name for name, stamp in after.items() if before.get(name) != stamp)


def read_record(out: Path) -> dict[str, Any] | None:
    """The assessment record, if the run got far enough to write one."""
    try:
        record = json.loads((out / "assessment.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def fallback_summary(record: Mapping[str, Any]) -> str:
    """A short Markdown summary built from the record, for when report.md was not produced."""
    counts = record["summary"]
    lines = [
        f"## SSDF baseline: {md_escape(record['catalog']['id'])} on "
        f"{md_escape(record['target']['path'])}",
        "",
        "| Status | Tasks |",
        "| --- | ---: |",
        *(f"| {LABELS[s.value]} | {counts[s.value]} |" for s in ControlStatus),
    ]
    gaps = [r for r in record["results"] if r["status"] in ("fail", "error")]
    if gaps:
        lines += ["", "### Failing tasks", ""]
        lines += [
            f"- **{r['status'].upper()}** `{md_escape(r['control_id'])}`: {md_escape(r['reason'])}"
            for r in gaps[:_LISTED]
        ]
        if len(gaps) > _LISTED:
            lines.append(f"- ... and {len(gaps) - _LISTED} more (see assessment.json)")
    return "\n".join(lines) + "\n"


def build_summary(
    out: Path, record: Mapping[str, Any] | None, code: int, fail_on: str, with_report: bool
) -> str:
    """report.md when this run wrote one (capped), else the fallback; then the policy verdict."""
    report = out / REPORT_FILES["markdown"]
    if with_report:
        body = report.read_text(encoding="utf-8", errors="replace")
        if len(body.encode("utf-8")) > SUMMARY_LIMIT:
            body = body.encode("utf-8")[:SUMMARY_LIMIT].decode("utf-8", "ignore")
            body += f"\n\n(cut to fit the job summary; the full report is {report})\n"
    elif record is not None:
        body = fallback_summary(record)
    else:
        body = "## SSDF baseline\n\nThe assessment wrote no record; see the step's log.\n"
    verdict = {0: "met", 1: "not met"}.get(code, "not evaluated (bad input or internal error)")
    policy = f"**Policy** (fail on {md_escape(fail_on)}): {verdict}; exit code {code}."
    return f"{body.rstrip()}\n\n{policy}\n"


def build_outputs(
    inputs: ActionInputs,
    record: Mapping[str, Any] | None,
    code: int,
    written: frozenset[str],
    bundle_written: bool = False,
) -> dict[str, str]:
    """Step outputs: the exit code, counts by status, and the paths of what this run wrote.

    A path is set only for what this run wrote: after exit 2 or 3, or for files left by an
    earlier run, it is empty, so a later step never uploads or reads stale reports.
    """
    out = Path(inputs.out)
    outputs = {"exit-code": str(code), "report-dir": inputs.out if written else ""}
    summary = record["summary"] if record is not None else {}
    for status in ControlStatus:
        outputs[status.value.replace("_", "-")] = str(summary.get(status.value, ""))
    for key, name in REPORT_FILES.items():
        outputs[key] = str(out / name) if name in written else ""
    outputs["bundle"] = inputs.bundle if code in (0, 1) and bundle_written else ""
    return outputs


def run_step(env: Mapping[str, str]) -> int:
    """Assess, then write the summary and outputs whatever happened; baseline's exit code."""
    inputs = ActionInputs.from_env(env)
    # The secrets are read; no scanner or git started from here may inherit them.
    for name in ("BASELINE_API_TOKEN", "BASELINE_SIGN_KEY"):
        os.environ.pop(name, None)
    out = Path(inputs.out)
    before = stamps(out)
    bundle = Path(inputs.bundle)
    bundle_before = stamps(bundle, (MANIFEST,)) if inputs.bundle else {}
    code = _run_with_key(inputs)
    # Files left in `out` (or the bundle) by an earlier run must never be reported as this run's.
    written = written_now(out, before, code)
    bundle_written = bool(inputs.bundle) and bool(
        written_now(bundle, bundle_before, code, (MANIFEST,))
    )
    record = read_record(out) if REPORT_FILES["json"] in written else None
    with_report = REPORT_FILES["markdown"] in written
    append_summary(build_summary(out, record, code, inputs.gate, with_report), env)
    write_outputs(build_outputs(inputs, record, code, written, bundle_written), env)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -I -m baseline.ci.github_action`."""
    parser = argparse.ArgumentParser(prog="python -I -m baseline.ci.github_action")
    parser.add_argument("--defer-exit", action="store_true",
                        help="exit 0; the exit code is left in the `exit-code` output")  # fmt: skip
    args = parser.parse_args(argv)
    code = run_step(os.environ)
    return 0 if args.defer_exit else code


if __name__ == "__main__":
    sys.exit(main())
