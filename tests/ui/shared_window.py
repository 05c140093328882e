"""One main window shared by the tests of a module that only look at it, reset between them.

Building, showing and closing a main window costs ~0.5-0.7 CPU-s; about half the UI tests only
read what a fresh window shows (names, texts, keys, tabs, dialogs). Those take `shared_window`
(tests/ui/conftest.py) instead of `window`. A test that feeds made-up results straight to the
results table, the charts and the warning (no run) is marked `shared_window(results=True)`:
`clear_results` takes them away again. A test that runs an experiment or checks what is saved
or restored keeps a fresh `window`: `WindowState` lists what the reset restores and what it only
checks, so a test that changes more fails instead of leaking it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from fake_results import chart_result
from PySide6.QtCore import QByteArray, QEvent, QEventLoop, QSize, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QScrollArea, QWidget

from tutor.models.run_settings import PanelState
from tutor.ui.charts.chart_base import FULL_TITLE, set_plot_title
from tutor.ui.charts.interpreter_chart import InterpreterChartView
from tutor.ui.shell.main_window import MainWindow

SHARED_SIZE = QSize(1280, 800)  # what a window opens at with no saved geometry


@dataclass(frozen=True)
class WindowState:
    """What a looking test may change (all restored by `reset`) and what it must not (checked).

    Restored: zoom (percent), size (pixels), the splitters, the bottom tab in front, the run
    settings, open dialogs, the status bar message, the scroll positions; after
    `clear_results`, the results, the warning, the Amdahl line, the timeline, the run status
    and the lines of height those two keep. Checked only: no experiment running, the
    application palette (light or dark), the window shown.
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
    warning: tuple[bool, str]  # shown, text
    amdahl: tuple[bool, str]  # shown, text
    timeline: tuple[str, str]  # title, summary
    run_status: str
    prediction: tuple[bool, str]  # the verdict under the Run buttons: shown, text
    # Whether the warning and the Amdahl line hold their place while hidden (they do from
    # their first showing on): a held place takes height from the charts.
    kept_space: tuple[bool, bool]
    # The lines of height the run status and the Amdahl line keep (they never shrink back:
    # tutor/ui/widgets/folded_label.py); `clear_results` forgets them, `reset` does not.
    kept_lines: tuple[int, int]
    # Restored, not compared: a resize moves the splitters in proportion, and scroll ranges
    # follow the layout (`reachable` in tests/ui/test_layout_fit.py scrolls the areas).
    splitters: tuple[QByteArray, QByteArray] = field(compare=False)
    scrolled: tuple[tuple[int, int], ...] = field(compare=False)

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
            warning=(window.reliability_warning.isVisible(), window.reliability_warning.text()),
            amdahl=(window.amdahl_summary.isVisible(), window.amdahl_summary.text()),
            timeline=(
                window.timeline_chart.property(FULL_TITLE) or "",
                window.timeline_chart.summary_text(),
            ),
            run_status=window.run_panel.run_status.text(),
            prediction=(
                not window.run_panel.prediction_result.isHidden(),
                window.run_panel.prediction_result.text(),
            ),
            kept_space=(
                window.reliability_warning.sizePolicy().retainSizeWhenHidden(),
                window.amdahl_summary.sizePolicy().retainSizeWhenHidden(),
            ),
            kept_lines=(
                window.run_panel.run_status.kept_lines(),
                window.amdahl_summary.kept_lines(),
            ),
            splitters=(window.main_splitter.saveState(), window.right_splitter.saveState()),
            scrolled=tuple(
                (area.horizontalScrollBar().value(), area.verticalScrollBar().value())
                for area in window.findChildren(QScrollArea)
            ),
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


def clear_results(window: MainWindow, before: WindowState) -> None:
    """Take away results fed straight to the widgets (no run): the table's rows, both charts'
    points and bars, the warning and the Amdahl line (places held again as `before`), the
    timeline's title, the run status and the prediction's verdict, and the Other Pythons chart
    (not the time breakdown's charts: a chunk-size legend once kept a taller wrap afterwards)."""
    window.results_table.clear()
    window.timing_chart.clear()  # which hides the Amdahl line (no fit, no advice)
    window.timeline_chart.clear()
    if (window.timeline_chart.property(FULL_TITLE) or "") != before.timeline[0]:
        set_plot_title(window.timeline_chart, before.timeline[0])
    window.reliability_warning.show_result(chart_result("processes", 2, 1.0, 1.0))  # not noisy
    for widget, kept in zip(
        (window.reliability_warning, window.amdahl_summary), before.kept_space, strict=True
    ):
        policy = widget.sizePolicy()
        policy.setRetainSizeWhenHidden(kept)
        widget.setSizePolicy(policy)
    window.run_panel.run_status.setText(before.run_status)
    window.run_panel.prediction_result.setText(before.prediction[1])
    window.run_panel.prediction_result.setVisible(before.prediction[0])
    # The Other Pythons chart, if a test built its tab (building is not undone).
    for chart in window.findChildren(InterpreterChartView):
        chart.clear()
    for label in (window.run_panel.run_status, window.amdahl_summary):
        label.forget_kept_lines()  # the height of a long status or a wrapped Amdahl line


def reset(window: MainWindow, before: WindowState) -> None:
    """Put back what a looking test may change: dialogs, zoom, size, tab, settings, message."""
    for dialog in window.findChildren(QDialog):
        if dialog.isVisible():
            dialog.close()
    window.menus.zoom.set_percent(before.zoom)
    window.resize(*before.size)
    window.main_splitter.restoreState(before.splitters[0])
    window.right_splitter.restoreState(before.splitters[1])
    for area, (x, y) in zip(window.findChildren(QScrollArea), before.scrolled, strict=False):
        area.horizontalScrollBar().setValue(x)
        area.verticalScrollBar().setValue(y)
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
