"""Hostile and broken inputs: a generated bad-input corpus, tool faults, fuzzing, atomic outputs."""
