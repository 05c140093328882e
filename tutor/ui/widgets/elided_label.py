"""A one-line label that shortens its text with "…" to the width it has, full text in its tooltip.

QLabel never elides: a label wider than its room is cut off mid-word (the status bar's long
messages were), or it forces its parent wider. This one keeps its whole text as its text (what
`text()` and screen readers read) and only paints it shortened.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

ELLIPSIS = "…"
MIN_CHARS = 8  # the narrowest it gets: about this many characters of text


class ElidedLabel(QLabel):
    """A plain-text, single-line QLabel painted as `shown_text()`: its text, elided on the right
    to the contents width (in pixels of its font). When shortened, the tooltip holds the full
    text (a tooltip set with `setToolTip` is kept as it is)."""

    def __init__(self, text: str = "", parent: QWidget | None = None, **kwargs: object) -> None:
        super().__init__(text, parent, **kwargs)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(False)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self._own_tip = False
        self._update_tip()

    def shown_text(self) -> str:
        """The text as painted: all of it, or its start ending in "…" to fit the width."""
        text = " ".join(self.text().split("\n"))
        width = self.contentsRect().width() - 2 * self.margin()
        return self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, max(0, width))

    def is_elided(self) -> bool:
        return self.shown_text() != " ".join(self.text().split("\n"))

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setText(text)
        self._update_tip()

    def setToolTip(self, tip: str) -> None:  # noqa: N802 - Qt override
        self._own_tip = bool(tip)
        super().setToolTip(tip)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().minimumSizeHint()
        metrics = self.fontMetrics()
        least = metrics.horizontalAdvance("x" * MIN_CHARS + ELLIPSIS) + 2 * self.margin()
        return QSize(min(hint.width(), least), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._update_tip()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        self.drawFrame(painter)
        rect = self.contentsRect().adjusted(
            self.margin(), self.margin(), -self.margin(), -self.margin()
        )
        flags = self.alignment() | Qt.TextFlag.TextSingleLine
        self.style().drawItemText(
            painter,
            rect,
            int(flags),
            self.palette(),
            self.isEnabled(),
            self.shown_text(),
            self.foregroundRole(),
        )
        painter.end()

    def _update_tip(self) -> None:
        if self._own_tip:
            return
        QLabel.setToolTip(self, self.text() if self.is_elided() else "")
