"""Find, read and apply the project config for one run."""

from __future__ import annotations

from pathlib import Path

from baseline.catalog.loader import load_catalog
from baseline.errors import InputError
from baseline.project.bind import Project, bind
from baseline.project.config import ProjectConfig, discover, load_config
from baseline.project.paths import locate

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
    target: Path, config_file: str | None, catalog: str | None, use_config: bool = True
) -> Project:
    """The run's catalog, attestations, waivers and settings.

    `config_file` names a config explicitly; otherwise the target's own config is used when it
    has one. An explicit `catalog` (the command line) wins over the config's.
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
    return bind(config, load_catalog(catalog or _catalog_ref(config)))
