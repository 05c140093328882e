"""The window redoes GUI work only when what it shows changes (issues #13/#15, round 2).

The chunk timeline's legend is rebuilt only for new colours or words, and the lesson colours its
code on a helper thread: these tests check that what a learner sees still follows every change.
"""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QPalette

from tutor.content.lesson import CodeSegment, load_lesson, parse_lesson
from tutor.engine.records import RunConfig
from tutor.ui.charts.styles import style_of
from tutor.ui.charts.timeline_chart import TimelineChartView
from tutor.ui.panels.lesson_colouring import LessonColouring
from tutor.ui.panels.lesson_view import LessonPanel

pytestmark = pytest.mark.lesson_colours  # these tests look at the coloured lesson


def legend(timeline: TimelineChartView) -> list[tuple[str, QColor, QColor]]:
    """(text, sample colour, label colour) of each legend entry."""
    return [
        (label.text, QColor(sample.item.opts["brush"].color()), QColor(label.opts["color"]))
        for sample, label in timeline._legend.items
    ]


def test_timeline_legend_follows_the_mode_the_wait_and_the_appearance(qtbot, shown_timeline):
    timeline = shown_timeline
    processes = RunConfig("primes", 100_000, mode="processes", workers=2)
    threads = RunConfig("primes", 100_000, mode="threads", workers=2)
    for config in (processes, threads, threads, processes):
        timeline.start_run(config)
        entries = legend(timeline)
        assert [text for text, _s, _l in entries][0] == "computing"
        assert entries[0][1] == QColor(style_of(config.mode).color), config.mode
    # A run of the same mode again keeps the legend as it is (no rebuild), and it stays right.
    before = [label for _sample, label in timeline._legend.items]
    timeline.start_run(processes)
    assert [label for _sample, label in timeline._legend.items] == before
    # The wait is worded for the workload: a sleeping run's legend says so.
    timeline.start_run(RunConfig("sleep", 100, mode="processes", workers=2))
    assert any("sleeping" in text for text, _s, _l in legend(timeline))
    # ...reworded in place: the same labels (and samples) carry the new words.
    assert [label for _sample, label in timeline._legend.items] == before
    # A new appearance recolours the labels even though mode and words did not change.
    palette = timeline.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#202020"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#eeeeee"))
    timeline.setPalette(palette)
    qtbot.waitUntil(lambda: all(c == QColor("#eeeeee") for _t, _s, c in legend(timeline)))


def test_colouring_calls_back_on_the_window_thread_and_only_the_newest(qtbot):
    lesson = load_lesson()
    owner = QObject()  # any QObject that lives on the window's thread
    colouring = LessonColouring(owner)
    calls: list[tuple[str, bool]] = []

    def ready(name: str):
        return lambda: calls.append((name, threading.current_thread() is threading.main_thread()))

    colouring.start(lesson, False, ready("replaced"))
    colouring.start(lesson, True, ready("newest"))
    assert colouring.is_pending()
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=60_000)
    assert calls == [("newest", True)]
    assert not colouring.is_pending()
    colouring.start(lesson, False, ready("cancelled"))
    colouring.cancel()
    colouring.start(lesson, False, ready("after cancel"))
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=60_000)
    assert calls[1] == ("after cancel", True)


def test_a_paused_colouring_waits_before_its_first_block_until_resumed(qtbot):
    """During a run the helper thread must not contend for the GIL with the window's thread."""
    owner = QObject()
    colouring = LessonColouring(owner)
    calls: list[str] = []
    colouring.pause(True)  # as when a run is going
    colouring.start(load_lesson(), False, lambda: calls.append("ready"))
    qtbot.waitUntil(colouring.is_waiting, timeout=60_000)
    assert calls == []  # nothing coloured: it stopped before the first block
    colouring.pause(False)  # the run ended
    qtbot.waitUntil(lambda: calls == ["ready"], timeout=60_000)
    assert not colouring.is_waiting()
    # Cancelled while paused, the thread ends without calling back.
    colouring.pause(True)
    colouring.start(load_lesson(), True, lambda: calls.append("cancelled"))
    qtbot.waitUntil(colouring.is_waiting, timeout=60_000)
    colouring.cancel()
    qtbot.waitUntil(lambda: not colouring.is_waiting(), timeout=60_000)
    colouring.pause(False)
    colouring.start(load_lesson(), True, lambda: calls.append("after"))
    qtbot.waitUntil(lambda: calls == ["ready", "after"], timeout=60_000)


def test_a_lesson_set_while_the_first_is_colouring_shows_coloured_as_itself(qtbot):
    first = load_lesson()
    markdown = "# A second lesson\n\n## Only section\n\nSome words.\n\n```python\nx = [1, 2]\n```\n"
    second = parse_lesson(markdown, lambda example_id: "")
    panel = LessonPanel(first, None)
    qtbot.addWidget(panel)
    panel.resize(560, 760)
    panel.show()
    qtbot.waitExposed(panel)
    view = panel.view()
    view.set_lesson(second)  # before the first lesson's colours could arrive
    qtbot.waitUntil(view.is_highlighted, timeout=60_000)
    text = view.toPlainText()
    assert "A second lesson" in text and first.title not in text
    assert any(isinstance(s, CodeSegment) for s in second.segments)
    assert "x = [1, 2]" in text
    # Coloured: the code's characters carry more than one colour.
    colours = set()
    block = view.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.text().strip() and fragment.text().strip() in "x = [1, 2]":
                colours.add(fragment.charFormat().foreground().color().name())
            iterator += 1
        block = block.next()
    assert len(colours) >= 2, colours
