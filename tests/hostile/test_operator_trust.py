"""The operator decides; the repository's config is a claim (issue 13, case 4 and the trust
boundary): the API host and repository for `--online` and the trusted signers never come from
the assessed repository, `--config-trust` says how much of its config counts, and a policy file
kept outside the tree carries the operator's settings.

The GitHub API is a loopback http.server answering "everything protected" for any repository
and recording each request's Authorization header: a token must never reach a server the
repository named, and nothing may pass on a repository the assessed tree chose.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from support import json_api

from baseline.checks.registry import CHECKS
from baseline.ci.github_action import ActionInputs, assess_argv

from .doc_table import Observations, Row
from .harness import Run, assess, catalog_toml, control_toml, environment

CONFIGS = "Bad project config"
GIT = "Git states"
TOKEN = "s3cr3t-operator-token"  # noqa: S105 - a test value
OPERATOR_KEYS = ("api_url", "repository", "allowed_signers")
needs_ssh_keygen = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="no ssh-keygen")

CATALOG = catalog_toml(
    "operator-test", "Operator trust test catalog", "Define",
    control_toml("PO.1.1", "Branch protection", "The default branch is protected.",
                 "Protect it.", "github.branch_protected"),
    control_toml("PO.1.2", "No binaries", "No binary artifacts are committed.", "Remove them.",
                 "repo.no_binary_artifacts"),
    control_toml("PO.1.3", "License", "The repository has a license.", "Add one.",
                 "repo.has_license"),
    control_toml("PO.1.4", "Training", "Developers are trained.", "Train them.",
                 attestation="required"),
    control_toml("PO.1.5", "Signed commits", "Commits are signed.", "Sign them.",
                 "git.commits_signed"),
)  # fmt: skip

PROTECTION = {
    "required_pull_request_reviews": {"required_approving_review_count": 2},
    "enforce_admins": {"enabled": True},
}


@dataclass
class Api:
    """A loopback GitHub API that says every repository is protected; what it was asked."""

    url: str
    seen: list[tuple[str, str]] = field(default_factory=list)

    @property
    def auth(self) -> list[str]:
        """The Authorization headers received."""
        return [a for _, a in self.seen]


def _answer(path: str) -> tuple[int, Any]:
    parts = path.split("/")
    if len(parts) < 4 or parts[1] != "repos":
        return 404, {"message": "Not Found"}
    rest = "/".join(parts[4:])
    if rest == "":
        return 200, {"full_name": f"{parts[2]}/{parts[3]}", "default_branch": "main"}
    if rest == "branches/main/protection":
        return 200, PROTECTION
    if rest == "rules/branches/main":
        return 200, [{"type": "pull_request", "parameters": {"required_approving_review_count": 2}}]
    if rest == "private-vulnerability-reporting":
        return 200, {"enabled": True}
    return 404, {"message": "Not Found"}


@contextlib.contextmanager
def serving() -> Iterator[tuple[Api, Api]]:
    """(the operator's API, a server the repository names): both answer "protected"."""
    with json_api(_answer) as (ours, ours_seen), json_api(_answer) as (named, named_seen):
        yield Api(ours, ours_seen), Api(named, named_seen)


@pytest.fixture
def servers() -> Iterator[tuple[Api, Api]]:
    with serving() as apis:
        yield apis


def _env(**extra: str) -> dict[str, str]:
    """A run's environment without the runner's GitHub variables unless given."""
    env = environment(**extra)
    for name in (
        "GITHUB_REPOSITORY",
        "GITHUB_API_URL",
        "BASELINE_GITHUB_API_URL",
        "GITHUB_TOKEN",
        "GITHUB_ACTIONS",
    ):
        if name not in extra:
            env.pop(name, None)
    return env


def _git(repo: Path, *args: str) -> None:
    ident = {
        "GIT_AUTHOR_NAME": "Dev",
        "GIT_AUTHOR_EMAIL": "dev@example.org",
        "GIT_COMMITTER_NAME": "Dev",
        "GIT_COMMITTER_EMAIL": "dev@example.org",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(
        ["git", *args], cwd=repo, env={**os.environ, **ident}, check=True, capture_output=True
    )


@dataclass
class Layout:
    """A repository to assess, the operator's catalog outside it, a neutral working folder."""

    base: Path
    repo: Path
    catalog: Path

    def run(self, *args: str, env: dict[str, str] | None = None, name: str = "out") -> Run:
        return assess(
            self.repo,
            self.base / name,
            "--catalog",
            str(self.catalog),
            "--format",
            "json",
            "--quiet",
            "--fail-on",
            "none",
            *args,
            env=env or _env(),
            cwd=self.base,
        )


@pytest.fixture
def layout(tmp_path: Path) -> Layout:
    return make_layout(tmp_path)


def make_layout(tmp_path: Path) -> Layout:
    """A fresh repository (a committed-looking binary, a training record) and catalog."""
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    (repo / "docs" / "training.md").write_text("Secure coding training roster.\n")
    (repo / "blob.bin").write_bytes(b"\x7fELF\x00\x01")
    catalog = tmp_path / "operator-catalog.toml"
    catalog.write_text(CATALOG, encoding="utf-8")
    return Layout(tmp_path, repo, catalog)


def _status(run: Run, control: str) -> str:
    assert run.code in (0, 1), run.stderr
    return next(str(r["status"]) for r in run.record["results"] if r["control_id"] == control)


def _params(control: str, check: str, **params: Any) -> str:
    body = ", ".join(f"{k} = {json.dumps(v)}" for k, v in params.items())
    return f'[[params]]\ncontrol = "{control}"\ncheck = "{check}"\nparams = {{ {body} }}\n'


def _refused(run: Run, file: str, *keys: str) -> None:
    """Exit 2, a located message per key saying it must come from the operator, no record."""
    assert run.code == 2, (run.code, run.stdout, run.stderr)
    assert not (run.out / "assessment.json").exists()
    for key in keys:
        lines = [ln for ln in run.stderr.splitlines() if f".{key}:" in ln]
        assert lines, (key, run.stderr)
        assert all(file in ln and "must come from the operator" in ln for ln in lines), lines
        assert any(f"{file}:" in ln and ln.split(f"{file}:")[1][:1].isdigit() for ln in lines)


# --- case 4: the repository's config picks where the token goes ----------------------------


def _config_api_url_row(layout: Layout, servers: tuple[Api, Api]) -> Row:
    _, theirs = servers
    (layout.repo / ".baseline.toml").write_text(
        _params("PO.1.1", "github.branch_protected", api_url=theirs.url, repository="acme/widget")
    )
    run = layout.run("--online", env=_env(GITHUB_TOKEN=TOKEN, GITHUB_REPOSITORY="acme/widget"))
    assert theirs.seen == [], "the token went to the server the repository named"
    _refused(run, ".baseline.toml", "api_url", "repository")
    return Row(
        CONFIGS,
        "config-api-url",
        "`.baseline.toml` `[[params]]` naming `api_url` (a "
        "server that records the token and answers 'protected') and `repository`, run "
        "with `--online` and GITHUB_TOKEN",
        "exit 2, located at the key: API host and repository must come from the "
        "operator; no request reaches the named server, no record",
    )


def test_config_cannot_choose_the_api_host(
    tmp_path_factory: pytest.TempPathFactory, observations: Observations
) -> None:
    _observe(tmp_path_factory, observations, "config-api-url")


def _catalog_api_url_row(layout: Layout, servers: tuple[Api, Api]) -> Row:
    _, theirs = servers
    text = CATALOG.replace(
        '[[controls.checks]]\nid = "github.branch_protected"\n',
        '[[controls.checks]]\nid = "github.branch_protected"\nparams = { '
        f'api_url = "{theirs.url}", repository = "acme/widget" }}\n',
    )
    (layout.repo / "own.toml").write_text(text.replace('id = "operator-test"', 'id = "own"'))
    (layout.repo / ".baseline.toml").write_text('catalog = "own.toml"\n')
    run = assess(layout.repo, layout.base / "out", "--format", "json", "--quiet", "--online",
                 env=_env(GITHUB_TOKEN=TOKEN), cwd=layout.base)  # fmt: skip
    assert theirs.seen == []
    _refused(run, "own.toml", "api_url", "repository")
    return Row(
        CONFIGS,
        "catalog-api-url",
        'a repository catalog (`catalog = "own.toml"`) '
        "whose check sets `api_url` and `repository`, run with `--online` and a token",
        "exit 2, located in the catalog: must come from the operator; nothing is sent",
    )


def test_repository_catalog_cannot_choose_the_api_host(
    tmp_path_factory: pytest.TempPathFactory, observations: Observations
) -> None:
    _observe(tmp_path_factory, observations, "catalog-api-url")


def _config_repository_row(layout: Layout, servers: tuple[Api, Api]) -> Row:
    ours, _ = servers
    (layout.repo / ".baseline.toml").write_text(
        _params("PO.1.1", "github.branch_protected", repository="victim/well-kept")
    )
    run = layout.run("--online", env=_env(GITHUB_TOKEN=TOKEN, BASELINE_GITHUB_API_URL=ours.url))
    assert not any("victim" in path for path, _ in ours.seen)
    _refused(run, ".baseline.toml", "repository")
    return Row(
        CONFIGS,
        "config-repository",
        "`.baseline.toml` naming `repository` = someone "
        "else's well-kept repository, with `--online`",
        "exit 2, located: the repository must come from the operator; nothing asked",
    )


def test_config_cannot_choose_the_repository(
    tmp_path_factory: pytest.TempPathFactory, observations: Observations
) -> None:
    _observe(tmp_path_factory, observations, "config-repository")


def _origin_row(layout: Layout, servers: tuple[Api, Api]) -> Row:
    ours, _ = servers
    _git(layout.repo, "init", "-q", "-b", "main")
    _git(layout.repo, "remote", "add", "origin", "https://github.com/victim/well-kept.git")
    env = _env(GITHUB_TOKEN=TOKEN, BASELINE_GITHUB_API_URL=ours.url)
    run = layout.run("--online", env=env)
    assert ours.seen == [], "the checks asked about the repository the remote named"
    assert _status(run, "PO.1.1") == "needs_review"
    summary = run.evidence("github.branch_protected")["summary"]
    assert "--github-repository" in summary and "victim/well-kept" in summary, summary
    # The operator's repository is asked about, with the token, on the operator's host.
    given = layout.run("--online", env={**env, "GITHUB_REPOSITORY": "acme/widget"}, name="o2")
    assert _status(given, "PO.1.1") == "pass"
    assert {p.split("/")[3] for p, _ in ours.seen} == {"widget"}
    assert set(ours.auth) == {f"Bearer {TOKEN}"}
    return Row(
        GIT,
        "origin-names-another-repository",
        "remote `origin` pointing at someone "
        "else's well-kept GitHub repository, `--online` with a token and no operator "
        "repository",
        "github.* checks `needs_review` naming --github-repository (the "
        "remote is shown as untrusted); no request is made; GITHUB_REPOSITORY is used",
    )


def test_origin_remote_is_not_the_operators_repository(
    tmp_path_factory: pytest.TempPathFactory, observations: Observations
) -> None:
    _observe(tmp_path_factory, observations, "origin-names-another-repository")


# --- trusted signers -----------------------------------------------------------------------


def _signed_repo(layout: Layout) -> Path:
    """The repository signs its commit with its own throwaway key; returns that key's line."""
    keys = layout.base / "keys"
    keys.mkdir()
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(keys / "k")], check=True
    )
    _git(layout.repo, "init", "-q", "-b", "main")
    _git(layout.repo, "config", "gpg.format", "ssh")
    _git(layout.repo, "config", "user.signingkey", str(keys / "k"))
    _git(layout.repo, "add", "-A")
    _git(layout.repo, "commit", "-q", "-S", "-m", "signed by the repository's own key")
    signers = layout.repo / "signers"
    signers.write_text(f"dev@example.org {(keys / 'k.pub').read_text()}")
    return signers


