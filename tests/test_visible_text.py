"""Invisible characters from untrusted text are shown as escapes in HTML and Markdown."""

from __future__ import annotations

from baseline.report.mdtext import md
from baseline.report.templating import environment
from baseline.report.visible import visible


def test_visible_escapes_controls_and_bidi_overrides() -> None:
    assert visible("evil\u202etxt.exe") == "evil\\u202etxt.exe"
    assert visible("bell\x07 esc\x1b[31m") == "bell\\x07 esc\\x1b[31m"
    assert visible("tab\tnewline\nstay") == "tab\tnewline\nstay"
    assert visible("naïve café") == "naïve café"


def test_templates_apply_it() -> None:
    html = environment(html=True).from_string("<p>{{ name }}</p>").render(name="a\u202e<b>\x1b")
    assert html == "<p>a\\u202e&lt;b&gt;\\x1b</p>"
    # Markdown escapes the escape's backslash too, so the reader sees `\u2066` literally.
    assert str(md("x\u2066|y")) == "x\\\\u2066\\|y"


def test_diff_markdown_keeps_character_references_as_text() -> None:
    # GitHub decodes `&#x202e;` into the override `visible` escapes: `&` is escaped as well.
    import cmarkgfm

    from baseline.diff_render import _md

    rendered = cmarkgfm.github_flavored_markdown_to_html(_md("a&#x202e;b.exe"))
    assert "\u202e" not in rendered and "&amp;#x202e;" in rendered
