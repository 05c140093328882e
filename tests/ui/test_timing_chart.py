"""The timing chart: one series per parallel mode, the ideal line, the core marker, the summary."""

from __future__ import annotations

import pytest
from fake_results import chart_result
from PySide6.QtGui import QPaintDevice

from tutor.engine.records import RunResult
from tutor.ui.charts.timing_chart import TimingChartView

T1 = 2.0


def run(mode: str, workers: int, wall_s: float, baseline_s: float | None = T1) -> RunResult:
    return chart_result(mode, workers, wall_s, baseline_s)


@pytest.fixture
def chart(qtbot) -> TimingChartView:
    view = TimingChartView()
    qtbot.addWidget(view)
    view.resize(640, 420)
    return view


def test_object_name_and_default_metric(chart):
    assert chart.objectName() == "timingChart"
    assert chart.metric() == "time"
    assert chart.series_points("processes") == []
    assert chart.ideal_points() == []


def test_sequential_sets_baseline_and_ideal_time_is_t1_over_n(chart):
    chart.add_result(run("sequential", 1, T1, baseline_s=None))
    for workers in (1, 2, 4):
        chart.add_result(run("processes", workers, T1 / workers + 0.1))

    assert chart.baseline_s() == T1
    assert chart.series_points("processes") == [(1, 2.1), (2, 1.1), (4, 0.6)]
    assert chart.ideal_points() == [(n, pytest.approx(T1 / n)) for n in (1, 2, 3, 4)]


def test_speedup_metric_plots_result_speedup_and_ideal_y_equals_n(chart):
    chart.add_result(run("sequential", 1, T1, baseline_s=None))
    chart.add_result(run("processes", 2, 1.0))
    chart.add_result(run("processes", 4, 0.5))
    chart.add_result(run("threads", 2, 2.5))

    chart.set_metric("speedup")

    assert chart.metric() == "speedup"
    assert chart.series_points("processes") == [(2, 2.0), (4, 4.0)]
    assert chart.series_points("threads") == [(2, pytest.approx(0.8))]
    assert chart.ideal_points() == [(1, 1.0), (2, 2.0), (3, 3.0), (4, 4.0)]
    item = chart.getPlotItem()
    assert "speedup" in item.getAxis("left").labelText
    assert "Speedup" in item.titleLabel.text

    chart.set_metric("time")
    assert chart.series_points("processes") == [(2, 1.0), (4, 0.5)]
    assert "time" in item.getAxis("left").labelText


def test_speedup_without_baseline_is_skipped(chart):
    chart.add_result(run("threads", 2, 1.0, baseline_s=None))
    chart.add_result(run("threads", 4, 1.0))
    chart.set_metric("speedup")
    assert chart.series_points("threads") == [(4, 2.0)]


def test_unknown_metric_is_rejected(chart):
    with pytest.raises(ValueError):
        chart.set_metric("latency")


def test_same_worker_count_replaces_the_point_and_points_stay_sorted(chart):
    chart.add_result(run("threads", 4, 2.4))
    chart.add_result(run("threads", 1, 2.0))
    chart.add_result(run("threads", 2, 2.2))
    chart.add_result(run("threads", 4, 2.3))  # a rerun with 4 threads

    assert chart.series_points("threads") == [(1, 2.0), (2, 2.2), (4, 2.3)]
    xs, ys = chart._series["threads"].getData()
    assert list(xs) == [1, 2, 4]
    assert list(ys) == [2.0, 2.2, 2.3]


def test_executor_series_appears_only_once_it_has_points(chart):
    chart.add_result(run("processes", 2, 1.1))
    assert chart.shown_modes() == ["processes"]
    legend = [label.text for _sample, label in chart.getPlotItem().legend.items]
    assert not any("Executor" in text for text in legend)

    chart.add_result(run("executor", 2, 1.2))
    assert chart.shown_modes() == ["processes", "executor"]
    legend = [label.text for _sample, label in chart.getPlotItem().legend.items]
    assert legend[:2] == ["processes (Pool)", "ProcessPoolExecutor"]


def test_series_differ_by_more_than_colour(chart):
    styles = set()
    for mode in ("threads", "processes", "executor"):
        chart.add_result(run(mode, 2, 1.0))
        opts = chart._series[mode].opts
        styles.add((opts["symbol"], opts["pen"].style()))
    assert len(styles) == 3
    assert len({symbol for symbol, _line in styles}) == 3


def test_core_marker_and_ideal_extends_to_core_count(chart):
    assert chart.core_marker_position() is None
    chart.add_result(run("sequential", 1, T1, baseline_s=None))
    chart.add_result(run("processes", 2, 1.0))

    chart.set_core_count(8)

    assert chart.core_marker_position() == 8
    assert chart._core_line.label.toPlainText() == "8 cores"
    assert [n for n, _ in chart.ideal_points()] == list(range(1, 9))

    chart.add_result(run("processes", 12, 0.3))  # oversubscribed: the ideal goes further
    assert chart.ideal_points()[-1] == (12, pytest.approx(T1 / 12))


