"""The one subprocess wrapper every external tool call goes through.

argv is always a list (never a shell), the tool is located with `shutil.which` first,
every call has a timeout that kills the whole process group, and what ran is recorded.
An exit code is not a verdict: callers read the tool's output.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from baseline.errors import ToolError
from baseline.models import ToolRun

INSTALL_HINTS: Mapping[str, str] = {
    "bandit": "pip install bandit",
    "semgrep": "pip install semgrep",
    "zizmor": "pip install zizmor",
    "git": "install git from your system's package manager",
}

# Tools are told not to phone home; semgrep otherwise stalls ~97 s offline on its version check.
QUIET_ENV: Mapping[str, str] = {
    "SEMGREP_ENABLE_VERSION_CHECK": "0",
    "SEMGREP_SEND_METRICS": "off",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_OPTIONAL_LOCKS": "0",
    "PYTHONDONTWRITEBYTECODE": "1",
}


# Bytes of file arguments per tool call. Linux allows about 2 MiB for the arguments and the
# environment together (ARG_MAX), and CI runners carry large environments: a huge repository's
# file list is split into calls below this (see `argv_batches`).
ARGV_BUDGET = 128 * 1024


def argument_bytes(arg: str) -> int:
    """What one argument takes of ARG_MAX: its bytes and the terminating NUL."""
    return len(os.fsencode(arg)) + 1


def argv_batches(paths: Sequence[str], budget: int | None = None) -> list[list[str]]:
    """`paths` in order, split into lists of at most `budget` bytes of arguments each (a path
    longer than that on its own still gets a list)."""
    limit = ARGV_BUDGET if budget is None else budget
    batches: list[list[str]] = []
    size = limit + 1
    for path in paths:
        length = argument_bytes(path)
        if size + length > limit:
            batches.append([])
            size = 0
        batches[-1].append(path)
        size += length
    return batches


# Tools still running, so an interrupted run can stop them: they run in their own sessions
# and would not see the Ctrl-C or SIGTERM that stops us. A tool is started and registered
# under the lock, and no tool starts once stopping has begun, so every tool that runs is
# either stopped by `stop_running_tools` or never started.
_RUNNING: set[subprocess.Popen[bytes]] = set()
_RUNNING_LOCK = threading.Lock()
_STOPPING = False


@dataclass(frozen=True)
class Completed:
    """A finished tool call: its record plus raw output."""

    run: ToolRun
    stdout: bytes
    stderr: bytes

    @property
    def killed_by_signal(self) -> int | None:
        """The signal number that ended the tool, if one did."""
        code = self.run.exit_code
        return -code if code is not None and code < 0 else None


def find_tool(name: str) -> str:
    """Absolute path of `name` on PATH, or a ToolError saying how to install it."""
    found = shutil.which(name)
    if found is None:
        hint = INSTALL_HINTS.get(name, f"install {name}")
        raise ToolError(name, "not found on PATH", hint)
    return found


# Names of variables that carry credentials (CI tokens, cloud keys, the OIDC request token).
# No scanner we run needs one, and a scanner reading the hostile repository's files should
# have nothing to leak: they never reach a tool (the GitHub API checks read theirs in-process).
# Whole words of a name (`GH_PAT`, `DB_PWD`, `CI_JOB_JWT_V2`, `npm_config__auth`): as a
# substring `PAT` would be PATH, `PWD` the working folder, `AUTH` GIT_AUTHOR_NAME.
_CREDENTIAL_NAME = re.compile(
    r"TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|PRIVATE_KEY|API_?KEY|ACCESS_KEY"
    r"|SSH_AUTH_SOCK|(?:^|_)(?:PAT|JWT|AUTH|KEY|PASS|DSN)(?:_|$)|_PWD(?:_|$)",
    re.IGNORECASE,
)
# A URL with a user (and password or token) in it, whatever the variable is called
# (PIP_INDEX_URL=https://user:secret@host/simple, DATABASE_URL=postgres://app:secret@db).
_URL_USERINFO = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#\s@]+@")
# The operator's proxy is kept, credentials and all: pip-audit reaches the network through it.
_PROXY = frozenset({"http_proxy", "https_proxy", "all_proxy"})


def is_credential(name: str, value: str = "") -> bool:
    """Whether an environment variable holds a credential: its name says so, or its value is
    a URL with a user in it (other than the proxy's)."""
    if _CREDENTIAL_NAME.search(name) is not None:
        return True
    return name.lower() not in _PROXY and _URL_USERINFO.search(value) is not None


def _environment(
    extra: Mapping[str, str] | None, inherit: Callable[[str], bool] | None = None
) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not is_credential(k, v) and (inherit is None or inherit(k))
    }
    env.update(QUIET_ENV)
    if extra:
        env.update(extra)
    return env


