"""Numbers that need a word (#19): asyncio start-up, an I/O-bound run's "compute", and no
Amdahl fit for a sweep that only waits. Real runs of the engine, no fakes."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from tutor.engine.records import RunConfig
from tutor.engine.runners import run
from tutor.ui.charts.amdahl_view import AmdahlSummaryView
from tutor.ui.charts.timing_chart import TimingChartView
from tutor.ui.panels.results_table import COLUMNS, ResultsTableView


def tooltip(table: ResultsTableView, row: int, title: str) -> str:
    column = next(i for i, c in enumerate(COLUMNS) if c.title == title)
    model = table.model()
    return model.data(model.index(row, column), Qt.ItemDataRole.ToolTipRole)


@pytest.fixture
def table(qtbot) -> ResultsTableView:
    view = ResultsTableView()
    qtbot.addWidget(view)
    return view


def test_asyncio_start_up_says_what_it_measured(table):
    result = run(RunConfig("sleep", 40, mode="asyncio", workers=4))
    table.add_result(result)
    text = tooltip(table, 0, "Start-up (s)")
    assert "event loop" in text and "task" in text
    assert "No process is started" in text
    # Other modes keep the general words about starting a pool.
    table.add_result(run(RunConfig("sleep", 40, mode="threads", workers=2)))
    assert "event loop" not in tooltip(table, 1, "Start-up (s)")


def test_an_io_bound_runs_compute_is_called_waiting(table):
    result = run(RunConfig("sleep", 40, mode="threads", workers=2))
    table.add_result(result)
    text = tooltip(table, 0, "Compute (s)")
    assert "waits" in text and "CPU time" in text and "waiting for I/O" in text
    table.add_result(run(RunConfig("primes", 2_000, mode="threads", workers=2)))
    assert "waiting for I/O" not in tooltip(table, 1, "Compute (s)")


def sweep(workload: str, size: int) -> list:
    baseline = run(RunConfig(workload, size, mode="sequential"))
    return [baseline] + [
        run(RunConfig(workload, size, mode="processes", workers=n), baseline=baseline)
        for n in (1, 2, 3)
    ]


def test_no_amdahl_fit_for_an_io_bound_sweep_and_the_line_says_why(qtbot):
    chart = TimingChartView()
    line = AmdahlSummaryView()
    qtbot.addWidget(chart)
    qtbot.addWidget(line)
    chart.amdahl_fit_changed.connect(line.show_fit)
    chart.amdahl_advice_changed.connect(line.show_advice)
    chart.set_metric("speedup")
    for result in sweep("sleep", 60):
        chart.add_result(result)
    assert chart.amdahl_fit() is None
    assert chart.amdahl_points() == []
    assert "No Amdahl fit" in line.text() and "waits" in line.text()
    assert "Wait 1 ms per item" in line.text()


def test_a_computing_sweep_still_gets_its_fit(qtbot):
    chart = TimingChartView()
    qtbot.addWidget(chart)
    # Speedups of a computing sweep (their timings made exact, so that a fit exists).
    results = sweep("primes", 3_000)
    baseline = results[0]
    for result in results[1:]:
        n = result.config.workers
        chart.add_result(replace(result, wall_s=baseline.wall_s / (1 + 0.9 * (n - 1))))
    chart.add_result(baseline)
    assert chart.amdahl_fit() is not None


def test_where_the_time_goes_names_an_io_bound_runs_waiting(qtbot):
    from tutor.ui.charts.breakdown_chart import BreakdownChartView

    chart = BreakdownChartView()
    qtbot.addWidget(chart)
    sleep = run(RunConfig("sleep", 40, mode="processes", workers=2))
    primes = run(RunConfig("primes", 2_000, mode="processes", workers=2))
    assert chart.add_result(sleep) and chart.add_result(primes)
    assert "waiting for I/O" in chart.tooltip_at(0)
    assert "waiting for I/O" not in chart.tooltip_at(1)
    summary = chart.summary_text()
    assert summary.count("waiting for I/O") == 1