def test_clear_forgets_results_but_the_chart_keeps_working(chart):
    chart.set_core_count(4)
    chart.add_result(run("sequential", 1, T1, baseline_s=None))
    chart.add_result(run("processes", 2, 1.0))

    chart.clear()

    assert chart.series_points("processes") == []
    assert chart.ideal_points() == [] and chart.baseline_s() is None
    assert chart.core_marker_position() == 4
    # clear() is ours, not PlotItem.clear (which would remove every item from the plot).
    assert chart._core_line.scene() is chart.scene()
    chart.add_result(run("processes", 2, 1.0))
    assert chart._series["processes"].scene() is chart.scene()


def test_summary_text_describes_the_chart_and_is_the_accessible_description(chart):
    chart.set_core_count(4)
    chart.add_result(run("sequential", 1, 2.1, baseline_s=None))
    chart.add_result(run("processes", 1, 2.1, baseline_s=2.1))
    chart.add_result(run("processes", 2, 1.1, baseline_s=2.1))
    chart.add_result(run("threads", 2, 2.2, baseline_s=2.1))

    text = chart.summary_text()
    assert "Processes: 1 worker 2.1 s, 2 workers 1.1 s." in text
    assert "Threads: 2 workers 2.2 s." in text
    assert "4 CPU cores" in text
    assert chart.accessibleDescription() == text

    chart.set_metric("speedup")
    assert "Processes: 1 worker 1.00×, 2 workers 1.91×." in chart.accessibleDescription()


def test_renders_and_passes_qt_metric_queries_through(chart, qtbot):
    chart.add_result(run("processes", 2, 1.0))
    chart.show()
    qtbot.waitExposed(chart)
    # metric() shadows QWidget.metric(PaintDeviceMetric); Qt's own calls must still work.
    assert chart.metric(QPaintDevice.PaintDeviceMetric.PdmWidth) == chart.width()
    assert not chart.grab().isNull()


def test_a_modes_series_appears_with_its_first_point_and_empties_on_clear(chart):
    # Series are made when a mode first has points (the first frame builds none of them).
    def plotted() -> set[str]:
        """The modes whose points the plot draws."""
        in_plot = chart.getPlotItem().listDataItems()
        return {
            mode
            for mode, series in chart._series.items()
            if series in in_plot and series.xData is not None and len(series.xData) > 0
        }

    assert plotted() == set() and chart._series == {}
    chart.add_result(run("sequential", 1, T1, baseline_s=None))
    chart.add_result(run("threads", 2, 1.5))
    chart.add_result(run("processes", 2, 1.1))
    assert plotted() == {"threads", "processes"}
    xs, ys = chart._series["processes"].getData()
    assert list(xs) == [2] and list(ys) == [1.1]
    chart.clear()
    assert chart.series_points("processes") == [] and plotted() == set()
    chart.add_result(run("sequential", 1, T1, baseline_s=None))
    chart.add_result(run("processes", 4, 0.6))
    assert list(chart._series["processes"].getData()[1]) == [0.6]
    assert plotted() == {"processes"}


def test_runs_that_come_and_go_leave_the_plot_area_where_it_is(chart, qtbot):
    """A new baseline empties the chart and the runs after it fill it again: the legend's
    rows and the y labels' width come and go with them. Once the chart has shown them, the
    plot area keeps its size: each resize re-laid out the chart and held the window's timers
    at every run's start and end (tests/perf/ui_responsiveness.py, the 100,000-chunk row)."""
    chart.show()
    qtbot.waitUntil(lambda: chart.has_painted)
    view_box = chart.getPlotItem().getViewBox()

    def one_learners_session() -> list[tuple[float, float, float, float]]:
        places = []
        for baseline_s, scale in ((2.0, 1.0), (0.0125, 0.00625)):
            chart.clear()  # a new size: the last baseline's runs no longer compare
            places.append(view_box.sceneBoundingRect().getRect())
            chart.add_result(run("sequential", 1, baseline_s, baseline_s=None))
            places.append(view_box.sceneBoundingRect().getRect())
            for mode, workers in (("processes", 1), ("processes", 2), ("threads", 2)):
                wall_s = baseline_s / workers + 0.1 * scale
                chart.add_result(run(mode, workers, wall_s, baseline_s=baseline_s))
                places.append(view_box.sceneBoundingRect().getRect())
        return places

    one_learners_session()
    places = one_learners_session()

    assert len(set(places)) == 1, places
    legend = [label.text for _sample, label in chart.getPlotItem().legend.items]
    assert legend == ["sequential (T₁)", "threads", "processes (Pool)", "ideal: T₁ ÷ N"]


def test_a_wider_chart_gives_the_held_legend_rows_back_to_the_plot(chart, qtbot):
    chart.resize(200, 420)
    chart.show()
    qtbot.waitUntil(lambda: chart.has_painted)
    chart.add_result(run("sequential", 1, T1, baseline_s=None))
    chart.add_result(run("processes", 2, 1.1))  # three entries: a row each when narrow
    legend = chart.getPlotItem().legend
    narrow = legend.minimumHeight()
    assert legend.columnCount == 1

    chart.resize(900, 420)
    qtbot.waitUntil(lambda: chart.width() == 900)

    assert legend.minimumHeight() < narrow
