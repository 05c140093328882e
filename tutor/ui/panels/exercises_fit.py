"""How tall the Exercises panel asks to be: every column's text whole, the editor 8 lines.

At 1024×640 the panel was given the tab's height only: its editor showed one or two lines and
the task and the verdict were cut mid-sentence (#19). The panel's minimum height is now what its
tallest column needs at the width that column has: wrapped labels their height for that width,
the editor `EDITOR_LINES` lines, the other widgets their minimum. The page around the panel then
scrolls, and the window's column gives the bottom tabs that height when it can (ColumnSplit).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLayout, QListWidget, QPlainTextEdit, QWidget

EDITOR_LINES = 8  # lines of the learner's program shown at least


def editor_height(editor: QPlainTextEdit, lines: int = EDITOR_LINES) -> int:
    """Height (px) of `editor` showing `lines` whole lines and its horizontal scroll bar."""
    margin = int(editor.document().documentMargin())
    return (
        lines * editor.fontMetrics().lineSpacing()
        + 2 * margin
        + 2 * editor.frameWidth()
        + editor.horizontalScrollBar().sizeHint().height()
    )


def column_height(layout: QLayout, width: int, editor: QPlainTextEdit | None = None) -> int:
    """Height (px) a vertical `layout` needs at `width` px: wrapped items their height for the
    width, `editor` its EDITOR_LINES, the rest their minimum; hidden items count nothing."""
    margins = layout.contentsMargins()
    inner = width - margins.left() - margins.right()
    heights = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item.isEmpty():
            continue
        widget = item.widget()
        if widget is not None and widget is editor:
            heights.append(max(editor_height(editor), item.minimumSize().height()))
        elif item.hasHeightForWidth():
            heights.append(max(item.heightForWidth(inner), item.minimumSize().height()))
        else:
            heights.append(item.minimumSize().height())
    spacing = max(layout.spacing(), 0) * max(len(heights) - 1, 0)
    return sum(heights) + spacing + margins.top() + margins.bottom()


def list_min_width(listing: QListWidget, texts: list[str]) -> int:
    """Width (px) of `listing` that holds the longest word of `texts` (and the first two
    words, the state mark and number, on one line) beside its vertical scroll bar."""
    metrics = listing.fontMetrics()
    widest = 0
    for text in texts:
        words = text.split()
        widest = max(widest, metrics.horizontalAdvance(" ".join(words[:2])))
        widest = max([widest, *(metrics.horizontalAdvance(word) for word in words)])
    item_margins = 4 * listing.style().pixelMetric(listing.style().PixelMetric.PM_FocusFrameHMargin)
    return (
        widest
        + item_margins
        + 2 * listing.frameWidth()
        + listing.verticalScrollBar().sizeHint().width()
        + 8
    )


class ColumnsWatch(QObject):
    """Asks `panel` to re-measure (updateGeometry) when a watched column changes its width or
    its contents (a new verdict, a hint shown)."""

    def __init__(self, panel: QWidget, columns: tuple[QWidget, ...]) -> None:
        super().__init__(panel)
        self._panel = panel
        for column in columns:
            column.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind == QEvent.Type.LayoutRequest or (
            kind == QEvent.Type.Resize and event.size().width() != event.oldSize().width()
        ):
            self._panel.updateGeometry()
        return False
