"""Other Pythons, in the real window: find them, run the comparison, see the curves."""

from __future__ import annotations

import pytest
from process_checks import run_children, wait_no_children
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QPushButton, QTextBrowser
from window_helpers import close_mid_run, set_spin

from tutor.app import create_main_window
from tutor.engine.interpreters import InterpreterInfo, current_interpreter
from tutor.engine.records import ChunkTiming, RunConfig, RunResult
from tutor.ui.charts.interpreter_chart import InterpreterChartView, series_name

TIMEOUT_MS = 120_000


def open_tab(qtbot, window):
    """Show the tab (which starts a scan) and wait for the scan to end."""
    panel = window.interpreters_panel
    with qtbot.waitSignal(window.interpreter_runs.interpreters_found, timeout=TIMEOUT_MS):
        window.show_tab(panel)
    qtbot.waitUntil(lambda: not window.interpreter_runs.scanning, timeout=10_000)
    return panel


def choose_other(panel) -> InterpreterInfo:
    others = [i for i in panel.interpreters() if i.supported and not i.is_current]
    if not others:
        pytest.skip("no Python 3.11+ besides the current one on this machine")
    assert panel.select_interpreter(others[0].path)
    return others[0]


def fake(mode: str, workers: int, wall: float, baseline: float = 1.0) -> RunResult:
    chunk = ChunkTiming(1, 1, 0, 10, 0.0, wall, wall)
    result = RunResult(RunConfig("primes", 100, mode, workers), 25, wall, 0.0, wall, (chunk,), 1)
    return RunResult(**{**vars(result), "baseline_s": baseline, "baseline_answer": 25})


def test_the_chart_adds_two_series_per_interpreter(qtbot):
    chart = InterpreterChartView()
    qtbot.addWidget(chart)
    free = InterpreterInfo("/x/python3.14t", "3.14.0", (3, 14, 0), "CPython", True, False)
    chart.add_results(free, (fake("threads", 1, 1.0), fake("processes", 1, 1.1)))
    chart.add_results(free, (fake("threads", 2, 0.52), fake("processes", 2, 0.6)))
    assert chart.series_names() == ["3.14.0t (GIL off) threads", "3.14.0t (GIL off) processes"]
    assert chart.series_points("3.14.0t (GIL off) threads") == [
        (1, pytest.approx(1.0)),
        (2, pytest.approx(1 / 0.52)),
    ]
    current = current_interpreter()
    chart.add_results(current, (fake("sequential", 1, 1.0), fake("threads", 1, 1.0)))
    assert series_name(current, "threads") in chart.series_names()
    assert "this one" in series_name(current, "threads")
    assert "GIL off" in chart.summary_text()
    chart.clear()
    assert chart.series_names() == []


@pytest.mark.shared_window
def test_the_tab_finds_interpreters_and_shows_the_free_threading_note(qtbot, window):
    panel = open_tab(qtbot, window)
    choice = window.findChild(QComboBox, "interpreterChoice")
    assert choice is panel.choice and choice.count() >= 1
    labels = [choice.itemText(i) for i in range(choice.count())]
    assert any("this Python" in label for label in labels)
    assert all(i.supported for i in panel.interpreters() if choice.findData(i.path) >= 0)
    note = window.findChild(QTextBrowser, "freeThreadingNote").toPlainText()
    assert "free-threaded" in note.lower() and "_is_gil_enabled" in note
    old = [i for i in panel.interpreters() if not i.supported]
    assert panel.too_old.isVisibleTo(panel) == bool(old)
    button = window.findChild(QPushButton, "runInterpreterButton")
    assert button.text().startswith("Run under Python") and button.isEnabled()


def test_running_under_another_python_adds_its_series_beside_this_one(qtbot, window):
    panel = open_tab(qtbot, window)
    other = choose_other(panel)
    set_spin(qtbot, panel.size, 20_000)
    set_spin(qtbot, panel.workers, 2)
    with qtbot.waitSignal(window.interpreter_runs.batch_finished, timeout=TIMEOUT_MS):
        qtbot.mouseClick(panel.run_button, Qt.LeftButton)
        assert not panel.run_button.isEnabled() and panel.cancel_button.isEnabled()
        # One experiment at a time: the run panel waits, its Cancel would stop this one.
        assert not window.run_panel.run_processes_button.isEnabled()
        assert window.run_panel.cancel_button.isEnabled()
        assert not window.time_breakdown.sweep_button.isEnabled()
        code = window.code_panel  # nor can the learner's own function start meanwhile
        assert not code.run_processes_button.isEnabled()
        assert not code.run_processes() and not window.controller.busy
    names = panel.chart.series_names()
    current = next(i for i in panel.interpreters() if i.is_current)
    for info in (current, other):
        for mode in ("threads", "processes"):
            name = series_name(info, mode)
            assert name in names
            assert [n for n, _ in panel.chart.series_points(name)] == [1, 2]
    assert panel.run_button.isEnabled() and not panel.cancel_button.isEnabled()
    assert window.run_panel.run_processes_button.isEnabled()
    assert window.code_panel.run_processes_button.isEnabled()
    assert "Done" in panel.status.text()
    # Same settings again: this Python is not measured twice.
    with qtbot.waitSignal(window.interpreter_runs.batch_finished, timeout=TIMEOUT_MS):
        qtbot.mouseClick(panel.run_button, Qt.LeftButton)
    assert len(panel.chart.interpreters()) == 2


