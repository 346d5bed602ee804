"""Git never starts a program the assessed repository names (issue 13, case 2).

A vendor's tree handed over as `cp -a` (new stat data) whose `.git/config`, or a file that
config pulls in with `include.path` / `includeIf`, names a marker-writing program for every
kind git knows, with hooks, signed commits and tags (so signatures are checked) and a
submodule whose own config names a filter. The whole `baseline assess` runs over the copy
with a logging `git` first on PATH: no marker may appear, no git call may carry
`safe.directory`, and the git facts must still be right. A copy owned by another user is read
too (git's ownership check only guards the config we no longer let git read).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .builders import (
    git_marker_program,
    git_tracked_files,
    install_hostile_git_config,
    write,
)
from .doc_table import Observations, Row
from .harness import Run, assess, check_run, environment

SECTION = "Git runs no repository program"
_GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c",
        "init.defaultBranch=main", "-c", "protocol.file.allow=always"]  # fmt: skip
_DATE = "1767225600 +0000"
VIAS = {
    "config": "every program kind named in the repository's own .git/config",
    "include": "every program kind named in a file .git/config pulls in with include.path",
    "includeIf": "every program kind named in a file .git/config pulls in with "
    '`includeIf "gitdir:/"`',
}


def git(repo: Path, *args: str, stdin: bytes | None = None) -> str:
    """Run git in repo (set-up only: the hostile config is installed after it)."""
    done = subprocess.run([*_GIT, "-C", str(repo), *args], check=True, capture_output=True,
                          input=stdin)  # fmt: skip
    return done.stdout.decode().strip()


def _fake_signed(repo: Path, kind: str, message: str) -> None:
    """A commit on main carrying a (garbage) PGP or X.509 signature: reading its %G? makes
    git start gpg.program or gpg.x509.program."""
    begin, end = {"pgp": ("-----BEGIN PGP SIGNATURE-----", "-----END PGP SIGNATURE-----"),
                  "x509": ("-----BEGIN SIGNED MESSAGE-----", "-----END SIGNED MESSAGE-----")}[kind]  # fmt: skip
    tree, parent = git(repo, "rev-parse", "HEAD^{tree}"), git(repo, "rev-parse", "HEAD")
    raw = (f"tree {tree}\nparent {parent}\nauthor t <t@example.org> {_DATE}\n"
           f"committer t <t@example.org> {_DATE}\ngpgsig {begin}\n \n aGVsbG8=\n {end}\n"
           f"\n{message}\n")  # fmt: skip
    sha = git(repo, "hash-object", "-t", "commit", "-w", "--stdin", stdin=raw.encode())
    git(repo, "update-ref", "refs/heads/main", sha)


def _submodule(repo: Path, markers: Path) -> None:
    """vendor/lib: a submodule added and checked out as `git submodule add` does (its git
    dir under .git/modules), whose own config names a clean filter."""
    origin = repo.parent / "lib-origin"
    origin.mkdir()
    git(origin, "init", "-q")
    write(origin / ".gitattributes", "* filter=z\n")
    write(origin / "lib.txt", "library\n")
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "lib")
    git(repo, "submodule", "add", "-q", str(origin), "vendor/lib")
    git(repo, "commit", "-q", "-m", "add the submodule")
    module_config = repo / ".git" / "modules" / "vendor" / "lib" / "config"
    assert module_config.is_file()
    command = git_marker_program(markers, "submodule-filter.z.clean", "exec cat")
    subprocess.run(["git", "config", "-f", str(module_config), "filter.z.clean", command],
                   check=True)  # fmt: skip


@dataclass(frozen=True)
class Vendored:
    """The copied tree, where markers would appear, the logged git argv, and its HEAD."""

    repo: Path
    markers: Path
    argv_log: Path
    bin: Path
    head: str

    def found_markers(self) -> list[str]:
        """Markers left by any program the repository named (must stay empty)."""
        return sorted(os.listdir(self.markers)) if self.markers.exists() else []

    def git_calls(self) -> list[str]:
        """Every git command line the run made (one per line)."""
        return self.argv_log.read_text().splitlines() if self.argv_log.exists() else []


def build_vendored(base: Path, via: str) -> Vendored:
    """Build the hostile repository, install its hostile config, then `cp -a` it."""
    source, markers = base / "source", base / "markers"
    source.mkdir()
    git(source, "init", "-q")
    git_tracked_files(source)
    write(source / "app.py", "print('hello')\n")
    key = base / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "t", "-f", str(key)],
                   check=True)  # fmt: skip
    signing = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key}"]
    git(source, "add", "-A")
    git(source, *signing, "commit", "-q", "-S", "-m", "first (SSH-signed)")
    git(source, *signing, "tag", "-s", "v1.0", "-m", "release 1.0")
    _submodule(source, markers)
    _fake_signed(source, "pgp", "PGP-signed")
    _fake_signed(source, "x509", "X.509-signed")
    head = git(source, "rev-parse", "HEAD")
    install_hostile_git_config(source, markers, via)
    repo = base / "vendored"
    subprocess.run(["cp", "-a", str(source), str(repo)], check=True)
    # A git that logs its argv and runs the real one: what the run asked git to do.
    real, argv_log = shutil.which("git"), base / "git-argv.log"
    assert real is not None
    write(base / "bin" / "git", f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{argv_log}"\n'
          f'exec "{real}" "$@"\n')  # fmt: skip
    (base / "bin" / "git").chmod(0o755)
    return Vendored(repo, markers, argv_log, base / "bin", head)


def _evidence(run: Any, check: str) -> dict[str, Any]:
    item: dict[str, Any] = run.evidence(check)
    return item


def _assess_unharmed(base: Path, tree: Vendored, validator: Any) -> Run:
    """Assess the copied tree: the run's invariants hold, no marker appeared, no git call
    carries safe.directory, and the commit is recorded. The run, for more checks."""
    run = assess(tree.repo, base / "out", "--format", "json", env=environment(tree.bin),
                 cwd=base)  # fmt: skip
    check_run(run, validator)
    assert tree.found_markers() == [], tree.found_markers()
    calls = tree.git_calls()
    assert calls and not [c for c in calls if "safe.directory" in c], calls
    assert run.record["target"]["commit"] == tree.head
    recorded = _evidence(run, "git.commit_recorded")
    assert recorded["outcome"] == "pass", recorded
    return run


def vendored_row(via: str, factory: pytest.TempPathFactory, validator: Any) -> Row:
    """The whole `baseline assess` over a copied tree whose config names every program."""
    base = factory.mktemp(f"git-programs-{via}")
    tree = build_vendored(base, via)
    run = _assess_unharmed(base, tree, validator)
    signed = _evidence(run, "git.commits_signed")["summary"]
    assert signed.startswith("1 of the last 4 commit(s) signed"), signed
    tags = _evidence(run, "git.release_tags_signed")["summary"]
    assert tags.startswith("0 of the last 1 release tag(s) unsigned; 1 signed"), tags
    return Row(SECTION, f"programs via {via}", f"{VIAS[via]}, every hook, signed commits and "
               "tags, a submodule whose own config names a filter; the tree copied with "
               "`cp -a` (new stat data)", "git never reads the repository's config (a "
               "shadow git dir of ours): no marker appeared; no git call carries "
               f"safe.directory; commit recorded and clean, {signed.split(' (')[0]}, "
               f"{tags.split(' (')[0]}")  # fmt: skip


def chowned_check(factory: pytest.TempPathFactory, validator: Any) -> None:
    """The same copy owned by another user: read without `safe.directory`."""
    base = factory.mktemp("git-programs-chowned")
    tree = build_vendored(base, "config")
    subprocess.run(["chown", "-R", "54321:54321", str(tree.repo)], check=True)
    _assess_unharmed(base, tree, validator)


def all_rows(factory: pytest.TempPathFactory, validator: Any, obs: Observations) -> list[Row]:
    """Every row of this section (for the docs table)."""
    rows = [obs.get(SECTION, f"programs via {v}", lambda v=v: vendored_row(v, factory, validator))
            for v in VIAS]  # fmt: skip
    return rows  # the chowned case needs root: a test, not a row (the table must not vary)


@pytest.mark.parametrize("via", list(VIAS))
def test_no_repository_program_runs(via: str, tmp_path_factory, validator, observations) -> None:
    observations.get(SECTION, f"programs via {via}",
                     lambda: vendored_row(via, tmp_path_factory, validator))  # fmt: skip


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give the tree to another user")
def test_tree_owned_by_another_user(tmp_path_factory, validator) -> None:
    chowned_check(tmp_path_factory, validator)


def test_the_payload_is_live(tmp_path: Path) -> None:
    """Plain git on the copy does run what the repository names: the tests above can fail."""
    tree = build_vendored(tmp_path, "config")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    for args in (
        ["status", "--porcelain"],
        ["-c", "gpg.ssh.allowedSignersFile=/dev/null", "log", "--format=%G?"],
    ):
        subprocess.run(["git", "-C", str(tree.repo), *args], env=env, capture_output=True,
                       check=False, timeout=60)  # fmt: skip
    expected = {"config-core.fsmonitor", "config-filter.x.clean", "config-filter.y.process",
                "submodule-filter.z.clean", "config-gpg.program", "config-gpg.ssh.program",
                "config-gpg.x509.program", "hooksPath-post-index-change"}  # fmt: skip
    assert expected <= set(tree.found_markers()), tree.found_markers()
