"""The package version (kept apart so that modules can import it while `baseline` loads)."""

__version__ = "0.1.0"
