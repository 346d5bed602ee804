"""Command-line entry point: ``wellkept --config settings.yaml COMMAND``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wellkept.backup import BackupError, run_backup
from wellkept.config import ConfigError, load_settings
from wellkept.store import InventoryError, InventoryStore


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wellkept", description="A tiny inventory service.")
    parser.add_argument("--config", type=Path, required=True, help="settings YAML file")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add an item")
    add.add_argument("sku")
    add.add_argument("name")
    add.add_argument("quantity", type=int, nargs="?", default=0)
    find = sub.add_parser("search", help="find items by name")
    find.add_argument("text")
    sub.add_parser("backup", help="write a compressed backup")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(args.config)
        store = InventoryStore(settings.database, max_quantity=settings.max_quantity)
        try:
            if args.command == "add":
                item = store.add_item(args.sku, args.name, args.quantity)
                print(f"added {item.sku}")
            elif args.command == "search":
                for item in store.search(args.text):
                    print(f"{item.sku}\t{item.quantity}\t{item.name}")
            else:
                print(run_backup(store, settings.backup_dir))
        finally:
            store.close()
    except (ConfigError, InventoryError, BackupError, OSError) as exc:
        print(f"wellkept: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
