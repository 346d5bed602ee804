"""A fake Sigstore instance on loopback, for keyless signing tests without the internet.

One HTTP server (threads) plays every service sigstore-python talks to when signing:

- a GitHub Actions OIDC token endpoint (`GET /oidc/token?audience=...`, as
  ACTIONS_ID_TOKEN_REQUEST_URL): an HS256 JWT (sigstore does not check the token's signature;
  Fulcio would) with aud `sigstore` and GitHub-like claims;
- Fulcio (`POST /api/v2/signingCert`): its own root and issuing CA; the leaf carries the
  workflow identity (SAN URI), the issuer extensions, and one embedded precertificate SCT
  signed by the instance's CT log key over the leaf's TBS without the SCT extension (what
  sigstore/_internal/sct.py rebuilds and checks);
- Rekor v1 (`POST /api/v1/log/entries`): the entry with integratedTime, logID, logIndex, a
  signed entry timestamp over the canonical entry (RFC 8785), and an inclusion proof in a
  one-leaf tree (root = the leaf hash, no sibling hashes) with a signed checkpoint whose
  signature starts with the log id's first 4 bytes (sigstore/_internal/rekor/checkpoint.py).

`trust_config()` is the ClientTrustConfig JSON (trusted root + signing config) naming them.
Every instance has its own keys, so one instance's bundle does not verify under another's root.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import struct
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt
import rfc8785
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

GITHUB_ISSUER = "https://token.actions.githubusercontent.com"
WORKFLOW_REF = "example-org/app/.github/workflows/release.yml@refs/heads/main"
IDENTITY = f"https://github.com/{WORKFLOW_REF}"
SCT_OID = x509.ObjectIdentifier("1.3.6.1.4.1.11129.2.4.2")
ISSUER_V1_OID = x509.ObjectIdentifier("1.3.6.1.4.1.57264.1.1")
ISSUER_V2_OID = x509.ObjectIdentifier("1.3.6.1.4.1.57264.1.8")
REQUEST_TOKEN = "fake-actions-request-token"  # noqa: S105 - a test value, not a secret
_START = "2020-01-01T00:00:00Z"


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    """A CA signs certificates and CRLs; a leaf signs the artifact."""
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _spki(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _key_id(key: ec.EllipticCurvePrivateKey) -> bytes:
    """sigstore's key id: SHA-256 of the DER public key (CT log id, Rekor log id)."""
    return hashlib.sha256(_spki(key)).digest()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _der_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def _ca(
    name: str, key: ec.EllipticCurvePrivateKey, signer: ec.EllipticCurvePrivateKey,
    issuer: x509.Name | None, path_length: int | None,
) -> x509.Certificate:  # fmt: skip
    subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "fake-sigstore"),
                         x509.NameAttribute(NameOID.COMMON_NAME, name)])  # fmt: skip
    now = dt.datetime.now(dt.timezone.utc)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer or subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(_key_usage(ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), False
        )
        .sign(signer, hashes.SHA256())
    )


