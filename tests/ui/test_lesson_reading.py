"""Reading the lesson with a screen reader: links that say what they run, headings to jump
between, and Tab that starts where one is reading (checked through QAccessible)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication

from tutor.content.examples import get_example
from tutor.ui.panels.lesson_view import RUN_EXAMPLE_TEXT


def test_lesson_links_have_distinct_names_and_tab_starts_where_one_reads(qtbot, window):
    view = window.lesson_panel.view()
    links = view.links()
    names = [link.name for link in links]
    assert len(links) >= 15 and all(names)
    assert len(set(names)) == len(names), [n for n in names if names.count(n) > 1]
    # A screen reader reads a link's name from the accessible text under it.
    text = QAccessible.queryAccessibleInterface(view).textInterface()
    for link in links:
        assert text.text(link.start, link.end) == link.name
    # Each "Run this example" link says which example it runs.
    examples = [link for link in links if link.name.startswith(RUN_EXAMPLE_TEXT)]
    assert len(examples) == 5
    for link in examples:
        example_id = link.href.split("id=")[1]
        assert get_example(example_id).title in link.name

    said: list[str] = []
    window.announcer.announced.connect(said.append)
    titles = window.lesson_panel.section_titles()
    assert window.lesson_panel.scroll_to_section(titles[1])
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    # The first link of that section, not the first of the lesson.
    section_start = view.section_top(titles[1])
    selected = view.textCursor().selectedText()
    first_after = next(
        link
        for link in links
        if view.document()
        .documentLayout()
        .blockBoundingRect(view.document().findBlock(link.start))
        .top()
        >= section_start
    )
    assert selected == first_after.name != links[0].name
    assert QApplication.focusWidget() is view
    qtbot.waitUntil(lambda: bool(said) and said[-1] == f"Link: {first_after.name}")
    # Enter follows it: the run panel is set up as the link says.
    with qtbot.waitSignal(window.lesson_panel.run_requested) as requested:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert requested.args[0].size == window.run_panel.workload_size.value()


def test_headings_can_be_reached_from_the_keyboard_and_are_said(qtbot, window):
    view = window.lesson_panel.view()
    headings = view.headings()
    assert [h.level for h in headings[:2]] == [1, 2]
    said: list[str] = []
    window.announcer.announced.connect(said.append)
    view.setFocus()
    view.moveCursor(view.textCursor().MoveOperation.Start)
    for heading in headings[1:4]:
        qtbot.keyClick(view, Qt.Key.Key_H)
        assert view.textCursor().block().text().strip() == heading.text
        qtbot.waitUntil(lambda h=heading: bool(said) and said[-1].endswith(h.text))
        assert said[-1] == f"Heading level {heading.level}: {heading.text}"
    qtbot.keyClick(view, Qt.Key.Key_H, Qt.KeyboardModifier.ShiftModifier)
    assert view.textCursor().block().text().strip() == headings[2].text
    # Ctrl+Down (next section) says where it went too.
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: said[-1] == f"Heading level 2: {headings[3].text}")
    # Where the caret went is said, not left in the status bar over the section count.
    assert window.statusBar().currentMessage().startswith("Section ")


def test_tab_after_scrolling_away_from_a_link_starts_where_one_reads(qtbot, window):
    # Issue #19: a link chosen earlier stayed the starting point, so Tab after scrolling down
    # jumped back up to the link after it, away from the text on screen.
    from PySide6.QtCore import QPoint

    view = window.lesson_panel.view()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    first = view.textCursor().selectedText()
    assert first == view.links()[0].name
    scrollbar = view.verticalScrollBar()
    for fraction in (2, 4 / 3):  # halfway, then three quarters down
        scrollbar.setValue(round(scrollbar.maximum() / fraction))
        top = view.cursorForPosition(QPoint(4, 4)).position()
        shown_from = scrollbar.value()
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        cursor = view.textCursor()
        link = next(
            k
            for k in view.links()
            if (k.start, k.end) == (cursor.selectionStart(), cursor.selectionEnd())
        )
        assert link.start >= top, (link.name, first)
        assert scrollbar.value() >= shown_from  # never scrolled back up, away from the reading
    assert QApplication.focusWidget() is view


def test_a_short_lesson_snippet_runs_in_the_console(qtbot, window):
    # Issue #19: only the catalogued examples could run; the sys._is_gil_enabled() check
    # could not. It now has its own link and runs, like an example, in a child Python.
    from process_checks import wait_no_children

    view = window.lesson_panel.view()
    snippet_links = [link for link in view.links() if link.name.startswith("▶ Run this snippet")]
    assert len(snippet_links) == 1, [link.name for link in view.links()]
    console = window.console
    with qtbot.waitSignal(console.example_finished, timeout=60_000) as finished:
        view.open_link(snippet_links[0].href)
    assert finished.args[0].startswith("snippet-") and finished.args[1] == 0
    assert window.current_tab() is console
    output = console.output_text()
    assert "The GIL is on" in output or "Free-threaded" in output
    assert wait_no_children() == []
