"""Syntax highlighting for lesson code, as HTML that Qt's rich-text engine understands.

QTextBrowser renders a subset of HTML: inline `style` attributes work, style sheets with class
selectors do not. So the Pygments output carries its colours inline, and the block background
sits on a one-cell table, which Qt paints reliably.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache
from html import escape

# Pygments is imported on first use: compiling its lexers costs tens of milliseconds that the
# window's first paint should not wait for (the lesson shows plain code first).

LIGHT_STYLE = "friendly"
DARK_STYLE = "monokai"
# Each style's block background and text colour, for plain (not yet highlighted) code.
_PLAIN_COLOURS = {LIGHT_STYLE: ("#f0f0f0", "#000000"), DARK_STYLE: ("#272822", "#f8f8f2")}
_MONO_FONTS = "'DejaVu Sans Mono', Menlo, Consolas, 'Courier New', monospace"


@cache
def _formatter(style_name: str):
    """(formatter, background colour, default text colour) for a Pygments style."""
    from pygments.formatters import HtmlFormatter
    from pygments.styles import get_style_by_name
    from pygments.token import Token

    style = get_style_by_name(style_name)
    formatter = HtmlFormatter(style=style_name, noclasses=True, nowrap=True)
    background = style.background_color or "#ffffff"
    foreground = style.style_for_token(Token.Text).get("color") or style.style_for_token(Token).get(
        "color"
    )
    return formatter, background, f"#{foreground}" if foreground else "#000000"


def lexer_for(language: str):
    """The Pygments lexer for a lesson block's `language` ("python", "text", …; any unknown
    name: plain text), keeping the source's own line ends so offsets match it."""
    from pygments.lexers import get_lexer_by_name
    from pygments.lexers.special import TextLexer
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name((language or "text").lower(), stripnl=False, ensurenl=True)
    except ClassNotFound:
        return TextLexer(stripnl=False, ensurenl=True)


# Kept per (source, language, dark, colour): the result depends on nothing else, and a lesson
# colours its code off the window's thread first (`warm_highlighting`), then renders from here.
@lru_cache(maxsize=256)
def highlight_code_html(
    source: str, language: str = "python", dark: bool = False, colour: bool = True
) -> str:
    """An HTML fragment showing `source` highlighted, with inline styles only (no classes).

    With `colour=False` the same block comes without token colours and without Pygments.
    """
    style_name = DARK_STYLE if dark else LIGHT_STYLE
    if not colour:
        background, foreground = _PLAIN_COLOURS[style_name]
        body = escape(source)
    else:
        from pygments import highlight

        formatter, background, foreground = _formatter(style_name)
        try:
            body = highlight(source, lexer_for(language), formatter)
        except Exception:  # a lexer bug must never hide the code itself
            body = escape(source)
    body = body.rstrip("\n")
    return (
        f'<table width="100%" border="0" cellspacing="0" cellpadding="8" bgcolor="{background}" '
        f'style="background-color: {background}; border: none;">'
        f'<tr><td style="background-color: {background};">'
        f'<pre style="margin: 0; color: {foreground}; font-family: {_MONO_FONTS};">'
        f"{body}</pre></td></tr></table>"
    )


def warm_highlighting(blocks: Iterable[tuple[str, str]], dark: bool) -> None:
    """Colour each (source, language) block into the cache of `highlight_code_html`.

    Pure Python with no Qt, so it may run on any thread: importing Pygments and compiling a
    lexer's rules takes ~0.1-0.3 s of CPU, which the window's thread should not spend in one go.
    """
    for source, language in blocks:
        highlight_code_html(source, language, dark=dark, colour=True)
