"""The vendor's SBOM: present, valid, carrying the minimum elements, and true to the lockfiles.

Where an SBOM is looked for: the file the `path` parameter names, else the usual names at the
root (`*.cdx.json`, `*.spdx.json`, `bom.json`, `sbom.json`, ...) and every `*.json` in a
`sbom/` or `.sbom/` folder. Each document is read by its format's adapter (CycloneDX with
`cyclonedx-python-lib`, SPDX with `spdx-tools`; baseline/tools/), then judged:

- no SBOM: `fail`, and one is generated from the lockfiles (baseline/checks/sbom_generate.py)
  for the bundle, so the vendor has a start;
- a file that is no JSON, no known format, or that the library cannot read: `error` (never a
  pass on what could not be read);
- schema or validation errors: `fail`, each with the file and the JSON pointer;
- minimum elements (NTIA 2021; with the `required` parameter also CISA 2025's): per element,
  how many components lack it; over `max_missing_percent` of them: `fail`;
- the lockfiles' pins (Python: requirements pinned with `==`, poetry/uv/pdm/pylock/Pipfile
  locks; npm: package-lock.json) against the SBOM's components: a locked package missing from
  the SBOM, or present with another version, is a mismatch; more than
  `max_lockfile_mismatches`: `fail`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from packaging.utils import canonicalize_name

from baseline.checks import sbom_generate
from baseline.checks.interface import Check, Param, Params
from baseline.context import Context
from baseline.models import Artifact, CheckOutcome, Evidence, Finding, Severity, fingerprint
from baseline.tools.sbom_doc import (
    BUNDLE_PATH,
    CISA_2025,
    COMPONENT_ELEMENTS,
    ELEMENT_NAMES,
    ELEMENTS,
    NTIA_2021,
    SbomDoc,
    Unreadable,
)

CHECK_ID = "sbom.present_and_valid"
# gitignore patterns (baseline/globs.py): anchored, so only the root and its sbom/ folders.
NAME_GLOBS = (
    "/*.cdx.json",
    "/*.spdx.json",
    "/*.sbom.json",
    "/*.bom.json",
    "/bom.json",
    "/sbom.json",
    "/sbom/*.json",
    "/.sbom/*.json",
)
READ_LIMIT = 64 * 1024 * 1024
_LISTED = 5  # pointers named per element finding


def find_sboms(ctx: Context, named: str) -> list[str]:
    """The SBOM files to judge: the named one, else those with the usual names."""
    if named:
        return [named]
    return sorted(ctx.matching(NAME_GLOBS))


def _finding(rule: str, message: str, path: str, *key: str, line: int | None = None) -> Finding:
    return Finding(
        rule=rule,
        message=message,
        severity=Severity.MEDIUM,
        path=path,
        line=line,
        fingerprint=fingerprint(CHECK_ID, rule, path, *key),
        tool="ssdf-baseline",
    )


def read_sbom(ctx: Context, path: str) -> SbomDoc:
    """Read one SBOM file with its format's library; Unreadable when it cannot be read."""
    from baseline.tools import cyclonedx, spdx

    if path not in ctx.files:  # named in the config: missing, excluded, or a link
        raise Unreadable("not a file of the assessed tree (missing, excluded, or a link)")
    try:
        text = ctx.read_bytes(path, READ_LIMIT).decode("utf-8")
        doc: Any = json.loads(text)
    except (OSError, ValueError, RecursionError) as exc:  # undecodable, not JSON, too deep
        raise Unreadable(f"not a readable JSON file: {exc}") from exc
    if not isinstance(doc, dict):
        raise Unreadable("the JSON document is not an object")
    if doc.get("bomFormat") == "CycloneDX":
        return cyclonedx.read(text, doc)
    if "spdxVersion" in doc:
        return spdx.read(doc)
    raise Unreadable("neither CycloneDX (bomFormat) nor SPDX (spdxVersion) JSON")


