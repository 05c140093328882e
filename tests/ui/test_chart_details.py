"""What a learner sees on the charts: the baseline point, labels clear of the data, legends in
place (after a new run, beside their swatches), and colours told apart in both themes."""

from __future__ import annotations

import pytest
from fake_results import chart_result
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor

from tutor.engine.interpreters import current_interpreter
from tutor.engine.records import ChunkTiming, RunConfig, RunResult
from tutor.ui.charts.interpreter_chart import InterpreterChartView
from tutor.ui.charts.styles import AMDAHL_COLOR, MODE_STYLES
from tutor.ui.charts.timeline_chart import TimelineChartView
from tutor.ui.charts.timing_chart import TimingChartView
from tutor.ui.shell.theme import dark_palette, light_palette

T1 = 2.0


def run(mode: str, workers: int, wall_s: float, baseline_s: float | None = T1) -> RunResult:
    return chart_result(mode, workers, wall_s, baseline_s)


@pytest.fixture
def chart(qtbot) -> TimingChartView:
    view = TimingChartView()
    qtbot.addWidget(view)
    view.resize(390, 260)  # about its size in a 1280×800 window
    view.show()
    qtbot.waitExposed(view)
    return view


def legend_texts(chart) -> list[str]:
    return [label.text for _sample, label in chart.getPlotItem().legend.items]


@pytest.mark.parametrize(("metric", "value"), [("time", T1), ("speedup", 1.0)])
def test_the_sequential_baseline_is_a_point_at_one_worker(chart, metric, value):
    assert chart.series_points("sequential") == []
    chart.add_result(run("sequential", 1, T1, baseline_s=None))
    chart.add_result(run("processes", 2, 1.1))
    chart.set_metric(metric)
    assert chart.series_points("sequential") == [(1, value)]
    xs, ys = chart._baseline_point.getData()
    assert (list(xs), list(ys)) == ([1], [value])
    assert chart._baseline_point.isVisible()
    assert legend_texts(chart)[0] == "sequential (T₁)"
    low, high = chart.getPlotItem().getViewBox().viewRange()[1]
    assert low <= value <= high  # inside the plot, not clipped
    chart.clear()
    assert chart.series_points("sequential") == [] and "sequential (T₁)" not in legend_texts(chart)


def data_rects(chart) -> list[QRectF]:
    """Scene rectangles around every marker drawn (symbol size), and small boxes along the
    ideal line, so that a label touching any of them is caught."""
    view = chart.getPlotItem().getViewBox()
    rects = []
    series = [*chart._series.values(), chart._baseline_point]
    for item in series:
        xs, ys = item.getData()
        if xs is None:
            continue
        for x, y in zip(xs, ys, strict=True):
            centre = view.mapViewToScene(QPointF(float(x), float(y)))
            rects.append(QRectF(centre.x() - 6, centre.y() - 6, 12, 12))
    xs, ys = chart._ideal.getData()
    points = list(zip(xs, ys, strict=True))
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        for step in range(21):  # along each segment of the ideal line
            t = step / 20
            point = view.mapViewToScene(QPointF(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t))
            rects.append(QRectF(point.x() - 1.5, point.y() - 1.5, 3, 3))
    return rects


@pytest.mark.parametrize("metric", ["time", "speedup"])
@pytest.mark.parametrize(("logical", "physical"), [(2, None), (8, 4)])
def test_core_labels_are_crossed_by_no_curve_and_no_marker(chart, qtbot, metric, logical, physical):
    chart.set_core_count(logical)
    chart.set_physical_core_count(physical)
    chart.add_result(run("sequential", 1, T1, baseline_s=None))
    for n in range(1, logical + 1):  # a sweep: processes near ideal, threads flat
        chart.add_result(run("processes", n, T1 / n + 0.05))
        chart.add_result(run("threads", n, T1 * 1.05))
    chart.set_metric(metric)
    # The labels are placed on the next paint (pyqtgraph lays text out lazily).
    qtbot.waitUntil(
        lambda: all(r.width() < chart.width() for r in chart._markers.label_rects()), timeout=5000
    )
    chart.grab()
    labels = chart._markers.label_rects()
    assert len(labels) == (1 if physical is None else 2)
    for label in labels:
        crossed = [rect for rect in data_rects(chart) if rect.intersects(label)]
        assert crossed == [], f"{metric}: label {label} crossed by data at {crossed[:3]}"
    if len(labels) == 2:
        assert not labels[0].intersects(labels[1])


