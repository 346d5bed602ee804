"""Verify an evidence bundle: every file as the manifest lists it, the manifest as the statement
records it, and (with a public key, or an expected keyless identity) the statement as signed."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from baseline.bundle import CONTROL_FILES, ENVELOPE, MANIFEST, SIGSTORE, STATEMENT
from baseline.bundle.sign import open_envelope
from baseline.bundle.statement import STATEMENT_TYPE
from baseline.errors import InputError
from baseline.project.paths import (
    file_sha256,
    not_regular_reason,
    read_regular,
    unsafe_reason,
)

if TYPE_CHECKING:
    from baseline.bundle.keyless_verify import KeylessPolicy

# The manifest, statement and envelope are parsed in memory: a larger one is not a real one
# (and reads as unparsable); listed files are digested in blocks, at any size.
_HELD = 64 * 1024 * 1024


@dataclass
class Verdict:
    """What verification found: problems fail it; notes are for information."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checked: int = 0


def _present(root: Path) -> set[str]:
    found: set[str] = set()
    for folder, dirs, files in os.walk(root):
        base = Path(folder)
        for name in [*files, *(d for d in dirs if (base / d).is_symlink())]:
            found.add((base / name).relative_to(root).as_posix())
    return found


def _json(data: bytes | None) -> Any:
    try:
        return json.loads(data) if data is not None else None
    except (ValueError, RecursionError):  # garbled or nested beyond reason: not a usable file
        return None


def _files(root: Path, verdict: Verdict) -> dict[str, str]:
    listing = _json(read_regular(root / MANIFEST, _HELD))
    files = listing.get("files") if isinstance(listing, dict) else None
    if not isinstance(files, dict):
        why = "missing" if not (root / MANIFEST).exists() else "not a readable manifest"
        verdict.problems.append(f"{MANIFEST}: {why}")
        return {}
    return {str(k): str(v) for k, v in files.items()}


def _check_listed(root: Path, listed: dict[str, str], verdict: Verdict) -> None:
    for name, digest in sorted(listed.items()):
        if unsafe_reason(name) is not None:
            verdict.problems.append(f"{name}: not a path inside the bundle ({MANIFEST})")
            continue
        actual = file_sha256(root / name)  # in blocks: a bundle file may be large
        if actual is None:
            why = not_regular_reason(root / name) or "cannot be read"
            shown = "missing" if why == "does not exist" else why
            verdict.problems.append(f"{name}: {shown} (listed in {MANIFEST})")
        elif actual != digest:
            verdict.problems.append(f"{name}: changed (sha256 does not match {MANIFEST})")
        else:
            verdict.checked += 1
    extra = _present(root) - set(listed) - set(CONTROL_FILES)
    verdict.problems.extend(f"{name}: extra file, not in {MANIFEST}" for name in sorted(extra))


def _check_statement(root: Path, verdict: Verdict) -> bytes | None:
    raw = read_regular(root / STATEMENT, _HELD)
    doc = _json(raw)
    if not isinstance(doc, dict) or doc.get("_type") != STATEMENT_TYPE:
        verdict.problems.append(f"{STATEMENT}: missing or not an in-toto Statement v1")
        return raw
    predicate = doc.get("predicate")
    listing = predicate.get("manifest") if isinstance(predicate, dict) else None
    recorded = listing.get("sha256") if isinstance(listing, dict) else None
    manifest = read_regular(root / MANIFEST, _HELD)
    if manifest is not None and hashlib.sha256(manifest).hexdigest() != recorded:
        verdict.problems.append(f"{MANIFEST}: changed (sha256 does not match {STATEMENT})")
    return raw


def _check_signature(
    root: Path, statement: bytes | None, key: Ed25519PublicKey | None, verdict: Verdict
) -> None:
    data = read_regular(root / ENVELOPE, _HELD)
    if key is None:
        if data is not None:
            verdict.notes.append(f"signature not checked ({ENVELOPE}; give --key to check it)")
        return
    if data is None:
        verdict.problems.append(f"{ENVELOPE}: missing signature")
        return
    payload, why = open_envelope(data, key)
    if payload is None:
        verdict.problems.append(f"{ENVELOPE}: bad signature ({why})")
    elif payload != statement:
        verdict.problems.append(f"{STATEMENT}: changed (differs from the signed statement)")
    else:
        verdict.notes.append(f"signature verified ({ENVELOPE})")


def _check_keyless(
    root: Path, statement: bytes | None, policy: KeylessPolicy | None, verdict: Verdict
) -> None:
    data = read_regular(root / SIGSTORE, _HELD)
    if policy is None:
        if data is not None:
            verdict.notes.append(
                f"keyless signature not checked ({SIGSTORE}; give --certificate-identity and "
                "--certificate-oidc-issuer to check it)"
            )
        return
    from baseline.bundle.keyless_verify import KeylessRefused, check_keyless

    try:
        verdict.notes.append(check_keyless(data, statement, policy))
    except KeylessRefused as exc:
        verdict.problems.append(str(exc))


def verify_bundle(
    root: Path, key: Ed25519PublicKey | None = None, keyless: KeylessPolicy | None = None
) -> Verdict:
    """Check everything; every changed, missing or extra file is named. `key` and `keyless`
    each require their signature (a bundle may carry both)."""
    if not root.is_dir() or root.is_symlink():
        raise InputError.single(str(root), "", "is not a bundle folder")
    verdict = Verdict()
    _check_listed(root, _files(root, verdict), verdict)
    statement = _check_statement(root, verdict)
    _check_signature(root, statement, key, verdict)
    _check_keyless(root, statement, keyless, verdict)
    if key is None and keyless is None:
        signed = any(os.path.lexists(root / name) for name in (ENVELOPE, SIGSTORE))
        verdict.notes.append(
            "no signature checked: the bundle is only consistent with itself"
            if signed
            else "the bundle is not signed: it is only consistent with itself"
        )
    return verdict
