"""Run `baseline assess` as a user would (a subprocess) and check the invariants every run keeps.

The checks are generic: they hold for whatever checks (checks/registry.CHECKS) and formats
(report/registry.FORMATS) are registered, so new checks and formats are covered as they land.
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from baseline.catalog.loader import load_catalog
from baseline.checks.registry import CHECKS
from baseline.report.json_record import expanded

from .builders import RAW_MARKUP

ROOT = Path(__file__).resolve().parents[2]
EPOCH = "1767225600"
RUN_TIMEOUT = 600
# C0 controls other than tab and newline; an ESC in a report can rewrite a reader's terminal.
_SURROGATE = re.compile(r"\\udc([0-9a-f]{2})")
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_CONTROL = {chr(c) for c in range(32) if chr(c) not in "\t\n"} | {"\x7f"}


@dataclass(frozen=True)
class Run:
    """One finished `baseline assess` run and what it wrote."""

    code: int
    stdout: str
    stderr: str
    out: Path
    target: Path

    @functools.cached_property
    def record(self) -> dict[str, Any]:
        """The parsed assessment.json."""
        loaded: dict[str, Any] = json.loads((self.out / "assessment.json").read_text("utf-8"))
        return expanded(loaded)  # every result's evidence in full (version 2 references runs)

    def evidence(self, check: str) -> dict[str, Any]:
        """The (first) evidence of a check in the record: its own, or (outcome and summary
        only) as one of the alternatives a check of alternatives ran."""
        for result in self.record["results"]:
            for item in result["evidence"]:
                if item["check"] == check:
                    return dict(item)
                for part in item.get("alternatives", ()):
                    if part["check"] == check:
                        return dict(part)
        raise AssertionError(f"no evidence of {check} in the record")


def environment(path_prefix: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment of a run: this worktree's package, a pinned date, optional fake tools."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env["SOURCE_DATE_EPOCH"] = EPOCH
    if path_prefix is not None:
        env["PATH"] = f"{path_prefix}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def assess(
    target: Path, out: Path, *args: str, env: Mapping[str, str] | None = None, cwd: Path
) -> Run:
    """`python -m baseline assess TARGET --out OUT ARGS...` in a subprocess."""
    done = subprocess.run(
        [sys.executable, "-m", "baseline", "assess", str(target), "--out", str(out), *args],
        cwd=cwd,
        env=dict(env) if env is not None else environment(),
        capture_output=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    return Run(
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
        out,
        target,
    )


def catalog_toml(catalog_id: str, title: str, practice: str, *controls: str) -> str:
    """A standalone catalog (one group PO, one practice PO.1 titled `practice`) holding
    `controls`, each made by control_toml."""
    return (f'[catalog]\nid = "{catalog_id}"\ntitle = "{title}"\nversion = "1"\n'
            'status = "draft"\n\n[[groups]]\nid = "PO"\ntitle = "Prepare"\n\n'
            f'[[practices]]\nid = "PO.1"\ngroup = "PO"\ntitle = "{practice}"\n'
            + "".join(controls))  # fmt: skip


def control_toml(
    control_id: str,
    title: str,
    summary: str,
    remediation: str,
    check: str | None = None,
    attestation: str = "optional",
) -> str:
    """One `[[controls]]` table of practice PO.1, with one check unless `check` is None."""
    text = (f'\n[[controls]]\nid = "{control_id}"\npractice = "PO.1"\ntitle = "{title}"\n'
            f'summary = "{summary}"\nattestation = "{attestation}"\n'
            f'remediation = "{remediation}"\n')  # fmt: skip
    return text if check is None else text + f'\n[[controls.checks]]\nid = "{check}"\n'


TINY_CATALOG = catalog_toml(
    "tiny", "A tiny catalog", "Define requirements",
    control_toml("PO.1.1", "Requirements", "Known requirements.", "Write them down.",
                 "repo.has_license"),
)  # fmt: skip
"""A small standalone catalog with one file check: fast runs whatever checks exist."""


@functools.cache
def reads_project_config() -> bool:
    """Whether `baseline assess` reads a `.baseline.toml` in the target (project config is
    another issue's work): judged by behaviour, so it does not matter what the module is called.
    """
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        (base / "repo").mkdir()
        (base / "repo" / ".baseline.toml").write_text("probe_unknown_key = 1\n")
        (base / "tiny.toml").write_text(TINY_CATALOG, encoding="utf-8")
        run = assess(base / "repo", base / "out", "--catalog", str(base / "tiny.toml"),
                     "--format", "json", "--quiet", cwd=base)  # fmt: skip
        return run.code == 2 and ".baseline.toml" in run.stderr


def tool_free_catalog(folder: Path) -> Path:
    """A catalog extending ssdf-1.1 with every control that runs an external tool (other than
    git) declared not applicable: for tests about the run itself, fast whatever checks exist."""
    lines = ["[catalog]", 'id = "tool-free"', 'title = "ssdf-1.1 without tool checks"',
             'version = "1"', 'status = "draft"', 'extends = "ssdf-1.1"', ""]  # fmt: skip
    for control in load_catalog("ssdf-1.1").controls:
        if any(set(CHECKS[s.check].tools) - {"git"} for s in control.checks):
            lines += ["[[not_applicable]]", f"control = {json.dumps(control.id)}",
                      'reason = "runs an external tool"', ""]  # fmt: skip
    path = folder / "tool-free.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _evidence(record: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for result in record["results"]:
        for item in result["evidence"]:
            yield result["control_id"], item


def _inside(target: Path, rel: str) -> bool:
    """A reported path names a regular file inside the tree, reached without a symlink."""
    if not rel:
        return True
    parts = rel.split("/")
    if rel.startswith("/") or ".." in parts:
        return False
    current = target
    for part in parts:  # lstat each step: a path through a symlinked folder leaves the tree
        current = current / part
        try:
            if current.is_symlink():
                return False
        except OSError:  # a name longer than NAME_MAX or PATH_MAX: judged by its parts
            return True
    return True


def check_record(run: Run, validator: Any) -> None:
    """The record is schema-valid and claims nothing without having looked."""
    record = run.record
    validator.validate(record)
    known = set(CHECKS)
    for result in record["results"]:
        outcomes = {e["outcome"] for e in result["evidence"]}
        if result["status"] == "pass":
            assert "pass" in outcomes, f"{result['control_id']} passes without a passing check"
            assert outcomes <= {"pass", "not_applicable"}, result["control_id"]
        if result["status"] == "waived":
            assert "fail" in outcomes and result["waiver"] is not None, result["control_id"]
        if not result["control"]["checks"]:
            assert result["status"] != "pass", result["control_id"]
        if result["control"]["not_applicable"] is None:  # every declared check ran and said so
            declared = {c["id"] for c in result["control"]["checks"]}
            assert {e["check"] for e in result["evidence"]} == declared, result["control_id"]
    for control, item in _evidence(record):
        assert item["check"] in known, (control, item["check"])
        if item["outcome"] == "error":
            assert item["error"], f"{control}/{item['check']}: an error without guidance"
        paths = [*item["files"], *item["digests"], *(f["path"] for f in item["findings"])]
        for rel in paths:
            assert _inside(run.target, _unescape(rel)), (control, item["check"], rel)


def _unescape(rel: str) -> str:
    # The record writes undecodable file-name bytes as backslash escapes (\udcff); undo that.
    return _SURROGATE.sub(lambda m: chr(0xDC00 + int(m.group(1), 16)), rel)


def check_reports(run: Run) -> list[str]:
    """Every written report file is complete and safe to open; returns their names."""
    names = []
    for path in sorted(run.out.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(run.out).as_posix()
        names.append(rel)
        assert not path.name.endswith(".tmp"), f"a temporary file was left behind: {rel}"
        data = path.read_bytes()
        text = data.decode("utf-8")  # raises on anything that is not UTF-8
        if path.suffix in (".json", ".sarif"):
            json.loads(text)
        else:
            # HTML tolerates its own whitespace (CR, form feed); every other control character
            # is a parse error there, and in Markdown a CR starts a new table row.
            allowed = {"\r", "\f"} if path.suffix in (".html", ".htm") else set()
            bad = sorted({c for c in text if c in _CONTROL and c not in allowed})
            assert not bad, f"{rel} holds raw control characters {bad!r}"
        if path.suffix in (".html", ".htm", ".md"):
            # Bidirectional overrides in a file name can make a report show one path and mean
            # another ("Trojan Source"); readers' documents must show them as escapes.
            spoofing = sorted({f"U+{ord(c):04X}" for c in text if c in _BIDI})
            assert not spoofing, f"{rel} holds raw bidirectional controls {spoofing}"
        if path.suffix in (".html", ".htm"):
            for raw in RAW_MARKUP:
                assert raw not in text, f"{rel} holds unescaped markup {raw!r}"
            lowered = text.lower()
            assert 'href="javascript:' not in lowered and 'src="javascript:' not in lowered
    assert "assessment.json" in names
    return names


def check_run(run: Run, validator: Any) -> None:
    """The run completed (0 or 1), wrote valid, escaped reports and never claimed blindly."""
    assert run.code in (0, 1), f"exit {run.code}\n{run.stderr[-3000:]}"
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    assert "\x1b" not in run.stdout, "a file name reached the terminal unescaped"
    check_reports(run)
    check_record(run, validator)
