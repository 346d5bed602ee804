"""Reproduce a bundle's assessment (`baseline verify BUNDLE --reproduce REPO`).

The bundle is verified first; a bundle that does not verify (a changed record, a missing file,
a bad signature) is refused before anything runs. Then the recorded commit is checked out in a
private copy (baseline/tools/git_copy.py), assessed again with what the record says the run was made
with (catalog, config and its trust level, the gate, the as-of day), and every difference is
reported: task statuses, findings new or gone, and how the runs were made (tool and catalog
versions, the config's digest: baseline/diff.py).

What a record cannot give back is said in the notes: online checks are not re-run (the
reproduction is offline), the operator's `--exclude` flags are not recorded, and a config that
lay outside the repository is taken from the bundle's copy.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from baseline.bundle.verify import Verdict, verify_bundle
from baseline.catalog.loader import builtin_ids
from baseline.context import RunOptions
from baseline.diff import Diff, diff
from baseline.errors import InputError
from baseline.models import Assessment, ConfigTrust, ControlStatus
from baseline.policy import Policy
from baseline.report.record_io import load_record
from baseline.service import AssessmentRequest, run
from baseline.tools.git_copy import checkout_copy

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from baseline.bundle.keyless_verify import KeylessPolicy

RECORD = "reports/assessment.json"


@dataclass(frozen=True)
class Reproduction:
    """The bundle's verification, and (when it verified) what the re-run changed."""

    verdict: Verdict
    changes: Diff | None = None
    notes: tuple[str, ...] = ()

    @property
    def identical(self) -> bool:
        """Verified, and the re-run gave the same statuses and findings, made the same way."""
        d = self.changes
        if self.verdict.problems or d is None:
            return False
        return not (d.regressed or d.improved or d.changed or d.added or d.removed
                    or d.new_findings or d.resolved_findings or d.setup)  # fmt: skip


def _catalog(recorded: Assessment, given: str | None) -> str | None:
    if given:
        return given
    if recorded.catalog.id in builtin_ids():
        return recorded.catalog.id
    trust = recorded.trust
    if trust is not None and trust.config_trust is ConfigTrust.ALL and trust.config is not None:
        return None  # the repository's config chose it, and it is in the checked-out tree
    raise InputError.single(RECORD, "catalog.id", f"{recorded.catalog.id!r} is not a built-in "
                            "catalog: name the catalog file with --catalog")  # fmt: skip


def _policy(recorded: Assessment) -> Policy:
    gate = recorded.gate
    if gate is None:
        return Policy(frozenset({ControlStatus.FAIL, ControlStatus.ERROR}))
    return Policy(frozenset(ControlStatus(s) for s in gate.fail_on), tuple(gate.require),
                  tuple(gate.require_form_items))  # fmt: skip


def _config(bundle: Path, recorded: Assessment, notes: list[str]) -> str | None:
    trust = recorded.trust
    if trust is None or trust.config is None or trust.config_in_target is not False:
        return None  # none, or the repository's own (in the checked-out tree)
    copy = bundle / "config" / Path(trust.config.path).name
    notes.append(
        f"the config lay outside the repository: the bundle's copy {copy} is used "
        "(attestation evidence named relative to it is not in the copy's folder)"
    )
    return str(copy)


def reproduce(
    bundle: Path,
    repo: Path,
    *,
    key: Ed25519PublicKey | None = None,
    catalog: str | None = None,
    quiet: bool = True,
    keyless: KeylessPolicy | None = None,
) -> Reproduction:
    """Verify the bundle (with `key` and/or `keyless`: its signatures too), re-run its
    assessment on `repo` at the recorded commit, compare."""
    verdict = verify_bundle(bundle, key, keyless)
    if verdict.problems:
        return Reproduction(verdict, None, ("refused: the bundle does not verify",))
    recorded = load_record(bundle / RECORD)
    if not recorded.commit:
        why = "the record names no commit: there is nothing to check out"
        raise InputError.single(str(bundle / RECORD), "target.commit", why)
    notes = ["online checks are not re-run (the reproduction is offline)",
             "the operator's --exclude flags are not in the record; none are applied"]  # fmt: skip
    facts = recorded.repository
    trust = recorded.trust
    with tempfile.TemporaryDirectory(prefix="baseline-reproduce-") as folder:
        top = checkout_copy(repo, recorded.commit, Path(folder) / "repo",
                            branch=facts.branch if facts else None,
                            url=facts.url if facts else None)  # fmt: skip
        target = top / facts.subdir if facts and facts.subdir else top
        as_of = dt.date.fromisoformat(recorded.as_of) if recorded.as_of else None
        request = AssessmentRequest(
            target=target, display=recorded.target, catalog=_catalog(recorded, catalog),
            config=_config(bundle, recorded, notes),
            config_trust=trust.config_trust if trust is not None else ConfigTrust.ALL,
            policy=_policy(recorded), options=RunOptions(as_of=as_of), quiet=quiet,
        )  # fmt: skip
        again = run(request).assessment
    return Reproduction(verdict, diff(recorded, again), tuple(notes))