def _read_or_say(ctx: Context, path: str) -> SbomDoc | str:
    """The read SBOM, or why it could not be read (Unreadable is a ValueError)."""
    try:
        return read_sbom(ctx, path)
    except (OSError, ValueError, RecursionError) as exc:  # RecursionError: a nesting bomb
        return str(exc) or type(exc).__name__


def _element_findings(
    path: str, sbom: SbomDoc, required: Sequence[str], limit: int
) -> list[Finding]:
    findings = []
    for element in required:
        name = ELEMENT_NAMES[element]
        if element not in COMPONENT_ELEMENTS:
            if element not in sbom.present:
                findings.append(
                    _finding("missing-element", f"the SBOM has no {name}", path, element)
                )
            continue
        lacking = [p for p in sbom.parts if element not in p.present]
        if lacking and len(lacking) * 100 > limit * len(sbom.parts):
            shown = ", ".join(p.pointer for p in lacking[:_LISTED])
            more = f" and {len(lacking) - _LISTED} more" if len(lacking) > _LISTED else ""
            findings.append(
                _finding(
                    "missing-element",
                    f"{len(lacking)} of {len(sbom.parts)} component(s) lack the {name}: "
                    f"{shown}{more}",
                    path,
                    element,
                )
            )
    return findings


def _counts(sbom: SbomDoc) -> str:
    """Per element, how many components lack it (document elements: present or not)."""
    said = []
    for element in ELEMENTS:
        if element in COMPONENT_ELEMENTS:
            lacking = sum(1 for p in sbom.parts if element not in p.present)
            said.append(f"{element} {lacking}")
        else:
            said.append(f"{element} {'ok' if element in sbom.present else 'missing'}")
    return f"{sbom.format}, {len(sbom.parts)} component(s); lacking: {', '.join(said)}"


def _lock_findings(ctx: Context, read: Sequence[tuple[str, SbomDoc]]) -> list[Finding]:
    """Locked packages missing from every SBOM, or listed with other versions."""
    listed: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for path, sbom in read:
        for part in sbom.parts:
            ecosystem = part.ecosystem or "pypi"  # no purl: compared as a Python name
            name = canonicalize_name(part.name) if ecosystem == "pypi" else part.name
            key = (ecosystem, name)
            listed.setdefault(key, []).append((part.version, path, part.pointer))
    findings = []
    for lock in sbom_generate.locked(ctx):
        seen = listed.get((lock.ecosystem, lock.name), [])
        versions = {v for v, _, _ in seen}
        label = f"{lock.ecosystem}:{lock.name}=={lock.version}"
        if not seen:
            findings.append(
                _finding(
                    "missing-from-sbom",
                    f"{label} is locked here but not in the SBOM",
                    lock.path,
                    lock.ecosystem,
                    lock.name,
                    line=lock.line,
                )
            )
        elif lock.version not in versions:
            _, where, at = seen[0]
            findings.append(
                _finding(
                    "version-differs",
                    f"{label} is locked here, the SBOM lists {', '.join(sorted(versions))} "
                    f"({where}#{at})",
                    lock.path,
                    lock.ecosystem,
                    lock.name,
                    line=lock.line,
                )
            )
    return findings


def _generated(ctx: Context) -> Artifact:
    return Artifact(sbom_generate.ARTIFACT, sbom_generate.generate(ctx).encode("utf-8"))


def _absent(ctx: Context) -> Evidence:
    artifact = _generated(ctx)
    return Evidence(
        CHECK_ID,
        CheckOutcome.FAIL,
        f"no SBOM found ({', '.join(NAME_GLOBS)}); one was generated from the lockfiles "
        f"({sbom_generate.ECOSYSTEMS}) for the bundle as {BUNDLE_PATH}",
        findings=(_finding("no-sbom", "the repository holds no SBOM", ""),),
        artifacts=(artifact,),
    )


