"""The assessment's processor budget: how many scanner processes run at once (`--jobs`).

Scanners are CPU-bound, so running more of them than there are slots only makes each one
slower. Two kinds of work share the slots:

- an indivisible run (semgrep: one process, and a second one would double its memory) takes a
  reservation as soon as its check starts, so that divisible work arriving first cannot take
  every slot and make the long run start late;
- divisible work (bandit's chunks) takes a slot per chunk, so it fills the slots the other
  scanners leave and every slot one of them frees.

`close()` (the run is interrupted) makes every waiting and later request fail, so no new
scanner starts after the running ones were stopped.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from baseline.errors import ToolError


class Cores:
    """Slots for scanner processes, shared by every check of one assessment."""

    def __init__(self, slots: int) -> None:
        self._free = max(1, slots)
        self._reserved = 0
        self._closed = False
        self._changed = threading.Condition()

    def _take(self, reserved: bool) -> None:
        with self._changed:
            # Unreserved work leaves the reserved slots alone; a reservation may use any slot.
            self._changed.wait_for(
                lambda: self._closed or self._free > (0 if reserved else self._reserved)
            )
            if self._closed:
                raise ToolError("scanner", "the run was interrupted", "run it again")
            self._free -= 1
            if reserved:
                self._reserved -= 1

    def _give(self) -> None:
        with self._changed:
            self._free += 1
            self._changed.notify_all()

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one slot for one scanner process (waits for a free one)."""
        self._take(reserved=False)
        try:
            yield
        finally:
            self._give()

    @contextmanager
    def reservation(self) -> Iterator[Reservation]:
        """Keep a slot for one run that follows; released unused when the block ends."""
        with self._changed:
            self._reserved += 1
        held = Reservation(self)
        try:
            yield held
        finally:
            if not held.used:
                with self._changed:
                    self._reserved -= 1
                    self._changed.notify_all()

    @contextmanager
    def spare(self, most: int) -> Iterator[int]:
        """Take up to `most` slots that are free now and not reserved, without waiting; yields
        how many (0 when other scanners hold them). For a run that can use more than one core
        (semgrep's `--jobs`) inside its own slot."""
        with self._changed:
            taken = max(0, min(most, self._free - self._reserved))
            self._free -= taken
        try:
            yield taken
        finally:
            if taken:
                with self._changed:
                    self._free += taken
                    self._changed.notify_all()

    def close(self) -> None:
        """Refuse every waiting and later request (the assessment is being stopped)."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()


class Reservation:
    """A slot kept for one indivisible scanner run; `hold()` uses it once."""

    def __init__(self, cores: Cores) -> None:
        self._cores = cores
        self.used = False

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Run inside the reserved slot (waits while divisible work still holds it)."""
        if self.used:
            raise RuntimeError("a reservation is used once")
        self.used = True
        self._cores._take(reserved=True)
        try:
            yield
        finally:
            self._cores._give()
