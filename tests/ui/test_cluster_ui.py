"""The run panel's Dask row in the real main window: a click runs the chunks on a local
cluster and adds a table row, a "cluster" series and one timeline lane per Dask worker."""

from __future__ import annotations

import pytest
from process_checks import run_children, wait_no_children
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton, QToolButton
from window_helpers import click, set_spin

from tutor.app import create_main_window
from tutor.engine.cluster import INSTALL_COMMAND, cluster_available
from tutor.engine.records import ChunkTiming, RunConfig, RunResult
from tutor.ui.charts.timeline_chart import TimelineChartView
from tutor.ui.charts.timing_chart import TimingChartView
from tutor.ui.panels import cluster_controls
from tutor.ui.panels.cluster_controls import ClusterControls

RUN_TIMEOUT_MS = 90_000

needs_dask = pytest.mark.skipif(
    not cluster_available(),
    reason=f"Dask is not installed, so the cluster mode cannot run: {INSTALL_COMMAND}",
)


@pytest.mark.shared_window
def test_the_cluster_row_is_in_the_run_panel(window):
    button = window.findChild(QPushButton, "runClusterButton")
    address = window.findChild(QLineEdit, "schedulerAddress")
    assert button is window.run_panel.run_cluster_button
    assert address is window.run_panel.scheduler_address
    assert button.text() == "Run on a Dask cluster"
    assert address.placeholderText() == "empty = local cluster"
    assert button.isEnabled() == cluster_available()


def clear_button(field: QLineEdit) -> QToolButton | None:
    """The field's own clear button (Qt's, made when the button is turned on)."""
    return field.findChild(QToolButton)


def test_the_scheduler_address_is_remembered(qtbot, window):
    qtbot.keyClicks(window.run_panel.scheduler_address, "tcp://10.0.0.5:8786")
    window.close()
    again = create_main_window()
    qtbot.addWidget(again)
    assert again.run_panel.scheduler_address.text() == "tcp://10.0.0.5:8786"
    assert clear_button(again.run_panel.scheduler_address) is not None  # beside the saved text
    again.close()


def test_the_address_gets_a_clear_button_with_its_first_text(qtbot, window):
    field = window.run_panel.scheduler_address
    # None while empty: turning it on loads its icon, which cost the first frame (see there).
    assert clear_button(field) is None
    qtbot.keyClicks(field, "tcp://10.0.0.5:8786")
    button = clear_button(field)
    assert button is not None
    qtbot.mouseClick(button, Qt.LeftButton)
    assert field.text() == ""
    qtbot.keyClicks(field, "tcp://10.0.0.6:8786")
    assert field.text() == "tcp://10.0.0.6:8786" and clear_button(field) is button


def test_without_dask_the_button_is_disabled_and_says_how_to_install(qtbot, monkeypatch):
    reason = f"the 'cluster' mode needs Dask; install it with: {INSTALL_COMMAND}"
    monkeypatch.setattr(cluster_controls, "cluster_unavailable_reason", lambda: reason)
    controls = ClusterControls()
    qtbot.addWidget(controls)
    requested = []
    controls.run_requested.connect(requested.append)
    assert not controls.run_cluster_button.isEnabled()
    assert INSTALL_COMMAND in controls.run_cluster_button.toolTip()
    assert not controls.scheduler_address.isEnabled()
    controls.set_busy(True)
    controls.set_busy(False)  # the end of some other run does not enable it
    assert not controls.run_cluster_button.isEnabled()
    controls.run_cluster_button.click()
    assert requested == []


def test_the_timeline_names_cluster_lanes_by_worker_address(qtbot):
    view = TimelineChartView()
    qtbot.addWidget(view)
    view.start_run(RunConfig("primes", 100_000, mode="cluster", workers=2))
    a, b = "tcp://127.0.0.1:40001", "tcp://127.0.0.1:40002"
    view.add_chunks(
        [
            ChunkTiming(11, 11, 0, 100, 0.5, 0.6, 0.1, lane=a),
            ChunkTiming(22, 22, 1, 100, 0.5, 0.6, 0.1, lane=b),
            ChunkTiming(11, 11, 2, 100, 0.6, 0.7, 0.1, lane=a),
        ]
    )
    assert view.lanes() == [a, b]
    assert view.getPlotItem().titleLabel.text == "cluster × 2 — chunk timeline"
    assert a in view.tooltip_at(0.55, 0)


