"""`baseline catalog list|show|validate`."""

from __future__ import annotations

import argparse
import json

from baseline.catalog.loader import builtin_ids, load_catalog
from baseline.models import Catalog
from baseline.terminal import say


def catalog_json(catalog: Catalog) -> dict[str, object]:
    """The machine-readable listing of a catalog."""
    return {
        "id": catalog.id,
        "title": catalog.title,
        "version": catalog.version,
        "status": catalog.status,
        "digest": catalog.digest,
        "groups": [{"id": g.id, "title": g.title} for g in catalog.groups],
        "practices": [{"id": p.id, "group": p.group, "title": p.title} for p in catalog.practices],
        "controls": [
            {
                "id": c.id,
                "group": c.group,
                "practice": c.practice,
                "title": c.title,
                "attestation": c.attestation.value,
                "form_items": list(c.form_items),
                "checks": [s.check for s in c.checks],
                "not_applicable": c.not_applicable,
            }
            for c in catalog.controls
        ],
    }


def _list(args: argparse.Namespace) -> int:
    for ident in builtin_ids():
        catalog = load_catalog(ident)
        count = f"{len(catalog.controls):3} tasks"
        say(f"{catalog.id:18} {catalog.version:10} {catalog.status:6} {count}  {catalog.title}")
    for ident in builtin_ids("crosswalk"):
        say(f"{ident:18} crosswalk")
    return 0


def _show(args: argparse.Namespace) -> int:
    catalog = load_catalog(args.id)
    if args.format == "json":
        say(json.dumps(catalog_json(catalog), indent=2, ensure_ascii=False))
        return 0
    say(f"{catalog.title} ({catalog.id} {catalog.version}, {catalog.status})")
    for group in catalog.groups:
        say(f"\n{group.id}  {group.title}")
        for practice in (p for p in catalog.practices if p.group == group.id):
            say(f"  {practice.id}  {practice.title}")
            for control in (c for c in catalog.controls if c.practice == practice.id):
                checks = ", ".join(s.check for s in control.checks) or "attestation only"
                say(f"    {control.id:8} {control.title}  [{checks}]")
    return 0


def _validate(args: argparse.Namespace) -> int:
    catalog = load_catalog(args.file)
    say(f"{args.file}: valid ({catalog.id} {catalog.version}, {len(catalog.controls)} controls)")
    return 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare `catalog` and its subcommands."""
    parser = commands.add_parser("catalog", help="list, show or validate catalogs")
    sub = parser.add_subparsers(dest="catalog_command", required=True, metavar="COMMAND")
    listing = sub.add_parser("list", help="list the built-in catalogs and crosswalks")
    listing.set_defaults(handler=_list)
    show = sub.add_parser("show", help="show a catalog's groups, practices and tasks")
    show.add_argument("id", help="built-in catalog id or a catalog file")
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.set_defaults(handler=_show)
    validate = sub.add_parser("validate", help="validate a catalog file, listing every problem")
    validate.add_argument("file")
    validate.set_defaults(handler=_validate)
