"""Accessibility: every control a learner can reach has a name; every chart says what it shows."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)
from window_helpers import small_process_run

INTERACTIVE = (
    QAbstractButton,
    QComboBox,
    QAbstractSpinBox,
    QLineEdit,
    QAbstractItemView,
    QTextEdit,
    QPlainTextEdit,
    QAbstractSlider,
    pg.GraphicsView,  # the charts
)


def accessible_name(widget: QWidget) -> str:
    """The name a screen reader announces (set explicitly, or from the text or buddy label)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    name = interface.text(QAccessible.Text.Name) if interface is not None else ""
    return (name or widget.accessibleName()).strip()


def is_part_of_another_control(widget: QWidget) -> bool:
    """Inner pieces that a screen reader reaches through their control (the line edit of a spin
    box, a table's header, a view's scroll bars)."""
    if isinstance(widget, QHeaderView | QScrollBar):
        return True
    parent = widget.parentWidget()
    return isinstance(widget, QLineEdit) and isinstance(parent, QAbstractSpinBox | QComboBox)


def visible_controls(top: QWidget) -> list[QWidget]:
    return [
        widget
        for widget in top.findChildren(QWidget)
        if isinstance(widget, INTERACTIVE)
        and widget.isVisible()
        and widget.window() is top
        and not is_part_of_another_control(widget)
    ]


def unnamed_controls(top: QWidget) -> list[str]:
    return [
        f"{type(widget).__name__} {widget.objectName()!r}"
        for widget in visible_controls(top)
        if not accessible_name(widget)
    ]


def every_tab(window):
    """Each page of every tab widget in turn (controls on hidden pages are not visible)."""
    for tabs in window.findChildren(QTabWidget):
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            QApplication.processEvents()
            yield f"{tabs.objectName()}:{tabs.tabText(index)}"


@pytest.mark.shared_window
def test_every_visible_control_has_an_accessible_name(qtbot, window):
    missing = {"main": unnamed_controls(window)}
    walked = {w.objectName() for w in visible_controls(window)}
    for page in every_tab(window):
        missing[page] = unnamed_controls(window)
        walked |= {w.objectName() for w in visible_controls(window)}
    assert {page: names for page, names in missing.items() if names} == {}
    # The walk really reaches the controls: those of the UI contract, and the rest.
    assert {
        "lessonView",
        "lessonOutline",
        "workloadChoice",
        "workloadSize",
        "workerCount",
        "startMethod",
        "runProcessesButton",
        "cancelButton",
        "chartMetric",
        "timingChart",
        "timelineChart",
        "resultsTable",
        "quizButton",
        "saveReportButton",
        # one control of each experiment tab, built when its tab is first shown
        "codeEditor",
        "chunkSizeSweepButton",
        "interpreterChoice",
        "compareStartMethodsButton",
    } <= walked


@pytest.mark.shared_window
def test_dialogs_name_their_controls(qtbot, window):
    window.menus.actions["quizAction"].trigger()
    window.menus.actions["shortcutsAction"].trigger()
    for name in ("QuizDialog", "shortcutsDialog"):
        dialog = window.findChild(QDialog, name)
        assert dialog.isVisible() and dialog.accessibleName(), name
        assert unnamed_controls(dialog) == [], name


@pytest.mark.shared_window
def test_menus_name_every_action(window):
    window.menus.chart_menu.aboutToShow.emit()  # the chart entries are made as it opens
    assert window.menus.chart_menu.actions()
    for menu in window.menuBar().findChildren(type(window.menus.chart_menu)):
        for action in menu.actions():
            assert action.isSeparator() or action.text().strip(), menu.objectName()


def test_charts_describe_themselves_and_keep_the_description_current(qtbot, window):
    window.build_all_tabs()  # the experiments' charts too, whether or not a tab was opened
    charts = [c for c in window.findChildren(pg.PlotWidget) if hasattr(c, "summary_text")]
    assert window.timing_chart in charts and window.timeline_chart in charts
    before = {chart: chart.accessibleDescription() for chart in charts}
    for chart in charts:
        assert chart.accessibleName(), chart.objectName()
        assert chart.accessibleDescription() == chart.summary_text(), chart.objectName()

    small_process_run(qtbot, window)
    for chart in charts:
        assert chart.accessibleDescription() == chart.summary_text(), chart.objectName()
    for chart in (window.timing_chart, window.timeline_chart):
        assert chart.accessibleDescription() != before[chart], chart.objectName()
        interface = QAccessible.queryAccessibleInterface(chart)
        assert interface.text(QAccessible.Text.Description) == chart.summary_text()
    assert "Processes: 2 workers" in window.timing_chart.accessibleDescription()

    window.chart_metric.setCurrentIndex(window.chart_metric.findData("speedup"))
    assert "speedup" in window.timing_chart.accessibleDescription()
    assert window.timing_chart.accessibleDescription() == window.timing_chart.summary_text()
