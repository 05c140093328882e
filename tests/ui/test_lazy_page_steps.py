"""The experiment tabs are built in small steps when idle, and nothing is lost between steps.

Building a whole tab in one event-loop turn stalled the window (a learner's click waited for
it); the idle build now does one step per turn: an import, one chart, the panel, placing it,
announcing it. These tests check what that must not change: every tab ends up built and
complete, a tab asked for mid-build is finished at once, and a run that ends while a tab is
half-built still reaches it.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget
from window_helpers import RUN_TIMEOUT_MS, set_spin

from tutor.ui.charts.breakdown_chart import BreakdownChartView
from tutor.ui.charts.chunk_size_chart import ChunkSizeChartView
from tutor.ui.charts.interpreter_chart import InterpreterChartView
from tutor.ui.panels.start_method_panel import StartMethodChartView
from tutor.ui.shell import main_window
from tutor.ui.shell.lazy_page import LazyPage


def stepped_page(made: list[str]) -> LazyPage:
    def build():
        made.append("first")
        yield
        made.append("second")
        yield
        label = QLabel("the panel", objectName="steppedPanel")
        made.append("panel")
        return label

    return LazyPage(build, "steppedPage")


def test_a_stepped_page_builds_one_step_at_a_time(qtbot):
    made: list[str] = []
    page = stepped_page(made)
    qtbot.addWidget(page)
    announced: list[QWidget] = []
    page.built.connect(announced.append)
    results = []
    while not page.build_step():
        results.append((list(made), page.is_built, len(announced)))
    assert results == [
        (["first"], False, 0),
        (["first", "second"], False, 0),
        (["first", "second", "panel"], False, 0),  # made, not yet in the page
        (["first", "second", "panel"], True, 0),  # placed, not yet announced
    ]
    assert [panel.objectName() for panel in announced] == ["steppedPanel"]
    assert page.panel() is announced[0]
    assert page.build_step() and len(announced) == 1  # nothing more, ever
    assert made == ["first", "second", "panel"]


def test_a_page_asked_for_midway_is_finished_at_once(qtbot):
    made: list[str] = []
    page = stepped_page(made)
    qtbot.addWidget(page)
    announced: list[QWidget] = []
    page.built.connect(announced.append)
    page.build_step()
    panel = page.panel()
    assert isinstance(panel, QLabel) and panel.text() == "the panel"
    assert made == ["first", "second", "panel"] and announced == [panel]
    assert page.findChild(QLabel, "steppedPanel") is panel  # inside the page, in its scroll area


def test_a_plain_build_function_still_works(qtbot):
    page = LazyPage(lambda: QLabel("plain", objectName="plainPanel"), "plainPage")
    qtbot.addWidget(page)
    assert not page.is_built
    assert page.panel().text() == "plain"
    assert page.is_built and page.build_step()


@pytest.mark.idle_build
def test_the_idle_build_makes_every_tab_with_its_charts(qtbot, window):
    qtbot.waitUntil(
        lambda: all(page.is_built for page in window.findChildren(LazyPage)), timeout=60_000
    )
    # Each tab's charts were made in steps of their own, and are the ones in the panels.
    assert isinstance(window.time_breakdown.breakdown_chart, BreakdownChartView)
    assert isinstance(window.time_breakdown.chunk_size_chart, ChunkSizeChartView)
    assert isinstance(window.interpreters_panel.chart, InterpreterChartView)
    assert isinstance(window.start_method_panel.chart, StartMethodChartView)
    for chart in (
        window.time_breakdown.breakdown_chart,
        window.time_breakdown.chunk_size_chart,
        window.interpreters_panel.chart,
        window.start_method_panel.chart,
    ):
        assert window.isAncestorOf(chart)
    assert window.exercises_panel.findChildren(QWidget)
    assert window.code_panel.editor.toPlainText()


def test_a_run_ending_while_the_breakdown_tab_is_half_built_reaches_it(
    qtbot, make_window, monkeypatch
):
    monkeypatch.setattr(main_window, "IDLE_BUILD_DELAY_MS", 600_000)  # steps by hand below
    window = make_window()
    page = window.findChild(LazyPage, "timeBreakdownPage")
    for _ in range(4):  # its imports and its first chart: made, but no panel yet
        assert not page.build_step()
    assert not page.is_built
    panel = window.run_panel
    set_spin(qtbot, panel.workload_size, 10_000)
    set_spin(qtbot, panel.worker_count, 2)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(panel.run_processes_button, Qt.MouseButton.LeftButton)
    while not page.build_step():
        pass
    assert window.time_breakdown.breakdown_chart.bar_count() == 1  # the process run
    # A second run reaches the finished tab directly, once.
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(panel.run_processes_button, Qt.MouseButton.LeftButton)
    assert window.time_breakdown.breakdown_chart.bar_count() == 2
