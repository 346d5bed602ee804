"""Adapters for the external tools (bandit, semgrep, zizmor, git, the GitHub API, OSV).

Each adapter builds a tool's command line, runs it through `baseline.toolrun`, and parses its
output into plain data and models. What that output means (outcome, summary, thresholds) is
the checks' to judge (`baseline.checks`). This layer sits below the checks and the context: it
imports only the bottom layers (models, errors, toolrun, jsontext, globs, resources, cores, ...),
never `baseline.checks`, `baseline.context`, the engine, reports, the service or the commands
(tests/test_layers.py).
"""