def _config_signers_row(layout: Layout, servers: tuple[Api, Api]) -> Row:
    _signed_repo(layout)
    (layout.repo / ".baseline.toml").write_text(
        _params("PO.1.5", "git.commits_signed", allowed_signers="signers")
    )
    run = layout.run()
    if run.code in (0, 1):
        assert "0 verified" in run.evidence("git.commits_signed")["summary"]
    _refused(run, ".baseline.toml", "allowed_signers")
    return Row(
        CONFIGS,
        "config-allowed-signers",
        "`.baseline.toml` naming `allowed_signers` = "
        "a file in the repository trusting the repository's own throwaway key",
        "exit 2, located: the trusted signers must come from the operator",
    )


@needs_ssh_keygen
def test_config_cannot_choose_the_trusted_signers(
    tmp_path_factory: pytest.TempPathFactory, observations: Observations
) -> None:
    _observe(tmp_path_factory, observations, "config-allowed-signers")


@needs_ssh_keygen
def test_operator_signers_verify_and_inside_the_tree_are_refused(layout: Layout) -> None:
    signers = _signed_repo(layout)
    unverified = layout.run()
    assert "0 verified" in unverified.evidence("git.commits_signed")["summary"]
    inside = layout.run("--allowed-signers", str(signers), name="o2")
    assert inside.code == 2 and "inside the assessed repository" in inside.stderr
    outside = layout.base / "operator_signers"
    shutil.copy(signers, outside)
    verified = layout.run("--allowed-signers", str(outside), name="o3")
    assert "1 verified" in verified.evidence("git.commits_signed")["summary"]


