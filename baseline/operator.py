"""What the operator decides, and the settings only the operator may give.

Three parties feed a run (DESIGN.md, principle 5): the operator (command line, environment, a
policy file kept outside the repository) decides; the vendor's config in the repository is a
claim; the repository's content is evidence. The settings below decide where a token goes and
which keys a signature must verify against, so they come from the operator alone: a catalog or
project config that names one is refused with a located error.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from baseline.models import ConfigTrust, FileDigest

OPERATOR_ONLY = {
    "api_url": "--github-api-url (or the policy file's github.api_url)",
    "repository": "--github-repository (or the policy file's github.repository)",
    "allowed_signers": "--allowed-signers (or the policy file's allowed_signers)",
}
"""Check parameters that used to exist and now belong to the operator -> where to give them."""

DEFAULT_MAX_WAIVER_DAYS = 365


def operator_only_message(name: str) -> str:
    """Why a catalog or config key naming an operator setting is refused."""
    return (
        f"{name!r} is a security-relevant setting and must come from the operator, never "
        f"from a catalog or the repository's config: give {OPERATOR_ONLY[name]}"
    )


@dataclass(frozen=True)
class OperatorSettings:
    """The operator's decisions for one run (command line over policy file over environment)."""

    config_trust: ConfigTrust = ConfigTrust.ALL
    fail_on: str = "fail,error"
    """The statuses that fail the run, as `--fail-on` takes them."""
    require: tuple[str, ...] = ()
    require_form_items: tuple[str, ...] = ()
    github_api_url: str = ""
    """The GitHub REST API base URL the token may be sent to ("": https://api.github.com)."""
    github_repository: str = ""
    """owner/name the github.* checks ask about ("": none given, the checks cannot answer)."""
    allowed_signers: Path | None = None
    """The trusted SSH allowed-signers file for git signature verification."""
    max_waiver_days: int = DEFAULT_MAX_WAIVER_DAYS
    """The longest a waiver may run, counted from the assessment date (bounded elsewhere)."""
    policy: FileDigest | None = None
    """The policy file these came from, if any."""


def digest_of(display: str, raw: bytes) -> FileDigest:
    """A file's record: the path as shown and the SHA-256 of its bytes."""
    return FileDigest(display, hashlib.sha256(raw).hexdigest())


def repository_root(target: Path) -> Path:
    """The assessed tree's boundary: the git work tree holding the target, else the target.

    A target that is a folder of a larger repository belongs to that repository, and so does
    everything beside it."""
    root = target.resolve()
    for folder in (root, *root.parents):
        if (folder / ".git").exists():
            return folder
    return root


def inside_tree(path: Path, target: Path) -> bool:
    """Whether `path` (resolved, links followed) lies inside the assessed repository."""
    return path.resolve().is_relative_to(repository_root(target))
