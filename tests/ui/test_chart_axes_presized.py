"""A chart is ready before it is painted: its first paint after a change moves nothing.

pyqtgraph widens or narrows an axis for its labels while painting it, and sets the data-to-screen
transform (and with it the text labels' places) for a new range while painting too; whatever
moved in a paint is painted again after it (after a run the window's two charts painted two to
five times in a row and held its timers up to ~50 ms, issue #15). Here: after new data, a new
font or a run's chunks, the first paint leaves every axis the size it had when that paint began
and every plotted item where it was, and the tick labels still fit.
"""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from fake_results import chart_result
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFont, QFontMetricsF

from tutor.engine.records import ChunkTiming, RunConfig
from tutor.ui.charts.chart_base import ChartView
from tutor.ui.charts.timeline_chart import TimelineChartView
from tutor.ui.charts.timing_chart import TimingChartView

AXES = ("left", "bottom")


def axis_sizes(chart: ChartView) -> dict[str, tuple[float, float]]:
    """Each axis's reserved (width, height), px, as the plot's layout sees it."""
    item = chart.getPlotItem()
    return {
        name: (item.getAxis(name).minimumWidth(), item.getAxis(name).minimumHeight())
        for name in AXES
    }


def placements(chart: ChartView) -> list[tuple[float, ...]]:
    """Where the data and every text item (core-count labels, value labels) are drawn: the
    scene transforms of the view box's data group and of each text item, in scene order."""
    transforms = [chart.getPlotItem().getViewBox().childGroup.sceneTransform()]
    transforms += [i.sceneTransform() for i in chart.scene().items() if isinstance(i, pg.TextItem)]
    return [
        (t.m11(), t.m12(), t.m21(), t.m22(), round(t.dx(), 6), round(t.dy(), 6)) for t in transforms
    ]


class FirstPaintWatch(QObject):
    """The axes' sizes and the items' places when the chart's next paint begins, and just
    after it ends."""

    def __init__(self, chart: ChartView) -> None:
        super().__init__()
        self.chart = chart
        self.before: dict[str, tuple[float, float]] | None = None
        self.after: dict[str, tuple[float, float]] | None = None
        self.placed_before: list[tuple[float, ...]] = []
        self.placed_after: list[tuple[float, ...]] = []
        chart.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint and self.before is None:
            self.before = axis_sizes(self.chart)
            self.placed_before = placements(self.chart)
            # A zero-timer runs once this paint has been handled.
            QTimer.singleShot(0, self._painted)
        return False

    def _painted(self) -> None:
        self.after = axis_sizes(self.chart)
        self.placed_after = placements(self.chart)
        self.chart.viewport().removeEventFilter(self)


def shown(qtbot, chart: ChartView) -> ChartView:
    qtbot.addWidget(chart)
    chart.resize(640, 420)
    chart.show()
    qtbot.waitExposed(chart)
    watch = FirstPaintWatch(chart)  # the empty chart's own first paint, out of the way
    chart.viewport().update()
    qtbot.waitUntil(lambda: watch.after is not None, timeout=60_000)
    return chart


def first_paint(qtbot, chart: ChartView) -> FirstPaintWatch:
    watch = FirstPaintWatch(chart)
    chart.viewport().update()
    qtbot.waitUntil(lambda: watch.after is not None, timeout=60_000)
    return watch


def tick_labels_fit(chart: ChartView) -> None:
    """The left axis is at least as wide as its widest tick label (no label is dropped)."""
    axis = chart.getPlotItem().getAxis("left")
    metrics = QFontMetricsF(axis.style["tickFont"] or QFont())
    low, high = sorted(axis.range)
    length = axis.geometry().height()
    widest = 0.0
    for spacing, values in axis.tickValues(axis.range[0], axis.range[1], length)[:2]:
        inside = [v for v in values if low <= v <= high]
        for text in axis.tickStrings(inside, 1.0, spacing):
            widest = max(widest, metrics.horizontalAdvance(text))
    assert axis.width() >= widest, (axis.width(), widest)


@pytest.mark.parametrize(
    ("baseline_s", "wall_s"),
    [
        (0.0123, 0.007),  # a quick run: "0.000", "0.005", "0.010" beside the plot
        (1234.5, 700.0),  # a long one: "0", "500", "1000"
    ],
)
def test_timing_chart_axes_keep_their_size_through_the_first_paint_after_a_run(
    qtbot, baseline_s, wall_s
):
    chart = shown(qtbot, TimingChartView())

    chart.add_result(chart_result("sequential", 1, baseline_s, None))
    chart.add_result(chart_result("processes", 2, wall_s, baseline_s))
    watch = first_paint(qtbot, chart)

    assert watch.after == watch.before, "an axis was resized while painting"
    assert watch.placed_after == watch.placed_before, "the paint moved the data or a label"
    tick_labels_fit(chart)


def test_timing_chart_with_core_markers_moves_nothing_while_painting_a_new_point(qtbot):
    chart = shown(qtbot, TimingChartView(core_count=8, physical_core_count=4))
    chart.add_result(chart_result("sequential", 1, 2.0, None))
    first_paint(qtbot, chart)

    chart.add_result(chart_result("processes", 16, 0.4, 2.0))  # x and y ranges change
    watch = first_paint(qtbot, chart)

    assert watch.after == watch.before
    assert watch.placed_after == watch.placed_before


