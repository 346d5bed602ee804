"""Make invisible characters from untrusted text visible before they reach a report.

A file name or snippet may hold terminal escapes (ESC, BEL) or bidirectional overrides
(U+202E) that make a reader see something other than what is there. Reports show them as
escapes (`\\x1b`, `\\u202e`) instead: the text stays faithful and nothing is hidden.
"""

from __future__ import annotations

import re

_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with control and bidirectional-override characters written as escapes."""
    return _INVISIBLE.sub(_escape, text)
