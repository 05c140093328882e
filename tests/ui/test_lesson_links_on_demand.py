"""The lesson's links and headings are read from the document when asked for, not at each
render (the first frame waits for no walk of the whole lesson): they must still be those of
the document on screen, before and after the lesson is coloured and when the lesson changes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tutor.content.lesson import parse_lesson
from tutor.ui.panels.lesson_reading import document_headings, document_links

pytestmark = pytest.mark.lesson_colours  # these tests look at the coloured lesson

SMALL = """# A small lesson

## Only section

Read [the Python docs](https://docs.python.org/3/) and nothing else.
"""


def _assert_reading_matches_document(view) -> None:
    assert view.links() == document_links(view.document())
    assert view.headings() == document_headings(view.document())


def _tab_from_top(qtbot, view) -> str:
    view.setFocus()
    view.moveCursor(view.textCursor().MoveOperation.Start)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    return view.textCursor().selectedText()


def test_links_and_headings_follow_every_render_of_the_lesson(qtbot, window):
    view = window.lesson_panel.view()
    full = view.lesson()
    first_links = view.links()
    assert len(first_links) >= 15 and len(view.headings()) >= 5
    _assert_reading_matches_document(view)
    qtbot.waitUntil(view.is_highlighted, timeout=60_000)  # the coloured second render
    _assert_reading_matches_document(view)
    assert [link.name for link in view.links()] == [link.name for link in first_links]

    # Another lesson: its one link and two headings, never the old lesson's.
    view.set_lesson(parse_lesson(SMALL, lambda example_id: ""))
    assert [(link.name, link.href) for link in view.links()] == [
        ("the Python docs", "https://docs.python.org/3/")
    ]
    assert [h.text for h in view.headings()] == ["A small lesson", "Only section"]
    assert _tab_from_top(qtbot, view) == "the Python docs"

    view.set_lesson(full)
    _assert_reading_matches_document(view)
    assert _tab_from_top(qtbot, view) == view.links()[0].name == first_links[0].name