def contrast(a: QColor, b: QColor) -> float:
    def luminance(colour: QColor) -> float:
        parts = []
        for c in (colour.redF(), colour.greenF(), colour.blueF()):
            parts.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * parts[0] + 0.7152 * parts[1] + 0.0722 * parts[2]

    low, high = sorted((luminance(a), luminance(b)))
    return (high + 0.05) / (low + 0.05)


def distance(a: QColor, b: QColor) -> float:
    return (
        (a.red() - b.red()) ** 2 + (a.green() - b.green()) ** 2 + (a.blue() - b.blue()) ** 2
    ) ** 0.5


def test_the_amdahl_fit_colour_is_told_apart_from_every_mode_in_both_themes(qtbot):
    fit = QColor(AMDAHL_COLOR)
    assert distance(fit, QColor(MODE_STYLES["threads"].color)) > 150  # was almost the same
    for style in MODE_STYLES.values():
        assert distance(fit, QColor(style.color)) > 80, style.label
    for palette in (light_palette(), dark_palette()):
        background = palette.color(palette.ColorRole.Base)
        assert contrast(fit, background) >= 3.0, background.name()


def chunk(worker: int, index: int, start: float, end: float, cpu: float) -> ChunkTiming:
    return ChunkTiming(worker, worker, index, 1000, start, end, cpu)


def test_the_timeline_legend_stays_under_the_plot_when_a_new_run_starts(qtbot):
    timeline = TimelineChartView()
    qtbot.addWidget(timeline)
    timeline.resize(390, 260)
    timeline.show()
    qtbot.waitExposed(timeline)
    config = RunConfig("primes", 100_000, mode="processes", workers=2)
    item = timeline.getPlotItem()

    def legend_is_placed() -> bool:
        legend = timeline._legend.sceneBoundingRect()
        title = item.titleLabel.sceneBoundingRect()
        plot = item.getViewBox().sceneBoundingRect()
        return not legend.intersects(title) and legend.top() >= plot.bottom()

    for _ in range(3):  # a run, then the next ones: the legend never covers the title
        timeline.start_run(config)
        assert legend_is_placed()  # at once, before any layout pass
        timeline.add_chunks([chunk(1, 0, 0.0, 0.3, 0.2), chunk(2, 1, 0.0, 0.3, 0.3)])
        timeline.finish_run()
        qtbot.waitUntil(legend_is_placed)


def test_other_pythons_legend_swatches_sit_beside_their_labels(qtbot):
    from test_interpreters_panel import fake

    chart = InterpreterChartView()
    qtbot.addWidget(chart)
    chart.resize(600, 300)
    chart.show()
    qtbot.waitExposed(chart)
    info = current_interpreter()

    def swatches_beside_labels() -> bool:
        for sample, label in chart._legend.items:
            s, t = sample.sceneBoundingRect(), label.sceneBoundingRect()
            if not (t.top() <= s.center().y() <= t.bottom() and s.right() <= t.left() + 2):
                return False
        return True

    qtbot.waitUntil(swatches_beside_labels)  # only the ideal line: no stray swatch
    chart.add_results(info, (fake("threads", 1, 1.0), fake("processes", 1, 1.1)))
    chart.add_results(info, (fake("threads", 2, 0.9), fake("processes", 2, 0.6)))
    assert len(chart._legend.items) == 3
    qtbot.waitUntil(swatches_beside_labels)
    plot = chart.getPlotItem().getViewBox().sceneBoundingRect()
    legend = chart._legend.sceneBoundingRect()
    assert legend.top() <= plot.top() + 30  # at the top of its column, not spread down it
