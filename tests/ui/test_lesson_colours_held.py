"""The lesson's colours wait while a run is going, and show as soon as it ends.

Showing them re-renders the whole lesson in one setHtml (50-75 ms of the window's thread), so
during a run it would stall the live charts; the plain lesson stays readable meanwhile.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from window_helpers import set_spin

from tutor.content.lesson import load_lesson, parse_lesson
from tutor.ui.panels.lesson_view import LessonPanel

pytestmark = pytest.mark.lesson_colours  # these tests look at the coloured lesson

SECOND = "# A second lesson\n\n## Only section\n\nWords.\n\n```python\nx = [1, 2]\n```\n"


def test_held_colours_show_when_released_and_only_for_the_lesson_shown(qtbot):
    panel = LessonPanel(load_lesson(), None)
    qtbot.addWidget(panel)
    panel.resize(560, 760)
    panel.show()
    qtbot.waitExposed(panel)
    view = panel.view()
    qtbot.waitUntil(view.is_highlighted, timeout=60_000)
    view.hold_colouring(True)
    view.set_lesson(parse_lesson(SECOND, lambda example_id: ""))
    qtbot.waitUntil(view.colours_held, timeout=60_000)
    assert not view.is_highlighted()  # plain code while held
    assert "A second lesson" in view.toPlainText()
    view.hold_colouring(False)
    qtbot.waitUntil(view.is_highlighted, timeout=10_000)  # after the run's own results
    assert not view.colours_held()
    assert "A second lesson" in view.toPlainText()


def test_the_window_holds_the_colours_during_a_run(qtbot, make_window):
    window = make_window()
    view = window.lesson_panel.view()
    qtbot.waitUntil(view.is_highlighted, timeout=60_000)
    panel = window.run_panel
    set_spin(qtbot, panel.workload_size, 20_000_000)  # long enough to colour during it
    qtbot.mouseClick(panel.run_processes_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.experiments.busy, timeout=30_000)
    view.set_lesson(view.lesson())  # plain again; its colours come back during the run
    qtbot.waitUntil(view.colours_held, timeout=60_000)
    assert not view.is_highlighted()
    with qtbot.waitSignal(window.controller.batch_finished, timeout=60_000):
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(view.is_highlighted, timeout=10_000)
