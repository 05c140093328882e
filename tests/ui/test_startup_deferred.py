"""Start-up work moved after the first frame still happens, and a returning learner gets
everything back (#15: first paint of a returning learner's window, light and dark)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QPalette, QTextTable
from PySide6.QtWidgets import QApplication

from tutor.app import create_main_window
from tutor.content.lesson import load_lesson
from tutor.ui.panels.lesson_colour_timing import HIGHLIGHT_DELAY_MS
from tutor.ui.panels.lesson_view import LessonPanel
from tutor.ui.persistence.settings_store import SETTINGS_FILE_NAME
from tutor.ui.shell.theme import is_dark

pytestmark = pytest.mark.lesson_colours  # these tests look at the coloured lesson

READ_SECTION = "Processes: the way around the GIL, and what they cost"
# What a returning learner's settings file holds (the start-up benchmark uses the same).
RETURNING = (
    "[view]\ntheme={theme}\n[run]\nworkload=squares\nsize=123456\nworkers=3\n"
    "startMethod=spawn\nchunks=0\nprocessApi=processes\n"
    f'[progress]\nsections_read="[\\"{READ_SECTION}\\"]"\n'
    "[quiz]\nbest_score=3\nbest_total=4\nattempts=2\n"
)
MONOKAI_BACKGROUND = "#272822"  # the dark code style's block background (content.highlight)
FRIENDLY_BACKGROUND = "#f0f0f0"  # the light one's


@pytest.fixture(autouse=True)
def restore_the_palette():
    yield
    QApplication.setPalette(QPalette())


class FirstPaintSpy(QObject):
    """Records, at the lesson's first painted frame, whether its code was coloured yet."""

    def __init__(self, view) -> None:
        super().__init__()
        self.view = view
        self.highlighted_at_first_paint: bool | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            event.type() == QEvent.Type.Paint
            and watched is self.view.viewport()
            and self.highlighted_at_first_paint is None
        ):
            self.highlighted_at_first_paint = self.view.is_highlighted()
        return False


def code_backgrounds(view) -> set[str]:
    """The background colours of the lesson's code blocks (each is a one-cell table)."""
    return {
        frame.format().background().color().name()
        for frame in view.document().rootFrame().childFrames()
        if isinstance(frame, QTextTable)
        and frame.format().background().style() != Qt.BrushStyle.NoBrush
    }


def test_the_lessons_colours_wait_for_its_first_frame(qtbot):
    """Colouring the code re-renders the whole lesson: never before the lesson is on screen."""
    panel = LessonPanel(load_lesson(), None)
    qtbot.addWidget(panel)
    view = panel.view()
    later = QTimer()
    later.setSingleShot(True)
    with qtbot.waitSignal(later.timeout, timeout=60_000):
        later.start(3 * HIGHLIGHT_DELAY_MS)  # well past the delay, not yet shown
    assert not view.is_highlighted()
    panel.resize(560, 700)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.waitUntil(view.is_highlighted, timeout=60_000)


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_a_returning_learner_gets_everything_back_after_the_deferred_work(
    qtbot, isolated_settings, theme
):
    (isolated_settings / SETTINGS_FILE_NAME).write_text(
        RETURNING.format(theme=theme), encoding="utf-8"
    )
    window = create_main_window()
    qtbot.addWidget(window)
    view = window.lesson_panel.view()
    spy = FirstPaintSpy(view)
    view.viewport().installEventFilter(spy)
    reported: list[str] = []
    view.section_read.connect(reported.append)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: spy.highlighted_at_first_paint is not None, timeout=60_000)
    assert spy.highlighted_at_first_paint is False  # plain code in the first frame
    qtbot.waitUntil(view.is_highlighted, timeout=60_000)  # coloured after it

    dark = theme == "dark"
    assert is_dark(QApplication.instance().palette()) == dark
    assert window.menus.theme.theme() == theme
    assert code_backgrounds(view) == {MONOKAI_BACKGROUND if dark else FRIENDLY_BACKGROUND}
    for chart in (window.timing_chart, window.timeline_chart):
        lightness = chart.backgroundBrush().color().lightness()
        assert (lightness < 80) if dark else (lightness > 200), chart.objectName()
    panel = window.run_panel
    assert panel.workload_choice.currentData() == "squares"
    assert panel.workload_size.value() == 123_456
    assert panel.worker_count.value() == 3
    progress = window.course_progress.text()
    titles = window.lesson_panel.section_titles()
    assert f"Lesson: 1 of {len(titles)} sections read" in progress
    assert "Quiz: best 3/4" in progress
    # A section read in an earlier session is known to the lesson and not reported again.
    assert READ_SECTION in view.read_sections()
    assert view.scroll_to_section(READ_SECTION)
    qtbot.waitUntil(lambda: view.current_section() == READ_SECTION, timeout=60_000)
    assert READ_SECTION not in reported
    window.close()
