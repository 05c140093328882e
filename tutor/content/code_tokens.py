"""Python source cut into styled spans by Pygments, for the code editor's highlighter. Qt-free.

Offsets are in UTF-16 code units, the unit Qt's text positions count in: a character outside
the Basic Multilingual Plane (most emoji) is one Python character but two Qt positions.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from tutor.content.highlight import DARK_STYLE, LIGHT_STYLE


@dataclass(frozen=True)
class TokenStyle:
    color: str | None  # "#rrggbb"
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class TokenSpan:
    start: int  # UTF-16 offset in the whole source
    length: int  # UTF-16 units
    style: TokenStyle

    @property
    def end(self) -> int:
        return self.start + self.length


@cache
def _lexer():
    from pygments.lexers import PythonLexer

    # No newline stripping or adding: token offsets must match the editor's text exactly.
    return PythonLexer(stripnl=False, stripall=False, ensurenl=False)


@cache
def pygments_style(dark: bool):
    """The Pygments style class the tutor's code uses, light or dark."""
    from pygments.styles import get_style_by_name

    return get_style_by_name(DARK_STYLE if dark else LIGHT_STYLE)


@cache
def style_for_token(token_type, dark: bool = False) -> TokenStyle | None:
    """The style's look for a Pygments token type; None where it is plain text."""
    found = pygments_style(dark).style_for_token(token_type)
    color = found.get("color")
    style = TokenStyle(
        f"#{color}" if color else None, bool(found.get("bold")), bool(found.get("italic"))
    )
    plain = pygments_style(dark).style_for_token(_text_token())
    if style.color == (f"#{plain['color']}" if plain.get("color") else None) and not (
        style.bold or style.italic
    ):
        return None
    return style


@cache
def _text_token():
    from pygments.token import Text

    return Text


def background_color(dark: bool = False) -> str:
    return pygments_style(dark).background_color or ("#272822" if dark else "#ffffff")


def _utf16_offsets(source: str):
    """A function mapping a Python str index to a UTF-16 offset (identity for BMP-only text)."""
    wide = [i for i, ch in enumerate(source) if ord(ch) > 0xFFFF]
    if not wide:
        return lambda index: index
    return lambda index: index + bisect_right(wide, index - 1)


def python_token_spans(source: str, dark: bool = False) -> list[TokenSpan]:
    """Styled spans covering `source`'s keywords, names, strings, numbers and comments."""
    to_utf16 = _utf16_offsets(source)
    spans: list[TokenSpan] = []
    try:
        tokens = list(_lexer().get_tokens_unprocessed(source))
    except Exception:  # a lexer bug must never break editing
        return spans
    for index, token_type, value in tokens:
        if not value or (value.isspace() and token_type in _text_token()):
            continue  # blanks between tokens look the same in every colour
        style = style_for_token(token_type, dark)
        if style is None:
            continue
        start = to_utf16(index)
        length = to_utf16(index + len(value)) - start
        previous = spans[-1] if spans else None
        if previous is not None and previous.style == style and previous.end == start:
            spans[-1] = TokenSpan(previous.start, previous.length + length, style)
        else:
            spans.append(TokenSpan(start, length, style))
    return spans