def test_the_timing_chart_has_its_own_cluster_series(qtbot):
    chart = TimingChartView()
    qtbot.addWidget(chart)

    def result(mode: str, workers: int, wall_s: float) -> RunResult:
        config = RunConfig("primes", 100_000, mode=mode, workers=workers)
        return RunResult(config, 9_592, wall_s, 0.5, wall_s - 0.5, (), 37, 2.0, 9_592)

    chart.add_result(result("processes", 2, 1.1))
    chart.add_result(result("cluster", 2, 1.4))
    chart.add_result(result("cluster", 4, 1.2))
    assert chart.series_points("cluster") == [(2, 1.4), (4, 1.2)]
    assert chart.shown_modes()[-1] == "cluster"
    legend = [label.text for _sample, label in chart.getPlotItem().legend.items]
    assert "Dask cluster" in legend and "processes (Pool)" in legend
    assert "Dask cluster: 2 workers 1.4 s, 4 workers 1.2 s." in chart.summary_text()


def test_the_address_field_gives_the_scheduler_or_none(qtbot):
    controls = ClusterControls()
    qtbot.addWidget(controls)
    assert controls.scheduler() is None
    qtbot.keyClicks(controls.scheduler_address, "  tcp://10.0.0.5:8786 ")
    assert controls.scheduler() == "tcp://10.0.0.5:8786"


@needs_dask
def test_the_button_runs_on_a_local_cluster_and_fills_table_and_charts(qtbot, window):
    panel = window.run_panel
    set_spin(qtbot, panel.workload_size, 100_000)  # any size: the baseline runs it too
    set_spin(qtbot, panel.worker_count, 2)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        click(qtbot, panel.run_cluster_button)
        assert not panel.run_cluster_button.isEnabled()
        assert not panel.run_processes_button.isEnabled()
        assert panel.cancel_button.isEnabled()
    assert panel.run_cluster_button.isEnabled() and not panel.cancel_button.isEnabled()
    rows = window.results_table.rows_as_text()
    assert len(rows) == 2  # the sequential baseline, then the cluster run
    assert rows[1][0] == "cluster × 2"
    assert "9,592 ✓" in rows[1]
    points = window.timing_chart.series_points("cluster")
    assert [x for x, _ in points] == [2]
    assert "cluster" in window.timing_chart.shown_modes()
    assert "Dask cluster" in window.timing_chart.summary_text()
    lanes = window.timeline_chart.lanes()
    assert 1 <= len(lanes) <= 2
    assert all(lane.startswith("tls://127.0.0.1:") for lane in lanes)
    result = window.results_table.results_model().result_at(1)
    assert window.timeline_chart.bar_count() == result.chunk_count
    assert result.cluster.kind == "local"
    assert "Finished cluster × 2 workers" in panel.run_status.text()
    assert run_children() == []


@needs_dask
def test_a_bad_scheduler_address_is_reported_in_the_panel(qtbot, window):
    panel = window.run_panel
    qtbot.keyClicks(panel.scheduler_address, "not an address")
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        qtbot.keyClick(panel.scheduler_address, Qt.Key_Return)  # Enter runs it too
    assert panel.error_frame.isVisible()
    assert "These settings cannot run" in panel.run_status.text()
    assert "scheduler:" in panel.error_label.text()


@needs_dask
def test_escape_cancels_a_cluster_run_and_leaves_no_process(qtbot, window):
    panel = window.run_panel
    set_spin(qtbot, panel.workload_size, 50_000_000)
    set_spin(qtbot, panel.worker_count, 2)
    # Small chunks: the first is done within a second or two even beside busy programs (with
    # the default 37, none was done within 30 s beside two busy loops), and the run still
    # takes minutes.
    set_spin(qtbot, panel.chunk_count, 400)
    # Without the sequential baseline a click would run first (minutes for 50 million).
    window.controller.start([panel.current_config("cluster")], measure_baseline=False)
    # the run's helper process and its two Dask workers
    qtbot.waitUntil(lambda: len(run_children()) >= 3, timeout=30_000)
    qtbot.waitUntil(lambda: panel.run_progress.value() > 0, timeout=30_000)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=30_000):
        qtbot.keyClick(window, Qt.Key_Escape)
    assert "Cancelled" in panel.run_status.text()
    assert wait_no_children() == []