def run_tool(
    name: str,
    args: Sequence[str],
    *,
    cwd: Path,
    timeout: float,
    version: str = "",
    env: Mapping[str, str] | None = None,
    inherit: Callable[[str], bool] | None = None,
) -> Completed:
    """Run `name args...` in `cwd`; raise ToolError if it is missing or exceeds `timeout`.

    `env` is added to our environment; `inherit`, if given, says which of our own variables
    the tool may see at all (git must not see a GIT_DIR it did not get from us).
    """
    executable = find_tool(name)
    argv = [executable, *args]
    started = time.monotonic()
    # Filled by the thread that starts the tool, so that an interrupt arriving here, in the
    # main thread, always finds the tool to end (a plain assignment could be interrupted).
    holder: list[subprocess.Popen[bytes]] = []
    try:
        _start(name, argv, cwd, _environment(env, inherit), holder)
        process = holder[0]
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(holder[0])
        holder[0].communicate()
        raise ToolError(
            name,
            f"timed out after {timeout:g} s",
            "raise the check's `timeout` parameter, exclude large generated files, "
            "or run with fewer concurrent jobs",
        ) from None
    except BaseException:  # interrupted: end the tool, it would not see the signal
        for process in holder:
            _kill_group(process)
            _close(process)
        raise
    finally:
        with _RUNNING_LOCK:
            _RUNNING.difference_update(holder)
    record = ToolRun(
        tool=name,
        version=version,
        command=(name, *args),
        exit_code=process.returncode,
        duration_s=round(time.monotonic() - started, 3),
    )
    return Completed(record, stdout, stderr)


def _start(
    name: str,
    argv: list[str],
    cwd: Path,
    env: dict[str, str],
    holder: list[subprocess.Popen[bytes]],
) -> None:
    """Start the tool and register it for stopping, as one step no interrupt divides.

    Python raises a signal's exception only in the main thread, between any two bytecodes,
    also inside `Popen` after the child exists (which then runs on unregistered, unseen). So
    the main thread has another thread start the tool and waits for it: the start completes,
    or is refused, whatever arrives meanwhile.
    """
    failed: list[BaseException] = []

    def start() -> None:
        with _RUNNING_LOCK:
            if _STOPPING:
                return
            try:
                process = _popen(argv, cwd, env)
            except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
                failed.append(exc)
                return
            _RUNNING.add(process)
            holder.append(process)

    if threading.current_thread() is not threading.main_thread():
        start()
    else:
        starter = threading.Thread(target=start, name=f"start {name}", daemon=True)
        starter.start()
        try:
            starter.join()
        except BaseException:
            starter.join()  # the start takes milliseconds; the caller then ends the tool
            raise
    if failed:
        raise failed[0]
    if not holder:
        raise ToolError(name, "not started: the run is being stopped", "run it again")


def _popen(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    # A new session gives the tool its own process group, so a timeout can kill its children
    # (semgrep runs semgrep-core underneath) and not leave them running.
    return subprocess.Popen(  # noqa: S603 - argv list, no shell, executable located by which()
        argv,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def stop_running_tools() -> None:
    """Kill every tool call still running and refuse every later start (the run is being
    interrupted; `allow_tool_starts` lifts the refusal for a new run)."""
    global _STOPPING
    with _RUNNING_LOCK:
        _STOPPING = True
        running = list(_RUNNING)
    for process in running:
        if process.returncode is None:  # a reaped process's id may already be someone else's
            _kill_group(process)


def allow_tool_starts() -> None:
    """Let tools start again after `stop_running_tools` (a new assessment begins)."""
    global _STOPPING
    with _RUNNING_LOCK:
        _STOPPING = False


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()


def _close(process: subprocess.Popen[bytes]) -> None:
    """Close the pipes of a killed tool and reap it (briefly: it was sent SIGKILL)."""
    for pipe in (process.stdout, process.stderr):
        if pipe is not None:
            pipe.close()
    try:
        process.wait(timeout=1)
    except subprocess.TimeoutExpired:
        pass


_VERSION = re.compile(r"\d+\.\d+(?:\.\d+)?(?:[-.+\w]*)?")


@functools.cache
def tool_version(name: str, args: tuple[str, ...] = ("--version",), timeout: float = 120) -> str:
    """The version a tool reports about itself (cached per process)."""
    done = run_tool(name, args, cwd=Path.cwd(), timeout=timeout)
    text = (done.stdout or done.stderr).decode("utf-8", "replace")
    match = _VERSION.search(text)
    if done.run.exit_code != 0 or match is None:
        raise ToolError(name, f"could not read its version from {' '.join(args)!r}", "reinstall it")
    return match.group(0)
