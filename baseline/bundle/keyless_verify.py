"""Verify the bundle's keyless (Sigstore) signature offline, against a recorded trust root.

Like cosign, a keyless signature means nothing without the identity expected to have made it:
`KeylessPolicy` holds the certificate identity and OIDC issuer the operator expects, and the
trust root (Fulcio CAs, CT log and Rekor keys) comes from the operator or the sigstore package,
never from the bundle being verified. No network: the inclusion proof, its signed checkpoint
and the signed entry timestamp are all in the Sigstore bundle and checked against the root.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from baseline.bundle import SIGSTORE

if TYPE_CHECKING:
    from sigstore.models import TrustedRoot


@dataclass(frozen=True)
class KeylessPolicy:
    """Who must have signed, and the trust root to check it against."""

    identity: str
    """The certificate's expected identity (SAN): in GitHub Actions, the workflow's URL with its
    ref, e.g. `https://github.com/OWNER/REPO/.github/workflows/ci.yml@refs/heads/main`."""
    issuer: str
    """The expected OIDC issuer, e.g. `https://token.actions.githubusercontent.com`."""
    root: TrustedRoot
    root_name: str
    """How the trust root is named in the output (a file, or the embedded production root)."""
    root_sha256: str


def check_keyless(data: bytes | None, statement: bytes | None, policy: KeylessPolicy) -> str:
    """The note to show when `data` (the Sigstore bundle) verifies over `statement` for the
    policy's identity and issuer under its root; raises KeylessRefused with the reason if not."""
    from sigstore.errors import Error as SigstoreError
    from sigstore.models import Bundle
    from sigstore.verify import Verifier
    from sigstore.verify.policy import Identity

    if data is None:
        raise KeylessRefused(f"{SIGSTORE}: missing keyless signature")
    if statement is None:
        raise KeylessRefused(f"{SIGSTORE}: nothing to check it against (no statement)")
    try:
        bundle = Bundle.from_json(data)
    except (ValueError, SigstoreError) as exc:
        raise KeylessRefused(f"{SIGSTORE}: not a Sigstore bundle ({_line(exc)})") from None
    try:
        verifier = Verifier(trusted_root=policy.root)
        verifier.verify_artifact(statement, bundle, Identity(identity=policy.identity,
                                                             issuer=policy.issuer))  # fmt: skip
    except (ValueError, SigstoreError) as exc:
        raise KeylessRefused(f"{SIGSTORE}: keyless signature refused ({_line(exc)})") from None
    entry = bundle.log_entry._inner  # sigstore exposes the entry's fields on its model only
    return (
        # The certificate's identity (a SAN) and issuer are the expected ones: checked above.
        f"keyless signature verified ({SIGSTORE}): identity {policy.identity}, issuer "
        f"{policy.issuer}, Rekor log index {entry.log_index}, "
        f"{_integrated(entry.integrated_time)}, trust root {policy.root_name} "
        f"(sha256 {policy.root_sha256})"
    )


def _integrated(seconds: int | None) -> str:
    if not seconds:  # a Rekor v2 entry: the time comes from a signed timestamp instead
        return "no integrated time (the time is a timestamp authority's)"
    when = dt.datetime.fromtimestamp(int(seconds), dt.timezone.utc)
    return f"integrated {when.isoformat().replace('+00:00', 'Z')}"


class KeylessRefused(Exception):
    """The keyless signature does not verify; the message says why."""


def _line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
