"""The lesson panel: renders the real lesson, outline navigation, zoom, links and reading."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QObject, QPoint, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QTextCursor
from PySide6.QtWidgets import QLabel, QListWidget

from tutor.content.lesson import CodeSegment, load_lesson
from tutor.content.links import RunRequest
from tutor.ui.panels.lesson_text_view import _CHECK_INTERVAL_MS
from tutor.ui.panels.lesson_view import RUN_EXAMPLE_TEXT, LessonPanel, LessonView, body_on_screen
from tutor.ui.persistence.progress_store import ProgressStore
from tutor.ui.persistence.settings_store import open_settings

pytestmark = pytest.mark.lesson_colours  # these tests look at the coloured lesson

NEVER = 3_600_000  # a dwell time no test reaches: only "scrolled past" can mark a section


@pytest.fixture(scope="module")
def lesson():
    return load_lesson()


def make_panel(qtbot, lesson, progress=None, read_after_ms=NEVER) -> LessonPanel:
    panel = LessonPanel(lesson, progress, read_after_ms=read_after_ms)
    qtbot.addWidget(panel)
    panel.resize(560, 760)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    qtbot.waitUntil(panel.view().is_highlighted)  # the final text, with coloured code
    qtbot.waitUntil(lambda: laid_out(panel.view()))  # Qt lays long documents out in steps
    return panel


def laid_out(view: LessonView) -> bool:
    block = view.document().lastBlock()
    while block.isValid() and not block.text():
        block = block.previous()
    return block.layout().lineCount() > 0


def view_of(panel: LessonPanel) -> LessonView:
    view = panel.findChild(LessonView, "lessonView")
    assert view is not None
    return view


def let_reading_be_checked(qtbot, panel: LessonPanel, checks: int) -> None:
    """Let the view check `checks` more times which sections are read (its check timer's
    ticks, each at least a check interval after the last): how a test shows that a section was
    *not* marked read, however slowly the machine runs, without a sleep."""
    timer = view_of(panel)._read_timer
    assert timer.isActive()
    for _ in range(checks):
        with qtbot.waitSignal(timer.timeout, timeout=60_000):
            pass


def checks_covering(milliseconds: int) -> int:
    """Checks (timer ticks) enough for `milliseconds` to have passed, and one more."""
    return math.ceil(milliseconds / _CHECK_INTERVAL_MS) + 1


def outline_of(panel: LessonPanel) -> QListWidget:
    outline = panel.findChild(QListWidget, "lessonOutline")
    assert outline is not None
    return outline


def anchor_position(view: LessonView, href_part: str, text_part: str = "") -> int:
    """Document position in the middle of the first link whose href contains href_part."""
    block = view.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            fmt = fragment.charFormat()
            if fmt.isAnchor() and href_part in fmt.anchorHref() and text_part in fragment.text():
                return fragment.position() + fragment.length() // 2
            iterator += 1
        block = block.next()
    raise AssertionError(f"no link with {href_part!r} / {text_part!r}")


def click_at_position(qtbot, view: LessonView, position: int) -> None:
    cursor = QTextCursor(view.document())
    cursor.setPosition(position)
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    rect = view.cursorRect(cursor)
    point = QPoint(rect.center().x(), rect.center().y())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def code_blocks_first_lines(view: LessonView):
    """The first line of each Pygments code block (they use a monospace family list)."""
    found = []
    block = view.document().begin()
    while block.isValid():
        iterator = block.begin()
        if not iterator.atEnd():
            families = iterator.fragment().charFormat().fontFamilies() or []
            if "DejaVu Sans Mono" in families:
                found.append(block)
        block = block.next()
    return found


def code_and_prose_blocks(view: LessonView) -> tuple[list, list]:
    """Lines of code (from <pre>) and the other non-empty blocks, laid out."""
    code, prose = [], []
    block = view.document().begin()
    while block.isValid():
        if block.text().strip():
            (code if block.blockFormat().nonBreakableLines() else prose).append(block)
        block = block.next()
    return code, prose


def line_widths(block) -> list[float]:
    """Natural widths of a block's laid-out lines (none before Qt has laid it out)."""
    layout = block.layout()
    return [layout.lineAt(i).naturalTextWidth() for i in range(layout.lineCount())]


