"""Inline `code` in our texts (quiz, exercise reasons): shown in a monospace font where a label
shows rich text, and without its backticks where only plain text is shown (or read aloud)."""

from __future__ import annotations

import re
from html import escape

_INLINE_CODE = re.compile(r"`([^`]+)`")


def without_code_marks(text: str) -> str:
    """`text` for places that show plain text only: inline code loses its backticks."""
    return _INLINE_CODE.sub(r"\1", text)


def inline_code_html(text: str) -> str:
    """HTML for a label: `text` escaped, its inline `code` in a monospace font."""
    parts = _INLINE_CODE.split(text)
    return "".join(
        f"<code>{escape(part)}</code>" if index % 2 else escape(part)
        for index, part in enumerate(parts)
    )
