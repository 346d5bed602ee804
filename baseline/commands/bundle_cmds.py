"""`baseline keygen` and `baseline verify`: sign and check evidence bundles."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from baseline.bundle.sign import keygen, load_public
from baseline.bundle.verify import verify_bundle
from baseline.errors import InputError
from baseline.terminal import one_line, say, write

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from baseline.bundle.keyless_verify import KeylessPolicy


def run_keygen(args: argparse.Namespace) -> int:
    """Write an Ed25519 key pair."""
    private, public = keygen(args.out, force=args.force)
    say(f"private key: {private} (keep it secret)\npublic key: {public}")
    return 0


def keyless_policy(args: argparse.Namespace) -> KeylessPolicy | None:
    """The expected keyless signer, or None when no keyless option is given. Like cosign, an
    identity and an issuer are both required: a keyless signature alone proves nothing."""
    identity, issuer = args.certificate_identity, args.certificate_oidc_issuer
    if not (identity or issuer or args.trust_root):
        return None
    if not (identity and issuer):
        missing = "--certificate-identity" if not identity else "--certificate-oidc-issuer"
        why = ("keyless verification needs the expected signer: give both "
               "--certificate-identity and --certificate-oidc-issuer")  # fmt: skip
        raise InputError.single(missing, "", why)
    from baseline.bundle.keyless import load_trust_root, require_sigstore
    from baseline.bundle.keyless_verify import KeylessPolicy

    require_sigstore("--certificate-identity")
    root, name, digest = load_trust_root(Path(args.trust_root) if args.trust_root else None)
    return KeylessPolicy(identity, issuer, root, name, digest)


def run_verify(args: argparse.Namespace) -> int:
    """Verify a bundle; exit 1 when anything does not match. With --reproduce, re-run its
    assessment at the recorded commit and exit 1 on any difference."""
    key = load_public(args.key) if args.key else None
    keyless = keyless_policy(args)
    if args.reproduce:
        return _reproduce(args, key, keyless)
    verdict = verify_bundle(Path(args.path), key, keyless)
    for problem in verdict.problems:
        say(f"FAIL {one_line(problem)}")  # names come from the bundle
    for note in verdict.notes:
        say(f"note {one_line(note)}")
    if verdict.problems:
        say(f"Bundle {args.path}: verification FAILED ({len(verdict.problems)} problem(s)).")
        return 1
    say(f"Bundle {args.path}: verified, {verdict.checked} file(s) match the manifest.")
    return 0


def _reproduce(
    args: argparse.Namespace, key: Ed25519PublicKey | None, keyless: KeylessPolicy | None
) -> int:
    from baseline.diff_render import RENDERERS
    from baseline.reproduce import reproduce

    result = reproduce(Path(args.path), Path(args.reproduce), key=key, keyless=keyless,
                       catalog=args.catalog, quiet=args.quiet)  # fmt: skip
    for problem in result.verdict.problems:
        say(f"FAIL {one_line(problem)}")
    if result.changes is None:
        say(f"Bundle {args.path}: verification FAILED; nothing was re-run.")
        return 1
    write(RENDERERS[args.format](result.changes), sys.stdout)
    for note in result.notes:  # stderr: the differences on stdout stay parseable (--format json)
        say(f"note {one_line(note)}", file=sys.stderr)
    if result.identical:
        say(f"Bundle {args.path}: reproduced at its commit: the same statuses and findings, "
            "made with the same tools and catalog.", file=sys.stderr)  # fmt: skip
        return 0
    say(f"Bundle {args.path}: NOT reproduced identically (the differences are listed above).",
        file=sys.stderr)  # fmt: skip
    return 1


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare `keygen` and `verify`."""
    gen = commands.add_parser("keygen", help="write an Ed25519 key pair for signing bundles")
    gen.add_argument("--out", required=True, help="writes OUT.key (0600) and OUT.pub")
    gen.add_argument("--force", action="store_true", help="replace existing key files")
    gen.set_defaults(handler=run_keygen)
    ver = commands.add_parser("verify", help="verify an evidence bundle (exit 1 if altered)")
    ver.add_argument("path", help="the bundle folder")
    ver.add_argument("--key", help="the signer's public key (PEM); requires a valid signature")
    ver.add_argument(
        "--certificate-identity",
        metavar="ID",
        help="requires a valid keyless (Sigstore) signature by this identity, e.g. "
        "https://github.com/OWNER/REPO/.github/workflows/ci.yml@refs/heads/main "
        "(with --certificate-oidc-issuer; checked offline)",
    )
    ver.add_argument(
        "--certificate-oidc-issuer",
        metavar="URL",
        help="the keyless signer's OIDC issuer, e.g. https://token.actions.githubusercontent.com",
    )
    ver.add_argument(
        "--trust-root",
        metavar="FILE",
        help="the Sigstore trusted root (trusted_root.json) to check the keyless signature "
        "against (default: the production root the sigstore package ships; never the bundle's)",
    )
    ver.add_argument(
        "--reproduce",
        metavar="REPO",
        help="re-run the bundle's assessment on this clone at the recorded commit "
        "(in a private copy) and report every difference (exit 1 on any)",
    )
    ver.add_argument(
        "--catalog",
        help="with --reproduce: the catalog file, when the record's catalog is not built in",
    )
    ver.add_argument(
        "--format",
        choices=("text", "md", "json"),
        default="text",
        help="with --reproduce: how the differences are written",
    )
    ver.add_argument("--quiet", action="store_true", help="with --reproduce: no progress")
    ver.set_defaults(handler=run_verify)
