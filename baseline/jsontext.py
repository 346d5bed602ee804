"""JSON text of reports and evidence: fast, and the same bytes for the same document.

orjson writes exactly what `json.dumps(doc, indent=2, ensure_ascii=False)` writes for the
documents we produce (the golden files hold both to it), about thirty times faster: the
standard library indents in pure Python, which dominated a warm run over thousands of
findings. Values orjson refuses (integers beyond 64 bits) fall back to the standard library.
"""

from __future__ import annotations

import json
import signal
from typing import Any

# orjson's module set-up crashes the interpreter (SIGSEGV) when a Ctrl-C or SIGTERM turns into
# an exception inside it: 40 of 300 imports interrupted at random moments did, here. Both
# signals wait, blocked, until it is loaded; one that came meanwhile is delivered right after.
_STOPS = {signal.SIGINT, signal.SIGTERM}
_mask = (
    signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS) if hasattr(signal, "pthread_sigmask") else None
)
try:
    import orjson
finally:
    if _mask is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, _mask)


def pretty(document: Any, *, sort_keys: bool = False) -> str:
    """Two-space indented JSON, non-ASCII kept as is, no trailing newline."""
    option = orjson.OPT_INDENT_2 | (orjson.OPT_SORT_KEYS if sort_keys else 0)
    try:
        return orjson.dumps(document, option=option).decode("utf-8")
    except TypeError:
        return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=sort_keys)


def compact(document: Any) -> str:
    """JSON without whitespace (for round trips and digests)."""
    try:
        return orjson.dumps(document).decode("utf-8")
    except TypeError:
        return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def loads(text: str | bytes) -> Any:
    """The document in JSON text (ValueError when it is not JSON).

    The standard library reads what orjson refuses but `json.dumps` writes: a lone surrogate
    escape (`"\\udcc3"`, from a file name that is not UTF-8).
    """
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)
