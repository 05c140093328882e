"""One main window shared by the tests of a module that only look at it, reset between them.

Building, showing and closing a main window costs ~0.5-0.7 CPU-s; about half the UI tests only
read what a fresh window shows (names, texts, keys, tabs, dialogs). Those take `shared_window`
(tests/ui/conftest.py) instead of `window`. A test that runs an experiment, feeds results, or
checks what is saved or restored keeps a fresh `window`: `WindowState` lists what the reset
restores and what it only checks, so a test that changes more fails instead of leaking it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from PySide6.QtCore import QByteArray, QEvent, QEventLoop, QSize, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from tutor.models.run_settings import PanelState
from tutor.ui.shell.main_window import MainWindow

SHARED_SIZE = QSize(1280, 800)  # what a window opens at with no saved geometry


@dataclass(frozen=True)
class WindowState:
    """What a looking test may change (all restored by `reset`) and what it must not (checked).

    Restored: zoom (percent), size (pixels), the splitters, the bottom tab in front, the run
    settings, open dialogs, the status bar message. Checked only: no experiment running, no
    result shown, the application palette (light or dark), the window shown.
    """

    zoom: int
    size: tuple[int, int]
    tab: int
    settings: PanelState
    repeats: int
    busy: bool
    results: int
    timing_summary: str
    palette: str
    visible: bool
    # Restored, not compared: a resize moves the splitters in proportion.
    splitters: tuple[QByteArray, QByteArray] = field(compare=False)

    @classmethod
    def of(cls, window: MainWindow) -> WindowState:
        return cls(
            zoom=window.menus.zoom.percent(),
            size=(window.width(), window.height()),
            tab=window.bottom_tabs.currentIndex(),
            settings=window.run_settings.state(),
            repeats=window.run_panel.repeat_count.value(),
            busy=window.experiments.busy,
            results=window.results_table.model().rowCount(),
            timing_summary=window.timing_chart.summary_text(),
            palette=QApplication.palette().color(QPalette.ColorRole.Window).name(),
            visible=window.isVisible(),
            splitters=(window.main_splitter.saveState(), window.right_splitter.saveState()),
        )


def open_shared_window() -> MainWindow:
    """A new main window, shown at the default size (settings and idle build set by the caller)."""
    from tutor.app import create_main_window

    window = create_main_window()
    # As in conftest.make_window: one measurement per run.
    window.run_panel.repeat_count.setValue(1)
    window.resize(SHARED_SIZE)
    window.show()
    QTest.qWaitForWindowExposed(window)
    return window


def reset(window: MainWindow, before: WindowState) -> None:
    """Put back what a looking test may change: dialogs, zoom, size, tab, settings, message."""
    for dialog in window.findChildren(QDialog):
        if dialog.isVisible():
            dialog.close()
    window.menus.zoom.set_percent(before.zoom)
    window.resize(*before.size)
    window.main_splitter.restoreState(before.splitters[0])
    window.right_splitter.restoreState(before.splitters[1])
    window.bottom_tabs.setCurrentIndex(before.tab)
    window.run_settings.restore(before.settings)
    window.run_panel.repeat_count.setValue(before.repeats)
    window.statusBar().clearMessage()
    focus = QApplication.focusWidget()
    if isinstance(focus, QWidget) and focus.window() is not window:
        window.activateWindow()


def close_shared_window(window: MainWindow) -> None:
    """Close the window, let what it queued run (a resize queues layout passes for the next
    event-loop turn), then delete it: a queued pass must not find its widgets deleted."""
    window.close()
    for _ in range(2):  # what the queued passes queue in turn runs too
        ran: list[bool] = []
        QTimer.singleShot(0, lambda ran=ran: ran.append(True))
        deadline = time.monotonic() + 30
        while not ran and time.monotonic() < deadline:
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
