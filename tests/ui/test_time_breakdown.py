"""Where the time goes, in the real window: breakdown bars, the chunk-size control and sweep."""

from __future__ import annotations

import math

import pytest
from process_checks import wait_no_children
from PySide6.QtCore import QPoint, QPointF
from PySide6.QtWidgets import QPushButton, QSpinBox, QToolTip
from window_helpers import click, set_spin

from tutor.analysis.breakdown import CHUNK_SIZES, TimeBreakdown
from tutor.engine.records import ChunkTiming, RunConfig, RunResult
from tutor.ui.charts.breakdown_chart import MAX_BARS, SEGMENT_TIPS, BreakdownChartView
from tutor.ui.charts.chunk_size_chart import ChunkSizeChartView

RUN_TIMEOUT_MS = 90_000


def fake_result(mode="processes", workers=2, wall=1.0) -> RunResult:
    chunks = (
        ChunkTiming(11, 11, 0, 10, 0.2, 0.6, 0.4, 0.19, 0.62),
        ChunkTiming(12, 12, 1, 10, 0.3, 0.8, 0.5, 0.29, 0.81),
    )
    return RunResult(RunConfig("primes", 100, mode, workers), 25, wall, 0.2, 0.6, chunks, 2)


# --------------------------------------------------------------------------- the views alone
def test_the_breakdown_chart_draws_one_stacked_bar_per_process_run(qtbot):
    chart = BreakdownChartView()
    qtbot.addWidget(chart)
    assert chart.bar_count() == 0 and "No process runs" in chart.summary_text()
    assert not chart.add_result(fake_result(mode="threads"))
    assert not chart.add_result(fake_result(mode="sequential", workers=1))
    assert chart.add_result(fake_result())
    assert chart.add_result(fake_result(mode="executor", wall=2.0))
    assert chart.bar_count() == 2
    # The four pieces of a bar touch end to end and reach the run's wall time.
    pieces = sorted(
        rect
        for name in ("startup", "transfer", "compute", "other")
        for rect in chart.segment_rects(name)
        if rect[1] < 0.5  # the first bar
    )
    assert pieces[0][0] == 0.0
    for left, right in zip(pieces, pieces[1:], strict=False):
        assert right[0] == pytest.approx(left[2])
    assert pieces[-1][2] == pytest.approx(1.0)
    title, breakdown = chart.breakdowns()[1]
    assert title.startswith("Executor × 2") and isinstance(breakdown, TimeBreakdown)
    assert "pool start-up" in chart.tooltip_at(0.0)
    assert chart.tooltip_at(0.5) == ""  # between the bars
    assert "Executor × 2" in chart.accessibleDescription()
    for _ in range(MAX_BARS + 3):
        chart.add_result(fake_result())
    assert chart.bar_count() == MAX_BARS
    chart.clear()
    assert chart.bar_count() == 0


def test_hovering_a_breakdown_bar_shows_what_its_pieces_were(qtbot):
    chart = BreakdownChartView()
    qtbot.addWidget(chart)
    chart.resize(600, 300)
    chart.add_result(fake_result())
    chart.show()
    qtbot.waitExposed(chart)
    view_box = chart.getPlotItem().getViewBox()
    on_bar = chart.mapFromScene(view_box.mapViewToScene(QPointF(0.5, 0.0)))
    moves = iter(range(1_000_000))

    def hovered() -> bool:
        # A synthetic move right after another can be dropped: move again, a pixel apart.
        qtbot.mouseMove(chart.viewport(), QPoint(on_bar.x() + next(moves) % 3, on_bar.y()))
        return chart.hover_text() != ""

    qtbot.waitUntil(hovered, timeout=30_000)
    assert chart.hover_text() == chart.tooltip_at(0.0)
    assert QToolTip.text() == chart.hover_text()


def test_the_chunk_size_chart_plots_time_on_a_log_axis(qtbot):
    chart = ChunkSizeChartView()
    qtbot.addWidget(chart)
    for size, wall in zip(CHUNK_SIZES, (3.0, 1.0, 0.5, 0.3, 0.3, 0.35), strict=True):
        chart.add_point(size, fake_result(wall=wall))
    assert [p[0] for p in chart.points()] == list(CHUNK_SIZES)
    assert len(chart.transfer_points()) == 6
    assert chart.getPlotItem().getAxis("bottom").logMode
    assert "Fastest at 64 items per chunk" in chart.summary_text()


# --------------------------------------------------------------------------- in the window
@pytest.mark.shared_window
def test_the_tab_and_its_controls_are_there(window):
    panel = window.time_breakdown
    assert window.findChild(QPushButton, "chunkSizeSweepButton") is panel.sweep_button
    assert window.findChild(QSpinBox, "chunkSizeChoice") is panel.chunk_size
    assert window.findChild(BreakdownChartView, "breakdownChart") is panel.breakdown_chart
    assert window.findChild(ChunkSizeChartView, "chunkSizeChart") is panel.chunk_size_chart
    tabs = [window.bottom_tabs.tabText(i) for i in range(window.bottom_tabs.count())]
    assert "Where the time &goes" in tabs


