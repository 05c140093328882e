"""The lesson's text view: renders a Lesson, routes its links, zooms, and notices what was read.

Rendering is in lesson_html.py (code coloured by lesson_colouring.py, at the moments
lesson_colour_timing.py picks); code lines never wrap: a long one is reached by scrolling
sideways, while prose wraps at the view's edge.

Links are never followed by the browser itself: `tutor:run?...` links emit `run_requested`,
`tutor:example?id=...` links emit `example_requested`, `tutor:exercise?id=...` links emit
`exercise_requested`, http(s) and mailto links open in the system browser, and a malformed
tutor link emits `link_failed` with the reason. Tab / Shift+Tab go to the next / previous link
from the reading position (lesson_reading.py).

When a section counts as read is section_reading.py's rule, checked four times a second while
the view is on screen; each section is reported once through `section_read`."""

from __future__ import annotations

import time

from PySide6.QtCore import QPoint, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QTextBlock, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QWidget

from tutor.content.lesson import Lesson
from tutor.content.links import parse_example_link, parse_exercise_link, parse_run_link
from tutor.content.snippets import parse_snippet_id
from tutor.ui.panels.lesson_colour_timing import LessonColourTiming
from tutor.ui.panels.lesson_first_screen import FirstScreenFirst, first_screen
from tutor.ui.panels.lesson_html import is_dark, lesson_html
from tutor.ui.panels.lesson_reading import (
    LessonHeading,
    LessonLink,
    document_headings,
    document_links,
    heading_sentence,
    link_sentence,
    next_heading,
    next_link,
    select_link,
)
from tutor.ui.panels.lesson_zoom import LessonZoom
from tutor.ui.panels.section_geometry import section_bodies, section_heading_blocks
from tutor.ui.panels.section_reading import READ_AFTER_MS, SectionReadTracker
from tutor.ui.widgets.announcer import announce
from tutor.ui.widgets.text_position import scroll_text_to

_CHECK_INTERVAL_MS = 250