def _run(ctx: Context, params: Params) -> Evidence:
    files = find_sboms(ctx, str(params["path"]))
    if not files and params["when_absent"] == "not_applicable":
        # A task the SBOM supports without resting on it (PW.4.1): one in the repository is
        # judged as evidence; none leaves the task to its other checks and its attestation.
        return Evidence(
            CHECK_ID,
            CheckOutcome.NOT_APPLICABLE,
            f"no SBOM in the repository ({', '.join(NAME_GLOBS)}); this task does not rest on "
            "one (when_absent = not_applicable), a committed SBOM would be judged here",
        )
    if not files:
        return _absent(ctx)
    digests = {path: ctx.sha256(path) for path in files if path in ctx.files}  # before reading
    read: list[tuple[str, SbomDoc]] = []
    unread: list[tuple[str, str]] = []
    for path in files:
        doc = _read_or_say(ctx, path)
        if isinstance(doc, str):
            unread.append((path, doc))
        else:
            read.append((path, doc))
    if unread:
        path, why = unread[0]
        return Evidence(
            CHECK_ID,
            CheckOutcome.ERROR,
            f"{path}: could not be read as an SBOM",
            files=tuple(files),
            digests=digests,
            error=f"{path}: {why}; fix or remove the file (or name another with `path`)",
        )
    invalid = [
        _finding("schema-error", f"{p.message} (at {p.pointer or '/'})", path, p.pointer, p.message)
        for path, sbom in read
        for p in sbom.problems
    ]
    if invalid:
        return Evidence(
            CHECK_ID,
            CheckOutcome.FAIL,
            f"{len(invalid)} schema or validation error(s), first {invalid[0].path}: "
            f"{invalid[0].message}",
            findings=tuple(invalid),
            files=tuple(files),
            digests=digests,
        )
    required = list(params["required"])
    elements = [
        f
        for path, sbom in read
        for f in _element_findings(path, sbom, required, int(params["max_missing_percent"]))
    ]
    mismatches = _lock_findings(ctx, read)
    over = len(mismatches) > int(params["max_lockfile_mismatches"])
    said = "; ".join(f"{path}: {_counts(sbom)}" for path, sbom in read)
    lock_said = f"{len(mismatches)} lockfile mismatch(es)"
    findings = elements + (mismatches if over else [])
    if findings:
        return Evidence(
            CHECK_ID,
            CheckOutcome.FAIL,
            f"{len(elements)} minimum element(s) missing, {lock_said}; {said}",
            findings=tuple(findings),
            files=tuple(files),
            digests=digests,
        )
    return Evidence(
        CHECK_ID,
        CheckOutcome.PASS,
        f"valid SBOM(s) with the required elements, {lock_said}; {said}",
        files=tuple(files),
        digests=digests,
    )


PRESENT_AND_VALID = Check(
    id=CHECK_ID,
    question="Does the repository hold a valid SBOM (CycloneDX or SPDX JSON) with the minimum "
    "elements, listing the locked dependencies at their locked versions?",
    run=_run,
    params={
        "path": Param(
            str, "", "Repository-relative path of the SBOM; empty: look for the usual names"
        ),
        "required": Param(
            list,
            list(NTIA_2021),
            "Minimum elements that must be present (NTIA 2021 by default; add "
            f"{', '.join(CISA_2025)} for CISA's 2025 draft)",
            choices=ELEMENTS,
        ),
        "max_missing_percent": Param(
            int,
            0,
            "Share of components (percent) that may lack a required element",
            bounds=(0, 100),
        ),
        "max_lockfile_mismatches": Param(
            int,
            0,
            "How many locked packages may be missing from the SBOM or differ in version",
            bounds=(0, 1_000_000),
        ),
        "when_absent": Param(
            str,
            "fail",
            "What no SBOM in the repository means: `fail` (and one is generated for the bundle) "
            "where the task asks for an SBOM, `not_applicable` where an SBOM is evidence the "
            "task may be judged on but does not need",
            choices=("fail", "not_applicable"),
        ),
    },
)
