"""SQLite-backed inventory store.

Every query is a constant SQL string with ``?`` placeholders; values are
passed separately and never formatted into the SQL text (see ADR 0001).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    sku      TEXT PRIMARY KEY CHECK (length(sku) BETWEEN 1 AND 64),
    name     TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    quantity INTEGER NOT NULL CHECK (quantity >= 0)
)
"""


class InventoryError(ValueError):
    """Raised for requests the inventory cannot satisfy."""


@dataclass(frozen=True)
class Item:
    sku: str
    name: str
    quantity: int


class InventoryStore:
    def __init__(self, database: Path | str, *, max_quantity: int = 10_000) -> None:
        self._conn = sqlite3.connect(str(database))
        self._max_quantity = max_quantity
        with self._conn:
            self._conn.execute(_SCHEMA)

    def close(self) -> None:
        self._conn.close()

    def add_item(self, sku: str, name: str, quantity: int = 0) -> Item:
        self._check_quantity(quantity)
        try:
            with self._conn:
                self._conn.execute(
                    "INSERT INTO items (sku, name, quantity) VALUES (?, ?, ?)",
                    (sku, name, quantity),
                )
        except sqlite3.IntegrityError as exc:
            raise InventoryError(f"cannot add item {sku!r}: {exc}") from None
        return Item(sku, name, quantity)

    def get_item(self, sku: str) -> Item | None:
        row = self._conn.execute(
            "SELECT sku, name, quantity FROM items WHERE sku = ?", (sku,)
        ).fetchone()
        return Item(*row) if row else None

    def search(self, text: str) -> list[Item]:
        """Items whose name contains ``text``; LIKE wildcards in ``text`` are escaped."""
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self._conn.execute(
            "SELECT sku, name, quantity FROM items WHERE name LIKE ? ESCAPE '\\' ORDER BY sku",
            (pattern,),
        ).fetchall()
        return [Item(*row) for row in rows]

    def adjust(self, sku: str, delta: int) -> Item:
        with self._conn:
            item = self.get_item(sku)
            if item is None:
                raise InventoryError(f"unknown item {sku!r}")
            new_quantity = item.quantity + delta
            self._check_quantity(new_quantity)
            self._conn.execute(
                "UPDATE items SET quantity = ? WHERE sku = ?", (new_quantity, sku)
            )
        return Item(item.sku, item.name, new_quantity)

    def backup_to(self, target: Path) -> None:
        """Copy the live database to ``target`` with SQLite's online backup API."""
        dest = sqlite3.connect(str(target))
        try:
            self._conn.backup(dest)
        finally:
            dest.close()

    def _check_quantity(self, quantity: int) -> None:
        if not 0 <= quantity <= self._max_quantity:
            raise InventoryError(f"quantity must be between 0 and {self._max_quantity}")
