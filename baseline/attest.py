"""Attestations built in code (the library's counterpart of the config's `[[attestations]]`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

from baseline.models import Attestation, EvidenceFile
from baseline.project.paths import file_sha256


def attestation(
    control: str,
    statement: str,
    by: str,
    date: dt.date,
    evidence: Sequence[Path],
    *,
    expires: dt.date | None = None,
    recorded: Mapping[Path, str] | None = None,
) -> Attestation:
    """A person's claim that `control` is met, with evidence files.

    Each file's SHA-256 is read now. `recorded` gives the digest written down when the evidence
    was reviewed (file -> sha256); a file that changed since then, or is missing, makes the
    attestation invalid (the task then stays `needs_review`, with the reason), exactly as in a
    config file. Without `recorded`, the digest read now is the recorded one."""
    files = []
    for path in evidence:
        actual = file_sha256(path)
        declared = (recorded or {}).get(path, actual)
        files.append(EvidenceFile(str(path), declared, actual))
    return Attestation(control, statement, by, date, expires, tuple(files))
