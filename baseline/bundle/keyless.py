"""Keyless signing of the bundle's statement with Sigstore (the optional `sigstore` extra).

The signer proves an OIDC identity (in GitHub Actions: the workflow that ran, with
`permissions: id-token: write`) instead of holding a key: Fulcio certifies a short-lived key for
that identity and Rekor, a public log, records the signature. The identity token is only ever
the ambient one (`sigstore.oidc.detect_credential`); no browser flow is ever started.

What is signed is `statement.json`'s exact bytes, as a Sigstore "message signature"
(hashedrekord) bundle, not a DSSE envelope: sigstore's in-toto model (`dsse.Statement`) accepts
only SHA-2/SHA-3 subject digests and refuses the statement's `gitCommit` subject, and the
statement must stay what it is without keyless signing. The same file also verifies with the
standard tool (`sigstore verify identity statement.json --bundle statement.sigstore.json ...`),
not only with `baseline verify`.

The `sigstore` package is imported only here and only when asked for, so the base install does
not carry it; without it, a clear input error (exit 2) names the extra to install.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from baseline.errors import InputError, ToolError
from baseline.project.paths import read_regular

if TYPE_CHECKING:
    from sigstore.models import ClientTrustConfig, TrustedRoot

EXTRA = "keyless signing needs the sigstore extra: pip install 'ssdf-baseline[sigstore]'"
NEEDS = (
    "no ambient OIDC credential: keyless signing runs in GitHub Actions with "
    "`permissions: id-token: write` (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN set)"
)
# Where sigstore-python keeps the production instance's trust root it ships with (the TUF
# repository's URL, quoted, under sigstore/_store): read as a file, never refreshed over TUF.
_PRODUCTION_STORE = "https%3A%2F%2Ftuf-repo-cdn.sigstore.dev"
PRODUCTION_ROOT_NAME = "sigstore production trusted_root.json (embedded in the sigstore package)"
_HELD = 16 * 1024 * 1024


@dataclass(frozen=True)
class Keyless:
    """Sign the bundle's statement keyless too (online: the instance's Fulcio and Rekor)."""

    trust_config: Path | None = None
    """A ClientTrustConfig JSON file (a private instance); None: Sigstore's production one."""

    def check(self) -> None:
        """Before the run: the extra is installed, the trust config loads, and an ambient
        credential exists (a fresh token is fetched again when signing: tokens are short-lived)."""
        require_sigstore("--sign-keyless")
        if self.trust_config is not None:  # production's is fetched (TUF) when signing
            load_trust_config(self.trust_config)
        ambient_token()

    def sign(self, statement: bytes) -> bytes:
        """The Sigstore bundle over `statement` (see sign_statement)."""
        return sign_statement(statement, self.trust_config)


def require_sigstore(option: str) -> None:
    """InputError naming the extra when the `sigstore` package is not installed."""
    try:
        import sigstore  # noqa: F401
    except ImportError:
        raise InputError.single(option, "", EXTRA) from None


def _read(path: Path, option: str) -> bytes:
    data = read_regular(path, _HELD)
    if data is None:
        raise InputError.single(str(path), "", f"cannot be read as a regular file ({option})")
    return data


def load_trust_config(path: Path | None) -> ClientTrustConfig:
    """The instance to sign with: a ClientTrustConfig JSON file, else Sigstore's production
    instance (its trust root refreshed over TUF: signing is online anyway)."""
    from sigstore.errors import Error as SigstoreError
    from sigstore.models import ClientTrustConfig

    option = "--sigstore-trust-config"
    if path is None:
        try:
            return ClientTrustConfig.production()
        except SigstoreError as exc:
            raise ToolError("sigstore", f"cannot load the production trust config: {exc}") from None
    raw = _read(path, option)
    try:
        config = ClientTrustConfig.from_json(raw.decode("utf-8"))
        config.signing_config  # noqa: B018 - validated now, not halfway through signing
        config.trusted_root  # noqa: B018
    except (ValueError, UnicodeDecodeError, SigstoreError) as exc:
        why = f"not a Sigstore ClientTrustConfig: {_first_line(exc)}"
        raise InputError.single(str(path), "", why) from None
    return config


def load_trust_root(path: Path | None) -> tuple[TrustedRoot, str, str]:
    """(trust root, how it is named, SHA-256 of its file) for verification, never from the
    network and never from the bundle: FILE, else the production root sigstore ships."""
    from sigstore._internal.trust import KeyringPurpose
    from sigstore.errors import Error as SigstoreError
    from sigstore.models import TrustedRoot
    from sigstore_models.trustroot import v1 as trustroot_v1

    if path is None:
        raw = resources.files("sigstore._store") / _PRODUCTION_STORE / "trusted_root.json"
        data, name = raw.read_bytes(), PRODUCTION_ROOT_NAME
    else:
        data, name = _read(path, "--trust-root"), str(path)
    try:
        root = TrustedRoot(trustroot_v1.TrustedRoot.from_json(data))
        # Every part verification needs, now: a root without them is not one to verify with.
        root.get_fulcio_certs()
        root.ct_keyring(KeyringPurpose.VERIFY)
        root.rekor_keyring(KeyringPurpose.VERIFY)
    except (ValueError, SigstoreError) as exc:
        why = f"not a Sigstore trusted root: {_first_line(exc)}"
        raise InputError.single(name, "", why) from None
    return root, name, hashlib.sha256(data).hexdigest()


def ambient_token() -> str:
    """The ambient OIDC token (audience `sigstore`); InputError when there is none."""
    from sigstore.oidc import IdentityError, detect_credential

    try:
        token = detect_credential()
    except IdentityError as exc:
        raise InputError.single("--sign-keyless", "", f"{NEEDS}: {exc}") from None
    if token is None:
        raise InputError.single("--sign-keyless", "", NEEDS)
    return token


def sign_statement(statement: bytes, trust_config: Path | None) -> bytes:
    """A Sigstore bundle (JSON bytes) over `statement`, for the ambient OIDC identity.

    Reaches the instance's Fulcio and Rekor; every failure is a ToolError (nothing is written)."""
    import requests
    from sigstore._internal.fulcio.client import FulcioClientError
    from sigstore._internal.rekor import RekorClientError
    from sigstore.errors import Error as SigstoreError
    from sigstore.oidc import IdentityError, IdentityToken
    from sigstore.sign import SigningContext

    config = load_trust_config(trust_config)
    try:
        token = IdentityToken(ambient_token())
    except IdentityError as exc:
        raise InputError.single("--sign-keyless", "", f"unusable OIDC token: {exc}") from None
    # sigstore raises its own errors, and its Fulcio and Rekor clients theirs and requests'.
    failures: tuple[type[BaseException], ...] = (
        SigstoreError, FulcioClientError, RekorClientError, requests.RequestException, ValueError,
    )  # fmt: skip
    try:
        with SigningContext.from_trust_config(config).signer(token, cache=True) as signer:
            bundle = signer.sign_artifact(statement)
    except failures as exc:
        raise ToolError("sigstore", f"keyless signing failed: {_first_line(exc)}") from None
    return (bundle.to_json() + "\n").encode("utf-8")


def _first_line(exc: Any) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
