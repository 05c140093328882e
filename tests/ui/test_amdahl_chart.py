"""Amdahl's law on the timing chart, the line under it, and the physical-core marker."""

from __future__ import annotations

import pytest
from fake_results import chart_result

from tutor.analysis.amdahl import amdahl_speedup, fit_serial_fraction
from tutor.engine.machine import CoreCounts
from tutor.engine.records import RunResult
from tutor.ui.charts.amdahl_view import AmdahlSummaryView, amdahl_headline, amdahl_summary
from tutor.ui.charts.styles import MODE_STYLES
from tutor.ui.charts.timing_chart import TimingChartView

T1 = 4.0
SERIAL = 0.1


def run(mode: str, workers: int, wall_s: float, baseline_s: float | None = T1) -> RunResult:
    return chart_result(mode, workers, wall_s, baseline_s)


def amdahl_run(workers: int, mode: str = "processes") -> RunResult:
    return run(mode, workers, T1 / amdahl_speedup(SERIAL, workers))


@pytest.fixture
def chart(qtbot) -> TimingChartView:
    view = TimingChartView()
    qtbot.addWidget(view)
    view.resize(640, 420)
    view.set_core_count(8)
    return view


def legend(chart: TimingChartView) -> list[str]:
    return [label.text for _sample, label in chart.getPlotItem().legend.items]


def test_no_fit_before_three_worker_counts(chart, qtbot):
    chart.add_result(run("sequential", 1, T1, baseline_s=None))
    chart.add_result(amdahl_run(4))
    chart.add_result(run("threads", 2, T1))  # threads never count
    chart.set_metric("speedup")
    assert chart.amdahl_fit() is None
    assert chart.amdahl_points() == []
    assert not any("Amdahl" in text for text in legend(chart))


def test_a_sweep_gets_a_fitted_curve_in_the_speedup_view(chart, qtbot):
    chart.add_result(run("sequential", 1, T1, baseline_s=None))
    chart.add_result(amdahl_run(1))
    chart.add_result(amdahl_run(2))
    assert chart.amdahl_fit() is None  # two points fix any curve: not a fit
    with qtbot.waitSignal(chart.amdahl_fit_changed) as fitted:
        chart.add_result(amdahl_run(3))
    assert fitted.args[0] is chart.amdahl_fit()
    chart.add_result(amdahl_run(4))

    fit = chart.amdahl_fit()
    assert fit is not None
    assert fit.serial_fraction == pytest.approx(SERIAL, abs=1e-6)
    assert fit.workers_fitted == (1, 2, 3, 4)
    assert chart.amdahl_points() == []  # the time view shows no speedup curve
    assert not chart._amdahl.isVisible()

    chart.set_metric("speedup")
    curve = chart.amdahl_points()
    assert curve[0] == (1.0, pytest.approx(1.0))
    assert curve[-1] == (pytest.approx(8.0), pytest.approx(amdahl_speedup(SERIAL, 8)))
    xs, ys = chart._amdahl.getData()
    assert len(xs) == len(curve) and chart._amdahl.isVisible()
    assert legend(chart)[-2:] == ["ideal: speedup = N", "Amdahl fit: serial 10.0 %"]
    text = chart.accessibleDescription()
    assert "serial fraction 10.0 %" in text and "4.7× on 8 cores" in text
    assert "8.8× on 64 cores" in text


def test_runs_past_the_physical_cores_are_left_out(chart):
    chart.set_physical_core_count(3)
    for n in (1, 2, 3):
        chart.add_result(amdahl_run(n))
    chart.add_result(run("processes", 4, T1 / 1.8))  # shares cores: flattens for that reason
    fit = chart.amdahl_fit()
    assert fit is not None and fit.workers_fitted == (1, 2, 3)
    assert fit.serial_fraction == pytest.approx(SERIAL, abs=1e-6)


def test_the_executor_is_fitted_when_it_has_the_sweep(chart):
    for n in (2, 3, 4):
        chart.add_result(amdahl_run(n, "executor"))
    assert chart.amdahl_fit().serial_fraction == pytest.approx(SERIAL, abs=1e-6)


def test_clear_forgets_the_fit_and_says_so(chart, qtbot):
    for n in (1, 2, 3):
        chart.add_result(amdahl_run(n))
    with qtbot.waitSignal(chart.amdahl_fit_changed) as cleared:
        chart.clear()
    assert cleared.args == [None]
    assert chart.amdahl_fit() is None


def test_physical_cores_get_their_own_marker_where_they_differ(chart):
    assert chart.physical_marker_position() is None
    assert chart._core_line.label.toPlainText() == "8 cores"
    chart.set_physical_core_count(4)
    assert chart.physical_marker_position() == 4
    assert chart.core_marker_position() == 8
    assert chart._physical_line.label.toPlainText() == "4 physical"
    assert chart._core_line.label.toPlainText() == "8 logical"
    assert "on 4 physical cores" in chart.summary_text()
    chart.set_physical_core_count(8)  # no hyperthreads: one marker, as before
    assert chart.physical_marker_position() is None
    assert chart._core_line.label.toPlainText() == "8 cores"