def all_laid_out(view: LessonView) -> bool:
    code, prose = code_and_prose_blocks(view)
    return all(block.layout().lineCount() > 0 for block in code + prose)


def test_code_lines_never_wrap_so_indentation_stays_readable(qtbot, lesson):
    """Issue #19: a wrapped code line went on at the left edge, breaking the indentation."""
    panel = make_panel(qtbot, lesson)
    view = view_of(panel)
    panel.resize(420, 700)
    qtbot.waitUntil(lambda: view.viewport().width() < 420)
    qtbot.waitUntil(lambda: all_laid_out(view), timeout=30_000)
    code, _prose = code_and_prose_blocks(view)
    indented_long = [
        block
        for block in code
        if block.text().startswith("    ") and max(line_widths(block)) > view.viewport().width()
    ]
    assert indented_long, "the real lesson has long indented code lines at this width"
    assert [b.text() for b in code if b.layout().lineCount() != 1] == []
    assert view.horizontalScrollBar().maximum() > 0


def test_renders_the_real_lesson_with_every_section_in_the_outline(qtbot, lesson):
    panel = make_panel(qtbot, lesson)
    view = view_of(panel)
    titles = lesson.section_titles()
    assert len(titles) >= 5
    outline = outline_of(panel)
    assert outline.count() == len(titles)
    for row, title in enumerate(titles):
        assert title in outline.item(row).text()
    text = view.toPlainText()
    assert lesson.title in text
    examples = [s for s in lesson.segments if isinstance(s, CodeSegment) and s.example_id]
    assert text.count(RUN_EXAMPLE_TEXT) == len(examples)
    assert "9,592" in text
    label = panel.findChild(QLabel, "lessonProgress")
    assert label.text() == f"Read 0 of {len(titles)} sections"


def test_headings_have_room_above_and_below_and_are_all_laid_out(qtbot, lesson):
    """Qt's markdown gives headings no margins: the lesson's section headings sat tight on
    the paragraph above. Each heading (levels 1 to 3) gets room above (none for the lesson's
    title at the very top) and below, and is drawn (its lines laid out)."""
    panel = make_panel(qtbot, lesson)
    document = view_of(panel).document()
    headings = []
    block = document.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() in (1, 2, 3):
            headings.append(block)
        block = block.next()
    assert len(headings) >= len(lesson.section_titles())
    assert headings[0] == document.begin()
    assert headings[0].blockFormat().topMargin() == 0
    for heading in headings[1:]:
        assert heading.blockFormat().topMargin() == 18, heading.text()
    for heading in headings:
        assert heading.blockFormat().bottomMargin() == 6, heading.text()
        assert heading.layout().lineCount() > 0, heading.text()


def test_code_blocks_are_highlighted(qtbot, lesson):
    panel = make_panel(qtbot, lesson)
    view = view_of(panel)
    qtbot.waitUntil(view.is_highlighted)  # plain code paints first, colours follow
    colours = set()
    block = view.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fmt = iterator.fragment().charFormat()
            if "DejaVu Sans Mono" in (fmt.fontFamilies() or []):
                colours.add(fmt.foreground().color().name())
            iterator += 1
        block = block.next()
    assert len(colours) >= 4  # keywords, strings, names, comments... not one flat colour


