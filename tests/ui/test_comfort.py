"""Comfort: light and dark palettes, one window-wide zoom, and the keyboard for everything."""

from __future__ import annotations

import time

import pytest
from process_checks import run_children, wait_no_children
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QPalette, QTextTable, QWheelEvent
from PySide6.QtWidgets import QApplication, QDialog, QPushButton
from window_helpers import RUN_TIMEOUT_MS, set_spin

from tutor.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from tutor.ui.shell.theme import dark_palette

pytestmark = pytest.mark.lesson_colours  # these tests look at the coloured lesson

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def restore_the_palette():
    """The palette is application-wide: leave it as found (after the windows of conftest.py)."""
    yield
    QApplication.setPalette(QPalette())


def lightness(colour) -> int:
    return colour.lightness()


def code_backgrounds(window) -> list:
    """Background colours of the lesson's code blocks (each is a one-cell table)."""
    view = window.lesson_panel.view()
    qtbot_wait_highlighted(view)
    colours = []
    for frame in view.document().rootFrame().childFrames():
        background = frame.format().background()
        if isinstance(frame, QTextTable) and background.style() != Qt.BrushStyle.NoBrush:
            colours.append(frame.format().background().color())
    return colours


def link_colours(window) -> set[str]:
    """The colours the lesson's links are drawn in (each link's text)."""
    document = window.lesson_panel.view().document()
    colours = set()
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.charFormat().isAnchor():
                colours.add(fragment.charFormat().foreground().color().name())
            fragments += 1
        block = block.next()
    return colours


def assert_links_in_palette_colour(window) -> None:
    """Links in the palette's link colour: readable on its background, light or dark."""
    link = window.lesson_panel.view().palette().color(QPalette.ColorRole.Link).name()
    assert link_colours(window) == {link}


def qtbot_wait_highlighted(view) -> None:
    deadline = time.monotonic() + 5
    while not view.is_highlighted() and time.monotonic() < deadline:
        QApplication.processEvents()


def chart_colours(chart) -> tuple:
    axis = chart.getPlotItem().getAxis("bottom")
    return chart.backgroundBrush().color(), axis.textPen().color()


# --- light and dark ----------------------------------------------------------------------------


def assert_dark(window) -> None:
    for chart in (window.timing_chart, window.timeline_chart):
        background, text = chart_colours(chart)
        assert lightness(background) < 80, chart.objectName()
        assert lightness(text) > 170, chart.objectName()
    backgrounds = code_backgrounds(window)
    assert backgrounds and all(lightness(c) < 100 for c in backgrounds)
    assert lightness(window.results_table.palette().color(QPalette.ColorRole.Base)) < 80
    assert lightness(window.run_panel.palette().color(QPalette.ColorRole.WindowText)) > 170
    # Switched at run time, most links kept the light palette's dark blue (#0000ff).
    assert_links_in_palette_colour(window)


def assert_light(window) -> None:
    for chart in (window.timing_chart, window.timeline_chart):
        background, text = chart_colours(chart)
        assert lightness(background) > 200 and lightness(text) < 100
    assert all(lightness(c) > 180 for c in code_backgrounds(window))
    assert_links_in_palette_colour(window)


def test_a_dark_system_palette_darkens_charts_and_lesson_code(qtbot, window):
    assert_light(window)
    QApplication.setPalette(dark_palette())  # what a platform theme does when it goes dark
    qtbot.waitUntil(lambda: window.lesson_panel.view()._rendered_dark is True, timeout=30_000)
    assert_dark(window)
    QApplication.setPalette(QPalette())
    qtbot.waitUntil(lambda: window.lesson_panel.view()._rendered_dark is False, timeout=30_000)
    assert_light(window)


def test_view_appearance_dark_is_chosen_from_the_menu_and_remembered(qtbot, make_window):
    window = make_window()
    action = window.menus.actions["themeDarkAction"]
    assert action.isCheckable() and not action.isChecked()
    action.trigger()
    assert action.isChecked() and window.menus.theme.theme() == "dark"
    qtbot.waitUntil(lambda: window.lesson_panel.view()._rendered_dark is True, timeout=30_000)
    assert_dark(window)
    window.close()
    QApplication.setPalette(QPalette())
    again = make_window()
    assert again.menus.actions["themeDarkAction"].isChecked()
    assert_dark(again)
    again.menus.actions["themeSystemAction"].trigger()
    qtbot.waitUntil(lambda: again.lesson_panel.view()._rendered_dark is False, timeout=30_000)
    assert_light(again)