def test_asyncio_has_a_series_of_its_own(chart):
    chart.add_result(run("asyncio", 4, 1.0))
    chart.add_result(run("threads", 4, 1.1))
    assert "asyncio" in chart.shown_modes()
    assert chart.series_points("asyncio") == [(4, 1.0)]
    assert "asyncio" in legend(chart)
    opts = chart._series["asyncio"].opts
    assert chart._series["threads"].opts["symbol"] == MODE_STYLES["threads"].symbol
    # Processes and executor have no points yet, so no series: their symbols are the table's.
    others = {MODE_STYLES[m].symbol for m in ("threads", "processes", "executor")}
    assert opts["symbol"] == MODE_STYLES["asyncio"].symbol
    assert opts["symbol"] not in others
    assert "asyncio: 4 workers 1 s." in chart.summary_text()


def test_the_summary_line_under_the_chart(qtbot):
    view = AmdahlSummaryView(CoreCounts(8, 4))
    qtbot.addWidget(view)
    assert view.objectName() == "amdahlSummary"
    assert view.isHidden()
    chart = TimingChartView()
    qtbot.addWidget(chart)
    chart.amdahl_fit_changed.connect(view.show_fit)
    chart.amdahl_advice_changed.connect(view.show_advice)
    chart.add_result(amdahl_run(1))
    chart.add_result(amdahl_run(2))
    assert not view.isHidden() and view.fit() is None  # how to get a fit, instead of one
    assert "needs speedups at 3 or more worker counts (you have 1, 2)" in view.text()
    chart.add_result(amdahl_run(3))
    assert view.text() == (
        "Amdahl's law fitted to processes × 1–3: serial fraction s ≈ 10.0 % "
        "(±0.00× RMS), extrapolating 4.7× on 8 and 8.8× on 64 cores."
    )
    text = view.accessibleDescription()
    assert "serial fraction s ≈ 10.0 %" in text
    assert "4.7× on 8 cores" in text and "8.8× on 64 cores" in text
    assert "never more than 10.0×" in text
    assert "1–3 workers" in text and "within ±0.00× of your points" in text
    assert "extrapolate far beyond the 3 workers measured" in text
    assert "8 logical CPUs on 4 physical cores" in text
    assert text in view.toolTip() and "least squares" in view.toolTip()
    chart.clear()
    assert view.isHidden() and view.fit() is None


def test_summary_without_serial_work():
    fit = fit_serial_fraction([(1, 1.0), (2, 2.2), (4, 4.5)])
    text = amdahl_summary(fit, CoreCounts(4, 4))
    assert "s ≈ 0 %" in text and "no limit from serial work" in text
    assert "physical" not in text
    assert "rough guess" not in text  # two worker counts above 1 check the curve's shape
    assert "rough guess" not in amdahl_headline(fit)


def legend_box(chart: TimingChartView):
    """The legend's rectangle in the chart widget's pixels."""
    item = chart.getPlotItem().legend
    return chart.mapFromScene(item.mapToScene(item.boundingRect())).boundingRect()


def plot_box(chart: TimingChartView):
    view = chart.getPlotItem().getViewBox()
    return chart.mapFromScene(view.mapToScene(view.boundingRect())).boundingRect()


def sweep_in_speedup_view(chart: TimingChartView) -> None:
    chart.add_result(run("sequential", 1, T1, baseline_s=None))
    for n in (1, 2, 3):
        chart.add_result(amdahl_run(n))
        chart.add_result(run("threads", n, T1))
    chart.set_metric("speedup")


def test_the_legend_sits_under_the_plot_and_covers_no_curve(chart, qtbot):
    chart.resize(390, 300)
    chart.show()
    qtbot.waitExposed(chart)
    sweep_in_speedup_view(chart)
    assert len(legend(chart)) == 5  # sequential, threads, processes, ideal, Amdahl fit
    qtbot.waitUntil(lambda: legend_box(chart).top() >= plot_box(chart).bottom())
    # Everything stays inside the widget: nothing is cut off on the right or at the bottom.
    assert chart.getPlotItem().geometry().width() <= chart.width()
    assert legend_box(chart).right() <= chart.width()
    qtbot.waitUntil(lambda: legend_box(chart).bottom() <= chart.height())  # once laid out


def test_at_200_percent_the_legend_stacks_and_the_title_shortens(chart, qtbot):
    chart.resize(390, 300)
    chart.show()
    qtbot.waitExposed(chart)
    sweep_in_speedup_view(chart)
    font = chart.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    chart.setFont(font)  # what View → Zoom in does to every widget
    qtbot.waitUntil(lambda: chart.getPlotItem().legend.columnCount == 1)
    chart.resize(390, chart.minimumHeight())  # what the window's layout gives it
    title = chart.getPlotItem().titleLabel.text
    assert title.endswith("…") and "Speedup against number of workers".startswith(title[:-1])
    qtbot.waitUntil(lambda: chart.getPlotItem().geometry().width() <= chart.width())
    qtbot.waitUntil(lambda: legend_box(chart).right() <= chart.width())
    qtbot.waitUntil(lambda: legend_box(chart).bottom() <= chart.height())
    assert plot_box(chart).height() >= 60  # the data keeps room beside a four-row legend
