"""A finished run is shown in small steps, one per event-loop turn, and the batch ends after.

Showing a run at once held the window 95-190 ms (results row, charts, fit, legend): now each
view updates in a turn of its own (tutor/ui/shell/idle_steps.py). What a learner or a test
waiting for `batch_finished` sees must not change: every view shows the batch by then.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from window_helpers import RUN_TIMEOUT_MS

from tutor.engine.records import RunResult
from tutor.ui.shell.idle_steps import IdleSteps


def test_steps_run_in_order_each_in_its_own_turn_with_input_between(qtbot):
    steps = IdleSteps()
    seen: list[str] = []

    def row() -> None:
        seen.append("row")
        # Something posted while a step runs (a click, a repaint) comes before the next step.
        QTimer.singleShot(0, lambda: seen.append("input"))

    steps.add(row)
    for name in ("chart", "summary"):
        steps.add(lambda name=name: seen.append(name))
    QTimer.singleShot(0, lambda: seen.append("posted first"))  # and so does what waits now
    qtbot.waitUntil(lambda: steps.pending == 0 and len(seen) == 5, timeout=10_000)
    assert seen == ["posted first", "row", "input", "chart", "summary"]


def test_a_step_queued_again_under_its_key_runs_once_with_the_newest_work(qtbot):
    steps = IdleSteps()
    seen: list[str] = []
    steps.add(lambda: seen.append("row 1"))
    steps.add(lambda: seen.append("chart after 1"), key="chart")
    steps.add(lambda: seen.append("row 2"))
    steps.add(lambda: seen.append("chart after 2"), key="chart")
    done: list[bool] = []
    steps.when_idle(lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    assert seen == ["row 1", "chart after 2", "row 2"]
    steps.when_idle(lambda: done.append(True))  # nothing queued: called at once
    assert done == [True, True]


def test_a_failing_step_does_not_stop_the_ones_after_it(qtbot):
    steps = IdleSteps()
    seen: list[str] = []

    def broken() -> None:
        raise RuntimeError("a view failed")

    steps.add(broken)
    steps.add(lambda: seen.append("after"))
    done: list[bool] = []
    steps.when_idle(lambda: done.append(True))
    with qtbot.captureExceptions() as raised:
        qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    assert seen == ["after"]
    assert [type(e[1]) for e in raised] == [RuntimeError]


def test_every_view_shows_the_batch_when_it_ends_and_not_before(qtbot, window):
    panel = window.run_panel
    panel.workload_size.setValue(20_000)
    panel.worker_count.setValue(2)
    panel.process_api.setCurrentIndex(panel.process_api.findData("processes"))
    results: list[RunResult] = []
    rows_at_finish: list[int] = []
    busy_at_end: list[bool] = []
    controller = window.controller
    controller.run_finished.connect(results.append)
    # When a run_finished arrives its row is not in the table yet: it comes in a later turn.
    controller.run_finished.connect(
        lambda _r: rows_at_finish.append(window.results_table.row_count())
    )
    controller.batch_finished.connect(lambda: busy_at_end.append(controller.busy))
    with qtbot.waitSignal(controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(panel.run_processes_button, Qt.MouseButton.LeftButton)

    assert [r.config.mode for r in results] == ["sequential", "processes"]
    assert rows_at_finish == [0, 1]
    assert busy_at_end == [False]
    # By batch_finished: the table has both rows, the timing chart both points, the timeline
    # the last run, and the window waits for nothing more.
    assert window.results_table.row_count() == 2
    assert window.results_table.results_model().result_at(1) is results[1]
    chart = window.timing_chart
    assert chart.baseline_s() == results[0].wall_s
    assert chart.series_points("processes") == [(2, results[1].wall_s)]
    assert window.timeline_chart.bar_count() == len(results[1].chunks)
    assert window.view_steps.pending == 0
    assert window.reliability_warning.isVisible() == bool(
        results[1].reliability and results[1].reliability.noisy
    )
    assert panel.run_processes_button.isEnabled()


def test_a_result_that_arrives_before_the_last_ones_steps_finds_its_row_in_the_table(qtbot, window):
    """The steps take turns as timers, so the controller's next result can arrive before the
    last one's steps ran (short runs, a busy window): the last run's row is in first."""
    panel = window.run_panel
    panel.workload_size.setValue(20_000)
    panel.worker_count.setValue(2)
    controller = window.controller
    results: list[RunResult] = []
    controller.run_finished.connect(results.append)
    with qtbot.waitSignal(controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(panel.run_processes_button, Qt.MouseButton.LeftButton)
    table = window.results_table
    assert table.row_count() == 2
    rows_at_finish: list[int] = []
    controller.run_finished.connect(lambda _r: rows_at_finish.append(table.row_count()))
    # Both results in one turn, as when their signals were queued together.
    controller.run_finished.emit(results[0])
    controller.run_finished.emit(results[1])
    assert rows_at_finish == [2, 3]
    qtbot.waitUntil(lambda: window.view_steps.pending == 0, timeout=10_000)
    assert table.row_count() == 4
    assert table.results_model().result_at(3) is results[1]  # and in their order


def test_a_held_chart_waits_for_the_last_step_and_then_paints_once(qtbot):
    """Several steps change the same chart: it is painted once, after the last of them, with
    all their changes (each repaint of a chart in between cost 5-25 ms)."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QLabel

    chart = QLabel("before")
    qtbot.addWidget(chart)
    chart.show()
    qtbot.waitExposed(chart)
    paints: list[str] = []

    class PaintSpy(QObject):
        def eventFilter(self, watched, event):  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint:
                paints.append(chart.text())
            return False

    spy = PaintSpy()
    chart.installEventFilter(spy)
    qtbot.waitUntil(lambda: bool(paints))  # its first paint, as shown
    paints.clear()
    steps = IdleSteps()
    states: list[bool] = []
    for text in ("one", "two", "three"):
        steps.add(lambda text=text: (chart.setText(text), states.append(chart.updatesEnabled())))
    steps.hold_painting(chart)
    done: list[bool] = []
    steps.when_idle(lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done) and bool(paints), timeout=10_000)
    assert states == [False, False, False]  # no paint between the steps
    assert chart.updatesEnabled()
    assert paints[0] == "three" and set(paints) == {"three"}  # it shows all the changes
    steps.hold_painting(chart)  # nothing queued: nothing is held
    assert chart.updatesEnabled()
