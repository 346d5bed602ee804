"""docs/hostile-inputs.md is the table of what the hostile-input tests observed.

Regenerate it with:  UPDATE_DOCS=1 python -m pytest tests/hostile
"""

from __future__ import annotations

import os

import pytest

from . import (
    test_bad_inputs,
    test_bounded_work,
    test_config_claims,
    test_csv_cells,
    test_deep_json,
    test_entry_points,
    test_git_programs,
    test_git_states,
    test_hostile_tree,
    test_markdown_links,
    test_operator_trust,
    test_output_paths,
    test_private_cache,
    test_sarif_uris,
    test_terminal_text,
    test_tool_faults,
)
from .doc_table import render
from .harness import ROOT

DOC = ROOT / "docs" / "hostile-inputs.md"


# Runs every hostile case the tests before it left (when run alone, all of them: the full
# assessment of the hostile tree with every real scanner): longer than the default bound.
@pytest.mark.slow
@pytest.mark.timeout(900)
def test_docs_table_is_what_the_tests_observe(
    hostile_tree, validator, observations, tmp_path_factory
) -> None:
    rows = [
        *test_hostile_tree.all_rows(hostile_tree, validator, observations),
        *test_git_states.all_rows(tmp_path_factory, validator, observations),
        *test_git_programs.all_rows(tmp_path_factory, validator, observations),
        *test_tool_faults.all_rows(tmp_path_factory, validator, observations),
        *test_bad_inputs.all_catalog_rows(tmp_path_factory, observations),
        *test_bad_inputs.all_config_rows(tmp_path_factory, validator, observations),
        *test_operator_trust.all_rows(tmp_path_factory, observations),
        *test_entry_points.all_rows(tmp_path_factory, observations),
        *test_config_claims.all_rows(tmp_path_factory, validator, observations),
        *test_terminal_text.all_rows(tmp_path_factory, observations),
        *test_csv_cells.all_rows(observations),
        *test_markdown_links.all_rows(tmp_path_factory, observations),
        *test_sarif_uris.all_rows(tmp_path_factory, observations),
        *test_deep_json.all_rows(tmp_path_factory, observations),
        *test_private_cache.all_rows(tmp_path_factory, observations),
        *test_output_paths.all_rows(tmp_path_factory, observations),
        *test_bounded_work.all_rows(tmp_path_factory, observations),
    ]
    text = render(rows)
    if os.environ.get("UPDATE_DOCS") == "1":
        DOC.write_text(text, encoding="utf-8")
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    assert current == text, (
        "docs/hostile-inputs.md differs from what the tests observed; if the change is "
        "intended, regenerate it: UPDATE_DOCS=1 python -m pytest tests/hostile"
    )