@pytest.mark.shared_window
def test_items_per_chunk_and_the_run_panels_chunk_count_stay_in_step(qtbot, window):
    run_panel, panel = window.run_panel, window.time_breakdown
    set_spin(qtbot, run_panel.workload_size, 100_000)
    set_spin(qtbot, panel.chunk_size, 16)
    assert run_panel.chunk_count.value() == math.ceil(100_001 / 16)
    assert "6,251 chunks" in panel.chunk_info.text()
    set_spin(qtbot, run_panel.workload_size, 200_000)  # N changes: the size is kept
    assert run_panel.chunk_count.value() == math.ceil(200_001 / 16)
    set_spin(qtbot, run_panel.chunk_count, 40)  # a count typed in the run panel
    assert panel.chunk_size.value() == math.ceil(200_001 / 40)
    set_spin(qtbot, panel.chunk_size, 0)
    assert run_panel.chunk_count.value() == 0 and panel.chunk_size.text() == "auto"
    set_spin(qtbot, panel.chunk_size, 1)  # more chunks than the engine allows: capped
    assert run_panel.chunk_count.value() == run_panel.chunk_count.maximum()
    assert "the most the engine allows" in panel.chunk_info.text()


def test_a_process_run_adds_a_breakdown_bar(qtbot, window):
    run_panel = window.run_panel
    set_spin(qtbot, run_panel.workload_size, 300_000)
    set_spin(qtbot, run_panel.worker_count, 2)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        click(qtbot, run_panel.run_processes_button)
    chart = window.time_breakdown.breakdown_chart
    assert chart.bar_count() == 1  # the sequential baseline gets no bar
    result = window.results_table.results_model().result_at(1)
    title, breakdown = chart.breakdowns()[0]
    assert title == f"Pool × 2 · {result.chunk_count} chunks"
    assert breakdown.wall_s == pytest.approx(result.wall_s)
    assert min(breakdown.as_tuple()) >= 0 and breakdown.startup_s > 0
    # The bar shows the work and its four parts fill the run. (Which part is biggest depends on
    # what else the machine does: beside other programs, waiting can outgrow the work.)
    assert breakdown.compute_s > 0
    assert sum(breakdown.as_tuple()) == pytest.approx(result.wall_s)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        click(qtbot, run_panel.run_threads_button)
    assert chart.bar_count() == 1  # threads are not a process run


def test_try_chunk_sizes_plots_six_points(qtbot, window):
    run_panel, panel = window.run_panel, window.time_breakdown
    set_spin(qtbot, run_panel.worker_count, 2)
    set_spin(qtbot, panel.sweep_size, 5_000)
    rows_before = window.results_table.row_count()
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS * 2):
        click(qtbot, panel.sweep_button)
        assert not panel.sweep_button.isEnabled()
        assert not run_panel.run_processes_button.isEnabled()
        assert window.current_tab() is panel
    points = panel.chunk_size_chart.points()
    said = (run_panel.run_status.text(), run_panel.error_label.text(), panel.sweep_status.text())
    assert [size for size, _ in points] == [1, 4, 16, 64, 256, 1024], said
    assert all(wall > 0 for _, wall in points)
    assert window.results_table.row_count() == rows_before + 6  # no sequential baseline
    model = window.results_table.results_model()
    results = [model.result_at(rows_before + i) for i in range(6)]
    assert [r.chunk_count for r in results] == [5_001, 1_251, 313, 79, 20, 5]
    assert all(r.answer == 669 for r in results)  # primes up to 5,000
    # One item per chunk pays the per-task overhead thousands of times.
    transfer = dict(panel.chunk_size_chart.transfer_points())
    assert transfer[1] > transfer[1024]
    assert "Fastest at" in panel.sweep_status.text()
    assert panel.sweep_button.isEnabled()
    assert panel.breakdown_chart.bar_count() == 6


def test_cancelling_the_sweep_says_so(qtbot, window):
    panel = window.time_breakdown
    set_spin(qtbot, panel.sweep_size, 400_000)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        click(qtbot, panel.sweep_button)
        qtbot.waitUntil(lambda: window.run_panel.run_progress.value() > 0, timeout=30_000)
        click(qtbot, window.run_panel.cancel_button)
    assert "Stopped" in panel.sweep_status.text()
    assert not panel.sweep_running()
    assert wait_no_children() == []


def test_the_breakdown_of_process_runs_never_blames_the_gil():
    # Only process runs get a bar, and each process has its own GIL.
    assert all("GIL" not in tip for tip in SEGMENT_TIPS.values())


def test_the_chunk_size_sweep_uses_its_own_workload_and_leaves_the_main_chart(qtbot, window):
    # Issue #19: with "Wait 1 ms per item" selected the sweep ran ~80 s and showed no transfer
    # cost, and it wiped the learner's timing chart.
    run_panel, panel = window.run_panel, window.time_breakdown
    sleep = run_panel.workload_choice.findData("sleep")
    run_panel.workload_choice.setCurrentIndex(sleep)
    set_spin(qtbot, run_panel.workload_size, 40)
    set_spin(qtbot, run_panel.worker_count, 2)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        click(qtbot, run_panel.run_processes_button)
    chart = window.timing_chart
    before = {mode: chart.series_points(mode) for mode in ("sequential", "processes")}
    assert before["processes"], "the learner's run is on the main chart"

    assert "primes" in panel.sweep_status.text().lower()  # said before it runs
    set_spin(qtbot, panel.sweep_size, 2_000)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS * 2):
        click(qtbot, panel.sweep_button)
        assert "primes" in panel.sweep_status.text().lower()
    model = window.results_table.results_model()
    swept = [model.result_at(row) for row in range(model.rowCount())][-6:]
    assert {r.config.workload for r in swept} == {"primes"}
    assert [size for size, _ in panel.chunk_size_chart.points()] == list(CHUNK_SIZES)
    assert {mode: chart.series_points(mode) for mode in before} == before
    assert run_panel.workload_choice.currentData() == "sleep"  # the learner's choice stays
