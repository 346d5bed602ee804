"""Loading and validating the service's settings file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

#: The only environment variable the service reads a secret from.
API_CREDENTIAL_VARIABLE = "WELLKEPT_API_TOKEN"


class ConfigError(ValueError):
    """Raised when the settings file is missing a key or has a wrong type."""


@dataclass(frozen=True)
class Settings:
    database: Path
    backup_dir: Path
    max_quantity: int = 10_000


def load_settings(path: Path) -> Settings:
    """Read settings from a YAML file.

    ``yaml.safe_load`` builds only plain Python types, so a settings file
    cannot construct arbitrary objects.
    """
    with path.open(encoding="utf-8") as handle:
        try:
            raw = yaml.safe_load(handle) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not valid settings YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")

    try:
        database = Path(raw["database"])
        backup_dir = Path(raw["backup_dir"])
    except KeyError as exc:
        raise ConfigError(f"{path}: missing key {exc.args[0]!r}") from None

    max_quantity = raw.get("max_quantity", 10_000)
    if not isinstance(max_quantity, int) or isinstance(max_quantity, bool) or max_quantity < 1:
        raise ConfigError(f"{path}: max_quantity must be a positive integer")
    return Settings(database=database, backup_dir=backup_dir, max_quantity=max_quantity)


def api_token_from_env() -> str:
    """Return the API token from the environment; it is never stored in the repository."""
    token = os.environ.get(API_CREDENTIAL_VARIABLE, "")
    if len(token) < 32:
        raise ConfigError(
            f"{API_CREDENTIAL_VARIABLE} must be set to a token of at least 32 characters"
        )
    return token
