"""Text for the terminal: nothing from the assessed repository may drive it.

File names, keys, messages and control ids reach stdout and stderr from records, configs and
bundles. An ESC or CSI (U+009B) there can retitle the window, clear the screen or hide lines, a
CR can overwrite a line, and a bidirectional override can reorder what is shown. Every text the
CLI prints goes through `say` or `write`, which show those characters as visible escapes
(`\\x1b`, `\\u202e`; JSON stays valid, as `\\u...` is its own escape). `one_line` also escapes
newlines and tabs, for a single field that must not forge a line of its own.
"""

from __future__ import annotations

import re
import sys
from typing import TextIO

from baseline.report.visible import visible

# A file name that is not UTF-8 arrives with surrogate escapes, which no terminal can encode.
_SURROGATE = re.compile("[\ud800-\udfff]")


def for_terminal(text: str) -> str:
    """`text` with every control character but newline and tab shown as an escape."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", visible(text))


def one_line(text: str) -> str:
    """One field of a line: newlines and tabs escaped too."""
    return for_terminal(text).replace("\n", "\\n").replace("\t", "\\t")


def write(text: str, stream: TextIO | None = None) -> None:
    """Write `text`, made safe for a terminal, to `stream` (standard output by default)."""
    (stream or sys.stdout).write(for_terminal(text))


def say(text: str = "", file: TextIO | None = None) -> None:
    """`print` for the CLI: `text` made safe for a terminal, then a newline."""
    write(text + "\n", file)
