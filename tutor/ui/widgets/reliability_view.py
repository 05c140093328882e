"""The busy-machine warning: shown exactly when the last finished run was noisy."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QSpinBox, QToolButton, QWidget

from tutor.engine.records import RunResult
from tutor.engine.repeats import AUTO_BUDGET_S, AUTO_MAX_REPEATS, MAX_REPEATS, RepeatPolicy
from tutor.ui.widgets.folded_label import keep_space_when_hidden, paint_lines


class ReliabilityWarningView(QLabel):
    """A QLabel (objectName ``reliabilityWarning``) with the reasons a run is not to be trusted.

    `show_result` is called with every finished run: between runs the label is visible exactly
    when the last finished run was noisy (engine.reliability); while a new run goes it is
    hidden (`hide_while_running`), as it is not about that run. Its text lists the reasons in
    plain words (a headline, then one "• reason." line each).

    It shows at most COLLAPSED_LINES lines: a headline, then the reasons run together, each line
    shortened with "…" to the width (`shown_lines()`); the whole text is in its tooltip and
    behind its "Details" button (objectName ``reliabilityDetailsButton``), which unfolds it.
    Four wrapped lines of reasons used to squeeze the charts under it.

    Folded, it is always COLLAPSED_LINES lines high, and once it has been shown, hidden it
    keeps that space (`keep_space_when_hidden`): hiding it at the next run's start and showing
    it at its end then moves nothing around it; a moved chart is relaid out and repainted whole
    (25-45 ms a time, tests/perf/ui_responsiveness.py). Before it first shows it takes no room.
    """

    COLLAPSED_LINES = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reliabilityWarning")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAccessibleName("Warning about the last run's numbers")
        self.setFrameShape(QLabel.Shape.StyledPanel)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.details_button = QToolButton(self, objectName="reliabilityDetailsButton")
        self.details_button.setCheckable(True)
        self.details_button.setAutoRaise(True)
        self.details_button.setAccessibleName("Show every reason not to trust the numbers")
        self.details_button.toggled.connect(self._on_details_toggled)
        self._on_details_toggled(False)
        self.setVisible(False)
        self._noisy = False

    @property
    def noisy(self) -> bool:
        """Whether the last finished run was noisy (independent of the window being shown)."""
        return self._noisy

    def show_result(self, result: RunResult) -> None:
        """Show or hide the warning for the run that just finished (folded up again)."""
        reliability = result.reliability
        self._noisy = reliability is not None and reliability.noisy
        if self._noisy and reliability is not None:
            reasons = "\n".join(f"• {reason}." for reason in reliability.reasons)
            self.setText(f"⚠ Do not trust the numbers of {result.config.label()} yet:\n{reasons}")
        else:
            self.clear()
        self.setToolTip(self.text())
        self.details_button.setChecked(False)
        if self._noisy:
            keep_space_when_hidden(self)
        self.setVisible(self._noisy)

    def hide_while_running(self) -> None:
        """A new run started: hide the warning, which is about an earlier run (issue #19), and
        keep its verdict (`noisy`) for `show_last_verdict`."""
        self.setVisible(False)

    def show_last_verdict(self) -> None:
        """No run goes any more without a new result (cancelled, failed): show the warning
        again exactly when the last finished run was noisy."""
        self.setVisible(self._noisy)

    def expanded(self) -> bool:
        """Whether the details are unfolded (every reason shown, wrapped)."""
        return self.details_button.isChecked()

    def shown_lines(self) -> list[str]:
        """The lines painted while folded: the headline, then the reasons run together, each
        shortened with "…" to the text's width (unfolded: the text's own lines)."""
        lines = self.text().split("\n")
        if self.expanded():
            return lines
        width = self._text_rect().width()
        folded = [lines[0], "  ".join(lines[1:])][: self.COLLAPSED_LINES]
        metrics = self.fontMetrics()
        return [
            metrics.elidedText(line, Qt.TextElideMode.ElideRight, max(0, width))
            for line in folded
            if line
        ]

    # ----------------------------------------------------------------- sizes and painting
    def _text_rect(self) -> QRect:
        margin = self.margin()
        return self.contentsRect().adjusted(margin, margin, -margin, -margin)

    def _folded_height(self) -> int:
        frame = 2 * self.frameWidth()
        lines = self.COLLAPSED_LINES  # whatever the text: the height never changes with it
        return self.fontMetrics().lineSpacing() * lines + frame + 2 * self.margin() + 2

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        if self.expanded():
            return max(super().heightForWidth(width), self.details_button.sizeHint().height())
        return self._folded_height()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        if self.expanded():
            return hint
        return QSize(hint.width(), self._folded_height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        if self.expanded():
            return super().minimumSizeHint()
        least = self.fontMetrics().horizontalAdvance("x" * 16) + self.details_button.width()
        return QSize(least, self._folded_height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._place_button()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._place_button()
            self.updateGeometry()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if self.expanded():
            super().paintEvent(event)
            return
        paint_lines(self, self._text_rect(), self.shown_lines())

    def _place_button(self) -> None:
        button = self.details_button
        button.adjustSize()
        frame = self.frameWidth()
        button.move(self.width() - frame - button.width(), frame)
        self.setContentsMargins(0, 0, button.width(), 0)  # the text stops short of it

    def _on_details_toggled(self, expanded: bool) -> None:
        self.details_button.setText("Less" if expanded else "Details")
        self.details_button.setToolTip(
            "Fold the reasons up again" if expanded else "Show every reason, in full"
        )
        self._place_button()
        self.updateGeometry()
        self.update()


class RepeatCountBox(QSpinBox):
    """How many times each run is measured: 0 shows "auto", else 1 … MAX_REPEATS."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("repeatCount")
        self.setRange(0, MAX_REPEATS)
        self.setSpecialValueText("auto")
        self.setValue(0)
        self.setAccessibleName("Repeats per run (0 = automatic)")
        self.setToolTip(
            "How many times each run is measured; the table shows the median and the spread. "
            f"auto: short runs are repeated until about {AUTO_BUDGET_S:g} s of measuring or "
            f"{AUTO_MAX_REPEATS} runs, long runs run once. The sequential baseline is "
            "measured in the same rounds."
        )

    def policy(self) -> RepeatPolicy:
        """The RepeatPolicy the box shows (None count: automatic)."""
        value = self.value()
        return RepeatPolicy(value or None)
