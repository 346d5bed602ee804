"""The operator's policy file (`--policy FILE`): TOML kept outside the assessed repository.

    config_trust = "attestations"        # none | attestations | all
    max_waiver_days = 365
    fail_on = ["fail", "error"]          # [] fails on nothing
    require = ["PO.1.1"]                 # tasks that must be met
    require_form_items = ["4a"]          # CISA form items whose tasks must all be met
    allowed_signers = "allowed_signers"  # relative to this file
    [github]
    api_url = "https://api.github.com"
    repository = "acme/widget"

A policy file inside the assessed tree is refused: it would be the repository's, not the
operator's. Every bad key is reported with its line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from baseline import tomlcompat
from baseline.catalog.fields import Field, Reporter
from baseline.catalog.locate import KeyLines, decode_error_line
from baseline.errors import InputError
from baseline.models import ConfigTrust, FileDigest
from baseline.operator import digest_of, inside_tree
from baseline.policy import GATE_STATUSES
from baseline.project.paths import read_regular

POLICY = {
    "config_trust": Field(str, choices=tuple(t.value for t in ConfigTrust)),
    "max_waiver_days": Field(int),
    "fail_on": Field(list, item_kind=str),
    "require": Field(list, item_kind=str),
    "require_form_items": Field(list, item_kind=str),
    "allowed_signers": Field(str),
    "github": Field(dict),
}
GITHUB = {
    "api_url": Field(str),
    "repository": Field(str),
}


@dataclass(frozen=True)
class PolicyFile:
    """A parsed policy file; None means the key was not given."""

    digest: FileDigest | None = None
    config_trust: ConfigTrust | None = None
    max_waiver_days: int | None = None
    fail_on: tuple[str, ...] | None = None
    require: tuple[str, ...] = ()
    require_form_items: tuple[str, ...] = ()
    allowed_signers: Path | None = None
    github_api_url: str | None = None
    github_repository: str | None = None


def _checked(report: Reporter, top: dict[str, Any]) -> dict[str, Any]:
    """Value checks the schema cannot express; bad values are reported and dropped."""
    days = top.get("max_waiver_days")
    if days is not None and not 1 <= days <= 3660:
        report.add(("max_waiver_days",), "max_waiver_days", "must be 1 to 3660 days")
        top.pop("max_waiver_days")
    bad = [s for s in top.get("fail_on", ()) if s not in GATE_STATUSES]
    if bad:
        report.add(("fail_on",), "fail_on",
                   f"{bad[0]!r} is not one of {', '.join(GATE_STATUSES)}")  # fmt: skip
        top.pop("fail_on")
    return top


def load_policy(path: Path, targets: list[Path]) -> PolicyFile:
    """Read and validate a policy file; refuse one inside any assessed tree."""
    display = str(path)
    for target in targets:
        if inside_tree(path, target):
            raise InputError.single(
                display,
                "",
                f"the policy file lies inside the assessed "
                f"repository ({target}): it must be the operator's, kept "
                "outside the tree",
            )
    raw = read_regular(path)
    if raw is None:
        raise InputError.single(display, "", "--policy: not a readable regular file")
    text = raw.decode("utf-8", "replace")
    try:
        data = tomlcompat.loads(text)
    except tomlcompat.TOMLDecodeError as exc:
        raise InputError.single(display, "", f"invalid TOML: {exc}",
                                decode_error_line(str(exc))) from None  # fmt: skip
    report = Reporter(display, KeyLines(text))
    top = _checked(report, report.table(data, POLICY, (), ""))
    github = report.table(top.get("github", {}), GITHUB, ("github",), "github")
    signers: Path | None = None
    if "allowed_signers" in top:
        signers = path.parent / top["allowed_signers"]
        if not signers.is_file():
            report.add(("allowed_signers",), "allowed_signers", f"no such file: {signers}")
    if report.problems:
        raise InputError(report.problems)
    trust = top.get("config_trust")
    fail_on = top.get("fail_on")
    return PolicyFile(
        digest=digest_of(display, raw),
        config_trust=ConfigTrust(trust) if trust else None,
        max_waiver_days=top.get("max_waiver_days"),
        fail_on=tuple(fail_on) if fail_on is not None else None,
        require=tuple(top.get("require", ())),
        require_form_items=tuple(top.get("require_form_items", ())),
        allowed_signers=signers,
        github_api_url=github.get("api_url"),
        github_repository=github.get("repository"),
    )
