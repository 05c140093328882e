"""The lesson's first screen first: the first frame gets the top of the lesson, everyone who
reads the lesson gets all of it (#15: a returning learner's first paint)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject

from tutor.content.lesson import CodeSegment, Lesson, ProseSegment, load_lesson
from tutor.ui.panels.lesson_first_screen import first_screen
from tutor.ui.panels.lesson_view import LessonPanel


def segment_chars(lesson: Lesson) -> list[int]:
    return [len(s.markdown if isinstance(s, ProseSegment) else s.source) for s in lesson.segments]


def test_the_first_screen_is_the_leading_whole_segments_holding_enough_text():
    lesson = load_lesson()
    short = first_screen(lesson, chars=4000)
    assert short is not None
    sizes = segment_chars(short)
    assert short.segments == lesson.segments[: len(short.segments)]  # a prefix, in order
    assert sum(sizes) >= 4000 and sum(sizes[:-1]) < 4000  # no segment more than needed
    assert short.title == lesson.title


def test_a_lesson_shorter_than_a_screen_is_not_cut():
    lesson = Lesson(
        title="Tiny",
        markdown="# Tiny\n\nOne line.\n",
        segments=(ProseSegment("# Tiny\n\nOne line.\n"), CodeSegment("print(1)\n", "python")),
    )
    assert first_screen(lesson) is None
    assert first_screen(load_lesson(), chars=10**9) is None


def test_code_that_reads_an_unpainted_lesson_gets_all_of_it(qtbot):
    lesson = load_lesson()
    panel = LessonPanel(lesson, None)
    qtbot.addWidget(panel)
    view = panel.view()
    assert not view.is_complete()  # never painted: only the first screen so far
    last = lesson.section_titles()[-1]
    assert last in view.toPlainText()  # read: the whole lesson at once
    assert view.is_complete()


def test_a_section_beyond_the_first_screen_can_be_reached_before_the_first_frame(qtbot):
    lesson = load_lesson()
    panel = LessonPanel(lesson, None)
    qtbot.addWidget(panel)
    view = panel.view()
    last = lesson.section_titles()[-1]
    assert view.section_top(last) is not None
    assert view.scroll_to_section(last)
    assert len(view.links()) >= 10  # every link of the lesson, not only the first screen's


class FirstPaint(QObject):
    """Records, at the lesson's first painted frame, whether it held the whole lesson."""

    def __init__(self, view) -> None:
        super().__init__()
        self.view = view
        self.complete_at_first_paint: bool | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint and self.complete_at_first_paint is None:
            self.complete_at_first_paint = self.view.is_complete()
        return False


def test_the_first_frame_shows_the_top_and_the_rest_follows(qtbot):
    lesson = load_lesson()
    panel = LessonPanel(lesson, None)
    qtbot.addWidget(panel)
    view = panel.view()
    spy = FirstPaint(view)
    view.viewport().installEventFilter(spy)
    panel.resize(560, 700)
    panel.show()
    qtbot.waitUntil(lambda: spy.complete_at_first_paint is not None, timeout=60_000)
    assert spy.complete_at_first_paint is False  # the first frame waited for less text
    qtbot.waitUntil(view.is_complete, timeout=60_000)  # the rest follows by itself
    top = view.cursorForPosition(view.viewport().rect().topLeft()).block().text()
    assert top.startswith(lesson.title[:20])  # still at the top of the lesson
    assert view.scroll_to_section(lesson.section_titles()[-1])
    qtbot.waitUntil(lambda: view.current_section() == lesson.section_titles()[-1], timeout=60_000)
