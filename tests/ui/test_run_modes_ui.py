"""Every run mode looks like itself in the window: one style table covers the registry, the
process API choice lists every process mode, and loky runs as its own series."""

from __future__ import annotations

import importlib.util

import pytest
from fake_results import chart_result
from PySide6.QtCore import Qt
from window_helpers import RUN_TIMEOUT_MS, click, set_spin

from tutor.engine.modes import ALL_MODES, PARALLEL_MODES, PROCESS_MODES, spec_of, unavailable_reason
from tutor.models.run_settings import RunSettingsModel
from tutor.ui.charts.styles import MODE_STYLES, style_of
from tutor.ui.charts.timing_chart import TimingChartView
from tutor.ui.panels.run_panel import RunPanel


def test_the_style_table_covers_every_mode():
    """A mode added to engine.modes without a style fails here, not in the learner's window."""
    missing = [mode for mode in (*PARALLEL_MODES, "sequential") if mode not in MODE_STYLES]
    assert missing == []
    assert set(MODE_STYLES) <= set(ALL_MODES)  # no style for a mode that does not exist
    looks = [(s.color, s.symbol) for s in MODE_STYLES.values()]
    assert len(set(looks)) == len(looks)  # never two modes that look alike
    assert len({s.label for s in MODE_STYLES.values()}) == len(MODE_STYLES)


def test_a_mode_without_a_style_still_draws(qtbot, monkeypatch):
    monkeypatch.delitem(MODE_STYLES, "asyncio")
    assert style_of("asyncio").label == "asyncio"
    chart = TimingChartView()  # builds a series for every parallel mode
    qtbot.addWidget(chart)
    chart.add_result(chart_result("sequential", 1, 2.0, None))
    chart.add_result(chart_result("asyncio", 2, 1.0, 2.0))
    assert chart.series_points("asyncio") == [(2, 1.0)]
    assert "Other" not in chart.summary_text() and "asyncio" in chart.summary_text()


def test_the_process_api_offers_every_process_mode(qtbot):
    panel = RunPanel(RunSettingsModel(("spawn",)))
    qtbot.addWidget(panel)
    choice = panel.process_api
    offered = [choice.itemData(i) for i in range(choice.count())]
    assert offered == list(PROCESS_MODES)
    assert [choice.itemText(i) for i in range(choice.count())] == [
        spec_of(mode).title for mode in PROCESS_MODES
    ]
    for index, mode in enumerate(offered):
        enabled = choice.model().item(index).isEnabled()
        assert enabled == (unavailable_reason(mode) is None)


def test_without_joblib_loky_is_shown_unavailable_with_the_install_command(qtbot, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a, **k: None if name == "joblib" else real(name, *a, **k),
    )
    panel = RunPanel(RunSettingsModel(("spawn",)))
    qtbot.addWidget(panel)
    index = panel.process_api.findData("loky")
    assert index >= 0 and not panel.process_api.model().item(index).isEnabled()
    tip = panel.process_api.itemData(index, Qt.ItemDataRole.ToolTipRole)
    assert spec_of("loky").install_command in tip and "joblib" in tip
    panel.apply_request("primes", 1_000, 2, "loky")  # e.g. from a saved setting
    assert panel.process_mode() != "loky"


@pytest.mark.skipif(unavailable_reason("loky") is not None, reason="joblib is not installed")
def test_a_loky_run_gets_its_own_series_and_process_lanes(qtbot, window):
    panel = window.run_panel
    panel.process_api.setCurrentIndex(panel.process_api.findData("loky"))
    set_spin(qtbot, panel.workload_size, 30_000)
    set_spin(qtbot, panel.worker_count, 2)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        click(qtbot, panel.run_processes_button)
    rows = window.results_table.rows_as_text()
    assert [row[0] for row in rows] == ["sequential (baseline)", "loky × 2"]
    assert rows[1][2] == "spawn" and rows[1][3] == rows[0][3]
    chart = window.timing_chart
    assert [n for n, _ in chart.series_points("loky")] == [2]
    assert chart.series_points("processes") == [] and chart.series_points("executor") == []
    assert "loky" in chart.shown_modes()
    assert MODE_STYLES["loky"].label in chart._legend_entries()
    lanes = window.timeline_chart.lanes()
    assert lanes and all(lane.startswith("pid ") for lane in lanes)
