"""Syntax highlighting for lesson code, as HTML that Qt's rich-text engine understands.

QTextBrowser renders a subset of HTML: inline `style` attributes work, style sheets with class
selectors do not. So the Pygments output carries its colours inline, and the block background
sits on a one-cell table, which Qt paints reliably.
"""

from __future__ import annotations

from functools import cache
from html import escape

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.lexers.special import TextLexer
from pygments.styles import get_style_by_name
from pygments.token import Token
from pygments.util import ClassNotFound

LIGHT_STYLE = "friendly"
DARK_STYLE = "monokai"
_MONO_FONTS = "'DejaVu Sans Mono', Menlo, Consolas, 'Courier New', monospace"


@cache
def _formatter(style_name: str) -> tuple[HtmlFormatter, str, str]:
    """(formatter, background colour, default text colour) for a Pygments style."""
    style = get_style_by_name(style_name)
    formatter = HtmlFormatter(style=style_name, noclasses=True, nowrap=True)
    background = style.background_color or "#ffffff"
    foreground = style.style_for_token(Token.Text).get("color") or style.style_for_token(Token).get(
        "color"
    )
    return formatter, background, f"#{foreground}" if foreground else "#000000"


def _lexer(language: str):
    try:
        return get_lexer_by_name((language or "text").lower(), stripnl=False, ensurenl=True)
    except ClassNotFound:
        return TextLexer(stripnl=False, ensurenl=True)


def highlight_code_html(source: str, language: str = "python", dark: bool = False) -> str:
    """An HTML fragment showing `source` highlighted, with inline styles only (no classes)."""
    formatter, background, foreground = _formatter(DARK_STYLE if dark else LIGHT_STYLE)
    try:
        body = highlight(source, _lexer(language), formatter)
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
