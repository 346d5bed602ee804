"""Keyless signing (issue 18): `assess --sign-keyless` signs the bundle's statement with Sigstore
as the ambient OIDC identity; `verify --certificate-identity --certificate-oidc-issuer` checks it
offline against a recorded trust root, never the bundle's. Sigstore is a fake instance on
loopback (tests/fake_sigstore.py); verification runs with every network connection refused."""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_sigstore import GITHUB_ISSUER, IDENTITY, FakeSigstore
from report_sample import sample_assessment
from support import ROOT, ci_profile_with
from workflow_support import TODAY_EPOCH, cli, commit, make_repo

from baseline.bundle import MANIFEST, SIGSTORE
from baseline.bundle.keyless import Keyless
from baseline.bundle.sign import keygen
from baseline.bundle.write import write_bundle

PROFILE = ci_profile_with("git.commits_signed", "Signed commits")


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    for name in ("GITHUB_ACTIONS", "ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
                 "GOOGLE_SERVICE_ACCOUNT_NAME", "BUILDKITE", "GITLAB_CI", "CIRCLECI"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSigstore]:
    """A running fake instance, its trust files in tmp_path, and the job's OIDC variables."""
    with FakeSigstore().serve() as instance:
        (tmp_path / "trust-config.json").write_text(json.dumps(instance.trust_config()))
        (tmp_path / "trusted_root.json").write_text(json.dumps(instance.trusted_root()))
        for name, value in instance.github_env().items():
            monkeypatch.setenv(name, value)
        yield instance


def _block_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every outgoing connection is refused (and remembered): verification must not need one."""
    tried: list[Any] = []

    def refuse(self: socket.socket, address: Any) -> None:
        tried.append(address)
        raise OSError("network disabled by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return tried


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    return _block_network(monkeypatch)


def _write(out: Path, tmp_path: Path, keyless: bool = True, **more: Any) -> list[str]:
    sign = Keyless(tmp_path / "trust-config.json") if keyless else None
    return write_bundle(sample_assessment(), out, {}, keyless=sign, **more)


def _verify(capsys: pytest.CaptureFixture[str], bundle: Path, *extra: str,
            identity: str = IDENTITY, issuer: str = GITHUB_ISSUER) -> tuple[int, str]:  # fmt: skip
    code, out, err = cli(capsys, "verify", str(bundle), "--certificate-identity", identity,
                         "--certificate-oidc-issuer", issuer, *extra)  # fmt: skip
    return code, out + err


def test_signed_keyless_then_verified_offline(
    fake: FakeSigstore, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """The bundle gains one file, not listed in the manifest (it signs the statement, which
    covers the manifest), and every other file is byte for byte the unsigned bundle's."""
    with_sig, without = tmp_path / "signed", tmp_path / "plain"
    written = _write(with_sig, tmp_path)  # online: the fake Fulcio and Rekor
    _write(without, tmp_path, keyless=False)
    assert written[-1] == SIGSTORE and len(fake.entries) == 1
    assert SIGSTORE not in json.loads((with_sig / MANIFEST).read_text())["files"]
    files = {p.relative_to(with_sig).as_posix() for p in with_sig.rglob("*") if p.is_file()}
    plain = {p.relative_to(without).as_posix() for p in without.rglob("*") if p.is_file()}
    assert files - plain == {SIGSTORE}
    for name in plain:
        assert (with_sig / name).read_bytes() == (without / name).read_bytes(), name
    tried = _block_network(monkeypatch)
    root = tmp_path / "trusted_root.json"
    code, text = _verify(capsys, with_sig, "--trust-root", str(root))
    assert code == 0, text
    assert f"identity {IDENTITY}" in text and f"issuer {GITHUB_ISSUER}" in text
    assert "Rekor log index 0" in text and "integrated 20" in text
    assert f"sha256 {hashlib.sha256(root.read_bytes()).hexdigest()}" in text
    assert tried == []  # nothing even tried to connect while verifying


@pytest.fixture
def signed(fake: FakeSigstore, tmp_path: Path) -> Path:
    out = tmp_path / "bundle"
    _write(out, tmp_path)
    return out


def _tamper_statement(bundle: Path) -> None:
    path = bundle / "statement.json"
    path.write_bytes(path.read_bytes().replace(b'"predicate"', b'"predicate" ', 1))


def _tamper_both(bundle: Path) -> None:
    """The statement changed and the Sigstore bundle's recorded digest changed to match."""
    _tamper_statement(bundle)
    doc = json.loads((bundle / SIGSTORE).read_text())
    digest = hashlib.sha256((bundle / "statement.json").read_bytes()).digest()
    doc["messageSignature"]["messageDigest"]["digest"] = base64.b64encode(digest).decode()
    (bundle / SIGSTORE).write_text(json.dumps(doc))


def _garble(bundle: Path) -> None:
    (bundle / SIGSTORE).write_text('{"mediaType": "application/vnd.dev.sigstore.bundle"}')


def _link(bundle: Path) -> None:
    """The genuine Sigstore bundle moved out of the folder and linked back: never followed."""
    outside = bundle.parent / "elsewhere.sigstore.json"
    (bundle / SIGSTORE).rename(outside)
    (bundle / SIGSTORE).symlink_to(outside)