class LessonView(LessonColourTiming, FirstScreenFirst, LessonZoom, QTextBrowser):
    """The lesson text: renders a Lesson, routes its links, zooms, and notices what was read."""

    run_requested = Signal(object)  # tutor.content.links.RunRequest
    example_requested = Signal(str)  # example id
    exercise_requested = Signal(str)  # exercise id ("" for the list)
    snippet_requested = Signal(str)  # snippet id (tutor.content.snippets)
    section_read = Signal(str)  # section title ("## " heading), once per section
    link_failed = Signal(str)  # a one-line reason for a malformed tutor: link
    zoom_changed = Signal(int)  # percent

    def __init__(
        self, parent: QWidget | None = None, *, read_after_ms: int = READ_AFTER_MS
    ) -> None:
        super().__init__(parent)
        self.setObjectName("lessonView")
        self.setAccessibleName("Lesson")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        # Caret browsing: arrow keys move a caret a screen reader follows (lesson_reading.py).
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QTextBrowser.LineWrapMode.WidgetWidth)
        self.document().setDocumentMargin(10)
        self.anchorClicked.connect(self._on_anchor_clicked)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)

        self._lesson: Lesson | None = None
        self._titles: tuple[str, ...] = ()
        self._rendered_dark: bool | None = None
        self._init_colours()
        self._init_zoom()
        self._reading = SectionReadTracker(read_after_ms)
        self._jumping = False
        self._painted = False  # whether the view has painted a frame yet
        self._headings: list[tuple[str, QTextBlock]] = []
        # Read from the document on first use, not at each render: the first frame need not wait
        self._links: list[LessonLink] | None = []
        self._all_headings: list[LessonHeading] | None = []

        self._read_timer = QTimer(self)
        self._read_timer.setInterval(_CHECK_INTERVAL_MS)
        self._read_timer.timeout.connect(self._on_read_timer_timeout)

    # -- content -----------------------------------------------------------------------------

    def set_lesson(self, lesson: Lesson) -> None:
        """Show a lesson (from the top)."""
        self._lesson = lesson
        self._colouring.cancel()  # a pending colouring of the previous lesson
        self._coloured_waiting = None
        self._titles = lesson.section_titles()
        self._reading.forget_time_on_screen()
        # Plain code first, so the window paints at once; colours follow a moment later. Not
        # yet painted: the first screen only, the rest after the frame (lesson_first_screen).
        self._render(colour=False, short=not self._painted)
        self.verticalScrollBar().setValue(0)
        self._check_reading()
        # Counted from the first paint, not from now: building the rest of the window can
        # take longer than the delay, and colouring before the first frame delays it.
        self._highlight_pending = True
        if self._painted:
            self._schedule_highlight()

    def lesson(self) -> Lesson | None:
        return self._lesson

    def section_titles(self) -> tuple[str, ...]:
        return self._titles

    def _render(self, colour: bool = True, short: bool = False) -> None:
        if self._lesson is None:
            return
        self._code_colours.cancel()  # the document it paints is replaced here
        shown = (first_screen(self._lesson) if short else None) or self._lesson
        self._short = False  # set last: document() would complete the lesson at once
        dark = is_dark(self.palette())
        self._rendered_dark = dark
        self._highlighted = colour
        caret = self.textCursor()  # the same text comes back: keep the caret and selection
        anchor, position = caret.anchor(), caret.position()
        self.setHtml(lesson_html(shown, dark=dark, colour=colour))
        document = self.document()
        self._headings = section_heading_blocks(document, self._titles)
        self._links = self._all_headings = None  # read on demand: links(), headings()
        if max(anchor, position) < document.characterCount():
            caret = QTextCursor(document)
            caret.setPosition(anchor)
            caret.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(caret)
        self._short = shown is not self._lesson

    def links(self) -> list[LessonLink]:
        """The lesson's links in reading order, as a screen reader meets them."""
        if self._links is None:
            self._links = document_links(self.document())
        return list(self._links)

    def headings(self) -> list[LessonHeading]:
        """The lesson's headings (every level) in reading order."""
        if self._all_headings is None:
            self._all_headings = document_headings(self.document())
        return list(self._all_headings)

    def _block_top(self, block: QTextBlock) -> float:
        return self.document().documentLayout().blockBoundingRect(block).top()

    def section_top(self, title: str) -> float | None:
        """Where a section's heading starts, in document (scroll) coordinates."""
        for candidate, block in self._headings:
            if candidate == title:
                return self._block_top(block)
        return None

    def scroll_to_section(self, title: str) -> bool:
        """Scroll so that this section's heading is at the top; False if there is no such one."""
        for candidate, block in self._headings:
            if candidate == title:
                self._jump_to_block(block)
                announce(
                    self, heading_sentence(LessonHeading(2, block.text().strip(), 0)), show=False
                )
                return True
        return False

    def _jump_to_block(self, block: QTextBlock) -> None:
        self._jumping = True
        try:
            self.setTextCursor(QTextCursor(block))  # Tab then continues from here
            self.verticalScrollBar().setValue(round(self._block_top(block)))
        finally:
            self._jumping = False
        # A jump is not reading: time a section was on screen before it does not count.
        self._reading.forget_time_on_screen()
        self._check_reading()

    def jump_to_heading(self, forward: bool = True) -> LessonHeading | None:
        """Move the caret to the next (or previous) heading of any level and say it (H and
        Shift+H); None, and a word saying so, when there is no such heading."""
        heading = next_heading(self, self.headings(), forward)
        if heading is None:
            announce(
                self, "No more headings." if forward else "This is the first heading.", show=False
            )
            return None
        self._jump_to_block(self.document().findBlock(heading.position))
        announce(self, heading_sentence(heading), show=False)
        return heading

    def current_section(self) -> str | None:
        """The section at the top of the view (the last heading at or above it)."""
        scrollbar = self.verticalScrollBar()
        top = scrollbar.value() + 4
        if scrollbar.maximum() > 0 and scrollbar.value() >= scrollbar.maximum():
            # At the very end a short last section cannot reach the top: count what is shown.
            top = scrollbar.value() + self.viewport().height() // 2
        current: str | None = None
        for title, block in self._headings:
            if self._block_top(block) <= top:
                current = title
        return current

    # -- links -------------------------------------------------------------------------------

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 - Qt override
        """Tab / Shift+Tab: the next / previous link from where one is reading; past the last
        one, the focus leaves the lesson."""
        if not self.hasFocus():
            return super().focusNextPrevChild(next)
        link = next_link(self, self.links(), next)
        if link is None:
            cursor = self.textCursor()
            cursor.clearSelection()
            self.setTextCursor(cursor)
            return QWidget.focusNextPrevChild(self, next)
        select_link(self, link)
        announce(self, link_sentence(link), show=False)
        return True

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        shift = Qt.KeyboardModifier.ShiftModifier
        if event.key() == Qt.Key.Key_H and event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            shift,
        ):
            self.jump_to_heading(forward=event.modifiers() != shift)
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            cursor = self.textCursor()
            selected = (cursor.selectionStart(), cursor.selectionEnd())
            link = next((k for k in self.links() if (k.start, k.end) == selected), None)
            if link is not None:  # a link reached with Tab: Enter follows it
                event.accept()
                self.open_link(link.href)
                return
        super().keyPressEvent(event)

    def _on_anchor_clicked(self, url: QUrl) -> None:
        self.open_link(url.toString())

    def open_link(self, link: str) -> None:
        """Do what clicking a link in the lesson does."""
        scheme = QUrl(link).scheme().lower()
        if scheme == "tutor" and parse_snippet_id(link) is not None:
            self.snippet_requested.emit(parse_snippet_id(link))
        elif scheme == "tutor":
            try:
                request = parse_run_link(link)
                example_id = None if request is not None else parse_example_link(link)
                exercise_id = parse_exercise_link(link)
            except ValueError as exc:
                self.link_failed.emit(f"This lesson link does not work: {exc}")
                return
            if request is not None:
                self.run_requested.emit(request)
            elif example_id is not None:
                self.example_requested.emit(example_id)
            elif exercise_id is not None:
                self.exercise_requested.emit(exercise_id)
            else:
                self.link_failed.emit(f"This lesson link does not work: {link!r} is unknown.")
        elif scheme in ("http", "https", "mailto"):
            QDesktopServices.openUrl(QUrl(link))
        else:
            self.link_failed.emit(f"This lesson link does not work: {link!r} is unknown.")

    # -- reading -----------------------------------------------------------------------------

    def set_read_sections(self, titles: set[str]) -> None:
        """Sections already read (from earlier sessions): they are not reported again."""
        self._reading.set_read(titles)

    def read_sections(self) -> set[str]:
        return self._reading.read()

    def _on_scrolled(self, _value: int) -> None:
        self._check_reading()

    def _on_read_timer_timeout(self) -> None:
        self._check_reading()

    def _check_reading(self) -> None:
        if self._jumping:
            return
        if not self.isVisible() or self._lesson is None:
            self._reading.forget_time_on_screen()
            return
        if not self._painted:
            return  # measuring sections lays out the whole lesson: not before the first frame
        if self._reading.all_read(self._titles):
            return  # everything read: nothing left to notice
        top = self.verticalScrollBar().value()
        height = self.viewport().height()
        bodies = section_bodies(self.document(), self._headings)
        for title in self._reading.observe(bodies, top, height, time.monotonic()):
            self.section_read.emit(title)

    # -- Qt events ---------------------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._read_timer.start()
        QTimer.singleShot(0, self._check_reading)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override (the viewport's paint)
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.complete_lesson)  # the rest of the lesson, then
            QTimer.singleShot(0, self._check_reading)  # what was skipped before this frame
        if self._highlight_pending:
            self._schedule_highlight()

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._read_timer.stop()
        self._reading.forget_time_on_screen()
        super().hideEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if (
            event.type() == event.Type.PaletteChange
            and self._lesson is not None
            and self._rendered_dark is not None
            and is_dark(self.palette()) != self._rendered_dark
        ):
            anchor = self.cursorForPosition(QPoint(4, 4)).position()
            self._render()
            scroll_text_to(self, anchor)
