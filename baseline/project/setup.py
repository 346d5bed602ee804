"""Find, read and apply the project config for one run."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from baseline.catalog.loader import load_catalog
from baseline.errors import InputError
from baseline.models import ConfigTrust, FileDigest
from baseline.operator import DEFAULT_MAX_WAIVER_DAYS, digest_of
from baseline.project.bind import Project, bind
from baseline.project.config import ProjectConfig, discover, load_config
from baseline.project.paths import locate, read_regular

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


def load_project(
    target: Path,
    config_file: str | None,
    catalog: str | None,
    use_config: bool = True,
    trust: ConfigTrust = ConfigTrust.ALL,
    max_waiver_days: int = DEFAULT_MAX_WAIVER_DAYS,
) -> Project:
    """The run's catalog, attestations, waivers and settings.

    `config_file` names a config explicitly; otherwise the target's own config is used when it
    has one. An explicit `catalog` (the command line) wins over the config's. `trust` is the
    operator's decision on how much of the config counts: `none` leaves it unread (its path and
    digest are still recorded), `attestations` takes the vendor's claims only (the config's
    catalog choice, parameters and exclusions are ignored), `all` takes everything.
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
        return Project(catalog=load_catalog(catalog or DEFAULT_CATALOG), trust=trust,
                       max_waiver_days=max_waiver_days)  # fmt: skip
    if trust is ConfigTrust.NONE:
        return Project(catalog=load_catalog(catalog or DEFAULT_CATALOG), trust=trust,
                       config=_digest(path, display or str(path)),
                       max_waiver_days=max_waiver_days)  # fmt: skip
    config = load_config(path, display, repo=target)
    chosen = catalog or (_catalog_ref(config) if trust is ConfigTrust.ALL else DEFAULT_CATALOG)
    project = bind(config, load_catalog(chosen), trust, max_waiver_days)
    return replace(project, config=_digest(path, display or str(path)))


def _digest(path: Path, display: str) -> FileDigest | None:
    """The config's record; None for one that is not a regular file (it is not read then)."""
    raw = read_regular(path)
    return digest_of(display, raw) if raw is not None else None
