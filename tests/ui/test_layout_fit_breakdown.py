"""#19 in Where the time goes after a chunk-size sweep 1…1024: six bars had three titles, the
"0.24 s" value labels overlapped the bars and each other and the last was cut at the right
edge, and the Time against chunk size legend covered the small chunks' points."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fake_results import chart_result
from PySide6.QtCore import QRectF
from test_layout_fit import SIZES, ZOOMS, reachable, scene_rect_in_widget, settle

from tutor.analysis.breakdown import SEGMENTS

# (items per chunk, wall seconds, chunks) as the tester's sweep of 20,000 tasks on 2 workers.
SWEEP = [(1, 0.243, 20_000), (4, 0.153, 5_000), (16, 0.109, 1_250), (64, 0.0941, 313),
         (256, 0.0815, 79), (1024, 0.0802, 20)]  # fmt: skip


def swept(window):
    panel = window.time_breakdown
    for size, wall, chunks in SWEEP:
        result = replace(chart_result("processes", 2, wall, None), chunk_count=chunks)
        panel.breakdown_chart.add_result(result)
        panel.chunk_size_chart.add_point(size, result)
    return panel


def text_rect(chart, label) -> QRectF:
    """Where a value label's text (not its margins) is drawn, in the chart's pixels."""
    margin = label.textItem.document().documentMargin()
    return scene_rect_in_widget(chart, label).adjusted(margin, margin, -margin, -margin)


def shown(qtbot, window, size, zoom):
    panel = swept(window)
    window.show_tab(panel)
    settle(qtbot, window, size, zoom)
    return panel


@pytest.mark.parametrize("zoom", ZOOMS)
@pytest.mark.parametrize("size", SIZES)
def test_every_bar_has_its_title_and_a_whole_value_beside_it(qtbot, window, size, zoom):
    chart = shown(qtbot, window, size, zoom).breakdown_chart
    assert reachable(qtbot, chart)
    item = chart.getPlotItem()
    view = scene_rect_in_widget(chart, item.getViewBox())
    line = chart.fontMetrics().height()
    # A title on the axis for every bar, each a line apart at least.
    qtbot.waitUntil(lambda: len(item.getAxis("left")._tickLevels[0]) == len(SWEEP))
    assert view.height() / len(SWEEP) >= line
    bars = [
        chart.mapFromScene(item.getViewBox().mapViewToScene(QRectF(x0, y0, x1 - x0, y1 - y0)))
        .boundingRect()
        .toRectF()
        for name in SEGMENTS
        for x0, y0, x1, y1 in chart.segment_rects(name)
        if x1 > x0
    ]
    labels = [text_rect(chart, label) for label in chart._labels]
    assert len(labels) == len(SWEEP)
    for index, (rect, label) in enumerate(zip(labels, chart._labels, strict=True)):
        text = label.toPlainText().strip()
        assert rect.width() >= chart.fontMetrics().horizontalAdvance(text)
        assert view.left() <= rect.left() and rect.right() <= view.right() + 1, text
        assert chart.rect().toRectF().contains(rect), text
        for bar in bars:
            assert not rect.intersects(bar.adjusted(1, 1, -1, -1)), (text, rect, bar)
        for other in labels[index + 1 :]:
            assert not rect.intersects(other), text


@pytest.mark.parametrize("zoom", ZOOMS)
@pytest.mark.parametrize("size", SIZES)
def test_the_chunk_size_legend_leaves_the_points_uncovered(qtbot, window, size, zoom):
    chart = shown(qtbot, window, size, zoom).chunk_size_chart
    assert reachable(qtbot, chart)
    item = chart.getPlotItem()
    legend = scene_rect_in_widget(chart, chart._legend)
    assert chart.rect().toRectF().contains(legend)
    view = item.getViewBox()
    for series in (chart._wall, chart._transfer_series):
        xs, ys = series.getData()
        for x, y in zip(xs, ys, strict=True):
            point = chart.mapFromScene(view.mapViewToScene(QRectF(x, y, 0, 0).topLeft()))
            assert not legend.contains(point.toPointF()), (x, y)
