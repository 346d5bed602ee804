"""Find, read and apply the project config for one run."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from baseline.catalog.loader import load_catalog
from baseline.errors import InputError
from baseline.models import Catalog, ConfigClaim, ConfigTrust, FileDigest
from baseline.operator import DEFAULT_MAX_WAIVER_DAYS, digest_of
from baseline.project.bind import Project, bind
from baseline.project.config import ProjectConfig, discover, load_config
from baseline.project.paths import locate, read_regular
from baseline.scope import rules_from_config

DEFAULT_CATALOG = "ssdf-1.1"


def _catalog_ref(config: ProjectConfig) -> str | Path:
    ref = config.catalog or DEFAULT_CATALOG
    if not ref.endswith(".toml"):
        return ref
    # A catalog file named by the (untrusted) config must stay beside it.
    path, why = locate(config.folder, ref)
    if path is None:
        raise InputError.single(config.file, "catalog", why or "unusable path")
    return path


def _catalog_claim(config: ProjectConfig, ref: str | Path, catalog: Catalog) -> ConfigClaim | None:
    """A claim on every task when the repository's config brought its own catalog file."""
    if not isinstance(ref, Path):
        return None  # a built-in id: the tool's own content (its digest is checked on load)
    return ConfigClaim(
        "catalog",
        config.reporters[0].source(("catalog",)),
        f"catalog {catalog.id!r} is the repository's own file {config.catalog} "
        f"(sha256 {catalog.digest[:12]}...): its tasks, checks and parameters",
    )


def load_project(
    target: Path,
    config_file: str | None,
    catalog: str | None,
    use_config: bool = True,
    trust: ConfigTrust = ConfigTrust.ALL,
    as_of: dt.date | None = None,
    max_waiver_days: int = DEFAULT_MAX_WAIVER_DAYS,
) -> Project:
    """The run's catalog, attestations, waivers and settings.

    `config_file` names a config explicitly; otherwise the target's own config is used when it
    has one. An explicit `catalog` (the command line) wins over the config's. `trust` is the
    operator's decision on how much of the config counts: `none` leaves it unread (its path and
    digest are still recorded), `attestations` takes the vendor's claims only (the config's
    catalog choice, parameters and exclusions are ignored), `all` takes everything. Waivers are
    judged against `as_of` (default: today, real clock) and `max_waiver_days`.
    """
    path: Path | None = None
    display = config_file
    if config_file is not None:
        path = Path(config_file)
        if not path.is_file():
            raise InputError.single(config_file, "", "no such config file")
    elif use_config:
        path = discover(target)
        display = str(Path(str(target)) / path.name) if path else None
    if path is None or trust is ConfigTrust.NONE:
        loaded = load_catalog(catalog or DEFAULT_CATALOG)
        return Project(catalog=loaded, trust=trust, scope=rules_from_config({}, loaded.scope),
                       config=_digest(path, display or str(path)) if path else None,
                       max_waiver_days=max_waiver_days)  # fmt: skip
    config = load_config(path, display, repo=target)
    ref = catalog or (_catalog_ref(config) if trust is ConfigTrust.ALL else DEFAULT_CATALOG)
    loaded = load_catalog(ref)
    claim = None if catalog else _catalog_claim(config, ref, loaded)
    project = bind(config, loaded, trust, as_of, max_waiver_days, claim)
    # The digest of the bytes that were parsed, not of a second read.
    return replace(project, config=FileDigest(display or str(path), config.sha256))


def _digest(path: Path, display: str) -> FileDigest | None:
    """The config's record; None for one that is not a regular file (it is not read then)."""
    raw = read_regular(path)
    return digest_of(display, raw) if raw is not None else None
