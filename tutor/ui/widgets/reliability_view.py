"""The busy-machine warning: shown exactly when the last finished run was noisy."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSpinBox, QWidget

from tutor.engine.records import RunResult
from tutor.engine.repeats import AUTO_BUDGET_S, AUTO_MAX_REPEATS, MAX_REPEATS, RepeatPolicy


class ReliabilityWarningView(QLabel):
    """A QLabel (objectName ``reliabilityWarning``) with the reasons a run is not to be trusted.

    `show_result` is called with every finished run: the label is visible exactly when that
    run was noisy (engine.reliability), and its text lists the reasons in plain words.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reliabilityWarning")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAccessibleName("Warning about the last run's numbers")
        self.setFrameShape(QLabel.Shape.StyledPanel)
        self.setVisible(False)
        self._noisy = False

    @property
    def noisy(self) -> bool:
        """Whether the last finished run was noisy (independent of the window being shown)."""
        return self._noisy

    def show_result(self, result: RunResult) -> None:
        """Show or hide the warning for the run that just finished."""
        reliability = result.reliability
        self._noisy = reliability is not None and reliability.noisy
        if self._noisy and reliability is not None:
            reasons = "\n".join(f"• {reason}." for reason in reliability.reasons)
            self.setText(f"⚠ Do not trust the numbers of {result.config.label()} yet:\n{reasons}")
        else:
            self.clear()
        self.setVisible(self._noisy)


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