RowMaker = Callable[[Layout, tuple[Api, Api]], Row]
ROWS: dict[str, tuple[str, RowMaker]] = {
    "config-api-url": (CONFIGS, _config_api_url_row),
    "catalog-api-url": (CONFIGS, _catalog_api_url_row),
    "config-repository": (CONFIGS, _config_repository_row),
    "config-allowed-signers": (CONFIGS, _config_signers_row),
    "origin-names-another-repository": (GIT, _origin_row),
}


def _compute(factory: pytest.TempPathFactory, make: RowMaker) -> Row:
    with serving() as apis:
        return make(make_layout(factory.mktemp("operator")), apis)


def _observe(factory: pytest.TempPathFactory, observations: Observations, case: str) -> Row:
    section, make = ROWS[case]
    return observations.get(section, case, lambda: _compute(factory, make))


def all_rows(factory: pytest.TempPathFactory, observations: Observations) -> list[Row]:
    """The docs table's rows of this module (the signer case needs ssh-keygen)."""
    return [
        _observe(factory, observations, case)
        for case in ROWS
        if case != "config-allowed-signers" or shutil.which("ssh-keygen")
    ]


def test_no_check_takes_an_operator_setting_as_a_parameter() -> None:
    # Scanner binaries and rule packs are never parameters either: tools come from PATH and the
    # rules from the installed package; only these three ever named something to trust.
    taken = {(c.id, p) for c in CHECKS.values() for p in c.params if p in OPERATOR_KEYS}
    assert taken == set()


