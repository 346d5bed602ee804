"""The assessed project's own settings: `.baseline.toml`, attestations and waivers."""
