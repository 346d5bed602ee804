"""`baseline keygen` and `baseline verify`: sign and check evidence bundles."""

from __future__ import annotations

import argparse
from pathlib import Path

from baseline.bundle.sign import keygen, load_public
from baseline.bundle.verify import verify_bundle
from baseline.terminal import one_line, say


def run_keygen(args: argparse.Namespace) -> int:
    """Write an Ed25519 key pair."""
    private, public = keygen(args.out, force=args.force)
    say(f"private key: {private} (keep it secret)\npublic key: {public}")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    """Verify a bundle; exit 1 when anything does not match."""
    key = load_public(args.key) if args.key else None
    verdict = verify_bundle(Path(args.path), key)
    for problem in verdict.problems:
        say(f"FAIL {one_line(problem)}")  # names come from the bundle
    for note in verdict.notes:
        say(f"note {one_line(note)}")
    if verdict.problems:
        say(f"Bundle {args.path}: verification FAILED ({len(verdict.problems)} problem(s)).")
        return 1
    say(f"Bundle {args.path}: verified, {verdict.checked} file(s) match the manifest.")
    return 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare `keygen` and `verify`."""
    gen = commands.add_parser("keygen", help="write an Ed25519 key pair for signing bundles")
    gen.add_argument("--out", required=True, help="writes OUT.key (0600) and OUT.pub")
    gen.add_argument("--force", action="store_true", help="replace existing key files")
    gen.set_defaults(handler=run_keygen)
    ver = commands.add_parser("verify", help="verify an evidence bundle (exit 1 if altered)")
    ver.add_argument("path", help="the bundle folder")
    ver.add_argument("--key", help="the signer's public key (PEM); requires a valid signature")
    ver.set_defaults(handler=run_verify)
