"""The files `baseline init` writes: a commented config and an attestation template."""

from __future__ import annotations

import datetime as dt
import textwrap

from baseline.models import AttestationLevel, Catalog, Control

ATTESTATIONS_NAME = "baseline-attestations.toml"


def needs_person(control: Control) -> bool:
    """A control a tool cannot settle alone: attestation required, or no automated check."""
    return control.attestation is AttestationLevel.REQUIRED or not control.checks


def _comment(text: str) -> list[str]:
    return [f"# {line}" for line in textwrap.wrap(" ".join(text.split()), 96)]


def config_text(catalog: Catalog) -> str:
    """A commented `.baseline.toml` that loads as it is."""
    return f"""\
# ssdf-baseline project config. Every key, with types, defaults and examples:
# `baseline config keys`; what counts and why not: `baseline config check`.
# Every path below is relative to this file's folder and may not leave it
# (no absolute paths, no '..', no symbolic links).

# The catalog to assess against: a built-in id or a catalog file beside this one.
catalog = "{catalog.id}"

# Glob patterns (repository-relative) of paths no check should look at.
excludes = []

# Files holding [[attestations]] and [[waivers]] (they may also be written here).
include = ["{ATTESTATIONS_NAME}"]

# Who produces the software, for the CISA Secure Software Development Attestation Form.
# [producer]
# name = "Example Corp"
# address = "1 Main Street, Springfield"
# contact_name = "Jane Doe"
# contact_title = "CISO"
# contact_email = "security@example.com"
# contact_phone = "+1 555 0100"
# website = "https://example.com"
# scope = "All versions released after 2024-01-01"
# attestation_type = "new"              # or "extension", "revised" (form section I)
# software_covered = "individual-product"  # or "company-wide", "multiple-products"
# attested_by = "signatory"             # or "third-party-assessor" (form section III)
# [[producer.products]]
# name = "Example App"
# version = "2.1"

# Controls that do not apply to this product, each with the reason.
# [[not_applicable]]
# control = "PW.6.1"
# reason = "Interpreted language: no compiler or build flags."

# Parameters for a check attached to a control (`baseline explain CHECK` lists them).
# [[params]]
# control = "PS.1.1"
# check = "repo.no_binary_artifacts"
# params = {{ allow = ["docs/*.png"] }}

# Semgrep rule files or folders of your own, run with the shipped rules (relative to the
# repository root; an id a shipped rule already has is refused: `baseline config keys`).
# [semgrep]
# extra_rules = ["ci/semgrep/"]
"""


def _attestation_block(control: Control, example_day: dt.date) -> list[str]:
    why = (
        "attestation required"
        if control.attestation is AttestationLevel.REQUIRED
        else ("no automated check")
    )
    expires = example_day.replace(year=example_day.year + 1)
    return [
        f"# ---- {control.id}: {control.title} ({why})",
        *_comment(control.summary),
        "# [[attestations]]",
        f'# control = "{control.id}"',
        '# statement = "How this task is met, in your words."',
        '# by = "Name, role"',
        f"# date = {example_day.isoformat()}",
        f"# expires = {expires.isoformat()}",
        '# evidence = [{ path = "docs/evidence.pdf", sha256 = "<sha256sum of the file>" }]',
        '# urls = ["https://intranet.example.com/policy"]',
        "",
    ]


def attestations_text(catalog: Catalog, today: dt.date) -> str:
    """One commented attestation per control that needs a person, and a waiver example."""
    people = [c for c in catalog.controls if needs_person(c)]
    lines = [
        f"# Attestations for {catalog.title} ({catalog.id}).",
        f"# {len(people)} controls need a person. For each one you can attest to, uncomment",
        "# its block and fill it in. An attestation counts only while it is dated, not",
        "# expired, and every evidence file is present with the SHA-256 written here.",
        "# Evidence paths are relative to the folder of .baseline.toml.",
        "",
    ]
    for control in people:
        lines.extend(_attestation_block(control, today))
    lines += [
        "# ---- Waivers (POA&M entries): a failing control accepted until a date, with a plan.",
        "# [[waivers]]",
        '# control = "PS.1.1"',
        '# reason = "Legacy installer binaries are still committed."',
        '# mitigation = "Binaries are signed and their hashes are checked at release."',
        '# owner = "Release team"',
        '# approver = "CISO"',
        f"# expires = {today.replace(year=today.year + 1).isoformat()}",
        f'# milestones = [{{ date = {today.isoformat()}, description = "Move binaries out" }}]',
    ]
    return "\n".join(lines) + "\n"
