"""The real window, real runs: asyncio on waiting work, Amdahl's law after a sweep, and the
start methods compared, each started by clicking its button."""

from __future__ import annotations

import pytest
from chunk_overlap import max_in_flight
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from window_helpers import click, set_spin

from tutor.engine.runners import available_start_methods

RUN_TIMEOUT_MS = 120_000


def choose_workload(window, name: str) -> None:
    choice = window.run_panel.workload_choice
    choice.setCurrentIndex(choice.findData(name))


def test_run_with_asyncio_on_waiting_work(qtbot, window):
    panel = window.run_panel
    button = window.findChild(QPushButton, "runAsyncioButton")
    assert button is panel.run_asyncio_button and button.text() == "Run with asyncio"
    choose_workload(window, "sleep")
    set_spin(qtbot, panel.workload_size, 200)
    set_spin(qtbot, panel.worker_count, 8)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        click(qtbot, button)
        assert not button.isEnabled() and panel.cancel_button.isEnabled()
    assert button.isEnabled() and not panel.cancel_button.isEnabled()
    rows = window.results_table.rows_as_text()
    assert len(rows) == 2  # the sequential baseline, then asyncio
    assert rows[1][0] == "asyncio × 8" and rows[1][3] == "200 ✓"
    result = window.results_table.results_model().result_at(1)
    assert result.config.mode == "asyncio"
    assert max_in_flight(result.chunks) >= 2  # several waits at a time, on one thread
    assert len({c.thread for c in result.chunks}) == 1
    assert [n for n, _ in window.timing_chart.series_points("asyncio")] == [8]
    lanes = window.timeline_chart.lanes()
    assert lanes and all(lane.startswith("task slot") for lane in lanes)
    assert "asyncio × 8 tasks" in panel.run_status.text()


def test_a_sweep_of_waiting_work_adds_the_asyncio_curve(qtbot, window):
    panel = window.run_panel
    choose_workload(window, "sleep")
    set_spin(qtbot, panel.workload_size, 120)
    set_spin(qtbot, panel.worker_count, 2)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS * 2):
        click(qtbot, panel.sweep_button)
    assert window.results_table.row_count() == 1 + 3 * 2
    chart = window.timing_chart
    for mode in ("processes", "threads", "asyncio"):
        assert [n for n, _ in chart.series_points(mode)] == [1, 2], mode
    model = window.results_table.results_model()
    runs = [model.result_at(row) for row in range(window.results_table.row_count())]
    asyncio_runs = sorted(
        (r for r in runs if r.config.mode == "asyncio"), key=lambda r: r.config.workers
    )
    # Waiting overlaps: with 2 task slots two chunks wait at once, with 1 never.
    assert [max_in_flight(r.chunks) for r in asyncio_runs] == [1, 2]


@pytest.mark.shared_window
def test_computing_sweeps_leave_asyncio_out(window):
    choose_workload(window, "primes")
    modes = {c.mode for c in window.run_panel.sweep_configs()}
    assert "asyncio" not in modes and "threads" in modes


def test_a_lesson_link_runs_asyncio(qtbot, window):
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        window.lesson_panel.view().open_link(
            "tutor:run?workload=sleep&size=100&workers=4&mode=asyncio&start=1"
        )
    assert window.results_table.rows_as_text()[-1][0] == "asyncio × 4"


def test_a_sweep_fits_amdahls_law_under_the_chart(qtbot, window):
    panel = window.run_panel
    summary = window.findChild(QLabel, "amdahlSummary")
    assert summary is window.amdahl_summary and summary.isHidden()
    cores = window.core_counts.physical or window.core_counts.logical
    # A fit needs speedups worth fitting; a 1- or 2-core machine only checks what the summary
    # says instead, for which a small sweep does.
    set_spin(qtbot, panel.workload_size, 400_000 if cores >= 3 else 30_000)
    set_spin(qtbot, panel.worker_count, max(2, min(3, cores)))
    set_spin(qtbot, panel.repeat_count, 1)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS * 2):
        click(qtbot, panel.sweep_button)
    assert summary.isVisible()
    fit = window.timing_chart.amdahl_fit()
    if cores < 3:  # a 1- or 2-core machine cannot measure three worker counts
        assert fit is None
        assert "needs speedups at 3 or more worker counts" in summary.text()
        assert f"This machine has {cores} core" in summary.text()
        return
    assert fit is not None and fit.workers_fitted == (1, 2, 3)
    assert 0.0 <= fit.serial_fraction <= 1.0
    text = summary.text()
    assert "serial fraction" in text and "on 8" in text and "64 cores" in text
    assert "extrapolating" in text and "RMS" in text
    assert f"{fit.speedup(8):.1f}× on 8" in text
    assert f"{fit.speedup(64):.1f}× on 64 cores" in summary.accessibleDescription()
    # The curve lives in the speedup view, beside the ideal line.
    assert window.timing_chart.amdahl_points() == []
    window.chart_metric.setCurrentIndex(window.chart_metric.findData("speedup"))
    curve = window.timing_chart.amdahl_points()
    assert curve and curve[-1][0] == pytest.approx(3.0)
    assert window.timing_chart.ideal_points()
    assert "Amdahl" in window.timing_chart.accessibleDescription()


def test_compare_start_methods(qtbot, window):
    panel = window.run_panel
    methods = [m for m in ("spawn", "forkserver", "fork") if m in available_start_methods()]
    set_spin(qtbot, panel.workload_size, 50_000)
    set_spin(qtbot, panel.worker_count, 2)
    tab = window.start_method_panel
    window.show_tab(tab)
    button = window.findChild(QPushButton, "compareStartMethodsButton")
    assert button is tab.compare_button
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS * 2):
        click(qtbot, button)
        assert not button.isEnabled() and not panel.run_processes_button.isEnabled()
    assert button.isEnabled()
    assert window.current_tab() is tab  # the comparison stays in view
    rows = window.results_table.rows_as_text()
    assert [row[2] for row in rows] == methods  # no baseline: just one run per method
    assert all(row[3].startswith("5,133") for row in rows)  # primes up to 50,000
    costs = {c.method: c for c in tab.costs()}
    assert list(costs) == methods
    assert all(c.first_ready_s > 0 and c.all_ready_s >= c.first_ready_s for c in costs.values())
    summary = window.findChild(QLabel, "startMethodSummary")
    assert all(f"{m}: " in summary.text() for m in methods)
    assert set(tab.chart.bar_heights()) == set(methods)


def test_escape_cancels_an_asyncio_run_promptly(qtbot, window):
    panel = window.run_panel
    choose_workload(window, "sleep")
    set_spin(qtbot, panel.workload_size, 5_000_000)  # over an hour of waiting
    set_spin(qtbot, panel.worker_count, 4)
    window.controller.start([panel.current_config("asyncio")], measure_baseline=False)
    qtbot.waitUntil(lambda: "Running asyncio" in panel.run_status.text(), timeout=30_000)
    # An hour of waiting ends at Escape, long before the hang guard's 30 s.
    with qtbot.waitSignal(window.controller.batch_finished, timeout=30_000):
        qtbot.keyClick(window, Qt.Key_Escape)
    assert "Cancelled asyncio × 4 tasks" in panel.run_status.text()
    assert panel.run_asyncio_button.isEnabled()
