"""Writes stay inside the folder the user named (issue 13, case 3 and the output side of 7).

Planted links on the output path or inside an old output folder, stale manifests, a full disk
and a read-only folder: exit 2 naming the path and the reason, nothing written or deleted
outside, the previous output untouched, never a folder mixing two runs.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from baseline.catalog.loader import load_catalog
from baseline.context import RunOptions
from baseline.engine import assess as engine_assess
from baseline.errors import InputError
from baseline.models import Assessment

from .doc_table import Observations, Row
from .harness import EPOCH, environment, tool_free_catalog

SECTION = "Output folders"
MANIFEST = {"algorithm": "sha256", "files": {}}


def baseline(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m baseline ARGS...` as a user runs it."""
    return subprocess.run([sys.executable, "-m", "baseline", *args], cwd=cwd, env=environment(),
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip


_WORK: dict[int, Path] = {}


def shared_work(factory: pytest.TempPathFactory) -> Path:
    """A small repository, a tool-free catalog and one saved record (for render, aggregate),
    made once per session."""
    if id(factory) in _WORK:
        return _WORK[id(factory)]
    base = factory.mktemp("outputs")
    (base / "repo").mkdir()
    (base / "repo" / "app.py").write_text("x = 1\n")
    tool_free_catalog(base)
    done = baseline("assess", "repo", "--out", "saved", "--catalog", "tool-free.toml",
                    "--format", "json", "--quiet", cwd=base)  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    (base / "list.txt").write_text("repo\n")
    _WORK[id(factory)] = base
    return base


@pytest.fixture
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """shared_work as a fixture."""
    return shared_work(tmp_path_factory)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b"<dir>"
        for p in sorted(folder.rglob("*"))
    }


def _outside(tmp_path: Path) -> Path:
    sink = tmp_path / "outside"
    sink.mkdir()
    (sink / "precious.txt").write_text("the user's own file\n")
    return sink


COMMANDS = {
    "assess --out": ["assess", "repo", "--out", "reports/x", "--catalog", "tool-free.toml",
                     "--format", "all", "--quiet"],
    "assess --bundle": ["assess", "repo", "--out", "fine", "--bundle", "reports/x",
                        "--catalog", "tool-free.toml", "--format", "json", "--quiet"],
    "render --out": ["render", "saved/assessment.json", "--out", "reports/x"],
    "aggregate --out": ["aggregate", "saved/assessment.json", "--out", "reports/x"],
    "assess-many --out": ["assess-many", "list.txt", "--out", "reports/x",
                          "--catalog", "tool-free.toml", "--jobs", "2"],
}  # fmt: skip


def linked_path_row(command: str, factory: pytest.TempPathFactory) -> Row:
    """`COMMAND --out reports/x` with `reports` a link out of the working folder."""
    work = shared_work(factory)
    sink = _outside(factory.mktemp("linked"))
    before = _snapshot(sink)
    link = work / "reports"
    link.symlink_to(sink, target_is_directory=True)
    try:
        done = baseline(*COMMANDS[command], cwd=work)
    finally:
        link.unlink()
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert "reports: a folder on the output path is a symbolic link" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert _snapshot(sink) == before, "something was written through the link"
    return Row(SECTION, f"{command} through a link", f"`{command} reports/x` where `reports` "
               "is a symbolic link out of the working folder", "exit 2: `reports: a folder on "
               "the output path is a symbolic link (never followed)`; nothing written outside")  # fmt: skip


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_linked_folder_on_the_output_path_is_refused(
    command: str, tmp_path_factory: pytest.TempPathFactory, observations: Observations
) -> None:
    observations.get(SECTION, f"{command} through a link",
                     lambda: linked_path_row(command, tmp_path_factory))  # fmt: skip


