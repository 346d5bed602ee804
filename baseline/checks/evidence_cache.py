"""Reuse a SAST check's whole evidence when nothing it could have read has changed.

The per-file cache (`sast_cache`) spares the scanners; what a warm run still spends is Python
work over every finding (snippets, fingerprints, ignore markers, digests), most of a warm run
on a repository with thousands of findings. When every file of the target is byte-identical
to the last recorded run of the same check, parameters, scanner executable and version of
this program, that run's evidence is this run's evidence. Any difference, however small,
falls back to the per-file path, which gives the same result the long way.

One entry per target folder and check settings: a new state of the repository replaces the
previous one, so the cache does not grow with every commit. An `error` is never stored, so a
failing tool is asked again next time; a tool that has gone missing fails before any reuse.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from baseline.checks import memo, sast_files
from baseline.checks.sast_cache import digest_files, executable_state, scan_key
from baseline.context import Context
from baseline.evidence_record import evidence_from_json, evidence_json
from baseline.jsontext import compact, loads
from baseline.models import Artifact, CheckOutcome, Evidence
from baseline.scancache import note, open_cache

UNREAD_ABOVE = sast_files.MAX_FILE_BYTES_CAP
"""Files larger than this enter the repository digest by size and mtime, not by content: no
scanner may be given them (the size limit cannot be raised past it)."""


@functools.cache
def _code_digest() -> str:
    """This program's own source: an edited checker must not replay the old one's evidence."""
    return digest_files(Path(__file__).resolve().parent.parent.rglob("*.py"))


def repository_digest(ctx: Context) -> str:
    """Every file of the target by content, and the links and exclusions (once per run)."""
    return memo.shared_scan(ctx, {"digest": "repository"}, lambda: _repository_digest(ctx))


def _repository_digest(ctx: Context) -> str:
    digest = hashlib.sha256()
    for rel in ctx.files:
        digest.update(f"{rel}\0{_content_id(ctx, rel)}\n".encode("utf-8", "surrogateescape"))
    listing = json.dumps([ctx.symlinks, ctx.excluded], ensure_ascii=True)
    digest.update(listing.encode("ascii"))
    return digest.hexdigest()


def _content_id(ctx: Context, rel: str) -> str:
    # A file far over any scanner's size limit is never analyzed, only counted by its size:
    # its size and modification time stand for it (a 2 GB sparse file is never read).
    info = ctx.stat(rel)
    if info.st_size > UNREAD_ABOVE:
        return f"size={info.st_size};mtime_ns={info.st_mtime_ns}"
    return ctx.sha256(rel)


def _payload(evidence: Evidence) -> dict[str, Any]:
    return {
        "evidence": evidence_json(evidence),
        # Not part of the record, but written to evidence bundles and shown on stderr.
        "artifacts": [
            [a.name, base64.b64encode(a.content).decode("ascii")] for a in evidence.artifacts
        ],
        "seconds": [r.duration_s for r in evidence.tool_runs],
        # How the check judged its findings, for accepted findings (baseline/accepted.py).
        "failing": None if evidence.failing is None else list(evidence.failing),
        "passing_outcome": evidence.passing_outcome.value,
    }


def _evidence(payload: Mapping[str, Any]) -> Evidence:
    evidence = evidence_from_json(payload["evidence"])
    runs = tuple(
        replace(run, duration_s=float(seconds))
        for run, seconds in zip(evidence.tool_runs, payload["seconds"], strict=True)
    )
    artifacts = tuple(Artifact(name, base64.b64decode(text)) for name, text in payload["artifacts"])
    failing = payload.get("failing")
    return replace(
        evidence,
        tool_runs=runs,
        artifacts=artifacts,
        failing=None if failing is None else tuple(failing),
        passing_outcome=CheckOutcome(payload.get("passing_outcome", "pass")),
    )


def _text(payload: Mapping[str, Any]) -> str:
    text = compact(payload)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a file name that is not UTF-8: kept as a JSON escape
        text = json.dumps(payload, ensure_ascii=True)
    return text


def reuse_or_run(
    ctx: Context,
    check: str,
    params: Mapping[str, Any],
    tool: str,
    extra: Mapping[str, Any],
    run: Callable[[], Evidence],
) -> Evidence:
    """The stored evidence when every input matches; otherwise `run()`, stored for next time.

    `extra` holds the other inputs of the check's tool (a rule pack's digest, for example).
    """
    cache = open_cache(ctx.options.cache)
    if cache is None:
        return run()
    try:
        slot = "evidence:" + scan_key({"check": check, "params": params, "root": str(ctx.root)})
        inputs = scan_key(
            {
                "check": check,
                "params": params,
                "tool": executable_state(tool),  # a missing tool raises here: `error`
                "extra": extra,
                "code": _code_digest(),
                "repository": repository_digest(ctx),
            }
        )
        stored = cache.get_meta(slot)
        if stored is not None and stored.startswith(inputs + "\n"):
            try:
                evidence = _evidence(loads(stored[len(inputs) + 1 :]))
            except (ValueError, KeyError, TypeError):
                pass  # unreadable: run the check and store it again
            else:
                note(f"{check}: evidence reused (no file changed since it was recorded)")
                return evidence
        evidence = run()
        if evidence.outcome is not CheckOutcome.ERROR:
            cache.put_meta(slot, inputs + "\n" + _text(_payload(evidence)))
        return evidence
    finally:
        cache.close()
