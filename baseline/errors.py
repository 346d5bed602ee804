"""One error hierarchy for the library; only the CLI turns these into exit codes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from baseline.terminal import one_line


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file (catalog, config, attestation...)."""

    file: str
    """The file the problem is in, as the user named it."""
    line: int | None
    """1-based line number when the parser can tell, else None."""
    key: str
    """Key path inside the file, e.g. `controls[3].checks[0].id` or `control PW.7.2`."""
    message: str
    """What is wrong and, where possible, how to fix it."""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        key = f": {self.key}" if self.key else ""
        return f"{where}{key}: {self.message}"


class BaselineError(Exception):
    """Base class of every error the library raises on purpose."""

    def diagnostics(self) -> str:
        """Text for the user: what went wrong and what to do."""
        return str(self)


class InputError(BaselineError):
    """Bad user input (catalog, config, attestation, report file): exit code 2."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.key, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))

    def diagnostics(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found:"
        # One line per problem: a newline in a key or file name cannot forge another one.
        return "\n".join([head, *(f"  {one_line(str(p))}" for p in self.problems)])

    @classmethod
    def single(
        cls, file: str | Path, key: str, message: str, line: int | None = None
    ) -> InputError:
        """An InputError with one problem."""
        return cls([Problem(str(file), line, key, message)])


class ToolError(BaselineError):
    """An external tool could not give a usable answer (missing, timed out, garbled)."""

    def __init__(self, tool: str, message: str, guidance: str = "") -> None:
        self.tool = tool
        self.guidance = guidance
        super().__init__(f"{tool}: {message}" + (f" ({guidance})" if guidance else ""))