def _deep(bundle: Path) -> None:
    (bundle / SIGSTORE).write_text('{"mediaType": ' + "[" * 200_000 + "]" * 200_000 + "}")


@pytest.mark.parametrize(
    ("change", "args", "reason"),
    [
        (_tamper_statement, {}, "keyless signature refused (Bundle message digest mismatch)"),
        (_tamper_both, {}, "keyless signature refused (Signature is invalid for input)"),
        (None, {"identity": "https://github.com/evil/app/.github/workflows/x.yml@refs/heads/main"},
         "keyless signature refused (Certificate's SANs do not match"),
        (None, {"issuer": "https://accounts.google.com"}, "keyless signature refused"),
        (lambda b: (b / SIGSTORE).unlink(), {}, f"{SIGSTORE}: missing keyless signature"),
        (_garble, {}, f"{SIGSTORE}: not a Sigstore bundle"),
        (_link, {}, f"{SIGSTORE}: missing keyless signature"),
        (_deep, {}, f"{SIGSTORE}: not a Sigstore bundle"),
    ],
    ids=["tampered-statement", "tampered-statement-and-digest", "wrong-identity", "wrong-issuer", "missing", "garbled", "link", "deep-json"],
)  # fmt: skip
def test_each_wrong_keyless_signature_is_refused(
    signed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], offline: list[Any],
    change: Any, args: dict[str, str], reason: str,
) -> None:  # fmt: skip
    if change is not None:
        change(signed)
    code, text = _verify(capsys, signed, "--trust-root", str(tmp_path / "trusted_root.json"),
                         **args)  # fmt: skip
    assert code == 1 and reason in text, text
    assert "verification FAILED" in text and "keyless signature verified" not in text


def test_another_instances_ca_is_refused(
    signed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], offline: list[Any]
) -> None:
    """A bundle made by another Sigstore instance (its own CA, CT log and Rekor keys) does not
    verify under this root, whatever identity it names."""
    other = tmp_path / "other-root.json"
    other.write_text(json.dumps(FakeSigstore(url="http://127.0.0.1:9").trusted_root()))
    code, text = _verify(capsys, signed, "--trust-root", str(other))
    assert (
        code == 1
        and "keyless signature refused (failed to build timestamp certificate chain" in text
    ), text


def test_the_production_root_refuses_the_fake_instance(
    signed: Path, capsys: pytest.CaptureFixture[str], offline: list[Any]
) -> None:
    """Without --trust-root, the production root the sigstore package ships is the one (read
    from the package, no TUF fetch: the network is off), and it does not know the fake CA."""
    code, text = _verify(capsys, signed)
    assert code == 1 and "keyless signature refused" in text, text
    assert offline == []


