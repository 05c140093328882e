"""Keep the reading position of a rich-text view across a relayout."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QTextEdit


def scroll_text_to(view: QTextEdit, position: int) -> None:
    """Scroll a QTextEdit/QTextBrowser `view` so that the text at character `position` is at
    the top again (after a relayout, e.g. a zoom or a new palette)."""
    document = view.document()
    layout = document.documentLayout()
    # Lay out the whole document now, so the scroll range is right before we scroll.
    layout.blockBoundingRect(document.lastBlock())
    view.verticalScrollBar().setRange(
        0, max(0, round(layout.documentSize().height()) - view.viewport().height())
    )
    cursor = QTextCursor(document)
    cursor.setPosition(min(position, document.characterCount() - 1))
    block = cursor.block()
    y = layout.blockBoundingRect(block).top()
    text_layout = block.layout()
    if text_layout is not None and text_layout.lineCount():
        line = text_layout.lineForTextPosition(cursor.positionInBlock())
        if line.isValid():
            y += line.y()
    view.verticalScrollBar().setValue(round(y))
