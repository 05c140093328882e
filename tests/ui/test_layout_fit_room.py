"""Faults of #19 seen on the README pictures after the layout work: the timing legend's second
row and the Amdahl line cut at the bottom of the charts at 1280×800 (where the tabs had rows to
spare), the second row of Run buttons scrolled away at 200 %, the Exercises page a strip of
58 px at 1024×640 and 200 %, and the chunk-size axis without its "1,024"."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QAction, QImage, QPainter
from test_layout_fit import (
    LONG_STATUS,
    REASONS,
    SIZES,
    ZOOMS,
    feed_runs,
    reachable,
    rect_in,
    scene_rect_in_widget,
    scroll_area_of,
    settle,
    visible_unscrolled,
)

from tutor.analysis.breakdown import CHUNK_SIZES
from tutor.engine.reliability import Reliability, Verdict
from tutor.ui.shell.column_split import TABLE_ROWS_LEAST

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


# ----------------------------------------------------------------- charts whole at 1280×800


def legend_inside(chart) -> bool:
    """The legend, and the text of each of its labels, lie wholly inside the chart."""
    room = QRectF(chart.rect())
    if not room.contains(scene_rect_in_widget(chart, chart._legend)):
        return False
    for _sample, label in chart._legend.items:
        margin = label.item.document().documentMargin()  # blank, round the text
        text = scene_rect_in_widget(chart, label.item)
        if not room.contains(text.adjusted(margin, margin, -margin, -margin)):
            return False
    return True


@pytest.mark.parametrize("themed", ["light", "dark"], indirect=True)
def test_after_a_sweep_legends_and_the_amdahl_line_show_whole_at_1280x800(qtbot, themed):
    """A sweep's two-line status, a two-line warning, two legend rows and the Amdahl line:
    all of it shows without scrolling, the table keeping its first rows and Speedup."""
    window = themed
    settle(qtbot, window, (1280, 800))
    feed_runs(window)
    window.run_panel.run_status.setText(LONG_STATUS)
    summary = window.amdahl_summary
    qtbot.waitUntil(summary.isVisible)
    assert "Amdahl" in summary.text()
    for chart in (window.timing_chart, window.timeline_chart):
        assert len(chart._legend.items) >= 2
    # Each legend label wholly inside the chart that draws it, and the chart wholly in view.
    for chart in (window.timing_chart, window.timeline_chart):
        qtbot.waitUntil(lambda chart=chart: visible_unscrolled(chart), timeout=5000)
        qtbot.waitUntil(lambda chart=chart: legend_inside(chart), timeout=5000)
    qtbot.waitUntil(lambda: visible_unscrolled(summary), timeout=5000)
    assert summary.height() >= summary.heightForWidth(summary.width())  # every line of it
    area = scroll_area_of(summary)
    assert area.verticalScrollBar().maximum() == 0  # nothing of the charts needs a scroll
    table = window.results_table
    assert table.viewport().height() >= TABLE_ROWS_LEAST * table.rowHeight(0)
    for button in window.run_panel.button_row():
        qtbot.waitUntil(lambda b=button: visible_unscrolled(b), timeout=5000)


@pytest.mark.shared_window(results=True)  # fed made-up results, cleared afterwards
def test_with_room_the_table_keeps_six_rows_beside_whole_charts(qtbot, window):
    """One run, no warning: the charts whole and six results rows, as before."""
    settle(qtbot, window, (1280, 800))
    from fake_results import chart_result

    result = chart_result("processes", 2, 0.6, 1.0)
    for _ in range(7):
        window.results_table.add_result(result)
    window.timing_chart.add_result(result)
    table = window.results_table
    qtbot.waitUntil(lambda: table.viewport().height() >= 6 * table.rowHeight(0))
    for chart in (window.timing_chart, window.timeline_chart):
        qtbot.waitUntil(lambda chart=chart: visible_unscrolled(chart))


# ----------------------------------------------------------------- Run buttons, all rows


@pytest.mark.shared_window  # only looks, at sizes and zooms the reset puts back
@pytest.mark.parametrize("zoom", ZOOMS)
@pytest.mark.parametrize("size", SIZES)
def test_every_row_of_run_buttons_shows_without_a_scroll(qtbot, window, size, zoom):
    settle(qtbot, window, size, zoom)
    panel = window.run_panel
    buttons = panel.button_row()
    rows = {rect_in(b, panel).top() for b in buttons}
    if zoom == 200 and size == (1280, 800):
        assert len(rows) >= 2  # the case that went wrong: the buttons wrapped
    if size == (1024, 640) and zoom == 200:
        # Not even the Run buttons fit this column (the form is one setting a line): they
        # are reached by scrolling the run panel, which leaves the tabs their share.
        for button in buttons:
            assert reachable(qtbot, button), button.objectName()
        return
    for button in buttons:
        qtbot.waitUntil(lambda b=button: visible_unscrolled(b), timeout=5000)


VERDICT = (
    "You predicted 1.8×, measured 0.72× — 60% below your guess. Starting processes, pickling "
    "the work and sharing the cores with other programs all cost time; a bigger N hides more "
    "of the start-up."
)


@pytest.mark.shared_window(results=True)  # fed made-up results, cleared afterwards
@pytest.mark.parametrize("zoom", ZOOMS)
@pytest.mark.parametrize("size", SIZES)
def test_the_run_panel_scrolls_over_its_content_only(qtbot, window, size, zoom):
    """The panel was held at the height of its one-setting-a-line form (486 px for 233 px of
    content at 1280×800): it scrolled into blank space, and scrolled to its end it showed the
    prediction's verdict cut at the top."""
    settle(qtbot, window, size, zoom)
    from fake_results import chart_result

    panel = window.run_panel
    # One noisy run, as in the README's prediction picture: a two-row legend, a two-line
    # warning and status above the charts.
    for result in (chart_result("sequential", 1, 1.0, 1.0), chart_result("processes", 2, 0.6, 1.0)):
        window.results_table.add_result(result)
        window.timing_chart.add_result(result)
    noisy = Reliability(Verdict.NOISY, 0.43, REASONS)
    window.reliability_warning.show_result(dataclasses.replace(result, reliability=noisy))
    panel.run_status.setText(LONG_STATUS)
    area = scroll_area_of(panel)

    def content_height() -> int:
        return panel.layout().totalHeightForWidth(panel.width())

    qtbot.waitUntil(
        lambda: panel.height() <= max(area.viewport().height(), content_height()), timeout=5000
    )
    panel.prediction_result.setText(VERDICT)
    panel.prediction_result.setVisible(True)
    qtbot.waitUntil(
        lambda: panel.height() <= max(area.viewport().height(), content_height()), timeout=5000
    )
    if zoom == 100:  # room for the whole panel, verdict and all, without a scroll
        qtbot.waitUntil(lambda: visible_unscrolled(panel.prediction_result), timeout=5000)
        assert area.verticalScrollBar().maximum() == 0
    if (size, zoom) == ((1280, 800), 100):  # and the charts under it stay whole
        for chart in (window.timing_chart, window.timeline_chart):
            qtbot.waitUntil(lambda chart=chart: visible_unscrolled(chart), timeout=5000)
    else:
        assert reachable(qtbot, panel.prediction_result)


# ----------------------------------------------------------------- the tab in front


@pytest.mark.shared_window  # only looks, at sizes and zooms the reset puts back
@pytest.mark.parametrize("zoom", ZOOMS)
@pytest.mark.parametrize("size", SIZES)
def test_the_exercises_page_gets_room_to_read(qtbot, window, size, zoom):
    panel = window.exercises_panel
    window.show_tab(panel)
    settle(qtbot, window, size, zoom)
    page = scroll_area_of(panel)
    lines = LINES_OF_PAGE * panel.fontMetrics().lineSpacing()
    column = window.right_splitter.height()
    qtbot.waitUntil(lambda: page.viewport().height() >= lines, timeout=5000)
    if (size, zoom) == ((1024, 640), 200):  # the run panel scrolls here anyway: it shares
        assert window.bottom_tabs.height() >= column // 4


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
