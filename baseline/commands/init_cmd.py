"""`baseline init`: write a commented `.baseline.toml` and an attestation template."""

from __future__ import annotations

import argparse
from pathlib import Path

from baseline.catalog.loader import load_catalog
from baseline.engine import generated_at
from baseline.errors import InputError
from baseline.outdir import write_text
from baseline.project.config import CONFIG_NAME
from baseline.project.template import ATTESTATIONS_NAME, attestations_text, config_text
from baseline.terminal import say


def run(args: argparse.Namespace) -> int:
    """Write both files, refusing to replace either unless --force."""
    folder = Path(args.path)
    if not folder.is_dir():
        raise InputError.single(args.path, "", "is not a folder")
    catalog = load_catalog(args.catalog)
    files = {
        folder / CONFIG_NAME: config_text(catalog),
        folder / ATTESTATIONS_NAME: attestations_text(catalog, generated_at().date()),
    }
    existing = [p for p in files if p.exists() or p.is_symlink()]
    if existing and not args.force:
        raise InputError.single(str(existing[0]), "", "already exists (use --force to replace it)")
    for path, text in files.items():
        write_text(path, text)
        path.chmod(0o644)
        say(f"wrote {path}")
    return 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare `init`."""
    parser = commands.add_parser("init", help="write a project config and attestation template")
    parser.add_argument("path", nargs="?", default=".", help="the repository (default: .)")
    parser.add_argument("--catalog", default="ssdf-1.1", help="built-in catalog id or file")
    parser.add_argument("--force", action="store_true", help="replace existing files")
    parser.set_defaults(handler=run)
