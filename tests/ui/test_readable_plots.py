"""The main charts keep a plot one can read (issue #19): at 1024×640 the wall-time plot was a
40-100 px strip and at 1280×800 after one run the speedup plot about 60 px; the tabs under
them and the charts' own area scroll instead."""

from __future__ import annotations

import pytest
from test_layout_fit import feed_runs, scene_rect_in_widget, settle, visible_unscrolled

# px of data area (the ViewBox) each main chart keeps, by window size
LEAST_DATA_HEIGHT = {(1280, 800): 120, (1024, 640): 90}


def data_height(chart) -> float:
    """Height (px) of the chart's data area as drawn in the widget."""
    return scene_rect_in_widget(chart, chart.getPlotItem().getViewBox()).height()


@pytest.mark.parametrize("fed", [False, True], ids=["first-start", "after-runs"])
@pytest.mark.parametrize("size", list(LEAST_DATA_HEIGHT))
def test_the_main_charts_keep_a_readable_data_area(qtbot, window, size, fed):
    settle(qtbot, window, size)
    if fed:
        feed_runs(window)  # a sweep, the noisy-run warning and the Amdahl note above/below
    charts = (window.timing_chart, window.timeline_chart)
    least = LEAST_DATA_HEIGHT[size]
    qtbot.waitUntil(lambda: all(data_height(chart) >= least for chart in charts), timeout=5000)
    if size == (1280, 800):  # the biggest window: the plots show without scrolling too
        for chart in charts:
            assert visible_unscrolled(chart), chart.objectName()
