"""What start-up was made cheaper for still holds (#15: a returning learner's first paint).

- The collector is paused while the window is built (tutor/startup_gc.py): it is on again
  once the window is up, and nothing stays frozen out of it after the window closes.
- The run panel's reflowing layouts remember heights by width: a height still follows every
  change that alters it (a widget hidden or shown, a longer text, a wider field).
- The Run buttons are kept in view once per settling of the layout, not once per event.
- The example console is built after the first frame (or when first needed): a lesson's
  example link still runs in it, and a window closed before it was built closes cleanly.
(A returning learner's settings coming back: tests/ui/test_startup_deferred.py and
tests/ui/test_main_window.py.)
"""

from __future__ import annotations

import gc

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QWidget

from tutor.app import create_main_window
from tutor.content.links import example_link
from tutor.ui.shell.lazy_page import LazyPage
from tutor.ui.widgets.reflow_layouts import FlowRowLayout, PairedFormLayout


@pytest.fixture(autouse=True)
def restore_the_palette():
    yield
    QApplication.setPalette(QPalette())


def test_the_collector_is_on_once_the_window_is_built_and_nothing_stays_frozen_after(
    qtbot, isolated_settings
):
    window = create_main_window()
    qtbot.addWidget(window)
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0  # the window's objects: out of later full passes
    window.show()
    qtbot.waitExposed(window)
    window.close()
    assert gc.get_freeze_count() == 0  # closed: everything is the collector's again
    assert gc.isenabled()


def row_of_buttons(qtbot, texts: list[str]) -> tuple[QWidget, FlowRowLayout, list[QPushButton]]:
    host = QWidget()
    qtbot.addWidget(host)
    layout = FlowRowLayout(host)
    buttons = [QPushButton(text) for text in texts]
    for button in buttons:
        layout.add_widget(button)
    return host, layout, buttons


def test_a_flow_rows_height_follows_a_hidden_and_a_shown_button(qtbot):
    host, layout, buttons = row_of_buttons(qtbot, ["Run with 2 processes"] * 4)
    host.show()
    width = buttons[0].sizeHint().width() + 40  # one button a line
    four = layout.heightForWidth(width)
    assert layout.heightForWidth(width) == four  # asked again: the same answer
    buttons[2].hide()
    buttons[3].hide()
    qtbot.waitUntil(lambda: layout.heightForWidth(width) < four, timeout=60_000)
    two = layout.heightForWidth(width)
    buttons[3].show()
    qtbot.waitUntil(lambda: two < layout.heightForWidth(width) < four, timeout=60_000)


def test_a_flow_rows_height_follows_a_longer_text(qtbot):
    host, layout, buttons = row_of_buttons(qtbot, ["Run", "Sweep"])
    host.show()
    width = sum(b.sizeHint().width() for b in buttons) + 40  # one line
    one_line = layout.heightForWidth(width)
    buttons[0].setText("Run with 16 processes and then some more words")
    qtbot.waitUntil(lambda: layout.heightForWidth(width) > one_line, timeout=60_000)


def test_a_paired_forms_height_follows_a_wider_field(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    layout = PairedFormLayout(host)
    fields = [QLineEdit() for _ in range(4)]
    for index, field in enumerate(fields):
        layout.add_pair(QLabel(f"Setting {index}"), field)
    host.show()
    width = layout.sizeHint().width()  # two pairs a line, just
    two_a_line = layout.heightForWidth(width)
    fields[0].setMinimumWidth(width)  # now only one pair a line fits
    qtbot.waitUntil(lambda: layout.heightForWidth(width) > two_a_line, timeout=60_000)


def test_the_run_buttons_stay_in_view_after_the_window_settles(qtbot, isolated_settings):
    window = create_main_window()
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    area = window.run_panel.parentWidget().parentWidget()  # the scroll area (panel in its viewport)
    button = window.run_panel.run_processes_button

    def button_in_view() -> bool:
        bottom = button.mapTo(area, button.rect().bottomLeft()).y()
        return area.minimumHeight() > 0 and bottom <= area.height()

    qtbot.waitUntil(button_in_view, timeout=60_000)
    window.close()


def test_an_example_link_runs_in_the_console_even_before_it_was_built(qtbot, window):
    page = window.findChild(LazyPage, "consolePage")
    assert not page.is_built  # not part of the first frame (the UI tests build on demand)
    window.lesson_panel.view().open_link(example_link("pool_primes"))
    assert page.is_built
    assert window.bottom_tabs.currentWidget() is page  # the console tab came to the front
    console = window.console
    assert window.current_tab() is console
    assert console.is_running() and window.experiments.busy
    with qtbot.waitSignal(console.example_finished, timeout=60_000) as finished:
        pass
    assert finished.args == ["pool_primes", 0]
    assert "9,592" in console.output_text()
    assert not window.experiments.busy


def test_a_window_closed_before_its_console_was_built_closes_cleanly(qtbot, make_window):
    window = make_window()
    assert not window.findChild(LazyPage, "consolePage").is_built
    window.close()  # the fixture then checks that no child process is left
    assert not window.isVisible()