def test_the_run_panels_cancel_button_stops_a_comparison(qtbot, window):
    panel = open_tab(qtbot, window)
    choose_other(panel)
    set_spin(qtbot, panel.size, 20_000_000)
    qtbot.mouseClick(panel.run_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: len(run_children()) >= 1, timeout=30_000)
    with qtbot.waitSignal(window.interpreter_runs.batch_finished, timeout=20_000):
        qtbot.mouseClick(window.run_panel.cancel_button, Qt.LeftButton)
    assert "Cancelled" in panel.status.text()
    assert wait_no_children() == []
    assert panel.run_button.isEnabled()


def test_a_run_of_the_run_panel_disables_the_interpreter_button(qtbot, window):
    panel = open_tab(qtbot, window)
    set_spin(qtbot, window.run_panel.workload_size, 20_000)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=TIMEOUT_MS):
        qtbot.mouseClick(window.run_panel.run_threads_button, Qt.LeftButton)
        assert not panel.run_button.isEnabled()
    assert panel.run_button.isEnabled()


def test_closing_the_window_mid_comparison_leaves_no_process(qtbot):
    window = create_main_window()
    qtbot.addWidget(window)
    window.show()
    panel = open_tab(qtbot, window)
    set_spin(qtbot, panel.size, 20_000_000)
    qtbot.mouseClick(panel.run_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: len(run_children()) >= 1, timeout=30_000)
    close_mid_run(qtbot, window)
    assert not window.interpreter_runs.busy
    assert wait_no_children() == []


RUN_ACTIONS = (
    "runSequentialAction",
    "runProcessesAction",
    "runThreadsAction",
    "sweepAction",
    "runAsyncioAction",
)


def run_actions_enabled(window) -> list[bool]:
    return [window.menus.actions[name].isEnabled() for name in RUN_ACTIONS]


def test_every_run_action_waits_while_other_pythons_run(qtbot, window):
    """The Run menu cannot start a run beside a comparison, any more than the buttons can."""
    panel = open_tab(qtbot, window)
    choose_other(panel)
    set_spin(qtbot, panel.size, 20_000_000)
    assert all(run_actions_enabled(window))
    qtbot.mouseClick(panel.run_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.interpreter_runs.busy, timeout=30_000)
    assert not any(run_actions_enabled(window))
    assert window.menus.actions["cancelAction"].isEnabled()
    with qtbot.waitSignal(window.interpreter_runs.batch_finished, timeout=TIMEOUT_MS):
        window.menus.actions["cancelAction"].trigger()
    assert all(run_actions_enabled(window))
    assert wait_no_children() == []


def test_usable_and_unusable_pythons_are_counted_apart(qtbot, window):
    """Issue #19: "Found 3 other interpreters" above a list of 5 unusable ones read as a
    contradiction; each line now says which kind it counts."""
    panel = window.interpreters_panel
    usable = [
        InterpreterInfo(f"/x/python3.{minor}", f"3.{minor}.0", (3, minor, 0), "CPython")
        for minor in (12, 13, 14)
    ]
    old = [
        InterpreterInfo(f"/y/python3.{minor}", f"3.{minor}.1", (3, minor, 1), "CPython")
        for minor in (6, 7, 8, 9, 10)
    ]
    panel.set_interpreters((current_interpreter(), *usable, *old))
    status, too_old = panel.status.text(), panel.too_old.text()
    assert "3 other Pythons" in status and "you can measure" in status
    assert "5 other Pythons" in too_old and "cannot use" in too_old
    assert all(i.short_label in too_old for i in old)
    panel.set_interpreters((current_interpreter(), usable[0], old[0]))
    assert "1 other Python " in panel.status.text()
    assert "1 other Python " in panel.too_old.text()