@pytest.mark.parametrize("how", ["click", "enter"])
def test_outline_scrolls_the_section_heading_to_the_top(qtbot, lesson, how):
    panel = make_panel(qtbot, lesson)
    view, outline = view_of(panel), outline_of(panel)
    scrollbar = view.verticalScrollBar()
    for row in (4, 1, len(lesson.section_titles()) - 2):
        title = lesson.section_titles()[row]
        item = outline.item(row)
        if how == "click":
            rect = outline.visualItemRect(item)
            qtbot.mouseClick(outline.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        else:
            outline.setFocus()
            outline.setCurrentRow(row)
            qtbot.keyClick(outline, Qt.Key.Key_Return)
        top = view.section_top(title)
        assert top is not None and top > 0
        assert scrollbar.value() == min(round(top), scrollbar.maximum())
        assert scrollbar.value() > 0


def test_ctrl_plus_minus_and_zero_zoom_prose_and_code(qtbot, lesson):
    panel = make_panel(qtbot, lesson)
    view = view_of(panel)
    view.setFocus()
    code_line = code_blocks_first_lines(view)[0]
    normal_size = view.font().pointSizeF()
    normal_code_height = code_line.layout().lineAt(0).height()

    qtbot.keyClick(view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom_percent() > 100
    assert view.font().pointSizeF() > normal_size
    assert code_line.layout().lineAt(0).height() > normal_code_height

    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom_percent() == 100
    assert view.font().pointSizeF() == pytest.approx(normal_size)

    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom_percent() < 100
    assert view.font().pointSizeF() < normal_size


def test_at_200_percent_nothing_is_cut_off_sideways(qtbot, lesson):
    panel = make_panel(qtbot, lesson)
    view = view_of(panel)
    view.setFocus()
    with qtbot.waitSignal(view.zoom_changed):
        while view.zoom_percent() < 200:
            qtbot.keyClick(view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom_percent() == 200
    code_line = code_blocks_first_lines(view)[0]
    assert code_line.layout().lineAt(0).height() >= 1.8 * view.fontMetrics().height() / 2
    # Code keeps its lines (wrapping broke their indentation, issue #19); a long line is
    # reached by scrolling sideways, to its very end. Prose still wraps at the view's edge.
    qtbot.waitUntil(lambda: all_laid_out(view), timeout=30_000)
    code, prose = code_and_prose_blocks(view)
    assert code and all(block.layout().lineCount() == 1 for block in code)
    widest = max(max(line_widths(block)) for block in code)
    bar = view.horizontalScrollBar()
    assert widest > view.viewport().width()
    qtbot.waitUntil(lambda: bar.maximum() + view.viewport().width() >= widest, timeout=30_000)
    assert all(width <= view.viewport().width() for b in prose for width in line_widths(b))
    # The outline still takes you to a section's heading at this size.
    title = lesson.section_titles()[3]
    assert panel.scroll_to_section(title)
    assert view.verticalScrollBar().value() == round(view.section_top(title))


def test_clicking_a_run_link_emits_the_parsed_request(qtbot, lesson):
    panel = make_panel(qtbot, lesson)
    view = view_of(panel)
    position = anchor_position(view, "mode=threads", "4 threads")
    with qtbot.waitSignal(panel.run_requested) as requested:
        click_at_position(qtbot, view, position)
    assert requested.args == [
        RunRequest(workload="primes", size=100_000, workers=4, mode="threads", start=False)
    ]


def test_clicking_run_this_example_emits_the_example_id(qtbot, lesson):
    panel = make_panel(qtbot, lesson)
    view = view_of(panel)
    position = anchor_position(view, "tutor:example?id=pool_primes")
    with qtbot.waitSignal(panel.example_requested) as requested:
        click_at_position(qtbot, view, position)
    assert requested.args == ["pool_primes"]


def test_link_signals_from_anchor_clicked(qtbot, lesson):
    panel = make_panel(qtbot, lesson)
    view = view_of(panel)
    with qtbot.waitSignal(panel.run_requested) as requested:
        view.anchorClicked.emit(QUrl("tutor:run?workload=sleep&size=400&workers=8&start=1"))
    assert requested.args == [RunRequest("sleep", 400, 8, None, True)]
    with qtbot.waitSignal(panel.example_requested) as requested:
        view.anchorClicked.emit(QUrl("tutor:example?id=basic_process"))
    assert requested.args == ["basic_process"]
    with qtbot.waitSignal(panel.link_failed) as failed:
        view.anchorClicked.emit(QUrl("tutor:run?workload=nope&size=1"))
    assert "nope" in failed.args[0]
    with qtbot.assertNotEmitted(panel.run_requested), qtbot.waitSignal(panel.link_failed):
        view.anchorClicked.emit(QUrl("tutor:somewhere"))


class _UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open_url(self, url: QUrl) -> None:
        self.urls.append(url.toString())


def test_web_links_go_to_the_system_browser(qtbot, lesson):
    panel = make_panel(qtbot, lesson)
    catcher = _UrlCatcher()
    QDesktopServices.setUrlHandler("https", catcher, "open_url")
    try:
        with qtbot.assertNotEmitted(panel.run_requested):
            view_of(panel).anchorClicked.emit(QUrl("https://docs.python.org/3/library/"))
    finally:
        QDesktopServices.unsetUrlHandler("https")
    assert catcher.urls == ["https://docs.python.org/3/library/"]
    assert view_of(panel).source().isEmpty()  # the browser itself never navigated


def test_a_section_is_read_after_its_heading_stays_on_screen(qtbot, lesson):
    settings, _ = open_settings()
    progress = ProgressStore(settings)
    panel = make_panel(qtbot, lesson, progress, read_after_ms=300)
    first = lesson.section_titles()[0]
    # The 300 ms may pass while make_panel() still waits for the layout (on a busy machine it
    # does): wait for the state, which a signal emitted before this line would not show.
    qtbot.waitUntil(lambda: panel.sections_read() == {first}, timeout=30_000)
    assert outline_of(panel).item(0).text().startswith("✓")
    assert not outline_of(panel).item(1).text().startswith("✓")
    assert panel.findChild(QLabel, "lessonProgress").text().startswith("Read 1 of ")
    del settings
    reopened, _ = open_settings()
    assert ProgressStore(reopened).sections_read() == {first}


def scroll_past(qtbot, view: LessonView, title: str) -> None:
    """Arrow down until the section's heading has left the top of the view."""
    view.setFocus()
    while view.section_top(title) >= view.verticalScrollBar().value() - 40:
        qtbot.keyClick(view, Qt.Key.Key_Down)


def test_a_heading_scrolling_past_does_not_mark_its_section_read(qtbot, lesson):
    """Issue #19: a section was marked read as soon as its heading scrolled past."""
    panel = make_panel(qtbot, lesson)  # a dwell no test reaches: only the scrolling counts
    view = view_of(panel)
    titles = lesson.section_titles()
    assert panel.scroll_to_section(titles[2])
    with qtbot.assertNotEmitted(panel.section_read):
        scroll_past(qtbot, view, titles[2])
        scroll_past(qtbot, view, titles[3])
        let_reading_be_checked(qtbot, panel, 2)
    assert panel.sections_read() == set()


def test_a_section_is_read_once_its_body_stayed_on_screen(qtbot, lesson):
    panel = make_panel(qtbot, lesson, read_after_ms=400)
    view = view_of(panel)
    titles = lesson.section_titles()
    qtbot.waitUntil(lambda: titles[0] in panel.sections_read(), timeout=30_000)
    # Its body under the view, only the heading on screen: not read, however long it stays.
    bar = view.verticalScrollBar()
    heading_bottom = view.section_top(titles[3]) + view.fontMetrics().height() * 2
    bar.setValue(round(heading_bottom - view.viewport().height()))
    # The section above, whose body fills the view, is read meanwhile; the one below is not.
    qtbot.waitUntil(lambda: titles[2] in panel.sections_read(), timeout=30_000)
    with qtbot.assertNotEmitted(panel.section_read):
        let_reading_be_checked(qtbot, panel, checks_covering(2 * 400))
    assert titles[3] not in panel.sections_read()
    # Now its body is on screen: after a while it counts.
    with qtbot.waitSignal(panel.section_read, timeout=30_000) as read:
        bar.setValue(round(view.section_top(titles[3])))
    assert read.args == [titles[3]]


def test_body_on_screen_needs_a_short_body_whole_or_a_third_of_the_view():
    assert body_on_screen(100, 150, 0, 600)  # short body, all of it shown
    assert not body_on_screen(100, 150, 120, 600)  # short body, partly scrolled away
    assert not body_on_screen(590, 2000, 0, 600)  # heading at the bottom, body below
    assert body_on_screen(300, 2000, 0, 600)  # a third of the view shows the long body
    assert body_on_screen(0, 5000, 2000, 600)  # in the middle of a long body
    assert not body_on_screen(100, 100, 0, 600)  # no body at all


def test_sections_read_earlier_are_ticked_and_not_reported_again(qtbot, lesson):
    settings, _ = open_settings()
    progress = ProgressStore(settings)
    titles = lesson.section_titles()
    progress.mark_section_read(titles[0])
    progress.mark_section_read("A section that is no longer in the lesson")
    panel = make_panel(qtbot, lesson, progress, read_after_ms=50)
    assert outline_of(panel).item(0).text().startswith("✓")
    assert panel.findChild(QLabel, "lessonProgress").text() == f"Read 1 of {len(titles)} sections"
    with qtbot.assertNotEmitted(panel.section_read):
        let_reading_be_checked(qtbot, panel, checks_covering(2 * 50))