def old_manifest_row(factory: pytest.TempPathFactory) -> Row:
    """An old bundle whose manifest lists `link/precious.txt`, `link` a link out of it."""
    work, tmp_path = shared_work(factory), factory.mktemp("manifest")
    sink = _outside(tmp_path)
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    planted = {"algorithm": "sha256", "files": {"link/precious.txt": "0" * 64}}
    (bundle / "manifest.json").write_text(json.dumps(planted))
    (bundle / "link").symlink_to(sink, target_is_directory=True)
    done = baseline("assess", "repo", "--out", str(tmp_path / "out"), "--bundle", str(bundle),
                    "--catalog", "tool-free.toml", "--format", "json", "--quiet", cwd=work)  # fmt: skip
    assert (sink / "precious.txt").read_text() == "the user's own file\n", "deleted outside"
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert f"{bundle / 'link'}: is a symbolic link" in done.stderr, done.stderr
    assert (bundle / "manifest.json").read_text() == json.dumps(planted)
    return Row(SECTION, "old manifest through a link", "`--bundle DIR` where an old "
               "`DIR/manifest.json` lists `link/precious.txt` and `DIR/link` links out",
               "exit 2: `DIR/link: is a symbolic link: an output folder that holds links is "
               "never written into`; the outside file survives (an old manifest is never read)")  # fmt: skip


def test_an_old_manifest_cannot_delete_a_file_outside_the_bundle(
    tmp_path_factory: pytest.TempPathFactory, observations: Observations
) -> None:
    observations.get(SECTION, "old manifest through a link",
                     lambda: old_manifest_row(tmp_path_factory))  # fmt: skip


def all_rows(factory: pytest.TempPathFactory, obs: Observations) -> list[Row]:
    """The rows of this section (for the docs table); the tmpfs cases depend on being root."""
    rows = [
        obs.get(SECTION, f"{c} through a link", lambda c=c: linked_path_row(c, factory))
        for c in COMMANDS
    ]
    return [*rows, obs.get(SECTION, "old manifest through a link",
                           lambda: old_manifest_row(factory))]  # fmt: skip


@pytest.fixture(scope="module")
def assessment(tmp_path_factory: pytest.TempPathFactory) -> Assessment:
    """One in-process assessment of an empty repository (for the writers called directly)."""
    target = tmp_path_factory.mktemp("target")
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        return engine_assess(target, load_catalog("ssdf-1.1"), RunOptions(jobs=1), display="t",
                             quiet=True)  # fmt: skip
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def test_a_linked_attestations_folder_in_an_old_bundle_writes_nothing_outside(
    assessment: Assessment, tmp_path: Path
) -> None:
    from baseline.bundle.write import write_bundle

    # Another Python environment beside the bundle: a .pth in its site-packages runs at its start.
    env_lib = tmp_path / "other-env" / "lib"
    (env_lib / "site-packages").mkdir(parents=True)
    marker = tmp_path / "marker"
    evidence = tmp_path / "evil.pth"
    evidence.write_text(f"import pathlib; pathlib.Path({str(marker)!r}).touch()\n")
    bundle = tmp_path / "bundle"
    (bundle / "attestations").mkdir(parents=True)
    (bundle / "manifest.json").write_text(json.dumps(MANIFEST))
    (bundle / "attestations" / "config").symlink_to(env_lib, target_is_directory=True)
    refused: InputError | None = None
    try:
        write_bundle(assessment, bundle, {"site-packages/evil.pth": evidence})
    except InputError as exc:
        refused = exc
    assert list((env_lib / "site-packages").iterdir()) == [], "a .pth was written outside"
    assert not marker.exists()
    assert refused is not None
    assert f"{bundle / 'attestations' / 'config'}: is a symbolic link" in str(refused)


def test_an_old_bundle_is_replaced_whole_and_a_foreign_folder_is_kept(
    assessment: Assessment, tmp_path: Path
) -> None:
    from baseline.bundle.verify import verify_bundle
    from baseline.bundle.write import write_bundle

    bundle = tmp_path / "bundle"
    evidence = tmp_path / "training.md"
    evidence.write_text("roster\n")
    write_bundle(assessment, bundle, {"docs/training.md": evidence})
    assert (bundle / "attestations" / "config" / "docs" / "training.md").is_file()
    write_bundle(assessment, bundle, {})
    assert not (bundle / "attestations").exists(), "a file of the older bundle was left"
    assert verify_bundle(bundle).problems == []
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine")
    with pytest.raises(InputError, match="holds no bundle"):
        write_bundle(assessment, foreign, {})
    assert _snapshot(foreign) == {"keep.txt": b"mine"}


