"""Progress on stderr: a live bar on a terminal, plain lines in CI logs."""

from __future__ import annotations

import sys
import threading
from typing import TextIO

from baseline.terminal import for_terminal, one_line


class Progress:
    """Counts finished steps of a known total and shows them as they happen."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None, quiet: bool = False):
        self.total = total
        self.label = label
        self.done = 0
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.live = self.stream.isatty()
        self._lock = threading.Lock()

    def step(self, name: str, outcome: str, seconds: float) -> None:
        """Record one finished step."""
        name = one_line(name)  # a control or check id from a catalog the repository may hold
        with self._lock:
            self.done += 1
            if self.quiet:
                return
            if self.live:
                width = 24
                filled = width * self.done // max(self.total, 1)
                bar = "#" * filled + "-" * (width - filled)
                shown = for_terminal(
                    f"{self.label} [{bar}] {self.done}/{self.total} {name[:40]:<40}"
                )
                line = "\r" + shown  # the bar's own carriage return, after the escaping
                self.stream.write(line)
                if self.done == self.total:
                    self.stream.write("\n")
            else:
                self.stream.write(
                    for_terminal(
                        f"{self.label} [{self.done}/{self.total}] {name}: {one_line(outcome)}"
                        f" ({seconds:.2f} s)\n"
                    )
                )
            self.stream.flush()
