"""Make invisible characters from untrusted text visible before they reach a report.

A file name or snippet may hold terminal escapes (ESC, BEL, the C1 CSI U+009B) or bidirectional
overrides (U+202E) that make a reader see something other than what is there. Reports show them
as escapes (`\\x1b`, `\\u009b`, `\\u202e`) instead: the text stays faithful and nothing is hidden.
Characters from U+0080 up are written `\\uXXXX`, which is also a valid JSON escape of the same
character.
"""

from __future__ import annotations

import re

_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with control and bidirectional-override characters written as escapes."""
    return _INVISIBLE.sub(_escape, text)