# --- --config-trust -----------------------------------------------------------------------

WAIVER_AND_NA = """[[not_applicable]]
control = "PO.1.2"
reason = "we ship firmware blobs"

[[waivers]]
control = "PO.1.3"
reason = "license being chosen"
mitigation = "legal review"
owner = "dev"
approver = "cto"
expires = {expires}
"""


def _in_90_days() -> str:
    # Expiry is judged on the real clock: a waiver that is in force whenever the test runs.
    return (dt.datetime.now(tz=dt.timezone.utc).date() + dt.timedelta(days=90)).isoformat()


def test_config_trust_none_ignores_waivers_and_not_applicable(layout: Layout) -> None:
    config = layout.repo / ".baseline.toml"
    config.write_text(WAIVER_AND_NA.format(expires=_in_90_days()))
    trusted = layout.run()
    assert (_status(trusted, "PO.1.2"), _status(trusted, "PO.1.3")) == ("not_applicable", "waived")
    assert trusted.record["trust"]["config_trust"] == "all"
    ignored = layout.run("--config-trust", "none", name="o2")
    assert (_status(ignored, "PO.1.2"), _status(ignored, "PO.1.3")) == ("fail", "fail")
    assert ignored.record["trust"] == {
        "config_trust": "none",
        "config": {
            "path": str(layout.repo / ".baseline.toml"),
            "sha256": hashlib.sha256(config.read_bytes()).hexdigest(),
        },
        "config_in_target": True,
        "policy": None,
        "tasks_resting_on_config": 0,
    }
    # With `none` even a broken config is not read.
    config.write_text("this is = = not toml\n")
    assert layout.run("--config-trust", "none", name="o3").code in (0, 1)


