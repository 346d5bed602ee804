"""Producer details from the project config pre-fill the CISA form (and only those given)."""

from __future__ import annotations

import shutil
from pathlib import Path

from support import EXAMPLES, load_json

CONFIG = """\
[producer]
name = "Example Software Inc."
attestation_type = "new"
city = "Springfield"
contact_email = "compliance@example.org"

[[producer.products]]
name = "wellkept"
version = "1.4.0"

[[producer.products]]
name = "wellkept-cli"
version = "0.9.2"
"""


def test_config_producer_fills_the_form(run_cli, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "well-kept-app", repo)
    (repo / ".baseline.toml").write_text(CONFIG)
    code, _, _ = run_cli(
        "assess", str(repo), "--out", str(tmp_path / "out"), "--quiet", "--fail-on", "none"
    )
    assert code == 0
    form = load_json(tmp_path / "out" / "cisa-form.json")["sections"]
    assert form["I"]["attestation_type"]["value"] == "new"
    assert form["I"]["product_name"]["value"] == "wellkept; wellkept-cli"
    assert form["I"]["product_version"]["value"] == "1.4.0; 0.9.2"
    assert form["II"]["company_name"]["value"] == "Example Software Inc."
    assert form["II"]["city"]["value"] == "Springfield"
    assert form["II"]["contact_email"]["value"] == "compliance@example.org"
    assert form["II"]["country"]["value"] is None  # not given: left for the producer
    markdown = (tmp_path / "out" / "cisa-form.md").read_text()
    assert "Example Software Inc." in markdown and "(to be completed by the producer)" in markdown