@dataclass
class FakeSigstore:
    """Keys, certificates and the log of one fake instance; `serve()` runs its services."""

    root_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    ca_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    ct_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    rekor_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    url: str = ""
    claims: dict[str, Any] = field(default_factory=dict)
    """Extra or replaced claims of the tokens the OIDC endpoint hands out."""
    entries: list[dict[str, Any]] = field(default_factory=list)
    token_requests: int = 0

    def __post_init__(self) -> None:
        self.root = _ca("fake-sigstore-root", self.root_key, self.root_key, None, 1)
        self.ca = _ca("fake-sigstore-intermediate", self.ca_key, self.root_key,
                      self.root.subject, 0)  # fmt: skip
        self._lock = threading.Lock()

    # -- the OIDC provider ----------------------------------------------------------------------

    def token(self, audience: str = "sigstore") -> str:
        """A GitHub Actions-like ID token (unsigned as far as sigstore checks)."""
        now = int(time.time())
        claims = {
            "iss": GITHUB_ISSUER, "aud": audience, "iat": now, "nbf": now, "exp": now + 600,
            "sub": "repo:example-org/app:ref:refs/heads/main",
            "repository": "example-org/app", "ref": "refs/heads/main",
            "job_workflow_ref": WORKFLOW_REF, "workflow_ref": WORKFLOW_REF,
            "sha": "0" * 40, "event_name": "push", "runner_environment": "github-hosted",
            **self.claims,
        }  # fmt: skip
        return jwt.encode(claims, "not-a-secret-fake-oidc-hs256-key-32b", algorithm="HS256")

    # -- Fulcio ---------------------------------------------------------------------------------

    def _leaf(self, public_key: Any, claims: dict[str, Any]) -> x509.Certificate:
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        issuer = str(claims["iss"]).encode("utf-8")
        identity = f"https://github.com/{claims['job_workflow_ref']}"
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([]))
            .issuer_name(self.ca.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=1))
            .not_valid_after(now + dt.timedelta(minutes=10))
            .add_extension(_key_usage(ca=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.ca_key.public_key()),
                False,
            )
            .add_extension(
                x509.SubjectAlternativeName([x509.UniformResourceIdentifier(identity)]), True
            )
            .add_extension(x509.UnrecognizedExtension(ISSUER_V1_OID, issuer), False)
            .add_extension(
                x509.UnrecognizedExtension(
                    ISSUER_V2_OID, b"\x0c" + _der_length(len(issuer)) + issuer
                ),
                False,
            )
        )
        # The precertificate: the same TBS without the SCT list, which the SCT signs.
        tbs = builder.sign(self.ca_key, hashes.SHA256()).tbs_certificate_bytes
        sct = self._sct(tbs, int(now.timestamp() * 1000))
        leaf = builder.add_extension(x509.UnrecognizedExtension(SCT_OID, sct), False).sign(
            self.ca_key, hashes.SHA256()
        )
        assert leaf.tbs_precertificate_bytes == tbs
        return leaf

    def _sct(self, tbs: bytes, millis: int) -> bytes:
        """The SCT list extension's value (RFC 6962 3.2/3.3) over the precertificate `tbs`."""
        issuer_key_hash = _key_id(self.ca_key)
        entry = issuer_key_hash + struct.pack("!I", len(tbs))[1:] + tbs
        signed = struct.pack("!BBQH", 0, 0, millis, 1) + entry + struct.pack("!H", 0)
        signature = self.ct_key.sign(signed, ec.ECDSA(hashes.SHA256()))
        sct = (bytes([0]) + _key_id(self.ct_key) + struct.pack("!Q", millis)
               + struct.pack("!H", 0) + bytes([4, 3]) + struct.pack("!H", len(signature))
               + signature)  # fmt: skip
        listed = struct.pack("!H", len(sct)) + sct
        tls = struct.pack("!H", len(listed)) + listed
        return b"\x04" + _der_length(len(tls)) + tls  # the extnValue holds an OCTET STRING

    def signing_cert(self, body: dict[str, Any], authorization: str) -> dict[str, Any]:
        token = authorization.removeprefix("Bearer ").strip()
        claims = jwt.decode(token, options={"verify_signature": False})
        pem = base64.b64decode(body["certificateSigningRequest"])
        csr = x509.load_pem_x509_csr(pem)
        leaf = self._leaf(csr.public_key(), claims)
        chain = [c.public_bytes(serialization.Encoding.PEM).decode()
                 for c in (leaf, self.ca, self.root)]  # fmt: skip
        return {"signedCertificateEmbeddedSct": {"chain": {"certificates": chain}}}

    # -- Rekor ----------------------------------------------------------------------------------

    def log_entry(self, proposed: dict[str, Any]) -> dict[str, Any]:
        body = rfc8785.dumps(proposed)
        log_id = _key_id(self.rekor_key).hex()
        with self._lock:
            index = len(self.entries)
            integrated = int(time.time())
            canonical = rfc8785.dumps({"body": _b64(body), "integratedTime": integrated,
                                       "logID": log_id, "logIndex": index})  # fmt: skip
            promise = self.rekor_key.sign(canonical, ec.ECDSA(hashes.SHA256()))
            root_hash = hashlib.sha256(b"\x00" + body).digest()  # a one-leaf tree: its leaf
            entry = {
                "body": _b64(body), "integratedTime": integrated, "logID": log_id,
                "logIndex": index,
                "verification": {
                    "signedEntryTimestamp": _b64(promise),
                    "inclusionProof": {"logIndex": 0, "rootHash": root_hash.hex(), "treeSize": 1,
                                       "hashes": [], "checkpoint": self._checkpoint(root_hash)},
                },
            }  # fmt: skip
            self.entries.append(entry)
        return {uuid.uuid4().hex: entry}

    def _checkpoint(self, root_hash: bytes) -> str:
        note = f"fake-rekor - 1\n1\n{_b64(root_hash)}\n"
        signature = self.rekor_key.sign(note.encode(), ec.ECDSA(hashes.SHA256()))
        return f"{note}\n\u2014 fake-rekor {_b64(_key_id(self.rekor_key)[:4] + signature)}\n"

    # -- the trust config -----------------------------------------------------------------------

    def trusted_root(self) -> dict[str, Any]:
        """The instance's trusted_root.json (protobuf JSON)."""

        def log(key: ec.EllipticCurvePrivateKey) -> dict[str, Any]:
            return {"baseUrl": self.url, "hashAlgorithm": "SHA2_256",
                    "publicKey": {"rawBytes": _b64(_spki(key)),
                                  "keyDetails": "PKIX_ECDSA_P256_SHA_256",
                                  "validFor": {"start": _START}},
                    "logId": {"keyId": _b64(_key_id(key))}}  # fmt: skip

        chain = [{"rawBytes": _b64(c.public_bytes(serialization.Encoding.DER))}
                 for c in (self.ca, self.root)]  # fmt: skip
        return {
            "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            "tlogs": [log(self.rekor_key)],
            "certificateAuthorities": [{
                "subject": {"organization": "fake-sigstore", "commonName": "fake-sigstore"},
                "uri": self.url, "certChain": {"certificates": chain},
                "validFor": {"start": _START},
            }],
            "ctlogs": [log(self.ct_key)],
            "timestampAuthorities": [],
        }  # fmt: skip

    def trust_config(self) -> dict[str, Any]:
        """The ClientTrustConfig JSON: the trusted root and a signing config naming the fake
        Fulcio and Rekor (no TSA)."""

        def service(url: str) -> dict[str, Any]:
            return {"url": url, "majorApiVersion": 1, "validFor": {"start": _START},
                    "operator": "fake-sigstore"}  # fmt: skip

        return {
            "mediaType": "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json",
            "trustedRoot": self.trusted_root(),
            "signingConfig": {
                "mediaType": "application/vnd.dev.sigstore.signingconfig.v0.2+json",
                "caUrls": [service(self.url)], "oidcUrls": [],
                "rekorTlogUrls": [service(self.url)], "tsaUrls": [],
                "rekorTlogConfig": {"selector": "ANY"}, "tsaConfig": {"selector": "ANY"},
            },
        }  # fmt: skip

    def github_env(self) -> dict[str, str]:
        """The variables a GitHub Actions job with `id-token: write` has."""
        return {"GITHUB_ACTIONS": "true", "ACTIONS_ID_TOKEN_REQUEST_TOKEN": REQUEST_TOKEN,
                "ACTIONS_ID_TOKEN_REQUEST_URL": f"{self.url}/oidc/token?api-version=2.0"}  # fmt: skip

    @contextmanager
    def serve(self) -> Iterator[FakeSigstore]:
        """Run the services on 127.0.0.1 (a free port) while the block lasts."""
        instance = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _reply(self, status: int, doc: Any) -> None:
                data = json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                parsed = urlparse(self.path)
                auth = self.headers.get("Authorization", "")
                if parsed.path != "/oidc/token" or auth.lower() != f"bearer {REQUEST_TOKEN}":
                    self._reply(404, {"message": "not found"})
                    return
                instance.token_requests += 1
                audience = parse_qs(parsed.query).get("audience", ["sigstore"])[0]
                self._reply(200, {"value": instance.token(audience)})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                if self.path == "/api/v2/signingCert":
                    auth = self.headers.get("Authorization", "")
                    self._reply(200, instance.signing_cert(body, auth))
                elif self.path == "/api/v1/log/entries":
                    self._reply(201, instance.log_entry(body))
                else:
                    self._reply(404, {"code": 404, "message": "not found"})

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        # A short poll: shutdown() waits for the next one (0.5 s by default, at every teardown).
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)