TRAINING_SHA256 = hashlib.sha256(b"Secure coding training roster.\n").hexdigest()
ATTESTATION = f"""[[attestations]]
control = "PO.1.4"
statement = "Every developer took the secure-coding course."
by = "Dev Lead"
date = 2025-12-01
evidence = [{{ path = "docs/training.md", sha256 = "{TRAINING_SHA256}" }}]
"""


@pytest.mark.parametrize(
    "weakening",
    [
        _params("PO.1.2", "repo.no_binary_artifacts", allow=["*.bin"]),
        'excludes = ["blob.bin"]\n',
    ],
    ids=["params", "excludes"],
)
def test_config_trust_attestations_ignores_what_changes_the_tools(
    layout: Layout, weakening: str
) -> None:
    (layout.repo / ".baseline.toml").write_text(weakening + ATTESTATION)
    everything = layout.run("--config-trust", "all")
    assert (_status(everything, "PO.1.2"), _status(everything, "PO.1.4")) == ("pass", "attested")
    claims = layout.run("--config-trust", "attestations", name="o2")
    assert (_status(claims, "PO.1.2"), _status(claims, "PO.1.4")) == ("fail", "attested")
    assert claims.record["trust"]["config_trust"] == "attestations"


# --- the operator's policy file -----------------------------------------------------------


def test_policy_file_sets_the_operators_decisions(layout: Layout, servers: tuple[Api, Api]) -> None:
    ours, _ = servers
    (layout.repo / ".baseline.toml").write_text(WAIVER_AND_NA.format(expires=_in_90_days()))
    policy = layout.base / "policy" / "policy.toml"
    policy.parent.mkdir()
    policy.write_text(
        f'config_trust = "none"\nfail_on = []\nrequire = ["PO.1.3"]\n'
        f'max_waiver_days = 90\n[github]\napi_url = "{ours.url}"\n'
        'repository = "acme/widget"\n'
    )
    run = assess(layout.repo, layout.base / "out", "--catalog", str(layout.catalog), "--format",
                 "json", "--quiet", "--online", "--policy", str(policy),
                 env=_env(GITHUB_TOKEN=TOKEN), cwd=layout.base)  # fmt: skip
    assert run.code == 1 and "PO.1.3 is fail, required to be met" in run.stdout, run.stdout
    assert _status(run, "PO.1.1") == "pass" and _status(run, "PO.1.3") == "fail"
    assert run.record["trust"]["policy"] == {
        "path": str(policy),
        "sha256": hashlib.sha256(policy.read_bytes()).hexdigest(),
    }
    assert run.record["trust"]["config_trust"] == "none"
    assert {p for p, _ in ours.seen} >= {"/repos/acme/widget"}
    # The command line wins over the policy file.
    over = layout.run("--policy", str(policy), "--config-trust", "all", name="o2")
    assert _status(over, "PO.1.3") == "waived"


def test_policy_max_waiver_days_bounds_the_repositorys_waivers(layout: Layout) -> None:
    # A 90-day waiver is within the default year, but not within the operator's 30 days.
    (layout.repo / ".baseline.toml").write_text(WAIVER_AND_NA.format(expires=_in_90_days()))
    assert _status(layout.run(), "PO.1.3") == "waived"
    policy = layout.base / "policy.toml"
    policy.write_text("max_waiver_days = 30\n")
    run = layout.run("--policy", str(policy), name="o2")
    assert run.code == 2, run.stderr
    assert ".baseline.toml:" in run.stderr and "waivers[0].expires" in run.stderr
    assert "more than 30 days" in run.stderr, run.stderr


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        ('config_trust = "some"\n', 1, "config_trust"),
        ('fail_on = ["fail"]\nconfig_trus = "none"\n', 2, "config_trus"),
        ('fail_on = ["failed"]\n', 1, "fail_on"),
        ("max_waiver_days = 0\n", 1, "max_waiver_days"),
        ('[github]\napi_url = "x"\nrepo = "a/b"\n', 3, "github.repo"),
        ('allowed_signers = "nope"\n', 1, "allowed_signers"),
    ],
)
def test_bad_policy_keys_are_located(layout: Layout, text: str, line: int, key: str) -> None:
    policy = layout.base / "policy.toml"
    policy.write_text(text)
    run = layout.run("--policy", str(policy))
    assert run.code == 2, run.stderr
    assert f"{policy}:{line}: {key}:" in run.stderr, run.stderr


