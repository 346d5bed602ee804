"""Ed25519 keys and DSSE envelopes (the signature format in-toto uses)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from baseline.errors import InputError
from baseline.outdir import write_file

PAYLOAD_TYPE = "application/vnd.in-toto+json"


def pae(payload_type: str, body: bytes) -> bytes:
    """DSSE pre-authentication encoding: what is actually signed."""
    kind = payload_type.encode("utf-8")
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(body), body)


def key_id(public: Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key, so a reader can tell which key signed."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def keygen(prefix: str, force: bool = False) -> tuple[Path, Path]:
    """Write PREFIX.key (private, mode 0600) and PREFIX.pub; refuse to overwrite unless forced."""
    private_path, public_path = Path(f"{prefix}.key"), Path(f"{prefix}.pub")
    existing = [str(p) for p in (private_path, public_path) if p.exists() or p.is_symlink()]
    if existing and not force:
        raise InputError.single(existing[0], "", "already exists (use --force to replace it)")
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    write_file(private_path, private, mode=0o600)  # 0600 from creation, never wider
    write_file(public_path, public, mode=0o644)
    return private_path, public_path


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError.single(path, "", f"cannot read the key: {exc.strerror or exc}") from None


def load_private(path: str) -> Ed25519PrivateKey:
    """An Ed25519 private key from a PEM file; InputError when it is not one."""
    try:
        key = serialization.load_pem_private_key(_read(path), password=None)
    except (ValueError, TypeError) as exc:
        raise InputError.single(path, "", f"not an unencrypted PEM private key: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError.single(path, "", "not an Ed25519 key")
    return key


def load_public(path: str) -> Ed25519PublicKey:
    """An Ed25519 public key from a PEM file; InputError when it is not one."""
    try:
        key = serialization.load_pem_public_key(_read(path))
    except (ValueError, TypeError) as exc:
        raise InputError.single(path, "", f"not a PEM public key: {exc}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise InputError.single(path, "", "not an Ed25519 public key")
    return key


def envelope(payload: bytes, key: Ed25519PrivateKey) -> bytes:
    """A DSSE envelope over `payload`, as deterministic JSON (Ed25519 is deterministic)."""
    signature = key.sign(pae(PAYLOAD_TYPE, payload))
    doc = {
        "payloadType": PAYLOAD_TYPE,
        "payload": base64.b64encode(payload).decode("ascii"),
        "signatures": [
            {"keyid": key_id(key.public_key()), "sig": base64.b64encode(signature).decode()}
        ],
    }
    return (json.dumps(doc, indent=2) + "\n").encode("utf-8")


def open_envelope(data: bytes, key: Ed25519PublicKey) -> tuple[bytes | None, str]:
    """(payload, "") when some signature verifies under `key`, else (None, why)."""
    try:
        doc = json.loads(data)
        payload = base64.b64decode(doc["payload"], validate=True)
        kind = doc["payloadType"]
        sigs = [base64.b64decode(s["sig"], validate=True) for s in doc["signatures"]]
    except (ValueError, KeyError, TypeError, RecursionError, binascii.Error) as exc:
        return None, f"not a DSSE envelope ({type(exc).__name__})"
    if kind != PAYLOAD_TYPE:
        return None, f"payloadType {kind!r} is not {PAYLOAD_TYPE}"
    for sig in sigs:
        try:
            key.verify(sig, pae(kind, payload))
        except InvalidSignature:
            continue
        return payload, ""
    return None, "no signature verifies with the given public key"
