"""Highlighted code is Qt-friendly HTML: inline styles only, the code text intact."""

from __future__ import annotations

import html
import re

from tutor.content.highlight import highlight_code_html

CODE = 'def greet(name: str) -> str:\n    return f"<b>{name}</b> & co"  # comment\n'


def visible_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_inline_styles_and_no_classes() -> None:
    for dark in (False, True):
        fragment = highlight_code_html(CODE, dark=dark)
        assert "class=" not in fragment
        assert "<style" not in fragment
        assert 'style="color:' in fragment or 'style="color: ' in fragment
        assert "<pre" in fragment and "background-color:" in fragment
        assert fragment.startswith("<table") and fragment.endswith("</table>")


def test_code_text_is_kept_and_escaped() -> None:
    fragment = highlight_code_html(CODE)
    assert "&lt;b&gt;" in fragment and "&amp; co" in fragment
    assert "<b>" not in fragment
    assert visible_text(fragment).rstrip("\n") == CODE.rstrip("\n")


def test_light_and_dark_differ() -> None:
    light = highlight_code_html(CODE, dark=False)
    dark = highlight_code_html(CODE, dark=True)
    assert light != dark
    background = re.compile(r'bgcolor="(#[0-9a-fA-F]{3,6})"')
    assert background.search(light).group(1) != background.search(dark).group(1)


def test_other_languages_and_unknown_ones() -> None:
    toml = highlight_code_html('title = "x"\n', language="toml")
    assert "style=" in toml and "title" in visible_text(toml)
    unknown = highlight_code_html("a < b\n", language="no-such-language")
    assert visible_text(unknown).strip() == "a < b"
    assert "&lt;" in unknown
    assert visible_text(highlight_code_html("")) == ""
