"""The window stays usable from 1024×640 up: nested scrolling, splitter handles, Run buttons in
view, a zoom that can be undone, a run panel that stays put during a run."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QPalette, QWheelEvent
from PySide6.QtWidgets import QApplication, QScrollArea, QSplitter, QWidget
from window_helpers import small_process_run, wait_for_stable_layout


def settle(qtbot, window, width: int, height: int) -> None:
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.width() == width and window.height() == height)
    wait_for_stable_layout(qtbot, window)  # queued layout passes, the column's division


def inside_visible_parent(widget: QWidget) -> bool:
    """The widget's whole rectangle shows: inside every ancestor up to the window."""
    rect = widget.rect()
    top_left, bottom_right = rect.topLeft(), rect.bottomRight()
    parent = widget.parentWidget()
    child = widget
    while parent is not None:
        top_left = child.mapTo(parent, top_left)
        bottom_right = child.mapTo(parent, bottom_right)
        if not (parent.rect().contains(top_left) and parent.rect().contains(bottom_right)):
            return False
        if parent.isWindow():
            return True
        child, parent = parent, parent.parentWidget()
    return True


def scroll_values(widget: QWidget) -> list[int]:
    values = []
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            values.append(parent.verticalScrollBar().value())
        parent = parent.parentWidget()
    return values