# --- zoom --------------------------------------------------------------------------------------


def sizes(window) -> dict[str, float]:
    return {
        "run panel": window.run_panel.workload_choice.font().pointSizeF(),
        "run button": window.run_panel.run_processes_button.font().pointSizeF(),
        "timing chart": window.timing_chart.font().pointSizeF(),
        "timing ticks": window.timing_chart.getPlotItem()
        .getAxis("bottom")
        .style["tickFont"]
        .pointSizeF(),
        "timeline": window.timeline_chart.font().pointSizeF(),
        "results": window.results_table.font().pointSizeF(),
        "lesson": window.lesson_panel.view().font().pointSizeF(),
        "outline": window.lesson_panel.outline().font().pointSizeF(),
    }


def test_ctrl_plus_zooms_lesson_run_panel_and_charts_and_is_remembered(qtbot, make_window):
    window = make_window()
    before = sizes(window)
    qtbot.keyClick(window.run_panel.workload_size, Qt.Key.Key_Plus, CTRL)
    qtbot.keyClick(window.run_panel.workload_size, Qt.Key.Key_Plus, CTRL)
    after = sizes(window)
    assert window.menus.zoom.percent() == 125
    assert window.lesson_panel.zoom_percent() == 125
    for part, size in before.items():
        assert after[part] == pytest.approx(size * 1.25, rel=0.02), part
    qtbot.keyClick(window.timing_chart, Qt.Key.Key_Equal, CTRL)  # Ctrl+= works as well
    assert window.menus.zoom.percent() == 150
    window.close()

    again = make_window()
    assert again.menus.zoom.percent() == 150
    assert sizes(again)["run panel"] == pytest.approx(before["run panel"] * 1.5, rel=0.02)
    assert again.lesson_panel.zoom_percent() == 150
    qtbot.keyClick(again.lesson_panel.view(), Qt.Key.Key_0, CTRL)
    assert sizes(again) == pytest.approx(before)
    qtbot.keyClick(again.results_table, Qt.Key.Key_Minus, CTRL)
    assert again.menus.zoom.percent() == 90


@pytest.mark.shared_window
def test_the_monospace_editor_and_console_scale_from_their_own_size(qtbot, window):
    editor = window.code_panel.editor
    family, size = editor.font().family(), editor.font().pointSizeF()
    window.menus.zoom.set_percent(200)
    assert editor.font().family() == family
    assert editor.font().pointSizeF() == pytest.approx(size * 2)
    window.menus.zoom.reset()
    assert editor.font().pointSizeF() == pytest.approx(size)


@pytest.mark.shared_window
def test_ctrl_wheel_over_the_lesson_zooms_the_whole_window(qtbot, window):
    view = window.lesson_panel.view()
    before = window.run_panel.font().pointSizeF()
    event = QWheelEvent(
        QPointF(20, 20),
        QPointF(view.mapToGlobal(QPoint(20, 20))),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        CTRL,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)
    assert window.menus.zoom.percent() == 110
    assert window.run_panel.font().pointSizeF() == pytest.approx(before * 1.1)


@pytest.mark.shared_window
def test_a_dialog_opened_after_zooming_is_zoomed_too(qtbot, window):
    normal = window.font().pointSizeF()
    window.menus.zoom.set_percent(200)
    dialog = window.menus.show_shortcuts()
    assert dialog.font().pointSizeF() == pytest.approx(normal * 2)
    window.open_quiz()
    quiz = window.findChild(QDialog, "QuizDialog")
    assert quiz.font().pointSizeF() == pytest.approx(normal * 2)


@pytest.mark.shared_window
def test_an_open_quiz_zooms_with_the_window(qtbot, window):
    window.open_quiz()
    dialog = window.findChild(QDialog, "QuizDialog")
    before = dialog.font().pointSizeF()
    window.menus.zoom.set_percent(150)
    assert dialog.font().pointSizeF() == pytest.approx(before * 1.5)


# --- keyboard ----------------------------------------------------------------------------------