def test_reports_go_beside_other_files_without_touching_them(
    assessment: Assessment, tmp_path: Path
) -> None:
    from baseline.report.write import write_reports

    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "src").mkdir()
    written = write_reports(assessment, ["json", "md"], tmp_path)
    assert sorted(p.name for p in written) == ["assessment.json", "report.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "assessment.json", "notes.txt", "report.md", "src",
    ]  # fmt: skip
    (tmp_path / "alias").symlink_to(tmp_path / "src")
    with pytest.raises(InputError, match="alias: is a symbolic link"):
        write_reports(assessment, ["json"], tmp_path)


# --- a full disk and a read-only folder -------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MiB tmpfs (root only; skipped where it cannot be mounted): room for every report of
    the sample record twice over (a file is replaced through a temporary beside it)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                          capture_output=True, check=False)  # fmt: skip
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (not root?): the in-process tests cover it")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(mount: Path, leave: int) -> None:
    """Fill the disk, then free `leave` bytes: the next write runs out part of the way."""
    filler = mount / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    os.truncate(filler, filler.stat().st_size - leave)


def _render(work: Path, out: Path, formats: str) -> subprocess.CompletedProcess[str]:
    return baseline("render", "saved/assessment.json", "--out", str(out), "--format", formats,
                    cwd=work)  # fmt: skip


def _rendered_once(work: Path, out: Path) -> dict[str, bytes]:
    """Render the JSON report into `out`: what the folder then holds."""
    first = _render(work, out, "json")
    assert first.returncode == 0, first.stderr
    return _snapshot(out)


def _refused(done: subprocess.CompletedProcess[str], out: Path, problem: str) -> None:
    """Exit 2 naming `problem` and the output folder, and no traceback."""
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert problem in done.stderr and str(out) in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_a_full_disk_is_exit_2_and_keeps_the_previous_reports(work: Path, small_disk: Path) -> None:
    out = small_disk / "out"
    before = _rendered_once(work, out)
    _fill(small_disk, 131072)  # assessment.json (80 KB) fits, the rest not
    _refused(_render(work, out, "all"), out, "No space left on device")
    assert _snapshot(out) == before, "the previous reports changed"
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "out"], "a temp was left"


def test_a_read_only_output_folder_is_exit_2_and_keeps_the_previous_reports(
    work: Path, small_disk: Path
) -> None:
    out = small_disk / "out"
    before = _rendered_once(work, out)
    remount = ["mount", "-o", "remount,ro", str(small_disk)]
    subprocess.run(remount, check=True)  # chmod 0555 does not stop root
    _refused(_render(work, out, "all"), out, "Read-only file system")
    assert _snapshot(out) == before


def test_a_write_that_runs_out_of_space_midway_leaves_the_old_reports(
    assessment: Assessment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same without a tmpfs: os.write fails with ENOSPC after a few files (in-process)."""
    from baseline.report.registry import FORMATS
    from baseline.report.write import write_reports

    out = tmp_path / "out"
    write_reports(assessment, ["json"], out)
    before = _snapshot(out)
    real_write, calls = os.write, []

    def full_disk(fd: int, data: bytes) -> int:
        calls.append(fd)
        if len(calls) > 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(InputError, match="No space left on device") as raised:
        write_reports(assessment, list(FORMATS), out)
    monkeypatch.setattr(os, "write", real_write)
    assert str(out) in str(raised.value)
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], "a temporary folder was left"


def test_a_mounted_output_folder_is_written_in_place(work: Path, small_disk: Path) -> None:
    """A mount point (a container's volume) cannot be renamed: its files are replaced instead."""
    (small_disk / "notes.txt").write_text("mine")
    for fmt in ("all", "json"):
        done = baseline("render", "saved/assessment.json", "--out", str(small_disk),
                        "--format", fmt, cwd=work)  # fmt: skip
        assert done.returncode == 0, done.stderr
    assert (small_disk / "notes.txt").read_text() == "mine"
    saved = (work / "saved" / "assessment.json").read_bytes()
    assert (small_disk / "assessment.json").read_bytes() == saved
    assert not [p.name for p in small_disk.iterdir() if p.name.startswith(".")]


def test_a_single_file_write_that_fails_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from baseline.outdir import write_text

    target = tmp_path / "diff.md"
    target.write_text("old\n")

    def full_disk(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(InputError, match="diff.md: cannot write: No space left on device"):
        write_text(target, "new\n")
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir()] == ["diff.md"]
    assert target.read_text() == "old\n"
