"""Glue for CI systems: the GitHub Action's step logic lives here, typed and unit-tested."""