def test_a_larger_font_widens_the_axes_before_the_chart_is_painted(qtbot):
    chart = shown(qtbot, TimingChartView())
    chart.add_result(chart_result("sequential", 1, 2.0, None))
    first_paint(qtbot, chart)

    font = QFont(chart.font())
    font.setPointSizeF(font.pointSizeF() * 2)  # the window's 200 % zoom
    chart.setFont(font)
    watch = first_paint(qtbot, chart)

    assert watch.after == watch.before
    tick_labels_fit(chart)


def test_the_axis_holds_its_width_as_labels_narrow_and_takes_a_new_fonts_width(qtbot):
    """Narrower labels ("2" after "0.0125") leave the axis as wide as it was: the plot beside
    it keeps its size between runs. A smaller font (zoom back to 100 %) narrows it again."""
    chart = shown(qtbot, TimingChartView())
    axis = chart.getPlotItem().getAxis("left")
    chart.add_result(chart_result("sequential", 1, 0.0125, None))
    first_paint(qtbot, chart)
    wide = axis.width()
    chart.clear()
    chart.add_result(chart_result("sequential", 1, 2.0, None))
    first_paint(qtbot, chart)
    assert axis.width() == wide
    tick_labels_fit(chart)

    normal = QFont(chart.font())
    large = QFont(normal)
    large.setPointSizeF(normal.pointSizeF() * 2)  # the window's 200 % zoom, and back
    chart.setFont(large)
    first_paint(qtbot, chart)
    zoomed = axis.width()
    chart.setFont(normal)
    first_paint(qtbot, chart)

    assert axis.width() < zoomed
    assert axis.width() <= wide
    tick_labels_fit(chart)


def test_timeline_axes_keep_their_size_through_the_first_paint_of_a_run(qtbot):
    chart = shown(qtbot, TimelineChartView())
    config = RunConfig(workload="primes", size=10_000, workers=2, mode="processes")
    chart.start_run(config)
    chunks = [
        ChunkTiming(
            worker=100 + i % 2,
            thread=1,
            index=i,
            items=10,
            start_s=i * 0.5,
            end_s=i * 0.5 + 0.4,
            cpu_s=0.3,
        )
        for i in range(40)
    ]
    chart.add_chunks(chunks)
    chart.finish_run()
    watch = first_paint(qtbot, chart)

    assert watch.after == watch.before
    assert watch.placed_after == watch.placed_before


def test_a_wider_chart_draws_its_grid_lines_across_the_whole_plot(qtbot):
    """Widening the chart leaves the left axis its range and height, but its grid lines must
    span the wider plot: an axis picture kept from before the resize would stop short."""
    chart = shown(qtbot, TimingChartView())
    chart.add_result(chart_result("sequential", 1, 2.0, None))
    first_paint(qtbot, chart)
    axis = chart.getPlotItem().getAxis("left")
    view = chart.getPlotItem().getViewBox()
    height = axis.geometry().height()

    chart.resize(chart.width() + 300, chart.height())
    qtbot.waitUntil(lambda: view.width() > 600, timeout=60_000)
    first_paint(qtbot, chart)

    assert axis.geometry().height() == height  # what this test is about: only the width grew
    span = view.mapRectToItem(axis, view.boundingRect())
    assert axis.picture is not None
    assert axis.picture.boundingRect().right() >= span.right() - 1


def test_setting_the_same_range_ticks_and_font_again_keeps_the_axis_picture(qtbot):
    """The view sets each axis's range on every resize and the charts set ticks and font on
    every refresh, mostly unchanged: the axis keeps the picture it has instead of building
    the same one again (a quarter of the builds in the window's tests)."""
    chart = shown(qtbot, TimingChartView())
    chart.add_result(chart_result("sequential", 1, 2.0, None))
    first_paint(qtbot, chart)
    axis = chart.getPlotItem().getAxis("bottom")
    picture = axis.picture
    assert picture is not None

    axis.setRange(*axis.range)
    axis.setTickFont(axis.style["tickFont"])
    axis.setTickSpacing(levels=list(axis._tickSpacing or []) or None)
    assert axis.picture is picture

    axis.setRange(axis.range[0], axis.range[1] + 1)  # a real change builds a new one
    assert axis.picture is not None and axis.picture is not picture


def test_a_range_change_sets_no_axis_title_again(qtbot):
    """pyqtgraph sets an axis's title text on every range change while its automatic SI
    prefix is on, and lays that text out again, for its hidden top and right axes too."""
    chart = shown(qtbot, TimingChartView())
    chart.add_result(chart_result("sequential", 1, 2.0, None))
    first_paint(qtbot, chart)
    item = chart.getPlotItem()
    set_titles: list[str] = []
    for name in ("left", "bottom", "top", "right"):
        label = item.getAxis(name).label
        label.setHtml = lambda html, name=name: set_titles.append(name)

    item.setYRange(0, 7.5, padding=0)
    item.setXRange(0.5, 4.5, padding=0)
    width = item.getViewBox().width()
    chart.resize(chart.width() + 40, chart.height() + 40)
    qtbot.waitUntil(lambda: item.getViewBox().width() > width, timeout=60_000)
    first_paint(qtbot, chart)

    assert set_titles == []
