"""Reproducible timing scripts (run them directly; they print what they measure)."""
