"""Paths and small helpers shared by the tests (importable by name: pytest puts tests/ on sys.path)."""

from __future__ import annotations

import contextlib
import json
import shutil
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from baseline.context import RunOptions, build_context
from baseline.engine import run_check
from baseline.models import CheckSpec, Evidence

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
# The workflow probes (checks/workflow_probes.py): what the steps of the workflows do.
PROBES = (
    "ci.runs_code_analysis",
    "ci.runs_tests",
    "ci.scheduled_scans",
    "ci.release_signs_artifacts",
    "ci.release_generates_sbom",
    "ci.release_generates_provenance",
)


def load_json(path: Path) -> Any:
    """Parse a JSON file."""
    return json.loads(path.read_text(encoding="utf-8"))


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    """Write each relative path under `root` (folders made as needed), bytes as they are."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


def only_git_on_path(folder: Path) -> str:
    """A PATH on which git is the only program (a link in `folder`): every scanner is missing."""
    folder.mkdir()
    git = shutil.which("git")
    assert git is not None
    (folder / "git").symlink_to(git)
    return str(folder)


def record_file_lists(monkeypatch: Any, module: Any) -> list[list[str]]:
    """Patch `module.run_tool` to note the file arguments (after `--`) of every tool call it
    makes, then run the call as usual; returns the list the calls are noted in."""
    calls: list[list[str]] = []
    real = module.run_tool

    def spy(name: str, args: list[str], **kwargs: Any) -> Any:
        calls.append(args[args.index("--") + 1 :])
        return real(name, args, **kwargs)

    monkeypatch.setattr(module, "run_tool", spy)
    return calls


def check_evidence(
    target: Path, check: str, params: dict[str, Any] | None = None, **options: Any
) -> Evidence:
    """One check run through the engine (a raised ToolError becomes `error`), with RunOptions
    built from `options`."""
    ctx = build_context(target, "repo", RunOptions(**options))
    return run_check(ctx, CheckSpec(check, params or {}))


@contextlib.contextmanager
def json_api(
    answer: Callable[[str], tuple[int, Any]],
) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """A loopback JSON API while the block runs: `answer(path)` gives (status, a JSON value or
    raw bytes); yields the base URL and the (path, Authorization header) of every request."""
    seen: list[tuple[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            seen.append((self.path, self.headers.get("Authorization", "")))
            status, body = answer(self.path)
            payload = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def ci_profile_with(check: str, title: str) -> str:
    """tests/fixtures/ci-profile.toml with a fourth task, HY.1.4, evidenced by `check` alone."""
    return (
        (ROOT / "tests" / "fixtures" / "ci-profile.toml").read_text("utf-8")
        + f"""
[[controls]]
id = "HY.1.4"
practice = "HY.1"
title = "{title}"
summary = "{title}."
attestation = "none"
remediation = "{title}."

[[controls.checks]]
id = "{check}"
"""
    )
