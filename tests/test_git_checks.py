"""Git checks on real repositories made in tmp_path (SSH-signed commits and tags via ssh-keygen)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support import check_evidence

from baseline.checks.git_history import count_signatures, tag_signed
from baseline.models import CheckOutcome, Evidence

needs_ssh_keygen = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="no ssh-keygen")
IDENTITY = {
    "GIT_AUTHOR_NAME": "Dev",
    "GIT_AUTHOR_EMAIL": "dev@example.org",
    "GIT_COMMITTER_NAME": "Dev",
    "GIT_COMMITTER_EMAIL": "dev@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str, **env: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=repo,
        env={**os.environ, **IDENTITY, **env},
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def make_repo(path: Path, key: Path | None = None) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    if key is not None:
        git(path, "config", "gpg.format", "ssh")
        git(path, "config", "user.signingkey", str(key))
    return path


def commit(repo: Path, name: str, sign: bool = False, **env: str) -> None:
    (repo / name).write_text(name)
    git(repo, "add", name)
    git(repo, "commit", "-q", "-m", name, "-S" if sign else "--no-gpg-sign", **env)


@pytest.fixture
def key(tmp_path: Path) -> Path:
    if shutil.which("ssh-keygen") is None:
        pytest.skip("no ssh-keygen")
    path = tmp_path / "keys" / "id"
    path.parent.mkdir()
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "dev@example.org", "-f", str(path)],
        check=True,
    )
    return path


def run(root: Path, check: str, allowed_signers: str = "", **params: object) -> Evidence:
    # The allowed-signers file is the operator's (a run option), never a check parameter.
    signers = Path(allowed_signers) if allowed_signers else None
    return check_evidence(root, check, dict(params), allowed_signers=signers)


def test_not_a_repository(tmp_path: Path) -> None:
    for check in ("git.commit_recorded", "git.commits_signed", "git.release_tags_signed"):
        evidence = run(tmp_path, check)
        assert evidence.outcome is CheckOutcome.NOT_APPLICABLE
        assert "not a git repository" in evidence.summary


def test_unsigned_history(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "a")
    commit(repo, "b")
    head = git(repo, "rev-parse", "HEAD").strip()
    recorded = run(repo, "git.commit_recorded")
    assert recorded.outcome is CheckOutcome.PASS and head in recorded.summary
    signed = run(repo, "git.commits_signed")
    assert signed.outcome is CheckOutcome.FAIL
    assert len(signed.findings) == 2 and head in signed.findings[0].message
    assert run(repo, "git.release_tags_signed").outcome is CheckOutcome.NOT_APPLICABLE


def test_empty_repository(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    assert run(repo, "git.commit_recorded").outcome is CheckOutcome.FAIL
    assert run(repo, "git.commits_signed").outcome is CheckOutcome.NOT_APPLICABLE


def test_dirty_tree_needs_review(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "a")
    (repo / "a").write_text("changed")
    assert run(repo, "git.commit_recorded").outcome is CheckOutcome.NEEDS_REVIEW


@needs_ssh_keygen
def test_ssh_signed_commits_and_tags(tmp_path: Path, key: Path) -> None:
    repo = make_repo(tmp_path / "r", key)
    commit(repo, "a", sign=True)
    commit(repo, "b", sign=True)
    git(repo, "tag", "-s", "v1.0.0", "-m", "release 1.0.0")
    evidence = run(repo, "git.commits_signed")
    assert evidence.outcome is CheckOutcome.PASS
    assert "2 of the last 2" in evidence.summary and "0 verified" in evidence.summary
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(f"dev@example.org {key.with_suffix('.pub').read_text()}")
    verified = run(repo, "git.commits_signed", allowed_signers=str(allowed))
    assert "2 verified" in verified.summary
    assert run(repo, "git.release_tags_signed").outcome is CheckOutcome.PASS
    tag_verified = run(repo, "git.release_tags_signed", allowed_signers=str(allowed))
    assert tag_verified.outcome is CheckOutcome.PASS and "1 verified" in tag_verified.summary
    other = tmp_path / "keys" / "other"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    stranger = tmp_path / "stranger_signers"
    stranger.write_text(f"dev@example.org {other.with_suffix('.pub').read_text()}")
    foreign = run(repo, "git.release_tags_signed", allowed_signers=str(stranger))
    assert foreign.outcome is CheckOutcome.FAIL
    assert [f.rule for f in foreign.findings] == ["unverified-tag"]
    git(repo, "tag", "-a", "v1.1.0", "-m", "unsigned annotated")
    git(repo, "tag", "v1.2.0")
    tags = run(repo, "git.release_tags_signed")
    assert tags.outcome is CheckOutcome.FAIL
    assert {f.message.split()[1] for f in tags.findings} == {"v1.1.0", "v1.2.0"}
    only_v1 = run(repo, "git.release_tags_signed", pattern="v1.0.*")
    assert only_v1.outcome is CheckOutcome.PASS


@needs_ssh_keygen
def test_web_flow_signatures_are_counted_apart(tmp_path: Path, key: Path) -> None:
    repo = make_repo(tmp_path / "r", key)
    commit(repo, "a", sign=True)
    commit(
        repo,
        "merge",
        sign=True,
        GIT_COMMITTER_NAME="GitHub",
        GIT_COMMITTER_EMAIL="noreply@github.com",
    )
    evidence = run(repo, "git.commits_signed")
    assert "(1 by developers, 1 by GitHub web-flow" in evidence.summary
    assert evidence.outcome is CheckOutcome.PASS
    strict = run(repo, "git.commits_signed", count_web_flow=False)
    assert strict.outcome is CheckOutcome.FAIL


def test_signature_parser() -> None:
    log = (
        "\x00".join(
            [
                "a\x1fG\x1fDev\x1fdev@example.org",
                "b\x1fE\x1fGitHub\x1fnoreply@github.com",
                "c\x1fN\x1fDev\x1fdev@example.org",
                "d\x1fB\x1fDev\x1fdev@example.org",
                "e\x1fU\x1fDev\x1fdev@example.org",
            ]
        )
        + "\x00"
    )
    sig = count_signatures(log)
    assert (sig.total, sig.developer, sig.web_flow, sig.verified) == (5, 2, 1, 1)
    assert (sig.bad, sig.unsigned) == (("d",), ("c",))
    assert tag_signed("object x\n\n-----BEGIN PGP SIGNATURE-----\n")
    assert not tag_signed("object x\ntag v1\n\nrelease\n")


def test_hostile_signing_config_runs_nothing(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "a")
    marker = tmp_path / "pwned"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\nexit 0\n")
    script.chmod(0o755)
    for name in ("gpg.program", "gpg.ssh.program", "gpg.x509.program", "core.fsmonitor"):
        git(repo, "config", name, str(script))
    # a fake signature header so git has to check it
    raw = git(repo, "cat-file", "commit", "HEAD")
    head, _, message = raw.partition("\n\n")
    armor = "gpgsig -----BEGIN PGP SIGNATURE-----\n x\n -----END PGP SIGNATURE-----"
    forged = f"{head}\n{armor}\n\n{message}"
    sha = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--stdin"],
        cwd=repo,
        input=forged,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    git(repo, "update-ref", "HEAD", sha)
    evidence = run(repo, "git.commits_signed")
    assert evidence.outcome in (CheckOutcome.PASS, CheckOutcome.FAIL)
    assert not marker.exists()


def test_shallow_clone_detached_head_and_subfolder(tmp_path: Path) -> None:
    origin = make_repo(tmp_path / "origin")
    (origin / "sub").mkdir()
    commit(origin, "sub/a")
    commit(origin, "b")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(clone))
    git(clone, "checkout", "-q", "--detach")
    evidence = run(clone, "git.commits_signed")
    assert "shallow clone" in evidence.summary and "detached HEAD" in evidence.summary
    assert "1 commit(s)" in evidence.summary
    sub = run(clone / "sub", "git.commit_recorded")
    assert sub.outcome is CheckOutcome.PASS
    assert "folder sub/ of a larger repository" in sub.summary
    assert str(tmp_path) not in sub.summary


@needs_ssh_keygen
def test_a_shallow_clone_never_passes_what_it_hides(tmp_path: Path, key: Path) -> None:
    """Every commit and tag of the origin is signed; a shallow clone shows one commit and no
    tags, so neither git check may pass (or call the tags not applicable) on it: both are
    `error`, naming the fix; the full clone passes both."""
    origin = make_repo(tmp_path / "origin", key)
    for index in range(3):
        date = f"2025-0{index + 1}-01T12:00:00Z"
        commit(origin, f"f{index}", sign=True, GIT_COMMITTER_DATE=date, GIT_AUTHOR_DATE=date)
        git(origin, "tag", "-s", f"v1.{index}.0", "-m", "release", GIT_COMMITTER_DATE=date)
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-tags", f"file://{origin}", str(shallow))
    full = tmp_path / "full"
    git(tmp_path, "clone", "-q", f"file://{origin}", str(full))
    for check in ("git.commits_signed", "git.release_tags_signed"):
        cut = run(shallow, check, last=3) if check == "git.commits_signed" else run(shallow, check)
        assert cut.outcome is CheckOutcome.ERROR, (check, cut.summary)
        assert cut.summary.startswith("shallow clone") and "fetch-depth: 0" in (cut.error or "")
        whole = run(full, check, last=3) if check == "git.commits_signed" else run(full, check)
        assert whole.outcome is CheckOutcome.PASS, (check, whole.summary)


def _tag(repo: Path, name: str, date: str, sign: bool) -> None:
    commit(repo, name, GIT_COMMITTER_DATE=date, GIT_AUTHOR_DATE=date)
    git(repo, "tag", "-s" if sign else "-a", name, "-m", name, GIT_COMMITTER_DATE=date)


@needs_ssh_keygen
def test_release_tags_are_judged_over_a_recent_window(tmp_path: Path, key: Path) -> None:
    # Like flask: unsigned tags years ago, every tag signed for the last two years.
    repo = make_repo(tmp_path / "r", key)
    for index, year in enumerate(("2017", "2018", "2019")):
        _tag(repo, f"v0.{index}.0", f"{year}-03-01T12:00:00Z", sign=False)
    for index, month in enumerate(("2024-06", "2024-11", "2025-04", "2025-09")):
        _tag(repo, f"v1.{index}.0", f"{month}-01T12:00:00Z", sign=True)
    recent = run(repo, "git.release_tags_signed")
    assert recent.outcome is CheckOutcome.PASS, recent.summary
    assert recent.summary.startswith(
        "0 of the last 4 release tag(s) unsigned; 4 signed "
        "(window: 24 months before the newest, since 2023-09-"
    ), recent.summary
    assert "7 tag(s) in all" in recent.summary
    everything = run(repo, "git.release_tags_signed", since="2015-01-01")
    assert everything.outcome is CheckOutcome.FAIL
    assert everything.summary.startswith(
        "3 of the last 7 release tag(s) unsigned: v0.2.0, v0.1.0, v0.0.0; 4 signed"
    ), everything.summary
    assert run(repo, "git.release_tags_signed", months=100).outcome is CheckOutcome.FAIL
    capped = run(repo, "git.release_tags_signed", months=100, last=4)
    assert capped.outcome is CheckOutcome.PASS


def test_release_tag_window_lists_at_most_ten_unsigned(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    for day in range(1, 13):
        _tag(repo, f"v1.0.{day}", f"2025-01-{day:02d}T12:00:00Z", sign=False)
    evidence = run(repo, "git.release_tags_signed")
    assert evidence.summary.startswith(
        "12 of the last 12 release tag(s) unsigned: v1.0.12, v1.0.11, v1.0.10, v1.0.9, v1.0.8, "
        "v1.0.7, v1.0.6, v1.0.5, v1.0.4, v1.0.3 and 2 more; 0 signed"
    ), evidence.summary
    assert len(evidence.findings) == 12
    bad = run(repo, "git.release_tags_signed", since="last year")
    assert bad.outcome is CheckOutcome.ERROR
    assert "YYYY-MM-DD" in bad.summary + (bad.error or "")


@needs_ssh_keygen
def test_a_tag_dated_in_the_future_does_not_move_the_window(tmp_path: Path, key: Path) -> None:
    # Tag dates are the tagger's claim: a signed tag dated 2099 must not push the real,
    # unsigned releases out of the window (it is judged with them).
    repo = make_repo(tmp_path / "r", key)
    for index, month in enumerate(("2025-03", "2025-06", "2025-09")):
        _tag(repo, f"v1.{index}.0", f"{month}-01T12:00:00Z", sign=False)
    _tag(repo, "v9.0.0", "2099-01-01T12:00:00Z", sign=True)
    evidence = run(repo, "git.release_tags_signed")
    assert evidence.outcome is CheckOutcome.FAIL, evidence.summary
    assert evidence.summary.startswith(
        "3 of the last 4 release tag(s) unsigned: v1.2.0, v1.1.0, v1.0.0; 1 signed"
    ), evidence.summary
