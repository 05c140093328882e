"""Driving the real main window from tests: keys, spin boxes, file dialogs, runs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QSpinBox, QWidget

RUN_TIMEOUT_MS = 90_000


class ResizeLog(QObject):
    """Every size (px) each of `widgets` is resized to from now on, in order."""

    def __init__(self, widgets: list[QWidget]) -> None:
        super().__init__()
        self.sizes: dict[QWidget, list[QSize]] = {widget: [] for widget in widgets}
        for widget in widgets:
            widget.installEventFilter(self)

    def heights_of(self, widget: QWidget) -> list[int]:
        return [size.height() for size in self.sizes[widget]]

    @property
    def widths(self) -> set[int]:
        """Every width any of the widgets was resized to."""
        return {size.width() for sizes in self.sizes.values() for size in sizes}

    @property
    def heights(self) -> set[int]:
        """Every height any of the widgets was resized to."""
        return {size.height() for sizes in self.sizes.values() for size in sizes}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize and watched in self.sizes:
            self.sizes[watched].append(event.size())
        return False


def show_window(qtbot, window) -> None:
    """Show the window and make it the active one, as on a desktop (window-wide keys need it)."""
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    activate_window(qtbot, window)


def activate_window(qtbot, window) -> None:
    """Make a shown window the active one (window-wide keys need it)."""
    window.activateWindow()
    # A dialog the window opens at once (e.g. a settings warning) may hold the focus instead.
    qtbot.waitUntil(
        lambda: (
            window.isActiveWindow() or QApplication.activeWindow() in window.findChildren(QWidget)
        ),
        timeout=5000,
    )


def wait_for_stable_layout(qtbot, window, timeout: int = 10_000) -> None:
    """Wait until the queued layout passes have run: every shown widget's place in the window
    (px) reads the same three times in a row, event-loop turns apart (a column's division and
    a chart's relayout come on later turns than the resize that asks for them)."""
    seen: list[list[QRect]] = []

    def places() -> list[QRect]:
        # QWidget's own methods: a panel may name an attribute `size` (its size spin box).
        return [
            QRect(QWidget.mapTo(widget, window, QPoint(0, 0)), QWidget.size(widget))
            for widget in window.findChildren(QWidget)
            if QWidget.isVisible(widget)
        ]

    def stable() -> bool:
        seen.append(places())
        return len(seen) >= 3 and seen[-1] == seen[-2] == seen[-3]

    qtbot.waitUntil(stable, timeout=timeout)


def let_the_event_loop_turn(qtbot, turns: int = 1) -> None:
    """Let the event loop go round `turns` times: each time a zero-interval timer is queued
    and waited for, so every call already queued for that turn (a posted notice, a redraw's
    next slice) has run. How a test shows that something did *not* happen, without a sleep."""
    for _ in range(turns):
        with qtbot.waitCallback(timeout=10_000) as turned:
            QTimer.singleShot(0, turned)


def wait_until_settled(qtbot, window, timeout: int = 10_000) -> None:
    """Wait until the window has shown the last batch whole: no view step queued and no
    lesson colours held back for after the run (as tests/perf/ui_perf/runs.py `settled`)."""
    qtbot.waitUntil(
        lambda: window.view_steps.pending == 0 and not window.lesson_panel.view().colours_held(),
        timeout=timeout,
    )
    let_the_event_loop_turn(qtbot)


def set_spin(qtbot, spin: QSpinBox, value: int) -> None:
    """Type a value as a learner would: select all, type, Enter."""
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(spin, str(value))
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert spin.value() == value


def small_process_run(qtbot, window, size: int = 10_000, workers: int = 2) -> None:
    """A sequential baseline and one short process run, started with the Run button."""
    panel = window.run_panel
    set_spin(qtbot, panel.workload_size, size)
    set_spin(qtbot, panel.worker_count, workers)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(panel.run_processes_button, Qt.MouseButton.LeftButton)


def open_dialog(qtbot, window, name: str) -> QFileDialog:
    qtbot.waitUntil(lambda: window.findChild(QFileDialog, name) is not None, timeout=30_000)
    dialog = window.findChild(QFileDialog, name)
    qtbot.waitUntil(dialog.isVisible, timeout=30_000)
    return dialog


def type_path_and_accept(qtbot, dialog: QFileDialog, path: Path) -> None:
    """Fill in the dialog's file name field and press Enter.

    (setText rather than typed keys: typing opens the completer's popup, which takes the Enter.)
    """
    edit = dialog.findChild(QLineEdit, "fileNameEdit")
    edit.setFocus()
    edit.setText(str(path))
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def close_mid_run(qtbot, window) -> None:
    """Close the window while a run goes: it asks first; confirm as a learner would."""
    from PySide6.QtWidgets import QMessageBox, QPushButton

    window.close()
    qtbot.waitUntil(
        lambda: (
            (box := window.findChild(QMessageBox, "quitConfirmDialog")) is not None
            and box.isVisible()
        ),
        timeout=10_000,
    )
    assert window.isVisible()  # not closed yet: the learner was asked
    button = window.findChild(QPushButton, "quitConfirmButton")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
