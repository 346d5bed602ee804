"""One tool run per assessment: checks that ask for the same scan settings share it.

Used by the SAST checks (bandit, semgrep) and by the zizmor checks, which all judge one run,
and for facts every one of those checks needs once per run (the repository's digest, the rule
pack's).

The memo is keyed by the Context object (one per assessment) and the scan settings, and is
dropped with the Context. Concurrent callers wait for the first one's run, so the engine's
thread pool never starts the same tool twice.
"""

from __future__ import annotations

import json
import threading
import weakref
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from baseline.context import Context

T = TypeVar("T")

_memo_lock = threading.Lock()
_memo: dict[tuple[int, str], _Slot] = {}


class _Slot:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.value: Any = None
        self.done = False
        self.error: BaseException | None = None


def shared_scan(ctx: Context, key: Mapping[str, Any], gather: Callable[[], T]) -> T:
    """Run `gather` once per context and scan settings; concurrent callers wait for it."""
    ident = (id(ctx), json.dumps(key, sort_keys=True, default=str))
    with _memo_lock:
        slot = _memo.get(ident)
        if slot is None:
            slot = _memo[ident] = _Slot()
            weakref.finalize(ctx, _forget, id(ctx))
    with slot.lock:
        if not slot.done:
            slot.done = True
            try:
                slot.value = gather()
            except BaseException as exc:  # re-raised below and for every later caller
                slot.error = exc
    if slot.error is not None:
        raise slot.error
    value: T = slot.value
    return value


def _forget(ctx_id: int) -> None:
    with _memo_lock:
        for ident in [k for k in _memo if k[0] == ctx_id]:
            del _memo[ident]
