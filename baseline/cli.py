"""The command line: parse, dispatch, and map errors to exit codes (0, 1, 2, 3)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import traceback
from collections.abc import Sequence

from baseline._version import __version__
from baseline.commands import (
    accept_cmd,
    aggregate,
    assess,
    assess_many,
    attest_cmd,
    bundle_cmds,
    catalog_cmd,
    config_cmd,
    diff_cmd,
    explain,
    history_cmd,
    init_cmd,
    precommit,
    render,
)
from baseline.errors import BaselineError
from baseline.terminal import say
from baseline.toolrun import stop_running_tools

EXIT_OK, EXIT_POLICY, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143

_COMMANDS = (
    assess,
    catalog_cmd,
    explain,
    render,
    init_cmd,
    attest_cmd,
    accept_cmd,
    config_cmd,
    diff_cmd,
    history_cmd,
    bundle_cmds,
    aggregate,
    assess_many,
    precommit,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command registered."""
    parser = argparse.ArgumentParser(
        prog="baseline",
        description="Assess a repository against the NIST SSDF (SP 800-218) and report.",
        epilog="Exit codes: 0 policy met, 1 policy not met, 2 bad input, 3 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"ssdf-baseline {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _COMMANDS:
        module.add_parser(commands)
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that temporary files are removed on the way out."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `baseline` console script."""
    args = build_parser().parse_args(argv)
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if in_main_thread else None
    try:
        return _dispatch(args)
    finally:
        if in_main_thread and previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _exit_if_checks_still_run(code: int) -> None:
    """End the process now when an interrupted run left check threads behind.

    A check busy in CPU-bound code cannot be stopped from another thread, and the interpreter
    would wait for it at exit (minutes, for a pathological input). Every temporary file was
    removed while the interrupt unwound, and outputs are only ever renamed into place whole,
    so nothing half-written is left by leaving at once.
    """
    main = threading.main_thread()
    stuck = [t for t in threading.enumerate() if t is not main and not t.daemon and t.is_alive()]
    if threading.current_thread() is main and stuck:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _dispatch(args: argparse.Namespace) -> int:
    try:
        code: int = args.handler(args)
    except BaselineError as exc:  # InputError, ToolError: located, exit 2
        say(f"baseline: {exc.diagnostics()}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt as exc:
        stop_running_tools()
        say("baseline: interrupted", file=sys.stderr)
        code = EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED
        _exit_if_checks_still_run(code)
        return code
    except Exception:  # noqa: BLE001 - the one place an unexpected error becomes exit code 3
        # The traceback may quote a file name from the repository: shown like every other text.
        say(traceback.format_exc().rstrip("\n"), file=sys.stderr)
        say("baseline: internal error; please report it with the traceback above", file=sys.stderr)
        return EXIT_INTERNAL
    return code
