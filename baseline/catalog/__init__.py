"""Catalogs: loading, validating and extending the TOML control catalogs."""