def test_keyboard_only_run_cancel_sections_quiz_and_help(qtbot, window):
    panel = window.run_panel
    set_spin(qtbot, panel.workload_size, 50_000_000)
    set_spin(qtbot, panel.worker_count, 2)
    view = window.lesson_panel.view()
    view.setFocus()

    qtbot.keyClick(view, Qt.Key.Key_R, CTRL)  # run with processes
    assert window.controller.busy and panel.cancel_button.isEnabled()
    assert not window.menus.actions["runProcessesAction"].isEnabled()
    qtbot.waitUntil(lambda: len(run_children()) >= 1, timeout=30_000)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=30_000):
        qtbot.keyClick(view, Qt.Key.Key_Escape)  # cancel
    # During the baseline the batch added: named as such, not "Cancelled sequential."
    assert panel.run_status.text().startswith("Cancelled step 1 of 2, the sequential baseline")
    assert wait_no_children() == []
    assert window.menus.actions["runProcessesAction"].isEnabled()

    set_spin(qtbot, panel.workload_size, 10_000)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        qtbot.keyClick(panel.workload_size, Qt.Key.Key_T, CTRL)  # run with threads
    assert "1,229 ✓" in window.results_table.rows_as_text()[-1]

    titles = window.lesson_panel.section_titles()
    assert view.current_section() is None  # the introduction, above the first section
    qtbot.keyClick(window.results_table, Qt.Key.Key_Down, CTRL)  # next section
    assert view.current_section() == titles[0]
    assert view.hasFocus()  # the reader continues in the lesson
    qtbot.keyClick(view, Qt.Key.Key_Down, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Down, CTRL)
    assert view.current_section() == titles[2]
    qtbot.keyClick(view, Qt.Key.Key_Up, CTRL)  # previous section
    assert view.current_section() == titles[1]
    assert window.lesson_panel.outline().currentRow() == 1
    for _ in titles:
        qtbot.keyClick(view, Qt.Key.Key_Down, CTRL)
    assert window.menus.next_section() is None  # at the end it stays
    assert "last section" in window.statusBar().currentMessage()

    qtbot.keyClick(view, Qt.Key.Key_K, CTRL)  # the quiz
    quiz = window.findChild(QDialog, "QuizDialog")
    assert quiz is not None and quiz.isVisible()
    quiz.close()

    qtbot.keyClick(view, Qt.Key.Key_F1)  # the list of keys
    shortcuts = window.findChild(ShortcutsDialog, "shortcutsDialog")
    assert shortcuts is not None and shortcuts.isVisible()
    rows = shortcuts.rows()
    for keys, words in (
        ("Ctrl+R", "processes"),
        ("Ctrl+T", "threads"),
        ("Esc", "cancel the run"),
        ("Ctrl+K", "quiz"),
        ("Ctrl+Down", "next section"),
        ("Ctrl+Shift+S", "save report"),
    ):
        match = [what.lower() for k, what in rows if keys in k.split(" or ")]
        assert any(words.lower() in what for what in match), keys
    assert any("Ctrl++" in keys for keys, _what in rows)


@pytest.mark.shared_window
def test_focus_keys_reach_every_area_and_charts_take_tab_focus(qtbot, window):
    for keys, widget in (
        (Qt.Key.Key_1, window.lesson_panel.view()),
        (Qt.Key.Key_2, window.run_panel.workload_choice),
        (Qt.Key.Key_3, window.timing_chart),
        (Qt.Key.Key_4, window.results_table),
    ):
        qtbot.keyClick(window.focusWidget() or window, keys, CTRL)
        assert widget.hasFocus(), widget.objectName()
    assert window.timing_chart.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert window.timeline_chart.focusPolicy() & Qt.FocusPolicy.TabFocus


@pytest.mark.shared_window
def test_save_report_button_sits_beside_the_quiz_button(window):
    button = window.findChild(QPushButton, "saveReportButton")
    quiz = window.findChild(QPushButton, "quizButton")
    assert button.isVisible() and button.y() == quiz.y() and button.x() < quiz.x()


@pytest.mark.shared_window
def test_run_menu_texts_follow_the_worker_count(qtbot, window):
    set_spin(qtbot, window.run_panel.worker_count, 3)
    assert window.menus.actions["runProcessesAction"].text() == "Run with 3 processes"
    assert window.menus.actions["runThreadsAction"].text() == "Run with 3 threads"
