"""A word-wrapped label that shows at most a few lines, the last one ending in "…" when the text
goes on; the whole text stays its text (screen readers, tests) and shows in its tooltip.

A long status line (a run's result, then advice on the size) wrapped to three or four lines and
took that height from the charts under the run panel.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent, QShowEvent, QTextLayout
from PySide6.QtWidgets import QLabel, QWidget

LINE_BREAK = "\u2028"  # what QTextLayout takes as a line break inside one paragraph


def paint_lines(label: QLabel, rect: QRect, lines: list[str]) -> None:
    """Paint `label`'s frame, then `lines` one under another in `rect` (px), each in the
    label's font, palette and enabled state, as QLabel paints its own text."""
    painter = QPainter(label)
    label.drawFrame(painter)
    step = label.fontMetrics().lineSpacing()
    for index, line in enumerate(lines):
        row = QRect(rect.left(), rect.top() + index * step, rect.width(), step)
        label.style().drawItemText(
            painter,
            row,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            label.palette(),
            label.isEnabled(),
            line,
            label.foregroundRole(),
        )
    painter.end()


def keep_space_when_hidden(widget: QWidget) -> None:
    """From now on `widget` keeps its place in its layout when hidden (`retainSizeWhenHidden`):
    for a line that shows and hides with every run, so that the widgets around it stay put."""
    policy = widget.sizePolicy()
    if not policy.retainSizeWhenHidden():
        policy.setRetainSizeWhenHidden(True)
        widget.setSizePolicy(policy)


class FoldedLabel(QLabel):
    """A plain-text QLabel painted as `shown_lines()`: its text wrapped at word boundaries to
    the contents width (px), at most `max_lines` lines, the last elided with "…" when more was
    there. Its height (height-for-width, size hints) is that of the lines shown; with
    `keep_lines` it never shrinks back below the most lines it has shown at its width: a label
    whose text changes at every run (one line, then two) then moves what is under it once, not
    at every run, and each move of the charts below cost a relayout and repaints of the whole
    column (tests/perf/ui_responsiveness.py). When folded, the tooltip holds the whole text (a
    tooltip set with `setToolTip` is kept instead)."""

    def __init__(
        self,
        text: str = "",
        max_lines: int = 2,
        parent: QWidget | None = None,
        *,
        keep_lines: bool = False,
        **kw,
    ):
        super().__init__(text, parent, **kw)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self._max_lines = max(1, max_lines)
        self._keep = keep_lines
        self._kept = 1  # with keep_lines: the most lines shown so far (at most max_lines)
        self._own_tip = False
        self._update_tip()

    def shown_lines(self, width: int | None = None) -> list[str]:
        """The lines painted at `width` px (the contents width when None)."""
        width = self._text_width() if width is None else width
        text = self.text()
        if not text or width <= 0:
            return [] if not text else [""]
        flat = text.replace("\n", LINE_BREAK)
        layout = QTextLayout(flat, self.font())
        layout.beginLayout()
        starts: list[tuple[int, int]] = []
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            starts.append((line.textStart(), line.textLength()))
        layout.endLayout()
        lines = [flat[start : start + length].rstrip(f" {LINE_BREAK}") for start, length in starts]
        if len(lines) <= self._max_lines:
            return lines
        last_start = starts[self._max_lines - 1][0]
        rest = flat[last_start:].replace(LINE_BREAK, " ")
        last = self.fontMetrics().elidedText(rest, Qt.TextElideMode.ElideRight, width)
        return [*lines[: self._max_lines - 1], last]

    def is_folded(self) -> bool:
        """Whether some of the text is left out of what is shown."""
        lines = self.shown_lines()
        return bool(lines) and lines[-1].endswith("…") and not self.text().endswith("…")

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setText(text)
        self._update_tip()
        self._keep_shown_lines()
        self.updateGeometry()

    def kept_lines(self) -> int:
        """The lines of height the label keeps (1 without `keep_lines`)."""
        return self._kept

    def forget_kept_lines(self) -> None:
        """Keep only the lines shown now, as a new label would (a seam for the UI tests that
        share one window and put it back as it was between them: tests/ui/shared_window.py)."""
        self._kept = 1
        self._keep_shown_lines()
        self.updateGeometry()

    def _keep_shown_lines(self) -> None:
        if self._keep and self.isVisible() and self._text_width() > 0:
            self._kept = max(self._kept, len(self.shown_lines()))

    def setToolTip(self, tip: str) -> None:  # noqa: N802 - Qt override
        self._own_tip = bool(tip)
        super().setToolTip(tip)

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        margins = self.contentsMargins()
        chrome = margins.left() + margins.right() + 2 * (self.margin() + self.frameWidth())
        lines = max(1, len(self.shown_lines(width - chrome)))
        return self._height_of(max(lines, self._kept))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        return QSize(hint.width(), self.heightForWidth(max(self.width(), 1)))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().minimumSizeHint()
        return QSize(hint.width(), self._height_of(self._kept))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._update_tip()
        self._keep_shown_lines()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Count the lines shown now: text set while hidden and then shown at the same size
        (the Amdahl line's advice) has no resize to count it, and the line's kept height then
        followed its next text, a new baseline's none: one line, and the charts moved."""
        super().showEvent(event)
        self._keep_shown_lines()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        margin = self.margin()
        paint_lines(
            self, self.contentsRect().adjusted(margin, margin, -margin, -margin), self.shown_lines()
        )

    def _text_width(self) -> int:
        return self.contentsRect().width() - 2 * self.margin()

    def _height_of(self, lines: int) -> int:
        margins = self.contentsMargins()
        chrome = margins.top() + margins.bottom() + 2 * self.margin() + 2 * self.frameWidth()
        return lines * self.fontMetrics().lineSpacing() + chrome + 1

    def _update_tip(self) -> None:
        if not self._own_tip:
            QLabel.setToolTip(self, self.text() if self.is_folded() else "")


class DescribedFoldedLabel(FoldedLabel):
    """A FoldedLabel whose accessible name is fixed (`name`) and whose whole text, folded or
    not, is its accessible description (as accessible.DescribedLabel)."""

    def __init__(self, name: str, max_lines: int = 2, parent: QWidget | None = None, **kw):
        super().__init__("", max_lines, parent, **kw)
        self.setAccessibleName(name)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setText(text)
        self.setAccessibleDescription(text)
