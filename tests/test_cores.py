"""The scanner slots: a reservation keeps its slot from divisible work; closing stops waiters."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from baseline.cores import Cores
from baseline.errors import ToolError


def _start(target: Callable[[], None]) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def test_divisible_work_leaves_a_reserved_slot_alone() -> None:
    cores = Cores(2)
    order: list[str] = []

    def chunk_two() -> None:
        with cores.slot():
            order.append("chunk 2")

    with cores.reservation() as kept:
        with cores.slot():
            order.append("chunk 1")
            second = _start(chunk_two)
            time.sleep(0.2)
            assert order == ["chunk 1"]  # the other slot is kept for the reservation
            with kept.hold():
                order.append("indivisible")
    second.join(5)
    assert order == ["chunk 1", "indivisible", "chunk 2"]


def test_an_unused_reservation_gives_its_slot_back() -> None:
    cores = Cores(1)
    with cores.reservation():
        pass
    with cores.slot():  # would wait forever if the reservation were still counted
        pass


def test_closing_fails_every_waiter() -> None:
    cores = Cores(1)
    failures: list[BaseException] = []

    def wait() -> None:
        try:
            with cores.slot():
                pass
        except ToolError as exc:
            failures.append(exc)

    with cores.slot():
        waiter = _start(wait)
        time.sleep(0.1)
        cores.close()
        waiter.join(5)
    assert len(failures) == 1 and "interrupted" in str(failures[0])
    with pytest.raises(ToolError):
        with cores.slot():
            pass


def test_spare_takes_only_free_unreserved_slots_and_never_waits() -> None:
    from baseline.cores import Cores

    cores = Cores(3)
    with cores.reservation() as semgrep, semgrep.hold():
        with cores.slot():  # a bandit chunk holds one of the other two
            with cores.spare(2) as extra:
                assert extra == 1  # only the slot nobody holds
            with cores.spare(0) as none:
                assert none == 0
        with cores.reservation():  # a slot kept for another long run is not spare
            with cores.spare(2) as extra:
                assert extra == 1
        with cores.spare(5) as extra:
            assert extra == 2
    with cores.spare(5) as extra:  # everything was given back
        assert extra == 3
