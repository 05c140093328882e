"""The lesson's code colours are painted onto the text already shown, not by a re-render.

A whole re-render (one setHtml of the coloured lesson) held the window's thread for over 50 ms
right after a run's results. The colours now go onto the plain code where it stands, a slice per
event-loop turn: the learner's place in the lesson, the selection and the text stay, and the
code ends up with the very colours a whole coloured render gives it.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor, QTextDocument

from tutor.content.lesson import load_lesson, parse_lesson
from tutor.ui.panels.lesson_html import lesson_html
from tutor.ui.panels.lesson_view import LessonPanel

pytestmark = pytest.mark.lesson_colours  # these tests look at the coloured lesson

TWO_BLOCKS = (
    "# Two blocks\n\n## First\n\nSome words.\n\n```python\ndef f(x):\n    # twice\n"
    '    return 2 * x  # "doubled"\n```\n\n## Second\n\nMore words.\n\n'
    "```python\nimport math\n\nprint(math.pi, 'pi')\n```\n"
)


def code_colours(document: QTextDocument) -> list[tuple[str, str, bool, bool]]:
    """(text, foreground, bold, italic) of every fragment of monospaced (code) text."""
    found = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            fmt = fragment.charFormat()
            if "DejaVu Sans Mono" in (fmt.fontFamilies() or []):
                for char in fragment.text():
                    if not char.isspace():
                        found.append(
                            (
                                char,
                                fmt.foreground().color().name(),
                                fmt.fontWeight() > 400,
                                fmt.fontItalic(),
                            )
                        )
            iterator += 1
        block = block.next()
    return found


def shown_panel(qtbot, lesson=None) -> LessonPanel:
    panel = LessonPanel(lesson or load_lesson(), None)
    qtbot.addWidget(panel)
    panel.resize(560, 700)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_colours_go_onto_the_text_shown_and_keep_the_place_and_selection(qtbot):
    panel = shown_panel(qtbot)
    view = panel.view()
    view.hold_colouring(True)  # colours wait, as during a run
    qtbot.waitUntil(view.colours_held, timeout=60_000)
    view.complete_lesson()
    document = view.document()
    plain_text = view.toPlainText()
    scrollbar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: scrollbar.maximum() > 2000, timeout=60_000)
    caret = QTextCursor(document)
    caret.setPosition(1000)
    caret.setPosition(1040, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(caret)
    selected = view.textCursor().selectedText()
    scrollbar.setValue(scrollbar.maximum() // 2)  # reading further down than the selection
    place = scrollbar.value()
    removed: list[int] = []
    document.contentsChange.connect(lambda _at, gone, _added: removed.append(gone))

    view.hold_colouring(False)  # the run ended
    qtbot.waitUntil(view.is_highlighted, timeout=60_000)

    assert view.document() is document and view.toPlainText() == plain_text
    assert removed and max(removed) < document.characterCount() // 4  # edits, never the whole
    assert len(removed) > 1  # painted in slices
    assert scrollbar.value() == place
    assert view.textCursor().selectedText() == selected
    assert len({colour for _, colour, _, _ in code_colours(document)}) >= 4


@pytest.mark.parametrize("dark", [False, True])
def test_painted_colours_are_the_colours_of_a_whole_coloured_render(qtbot, dark):
    lesson = parse_lesson(TWO_BLOCKS, lambda example_id: "")
    panel = shown_panel(qtbot, lesson)
    view = panel.view()
    qtbot.waitUntil(view.is_highlighted, timeout=60_000)
    painted = view.document() if not dark else None
    if dark:  # the same lesson rendered plain in the dark palette, then coloured in place
        from tutor.ui.widgets.palette_tone import is_dark

        palette = view.palette()
        from PySide6.QtGui import QColor, QPalette

        palette.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
        palette.setColor(QPalette.ColorRole.Text, QColor("#eeeeee"))
        palette.setColor(QPalette.ColorRole.Window, QColor("#1e1e1e"))
        view.setPalette(palette)
        assert is_dark(view.palette())
        view.set_lesson(lesson)
        qtbot.waitUntil(view.is_highlighted, timeout=60_000)
        painted = view.document()
    whole = QTextDocument()
    whole.setHtml(lesson_html(lesson, dark=dark, colour=True))
    expected = code_colours(whole)
    assert len({colour for _, colour, _, _ in expected}) >= 3  # a lesson with real colours
    assert code_colours(painted) == expected
