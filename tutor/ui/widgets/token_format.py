"""The character format of a coloured code token, shared by the code editor and the lesson."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QTextCharFormat


def token_format(colour: str | None, bold: bool, italic: bool) -> QTextCharFormat:
    """The format that shows a token: `colour` as "#rrggbb" (None: the text's own colour),
    bold and/or italic. The editor's highlighter and the lesson's code blocks both colour
    code with it, so the two always look alike."""
    fmt = QTextCharFormat()
    if colour:
        fmt.setForeground(QColor(colour))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    if italic:
        fmt.setFontItalic(True)
    return fmt