def wheel(widget: QWidget, steps: int) -> None:
    """Turn the mouse wheel over the middle of `widget`, delivered as the system delivers it:
    to the window, which passes it to the widget under the pointer and up its parents."""
    window = widget.window()
    centre = widget.rect().center()
    local = QPointF(widget.mapTo(window, centre))
    event = QWheelEvent(
        local,
        QPointF(widget.mapToGlobal(centre)),
        QPoint(0, 0),
        QPoint(0, -120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(window.windowHandle(), event)


@pytest.mark.shared_window
def test_the_wheel_over_the_results_table_never_scrolls_the_tabs_away(qtbot, window):
    settle(qtbot, window, 1024, 640)
    table = window.results_table
    tab_bar = window.bottom_tabs.tabBar()
    # The wheel goes to the innermost scrolling view, then to its scrolling ancestors once it
    # has nothing left to scroll: no scroll area may hold the tab bar (it did, and the tabs
    # slid out of view), and the pages scroll on their own.
    assert scroll_values(tab_bar) == []
    assert scroll_values(table) == []  # the table scrolls itself
    for page in (window.time_breakdown, window.interpreters_panel, window.console):
        assert len(scroll_values(page)) == 1
    before = scroll_values(table)
    assert inside_visible_parent(tab_bar)
    for steps in (3, 10, -10):
        wheel(table.viewport(), steps)
        assert scroll_values(table) == before
        assert inside_visible_parent(tab_bar)


@pytest.mark.shared_window
def test_every_splitter_has_a_handle_one_can_see(qtbot, window):
    settle(qtbot, window, 1280, 800)
    tabs = (
        window.time_breakdown,
        window.interpreters_panel,
        window.start_method_panel,
        window.exercises_panel,
        window.code_panel,
    )
    assert all(tab is not None for tab in tabs)  # every tab built: their splitters too
    splitters = window.findChildren(QSplitter)
    assert len(splitters) >= 4
    background = window.palette().color(QPalette.ColorRole.Window)
    for splitter in splitters:
        if not splitter.isVisibleTo(window) or splitter.count() < 2:
            continue
        handle = splitter.handle(1)
        across = handle.width() if splitter.orientation() == Qt.Horizontal else handle.height()
        assert across >= 5, splitter.objectName()
        image = handle.grab().toImage()
        centre = image.pixelColor(image.width() // 2, image.height() // 2)
        assert centre != background, f"{splitter.objectName()}: handle drawn as background"


def run_buttons(window) -> list[QWidget]:
    panel = window.run_panel
    return [
        panel.run_sequential_button,
        panel.run_processes_button,
        panel.run_threads_button,
        panel.sweep_button,
        panel.cancel_button,
    ]


@pytest.mark.shared_window
def test_run_buttons_stay_in_view_however_the_splitter_is_dragged(qtbot, window):
    settle(qtbot, window, 1024, 640)
    qtbot.waitUntil(lambda: all(inside_visible_parent(b) for b in run_buttons(window)))
    splitter = window.right_splitter
    for handle, position in ((1, 0), (2, 0), (1, splitter.height())):
        splitter.moveSplitter(position, handle)  # what dragging a handle does
        qtbot.waitUntil(lambda: all(inside_visible_parent(b) for b in run_buttons(window)))
    # At this size the charts and the table keep a place too.
    for widget in (window.timing_chart, window.timeline_chart, window.bottom_tabs.tabBar()):
        assert widget.isVisible() and widget.height() > 20


def test_zoom_in_and_back_restores_the_layout_and_the_reading_place(qtbot, window):
    settle(qtbot, window, 1280, 800)
    panel = window.lesson_panel
    titles = panel.section_titles()
    assert panel.scroll_to_section(titles[3])
    qtbot.waitUntil(lambda: panel.view().current_section() == titles[3])
    sizes = window.right_splitter.sizes()
    scroll = panel.view().verticalScrollBar().value()
    actions = window.menus.actions
    actions["zoomInAction"].trigger()
    actions["zoomInAction"].trigger()
    assert window.menus.zoom.percent() > 100
    qtbot.waitUntil(lambda: panel.view().current_section() == titles[3])
    actions["zoomResetAction"].trigger()
    assert window.menus.zoom.percent() == 100
    qtbot.waitUntil(lambda: window.right_splitter.sizes() == sizes)
    qtbot.waitUntil(lambda: panel.view().current_section() == titles[3])
    line = panel.view().fontMetrics().lineSpacing()
    assert abs(panel.view().verticalScrollBar().value() - scroll) <= 2 * line  # same lines
    assert all(inside_visible_parent(b) for b in run_buttons(window))


def test_the_run_panel_stays_put_during_a_run(qtbot, window):
    settle(qtbot, window, 1024, 640)
    area = window.findChild(QScrollArea, "runPanelScroll")
    area.verticalScrollBar().setValue(0)
    moved = []
    area.verticalScrollBar().valueChanged.connect(moved.append)
    small_process_run(qtbot, window)
    assert moved == []
    panel = window.run_panel
    # The rows on top and the run's status line under the progress bar, whole.
    for row in (panel.workload_choice, panel.workload_size, panel.run_progress, panel.run_status):
        qtbot.waitUntil(lambda row=row: inside_visible_parent(row))


def test_speedup_and_efficiency_show_whole_in_a_small_window(qtbot, window):
    settle(qtbot, window, 1024, 640)
    small_process_run(qtbot, window)
    table = window.results_table
    header = table.horizontalHeader()
    titles = [table.model().headerData(i, Qt.Orientation.Horizontal) for i in range(header.count())]
    for title in ("Speedup", "Efficiency", "Result"):
        column = titles.index(title)
        left = header.sectionViewportPosition(column)
        assert left >= 0 and left + header.sectionSize(column) <= table.viewport().width(), title
        for row in range(table.model().rowCount()):  # no cell cut short ("9,592…")
            needed = table.sizeHintForIndex(table.model().index(row, column)).width()
            assert header.sectionSize(column) >= needed, (title, row)


def test_a_first_start_in_a_1024_px_window_shows_the_run_panel_rows_whole(qtbot):
    """No saved layout, a window opened at 1024×640: the lesson gives up width so the run
    panel's rows (Workers, Chunks, the Dask button) are not cut off on the right."""
    from window_helpers import show_window

    from tutor.app import create_main_window

    window = create_main_window()
    window.run_panel.repeat_count.setValue(1)
    window.resize(1024, 640)
    show_window(qtbot, window)
    try:
        panel = window.run_panel
        area = panel.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        qtbot.waitUntil(lambda: not area.horizontalScrollBar().isVisible(), timeout=10_000)
        for widget in (panel.worker_count, panel.chunk_count, panel.cancel_button):
            assert inside_visible_parent(widget), widget.objectName()
    finally:
        window.close()