def test_identity_and_issuer_are_both_required(
    signed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(tmp_path / "trusted_root.json")
    for args in (["--certificate-identity", IDENTITY], ["--trust-root", root],
                 ["--certificate-oidc-issuer", GITHUB_ISSUER, "--trust-root", root]):  # fmt: skip
        code, out, err = cli(capsys, "verify", str(signed), *args)
        assert code == 2 and "give both --certificate-identity and --certificate-oidc-issuer" in err
    code, out, err = cli(capsys, "verify", str(signed))
    assert code == 0 and "keyless signature not checked" in out  # integrity only, as with --key


def test_a_trust_root_that_is_not_one_is_an_input_error(
    signed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.json").write_text('{"mediaType": "nope"}')
    code, _ = _verify(capsys, signed, "--trust-root", str(tmp_path / "bad.json"))
    assert code == 2 and "not a Sigstore trusted root" in capsys.readouterr().err + _


def _repo(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path)
    commit(repo, "first")
    (tmp_path / "profile.toml").write_text(PROFILE, "utf-8")
    return repo


def test_assess_signs_with_a_key_and_keyless_and_verify_reproduce_checks_both(
    fake: FakeSigstore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _repo(tmp_path)
    private, public = keygen(str(tmp_path / "vendor"))
    bundle = tmp_path / "bundle"
    code, out, err = cli(capsys, "assess", str(repo), "--catalog", str(tmp_path / "profile.toml"),
                         "--out", str(tmp_path / "out"), "--bundle", str(bundle), "--quiet",
                         "--no-cache", "--sign-key", str(private), "--sign-keyless",
                         "--sigstore-trust-config", str(tmp_path / "trust-config.json"))  # fmt: skip
    assert code in (0, 1), err
    assert (bundle / "statement.dsse.json").is_file() and (bundle / SIGSTORE).is_file()
    root = str(tmp_path / "trusted_root.json")
    code, text = _verify(capsys, bundle, "--trust-root", root, "--key", str(public))
    assert code == 0 and "signature verified (statement.dsse.json)" in text, text
    assert "keyless signature verified" in text
    code, text = _verify(capsys, bundle, "--trust-root", root, "--reproduce", str(repo),
                         "--catalog", str(tmp_path / "profile.toml"), "--quiet")  # fmt: skip
    assert code == 0 and "reproduced at its commit" in text, text
    code, text = _verify(capsys, bundle, "--trust-root", root, "--reproduce", str(repo),
                         "--catalog", str(tmp_path / "profile.toml"), "--quiet",
                         identity="https://github.com/evil/x/.github/workflows/a.yml@refs/heads/main")  # fmt: skip
    assert code == 1 and "nothing was re-run" in text and "keyless signature refused" in text


def test_no_ambient_credential_is_exit_2_before_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _repo(tmp_path)
    out = tmp_path / "out"
    code, _, err = cli(capsys, "assess", str(repo), "--out", str(out), "--bundle",
                       str(tmp_path / "b"), "--sign-keyless")  # fmt: skip
    assert code == 2 and "permissions: id-token: write" in err, err
    assert not out.exists() and not (tmp_path / "b").exists()
    code, _, err = cli(capsys, "assess", str(repo), "--out", str(out), "--sign-keyless")
    assert code == 2 and "give --bundle DIR too" in err
    (tmp_path / "garbage.json").write_text('{"mediaType": "something else"}')
    code, _, err = cli(capsys, "assess", str(repo), "--out", str(out), "--bundle",
                       str(tmp_path / "b"), "--sign-keyless", "--sigstore-trust-config",
                       str(tmp_path / "garbage.json"))  # fmt: skip
    assert code == 2 and "garbage.json: not a Sigstore ClientTrustConfig" in err, err
    assert not out.exists()
    code, _, err = cli(capsys, "assess", str(repo), "--out", str(out), "--bundle",
                       str(tmp_path / "b"), "--sigstore-trust-config", "x.json")  # fmt: skip
    assert code == 2 and "is for --sign-keyless" in err


def test_without_the_extra_keyless_options_say_what_to_install(
    signed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setitem(sys.modules, "sigstore", None)  # `import sigstore` now fails
    code, text = _verify(capsys, signed, "--trust-root", str(tmp_path / "trusted_root.json"))
    assert code == 2 and "pip install 'ssdf-baseline[sigstore]'" in capsys.readouterr().err + text
    code, _, err = cli(capsys, "assess", str(tmp_path), "--bundle", str(tmp_path / "b"),
                       "--sign-keyless")  # fmt: skip
    assert code == 2 and "pip install 'ssdf-baseline[sigstore]'" in err


def test_a_failing_instance_writes_no_bundle(
    fake: FakeSigstore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An instance that cannot be reached (here: its Fulcio) leaves no bundle, not an unsigned
    one, and says why."""
    from baseline.errors import BaselineError

    config = fake.trust_config()
    config["signingConfig"]["caUrls"][0]["url"] = "http://127.0.0.1:9"  # nothing listens there
    (tmp_path / "trust-config.json").write_text(json.dumps(config))
    with pytest.raises(BaselineError, match="keyless signing failed"):
        _write(tmp_path / "bundle", tmp_path)
    assert not (tmp_path / "bundle").exists()


def test_the_sigstore_command_line_verifies_the_same_bundle(signed: Path, tmp_path: Path) -> None:
    """The signature is over statement.json itself: sigstore-python's own `verify identity`
    accepts the pair, offline, for the expected identity only."""
    tool = Path(sys.prefix) / "bin" / "sigstore"

    def run(identity: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(tool), "--trust-config", str(tmp_path / "trust-config.json"), "verify",
             "identity", str(signed / "statement.json"), "--bundle", str(signed / SIGSTORE),
             "--cert-identity", identity, "--cert-oidc-issuer", GITHUB_ISSUER, "--offline"],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip

    done = run(IDENTITY)
    assert done.returncode == 0 and "OK:" in done.stdout + done.stderr, done.stderr
    assert run("https://github.com/evil/x/.github/workflows/a.yml@refs/heads/main").returncode != 0


def test_the_actions_sigstore_lock_is_hash_pinned_and_agrees_with_the_main_lock() -> None:
    """action/sigstore.lock (installed for `sign-keyless` only) pins sigstore and everything
    it needs by hash, at the versions action/requirements.lock already pins."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    def entries(name: str) -> dict[str, tuple[str, list[str]]]:
        text = (ROOT / "action" / name).read_text("utf-8").replace("\\\n", " ")
        found = {}
        for line in text.splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                requirement, *hashes = line.split(" --hash=")
                parsed = Requirement(requirement.strip())
                found[canonicalize_name(parsed.name)] = (str(parsed.specifier), hashes)
        return found

    extra, main = entries("sigstore.lock"), entries("requirements.lock")
    assert "sigstore" in extra
    for name, (pin, hashes) in extra.items():
        assert pin.startswith("==") and hashes, name
        assert all(h.strip().startswith("sha256:") for h in hashes), name
        assert name not in main or main[name][0] == pin, name


def test_the_time_shown_is_the_logs_or_said_to_be_absent() -> None:
    from baseline.bundle.keyless_verify import _integrated

    assert _integrated(1780272000) == "integrated 2026-06-01T00:00:00Z"
    assert (
        _integrated(None)
        == _integrated(0)
        == ("no integrated time (the time is a timestamp authority's)")
    )
