"""Write an evidence bundle: every file digested in a manifest, the manifest in a statement."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path

from baseline.bundle import CONTROL_FILES, ENVELOPE, MANIFEST, SIGSTORE, STATEMENT
from baseline.bundle.keyless import Keyless
from baseline.bundle.sign import envelope, load_private
from baseline.bundle.statement import statement
from baseline.errors import InputError
from baseline.jsontext import pretty
from baseline.models import Assessment
from baseline.outdir import write_tree
from baseline.project.paths import read_regular
from baseline.project.records import REPO_PREFIX
from baseline.report.registry import FORMATS
from baseline.report.write import render_all
from baseline.tools.sbom_doc import BUNDLE_PATH as SBOM_PATH
from baseline.tools.sbom_doc import GENERATED_NAME

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _safe_name(name: str) -> str:
    # Artifact names come from checks; keep them to one plain path component anyway.
    cleaned = _UNSAFE.sub("_", name).lstrip(".")
    return cleaned or "artifact"


def evidence_name(rel: str) -> str:
    """Where an attestation's evidence file goes in the bundle, by the root it was named from."""
    if rel.startswith(REPO_PREFIX):
        return f"attestations/repo/{rel[len(REPO_PREFIX) :]}"
    return f"attestations/config/{rel}"


def bundle_files(
    assessment: Assessment,
    evidence: Mapping[str, Path],
    config_files: Mapping[str, Path] | None = None,
    reports: Mapping[str, str] | None = None,
) -> dict[str, bytes]:
    """Bundle-relative path -> content, for everything the manifest lists.

    `reports` are every format's files when the caller rendered them already (one run renders
    once for its output folder and its bundle); they are rendered here otherwise."""
    if reports is None:
        reports = render_all(assessment, list(FORMATS))
    files: dict[str, bytes] = {
        f"reports/{name}": text.encode("utf-8", "backslashreplace")
        for name, text in reports.items()
    }
    for result in assessment.results:
        for item in result.evidence:
            for artifact in item.artifacts:
                if artifact.name == GENERATED_NAME:  # one SBOM, whichever check made it
                    files[SBOM_PATH] = artifact.content
                    continue
                files[f"tools/{_safe_name(item.check)}/{_safe_name(artifact.name)}"] = (
                    artifact.content
                )
    for rel, path in evidence.items():
        content = read_regular(path)
        if content is None:
            raise InputError.single(rel, "", "attestation evidence vanished during the run")
        files[evidence_name(rel)] = content
    for rel, path in (config_files or {}).items():
        content = read_regular(path)
        if content is None:
            raise InputError.single(rel, "", "the project config vanished during the run")
        files[f"config/{rel}"] = content
    return dict(sorted(files.items()))


def manifest(files: Mapping[str, bytes]) -> bytes:
    """The manifest: SHA-256 of every listed file, sorted, as JSON bytes."""
    doc = {
        "algorithm": "sha256",
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
    }
    return (pretty(doc) + "\n").encode("utf-8")


_LAYOUT = ("reports/", "tools/", "attestations/", "config/", "sbom/")


def _bundle_entry(rel: str) -> bool:
    """Whether an entry of an existing folder is part of a bundle's layout (ours to replace).

    Decided by the layout alone: an old manifest.json is never read to choose what to delete."""
    return rel in CONTROL_FILES or rel.startswith(_LAYOUT)


def write_bundle(
    assessment: Assessment,
    out: Path,
    evidence: Mapping[str, Path],
    sign_key: str | None = None,
    config_files: Mapping[str, Path] | None = None,
    reports: Mapping[str, str] | None = None,
    keyless: Keyless | None = None,
) -> list[str]:
    """Write the bundle into `out`; returns the names written. Signed when a key is given,
    and keyless (the same statement) when `keyless` is; both when both are.

    `reports`: every format's files, when already rendered (see bundle_files)."""
    key = load_private(sign_key) if sign_key else None
    files = bundle_files(assessment, evidence, config_files, reports)
    listing = manifest(files)
    record = hashlib.sha256(files["reports/assessment.json"]).hexdigest()
    stmt = statement(assessment, hashlib.sha256(listing).hexdigest(), record)
    whole = {**files, MANIFEST: listing, STATEMENT: stmt}
    if key is not None:
        whole[ENVELOPE] = envelope(stmt, key)
    if keyless is not None:
        # Signed before anything is written: a failure leaves no bundle, not an unsigned one.
        whole[SIGSTORE] = keyless.sign(stmt)
    # Built in a fresh folder and swapped in whole: an older bundle there goes with all its
    # files; a folder holding anything else (or any link) is refused.
    refuse = "is not empty and holds no bundle: name an empty or new folder"
    write_tree(out, whole, owns=_bundle_entry, foreign_ok=False, refuse_foreign=refuse)
    signatures = [name for name in (ENVELOPE, SIGSTORE) if name in whole]
    return [*files, MANIFEST, STATEMENT, *signatures]
