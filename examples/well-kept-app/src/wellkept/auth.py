"""Password hashing and token checks using only the standard library."""

from __future__ import annotations

import hashlib
import hmac
import secrets

_ALGORITHM = "pbkdf2_sha256"
_ITERATIONS = 600_000
_SALT_BYTES = 16


def hash_password(password: str, *, iterations: int = _ITERATIONS) -> str:
    """Hash a password with PBKDF2-HMAC-SHA256 and a random salt."""
    salt = secrets.token_bytes(_SALT_BYTES)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"{_ALGORITHM}${iterations}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Check a password against a value made by :func:`hash_password`."""
    try:
        algorithm, iterations, salt_hex, digest_hex = stored.split("$")
        rounds = int(iterations)
        salt = bytes.fromhex(salt_hex)
        expected = bytes.fromhex(digest_hex)
    except ValueError:
        return False
    if algorithm != _ALGORITHM or rounds < 1:
        return False
    candidate = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, rounds)
    return hmac.compare_digest(candidate, expected)


def new_api_token() -> str:
    """Return a fresh random API token."""
    return secrets.token_urlsafe(32)


def token_matches(presented: str, expected: str) -> bool:
    """Compare tokens in constant time."""
    return hmac.compare_digest(presented.encode("utf-8"), expected.encode("utf-8"))
