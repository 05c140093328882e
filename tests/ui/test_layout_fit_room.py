"""Faults of #19 seen on the README pictures after the layout work: the timing legend's second
row and the Amdahl line cut at the bottom of the charts at 1280×800 (where the tabs had rows to
spare), the second row of Run buttons scrolled away at 200 %, the Exercises page a strip of
58 px at 1024×640 and 200 %, and the chunk-size axis without its "1,024"."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction, QImage, QPainter
from test_layout_fit import (
    SIZES,
    ZOOMS,
    settle,
)

from tutor.analysis.breakdown import CHUNK_SIZES

# Lines of text the tab in front shows at least, however cramped (at 1280×800 and 200 % the
# Run buttons' rows come first, and the charts above keep only their least height).
LINES_OF_PAGE = 2


def set_theme(window, theme: str) -> None:
    window.findChild(QAction, f"theme{theme.capitalize()}Action").trigger()


@pytest.fixture
def themed(request, window):
    """The window in the theme asked for; light again afterwards (the palette is the app's)."""
    set_theme(window, request.param)
    yield window
    set_theme(window, "light")


def run_buttons(panel):
    return [
        panel.run_sequential_button,
        panel.run_processes_button,
        panel.run_threads_button,
        panel.run_asyncio_button,
        panel.sweep_button,
        panel.cancel_button,
    ]


# ----------------------------------------------------------------- chunk-size axis


def drawn_tick_labels(chart) -> list[tuple[str, object]]:
    """The bottom axis's tick labels as pyqtgraph draws them now: (text, box in the chart)."""
    axis = chart.getPlotItem().getAxis("bottom")
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    _axis, _ticks, texts = specs
    return [
        (text, chart.mapFromScene(axis.mapRectToScene(rect)).boundingRect())
        for rect, _flags, text in texts
    ]


@pytest.mark.parametrize("zoom", ZOOMS)
@pytest.mark.parametrize("size", SIZES)
def test_the_chunk_size_axis_labels_every_size_tried(qtbot, window, size, zoom):
    from fake_results import chart_result

    panel = window.time_breakdown
    chart = panel.chunk_size_chart
    for index, chunk in enumerate(CHUNK_SIZES):
        chart.add_point(chunk, chart_result("processes", 2, 1.0 / (index + 1), 1.0))
    window.show_tab(panel)
    settle(qtbot, window, size, zoom)
    wanted = [f"{chunk:,}" for chunk in CHUNK_SIZES]
    assert wanted[-1] == "1,024"

    def all_drawn() -> bool:
        return [text for text, _box in drawn_tick_labels(chart)] == wanted

    qtbot.waitUntil(all_drawn, timeout=5000)
    for text, box in drawn_tick_labels(chart):  # each label whole inside the chart
        assert chart.rect().contains(box), text
