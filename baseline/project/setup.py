"""Find, read and apply the project config for one run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from baseline.catalog.loader import load_catalog
from baseline.errors import InputError
from baseline.models import Catalog, ConfigClaim
from baseline.project.bind import Project, bind
from baseline.project.config import ProjectConfig, discover, load_config
from baseline.project.paths import locate
from baseline.project.records import MAX_WAIVER_DAYS

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
    line = config.reporters[0].lines.line(("catalog",))
    return ConfigClaim(
        "catalog",
        f"{config.file}:{line}" if line else config.file,
        f"catalog {catalog.id!r} is the repository's own file {config.catalog} "
        f"(sha256 {catalog.digest[:12]}...): its tasks, checks and parameters",
    )


def load_project(
    target: Path,
    config_file: str | None,
    catalog: str | None,
    use_config: bool = True,
    as_of: dt.date | None = None,
    max_waiver_days: int = MAX_WAIVER_DAYS,
) -> Project:
    """The run's catalog, attestations, waivers and settings.

    `config_file` names a config explicitly; otherwise the target's own config is used when it
    has one. An explicit `catalog` (the command line) wins over the config's. Waivers are
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
    if path is None:
        return Project(catalog=load_catalog(catalog or DEFAULT_CATALOG))
    config = load_config(path, display, repo=target)
    ref = catalog or _catalog_ref(config)
    loaded = load_catalog(ref)
    claim = None if catalog else _catalog_claim(config, ref, loaded)
    return bind(config, loaded, as_of, max_waiver_days, claim)