def test_policy_inside_the_tree_is_refused(layout: Layout) -> None:
    policy = layout.repo / "ci" / "policy.toml"
    policy.parent.mkdir()
    policy.write_text('config_trust = "all"\n')
    run = layout.run("--policy", str(policy))
    assert run.code == 2 and "inside the assessed repository" in run.stderr, run.stderr
    assert not (run.out / "assessment.json").exists()


# --- the Action ---------------------------------------------------------------------------


def test_action_defaults_to_attestations_and_passes_the_policy() -> None:
    argv = assess_argv(ActionInputs.from_env({}))
    assert argv[argv.index("--config-trust") + 1] == "attestations"
    assert argv[argv.index("--fail-on") + 1] == "fail,error"
    with_policy = assess_argv(ActionInputs.from_env({"BASELINE_POLICY": "/p/policy.toml"}))
    assert with_policy[with_policy.index("--policy") + 1] == "/p/policy.toml"
    # The policy's own trust level and gate apply unless the inputs say otherwise.
    assert "--config-trust" not in with_policy and "--fail-on" not in with_policy
    chosen = assess_argv(
        ActionInputs.from_env({"BASELINE_POLICY": "p.toml", "BASELINE_CONFIG_TRUST": "all"})
    )
    assert chosen[chosen.index("--config-trust") + 1] == "all"


def test_example_policy_loads(tmp_path: Path) -> None:
    from baseline.project.policy_file import load_policy

    example = Path(__file__).resolve().parents[2] / "examples" / "policy.toml"
    policy = load_policy(example, [tmp_path])
    assert policy.config_trust is not None and policy.config_trust.value == "attestations"
    assert policy.github_repository == "example-org/payments-api"


def test_assess_many_and_precommit_take_the_same_operator_options(layout: Layout) -> None:
    (layout.repo / ".baseline.toml").write_text(WAIVER_AND_NA.format(expires=_in_90_days()))
    policy = layout.base / "policy.toml"
    policy.write_text('fail_on = []\n[github]\nrepository = "acme/widget"\n')
    listing = layout.base / "repos.txt"
    listing.write_text("repo\n")

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "baseline", *args], cwd=layout.base,
                              env=_env(), capture_output=True, text=True, timeout=300,
                              check=False)  # fmt: skip

    many = cli(
        "assess-many",
        str(listing),
        "--catalog",
        str(layout.catalog),
        "--out",
        str(layout.base / "many"),
        "--policy",
        str(policy),
    )
    assert many.returncode == 0, many.stderr  # the policy's empty gate
    record = json.loads((layout.base / "many" / "repo" / "assessment.json").read_text())
    # The targets' configs count as far as the operator trusts them (default: the vendor's
    # claims), as through `assess` (one run: baseline/service.py).
    assert record["trust"]["config_trust"] == "attestations"
    assert record["trust"]["config"]["path"].endswith(".baseline.toml")
    assert record["trust"]["policy"]["path"] == str(policy)
    for command in (["assess-many", str(listing)], ["precommit", str(layout.repo)]):
        trusted = cli(*command, "--config-trust", "all", "--policy", str(policy))
        assert trusted.returncode == 0, trusted.stderr
        inside = layout.repo / "policy.toml"
        shutil.copy(policy, inside)
        located = cli(*command, "--policy", str(inside))
        assert located.returncode == 2 and "inside the assessed repository" in located.stderr
        inside.unlink()
    assert cli("precommit", str(layout.repo), "--policy", str(policy)).returncode == 0
