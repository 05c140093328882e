"""The last layout faults of #19 a learner met between 1024×640 and 1280×800: the lesson kept
its narrow width after the window had been small, the Other Pythons legend was cut at its right
edge, and at 200 % zoom the run panel scrolled sideways."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QLabel
from test_layout_fit import (
    SIZES,
    ZOOMS,
    reachable,
    rect_in,
    scene_rect_in_widget,
    scroll_area_of,
    settle,
    title_fits,
)

from tutor.ui.charts.interpreter_chart import IDEAL_NAME

TOLERANCE_PX = 3
MIN_PLOT_WIDTH_PX = 80


def lesson_width(window) -> int:
    return window.main_splitter.sizes()[0]


@pytest.mark.parametrize("steps", [[(1024, 640)], [(1024, 640), (1150, 700)]])
def test_growing_the_window_gives_the_lesson_its_share_back(qtbot, make_window, steps):
    """Made small, the lesson lends the run panel width; grown again, it gets it back."""
    opened = make_window()
    settle(qtbot, opened, (1280, 800))
    wide = lesson_width(opened)
    window = make_window()
    settle(qtbot, window, (1280, 800))
    small = None
    for size in steps:
        settle(qtbot, window, size)
        small = lesson_width(window) if small is None else small  # at 1024 px
    assert small < wide - 50  # it did lend width to the run panel's rows
    settle(qtbot, window, (1280, 800))
    qtbot.waitUntil(lambda: abs(lesson_width(window) - wide) <= TOLERANCE_PX)
    settle(qtbot, window, (1024, 640))  # and lends it again when made small again
    qtbot.waitUntil(lambda: abs(lesson_width(window) - small) <= TOLERANCE_PX)


def test_a_split_the_learner_dragged_is_kept_when_the_window_grows(qtbot, window):
    settle(qtbot, window, (1024, 640))
    lesson, right = window.main_splitter.sizes()
    window.main_splitter.moveSplitter(lesson + 40, 1)  # as a drag of the handle does
    qtbot.waitUntil(lambda: lesson_width(window) >= lesson + 30)
    dragged = lesson_width(window)
    settle(qtbot, window, (1280, 800))
    # The grown window shares its new width by the splitter's stretch, from the dragged split:
    # never back to the share the lesson had before it lent.
    assert lesson_width(window) < dragged + (1280 - 1024) * 2 // 5 + TOLERANCE_PX


# ----------------------------------------------------------------- Other Pythons legend


def compared_interpreters(window):
    from test_interpreters_panel import fake

    from tutor.engine.interpreters import current_interpreter

    panel = window.interpreters_panel
    info = current_interpreter()
    chart = panel.chart
    chart.add_results(info, (fake("threads", 1, 1.0), fake("processes", 1, 1.1)))
    chart.add_results(info, (fake("threads", 2, 0.9), fake("processes", 2, 0.6)))
    return panel, chart


@pytest.mark.shared_window(results=True)  # fed made-up results, cleared afterwards
@pytest.mark.parametrize("zoom", ZOOMS)
@pytest.mark.parametrize("size", SIZES)
def test_other_pythons_legend_shows_each_entry_whole(qtbot, window, size, zoom):
    panel, chart = compared_interpreters(window)
    window.show_tab(panel)
    settle(qtbot, window, size, zoom)
    texts = [label.text for _sample, label in chart._legend.items]
    assert IDEAL_NAME in texts and len(texts) == 3

    def entries_inside() -> bool:
        legend = scene_rect_in_widget(chart, chart._legend)
        for _sample, label in chart._legend.items:
            text = scene_rect_in_widget(chart, label.item)  # the whole text, as laid out
            if not (QRectF(chart.rect()).contains(text) and legend.contains(text)):
                return False
        return True

    qtbot.waitUntil(entries_inside)
    for _sample, label in chart._legend.items:  # wrapped between words, never inside one
        document = label.item.document()
        lines = sum(document.findBlockByNumber(i).layout().lineCount() for i in range(1))
        assert lines <= len(label.text.split()), label.text
    plot = scene_rect_in_widget(chart, chart.getPlotItem().getViewBox())
    assert plot.width() >= MIN_PLOT_WIDTH_PX  # the curves keep room beside the legend
    assert title_fits(chart)
    for _sample, label in chart._legend.items:
        assert reachable(qtbot, chart, scene_rect_in_widget(chart, label.item)), label.text


# ----------------------------------------------------------------- run panel at 200 %


@pytest.mark.shared_window
@pytest.mark.parametrize("zoom", ZOOMS)
@pytest.mark.parametrize("size", SIZES)
def test_the_run_panel_reflows_instead_of_scrolling_sideways(qtbot, window, size, zoom):
    settle(qtbot, window, size, zoom)
    panel = window.run_panel
    area = scroll_area_of(panel)
    qtbot.waitUntil(lambda: panel.width() <= area.viewport().width())
    assert not area.horizontalScrollBar().isVisible()
    buttons = list(panel.button_row())
    rows = [panel.workload_choice, panel.workload_size, panel.worker_count, panel.start_method]
    for widget in [*rows, *buttons, panel.scheduler_address, panel.run_cluster_button]:
        box = rect_in(widget, panel)
        assert box.left() >= 0 and box.right() < panel.width(), widget.objectName()
        # Whole: not squeezed under its own least width (a button's text cut).
        assert widget.width() >= widget.minimumSizeHint().width(), widget.objectName()
    for label in panel.findChildren(QLabel):  # each setting's name shows whole
        if label.buddy() is not None and label.isVisible():
            assert label.width() >= label.sizeHint().width(), label.text()
    # Buttons and fields never overlap one another.
    boxes = [rect_in(w, panel) for w in [*rows, *buttons]]
    for index, box in enumerate(boxes):
        assert not any(box.intersects(other) for other in boxes[index + 1 :])
    for widget in [panel.workload_choice, panel.workload_size, panel.run_processes_button]:
        assert reachable(qtbot, widget), widget.objectName()
    if zoom == 100:  # two settings a line, the buttons on one: as short as before
        assert rect_in(panel.worker_count, panel).top() == rect_in(panel.workload_size, panel).top()
        assert len({rect_in(b, panel).top() for b in buttons}) == 1
