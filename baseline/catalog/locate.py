"""Find the line of a key in TOML text, since tomllib gives values but no positions.

The scan understands the plain layout catalogs use (`[table]`, `[[array]]`, `key = value`,
multi-line strings and arrays); for anything else it falls back to the nearest enclosing key.
"""

from __future__ import annotations

import re

KeyPath = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(
    r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|[A-Za-z0-9_-]+))*\s*="""
)


def _dotted(name: str) -> list[str]:
    return [part.strip().strip("\"'") for part in name.split(".")]


class KeyLines:
    """Line numbers of the keys and tables of one TOML document."""

    def __init__(self, text: str) -> None:
        self._lines: dict[KeyPath, int] = {}
        arrays: dict[KeyPath, int] = {}
        array_names: set[tuple[str, ...]] = set()
        current: KeyPath = ()
        in_multiline = False
        for number, raw in enumerate(text.splitlines(), start=1):
            if raw.count('"""') % 2 == 1 or raw.count("'''") % 2 == 1:
                was = in_multiline
                in_multiline = not in_multiline
                if was:
                    continue
            elif in_multiline:
                continue
            header = _HEADER.match(raw)
            if header and not _KEY.match(raw):
                names = _dotted(header.group(2))
                current = self._resolve(names, arrays, array_names, header.group(1) == "[[")
                self._lines.setdefault(current, number)
                continue
            key = _KEY.match(raw)
            if key:
                self._lines.setdefault((*current, key.group(1).strip("\"'")), number)

    @staticmethod
    def _resolve(
        names: list[str],
        arrays: dict[KeyPath, int],
        array_names: set[tuple[str, ...]],
        is_array: bool,
    ) -> KeyPath:
        path: list[str | int] = []
        for depth, name in enumerate(names):
            path.append(name)
            last = depth == len(names) - 1
            if last and is_array:
                key = tuple(path)
                arrays[key] = arrays.get(key, 0) + 1
                array_names.add(tuple(names))
                path.append(arrays[key] - 1)
            elif tuple(names[: depth + 1]) in array_names:
                path.append(arrays.get(tuple(path), 1) - 1)
        return tuple(path)

    def line(self, path: KeyPath) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        for end in range(len(path), 0, -1):
            found = self._lines.get(path[:end])
            if found is not None:
                return found
        return None


_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")


def decode_error_line(message: str) -> int | None:
    """The line tomllib names in a TOMLDecodeError message, if it names one."""
    match = _TOML_POSITION.search(message)
    return int(match.group(1)) if match else None
