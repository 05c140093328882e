"""The lesson: an outline of its sections beside a rich-text view of the text and code.

Rendering: each prose segment goes through Qt's own markdown reader (QTextDocument.setMarkdown,
exported with toHtml), each code segment through Pygments (`highlight_code_html`, the dark
variant when the palette is dark), and every runnable example gets a "▶ Run this example" link
under its code. The pieces are joined into one HTML document. No font sizes are fixed in points,
so zooming (Ctrl++ / Ctrl+- / Ctrl+0, or Ctrl+wheel) scales prose, headings and code together;
code lines never wrap (wrapping broke their indentation): a long one is reached by scrolling
sideways, while prose wraps at the view's edge.

Links are never followed by the browser itself: `tutor:run?...` links emit `run_requested`,
`tutor:example?id=...` links emit `example_requested`, `tutor:exercise?id=...` links emit
`exercise_requested`, http(s) and mailto links open in the
system browser, and a malformed tutor link emits `link_failed` with the reason.

When a section counts as read (checked four times a second while the view is on screen):
its body, the text under its "## " heading, has stayed on screen for `read_after_ms` (2 s)
without a break; "on screen" means all of a short body, or at least a third of the view's
height of a long one. A heading that merely scrolls past, a quick scroll over the text, or a
jump with the outline does not count. Each section is reported once through `section_read`.
"""

from __future__ import annotations

import re
import time
from html import escape

from PySide6.QtCore import QPoint, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QFont,
    QKeySequence,
    QShortcut,
    QTextBlock,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tutor.content.examples import get_example
from tutor.content.highlight import highlight_code_html
from tutor.content.lesson import CodeSegment, Lesson, ProseSegment
from tutor.content.links import (
    example_link,
    parse_example_link,
    parse_exercise_link,
    parse_run_link,
)
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
from tutor.ui.persistence.progress_store import ProgressStore
from tutor.ui.widgets.accessible import DescribedLabel
from tutor.ui.widgets.announcer import announce
from tutor.ui.widgets.palette_tone import is_dark

READ_AFTER_MS = 2000
ZOOM_LEVELS: tuple[int, ...] = (50, 67, 80, 90, 100, 110, 125, 150, 175, 200, 250, 300)
RUN_EXAMPLE_TEXT = "▶ Run this example"
_BODY = re.compile(r"<body[^>]*>(?P<body>.*)</body>", re.DOTALL)
_CHECK_INTERVAL_MS = 250
_HIGHLIGHT_DELAY_MS = 200  # after the first frame has been painted
_HEADING_TOP_MARGIN = 18.0
_HEADING_BOTTOM_MARGIN = 6.0


def _markdown_html(markdown: str) -> str:
    """The body of Qt's own HTML rendering of a markdown text."""
    document = QTextDocument()
    document.setMarkdown(markdown, QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
    match = _BODY.search(document.toHtml())
    return match["body"] if match else ""


def run_example_text(example_id: str) -> str:
    """The text of an example's run link: it names the example, so that the lesson's example
    links differ (a screen reader lists links by their text)."""
    try:
        return f"{RUN_EXAMPLE_TEXT}: {get_example(example_id).title}"
    except KeyError:
        return RUN_EXAMPLE_TEXT  # the console says the example is unknown when clicked


def lesson_html(lesson: Lesson, dark: bool = False, colour: bool = True) -> str:
    """The whole lesson as one HTML document for a QTextBrowser (code coloured if `colour`)."""
    parts: list[str] = []
    for segment in lesson.segments:
        if isinstance(segment, ProseSegment):
            parts.append(_markdown_html(segment.markdown))
        elif isinstance(segment, CodeSegment):
            parts.append(
                highlight_code_html(segment.source, segment.language, dark=dark, colour=colour)
            )
            if segment.example_id:
                href = escape(example_link(segment.example_id), quote=True)
                parts.append(
                    f'<p style="margin-top:4px; margin-bottom:12px;"><a href="{href}">'
                    f"<b>{escape(run_example_text(segment.example_id))}</b></a></p>"
                )
    return "<html><body>" + "\n".join(parts) + "</body></html>"


def body_on_screen(start: float, end: float, top: float, height: float) -> bool:
    """Whether enough of a section's body (document pixels `start`..`end`) is in a view that
    shows `top`..`top + height`: all of a short body, or a third of the view of a long one."""
    shown = min(end, top + height) - max(start, top)
    needed = min(end - start, height / 3)
    return needed > 0 and shown >= needed - 1


class LessonView(QTextBrowser):
    """The lesson text: renders a Lesson, routes its links, zooms, and notices what was read."""

    run_requested = Signal(object)  # tutor.content.links.RunRequest
    example_requested = Signal(str)  # example id
    exercise_requested = Signal(str)  # exercise id ("" for the list)
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
        self._highlighted = False
        self._base_point_size = self.font().pointSizeF()
        if self._base_point_size <= 0:
            self._base_point_size = 10.0
        self._zoom = 100
        self._read_after_ms = read_after_ms
        self._read: set[str] = set()
        self._in_view_since: dict[str, float] = {}
        self._jumping = False
        self._headings: list[tuple[str, QTextBlock]] = []
        self._links: list[LessonLink] = []
        self._all_headings: list[LessonHeading] = []

        self._read_timer = QTimer(self)
        self._read_timer.setInterval(_CHECK_INTERVAL_MS)
        self._read_timer.timeout.connect(self._on_read_timer_timeout)

    # -- content -----------------------------------------------------------------------------

    def set_lesson(self, lesson: Lesson) -> None:
        """Show a lesson (from the top)."""
        self._lesson = lesson
        self._titles = lesson.section_titles()
        self._in_view_since.clear()
        # Plain code first, so the window paints at once; colours follow a moment later.
        self._render(colour=False)
        self.verticalScrollBar().setValue(0)
        self._check_reading()
        QTimer.singleShot(_HIGHLIGHT_DELAY_MS, self._on_highlight_timer_timeout)

    def _on_highlight_timer_timeout(self) -> None:
        position = self.verticalScrollBar().value()
        self._render()
        self.verticalScrollBar().setValue(position)

    def is_highlighted(self) -> bool:
        return self._highlighted

    def lesson(self) -> Lesson | None:
        return self._lesson

    def section_titles(self) -> tuple[str, ...]:
        return self._titles

    def _render(self, colour: bool = True) -> None:
        if self._lesson is None:
            return
        dark = is_dark(self.palette())
        self._rendered_dark = dark
        self._highlighted = colour
        caret = self.textCursor()  # the same text comes back: keep the caret and selection
        anchor, position = caret.anchor(), caret.position()
        self.setHtml(lesson_html(self._lesson, dark=dark, colour=colour))
        document = self.document()
        # One edit block: otherwise each format change relayouts the visible text (~1 ms each).
        batch = QTextCursor(document)
        batch.beginEditBlock()
        block = document.begin()
        while block.isValid():
            cursor = QTextCursor(block)
            fmt = block.blockFormat()
            changed = False
            if fmt.headingLevel() in (1, 2, 3):
                fmt.setTopMargin(_HEADING_TOP_MARGIN if block != document.begin() else 0.0)
                fmt.setBottomMargin(_HEADING_BOTTOM_MARGIN)
                changed = True
            if changed:
                cursor.setBlockFormat(fmt)
            block = block.next()
        batch.endEditBlock()
        # Changing block formats after setHtml leaves some blocks out of Qt's lazy layout
        # (never drawn, links unclickable) until the text is marked dirty as a whole.
        document.markContentsDirty(0, document.characterCount())
        self._headings = self._find_headings()
        self._links = document_links(document)
        self._all_headings = document_headings(document)
        if max(anchor, position) < document.characterCount():
            caret = QTextCursor(document)
            caret.setPosition(anchor)
            caret.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(caret)

    def links(self) -> list[LessonLink]:
        """The lesson's links in reading order, as a screen reader meets them."""
        return list(self._links)

    def headings(self) -> list[LessonHeading]:
        """The lesson's headings (every level) in reading order."""
        return list(self._all_headings)

    def _heading_blocks(self) -> list[tuple[str, QTextBlock]]:
        """(section title, heading block) for each "## " heading, in order."""
        return self._headings

    def _find_headings(self) -> list[tuple[str, QTextBlock]]:
        blocks: list[QTextBlock] = []
        block = self.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() == 2:
                blocks.append(block)
            block = block.next()
        if len(blocks) == len(self._titles):
            return list(zip(self._titles, blocks, strict=True))
        # Qt and the lesson parser disagree on a heading: fall back to matching by text.
        by_text = {block.text().strip(): block for block in blocks}
        plain = {title: re.sub(r"[`*_]", "", title).strip() for title in self._titles}
        return [(title, by_text[plain[title]]) for title in self._titles if plain[title] in by_text]

    def _section_bodies(self) -> list[tuple[str, float, float]]:
        """(title, top, bottom) of each section's body in document pixels: from under its
        heading to the next section's heading (or the end of the lesson)."""
        layout = self.document().documentLayout()
        headings = self._heading_blocks()
        end_of_text = layout.documentSize().height()
        bodies: list[tuple[str, float, float]] = []
        for index, (title, block) in enumerate(headings):
            start = layout.blockBoundingRect(block).bottom()
            later = headings[index + 1][1] if index + 1 < len(headings) else None
            end = layout.blockBoundingRect(later).top() if later is not None else end_of_text
            bodies.append((title, start, max(start, end)))
        return bodies

    def _block_top(self, block: QTextBlock) -> float:
        return self.document().documentLayout().blockBoundingRect(block).top()

    def section_top(self, title: str) -> float | None:
        """Where a section's heading starts, in document (scroll) coordinates."""
        for candidate, block in self._heading_blocks():
            if candidate == title:
                return self._block_top(block)
        return None

    def scroll_to_section(self, title: str) -> bool:
        """Scroll so that this section's heading is at the top; False if there is no such one."""
        for candidate, block in self._heading_blocks():
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
        self._in_view_since.clear()
        self._check_reading()

    def jump_to_heading(self, forward: bool = True) -> LessonHeading | None:
        """Move the caret to the next (or previous) heading of any level and say it (H and
        Shift+H); None, and a word saying so, when there is no such heading."""
        heading = next_heading(self, self._all_headings, forward)
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
        for title, block in self._heading_blocks():
            if self._block_top(block) <= top:
                current = title
        return current

    # -- links -------------------------------------------------------------------------------

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 - Qt override
        """Tab / Shift+Tab: the next / previous link from where one is reading; past the last
        one, the focus leaves the lesson."""
        if not self.hasFocus():
            return super().focusNextPrevChild(next)
        link = next_link(self, self._links, next)
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
            link = next((k for k in self._links if (k.start, k.end) == selected), None)
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
        if scheme == "tutor":
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

    # -- zoom --------------------------------------------------------------------------------

    def zoom_percent(self) -> int:
        return self._zoom

    def set_zoom_percent(self, percent: int) -> None:
        """Zoom the lesson (prose and code) to about this percentage of the normal size."""
        percent = max(ZOOM_LEVELS[0], min(ZOOM_LEVELS[-1], int(percent)))
        if percent == self._zoom:
            return
        anchor = self.cursorForPosition(QPoint(4, 4)).position()
        self._zoom = percent
        font = QFont(self.font())
        font.setPointSizeF(self._base_point_size * percent / 100)
        self.setFont(font)
        self._restore_position(anchor)
        self.zoom_changed.emit(percent)

    def zoom_in_step(self) -> None:
        bigger = [level for level in ZOOM_LEVELS if level > self._zoom]
        if bigger:
            self.set_zoom_percent(bigger[0])

    def zoom_out_step(self) -> None:
        smaller = [level for level in ZOOM_LEVELS if level < self._zoom]
        if smaller:
            self.set_zoom_percent(smaller[-1])

    def reset_zoom(self) -> None:
        self.set_zoom_percent(100)

    def _restore_position(self, position: int) -> None:
        """Scroll so that the text at `position` is at the top again (after a relayout)."""
        document = self.document()
        layout = document.documentLayout()
        # Lay out the whole document now, so the scroll range is right before we scroll.
        layout.blockBoundingRect(document.lastBlock())
        self.verticalScrollBar().setRange(
            0, max(0, round(layout.documentSize().height()) - self.viewport().height())
        )
        cursor = QTextCursor(document)
        cursor.setPosition(min(position, document.characterCount() - 1))
        block = cursor.block()
        y = layout.blockBoundingRect(block).top()
        text_layout = block.layout()
        if text_layout is not None and text_layout.lineCount():
            line = text_layout.lineForTextPosition(cursor.positionInBlock())
            if line.isValid():
                y += line.y()
        self.verticalScrollBar().setValue(round(y))

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta > 0:
                self.zoom_in_step()
            elif delta < 0:
                self.zoom_out_step()
            event.accept()
            return
        super().wheelEvent(event)

    # -- reading -----------------------------------------------------------------------------

    def set_read_sections(self, titles: set[str]) -> None:
        """Sections already read (from earlier sessions): they are not reported again."""
        self._read = set(titles)

    def read_sections(self) -> set[str]:
        return set(self._read)

    def _on_scrolled(self, _value: int) -> None:
        self._check_reading()

    def _on_read_timer_timeout(self) -> None:
        self._check_reading()

    def _check_reading(self) -> None:
        if self._jumping:
            return
        if not self.isVisible() or self._lesson is None:
            self._in_view_since.clear()
            return
        if self._read.issuperset(self._titles):
            return  # everything read: nothing left to notice
        now = time.monotonic()
        top = self.verticalScrollBar().value()
        height = self.viewport().height()
        newly_read: list[str] = []
        # A section counts as read once its body (not just its heading) has stayed on screen
        # for `read_after_ms` without a break: scrolling over it quickly is not reading it.
        for title, start, end in self._section_bodies():
            if body_on_screen(start, end, top, height):
                since = self._in_view_since.setdefault(title, now)
                dwelt = (now - since) * 1000 >= self._read_after_ms
            else:
                self._in_view_since.pop(title, None)
                dwelt = False
            if title not in self._read and dwelt:
                newly_read.append(title)
        for title in newly_read:
            self._read.add(title)
            self.section_read.emit(title)

    # -- Qt events ---------------------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._read_timer.start()
        QTimer.singleShot(0, self._check_reading)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._read_timer.stop()
        self._in_view_since.clear()
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
            self._restore_position(anchor)


class LessonPanel(QWidget):
    """Outline of sections + "Read k of n sections" + the lesson view."""

    run_requested = Signal(object)  # tutor.content.links.RunRequest
    example_requested = Signal(str)  # example id
    exercise_requested = Signal(str)  # exercise id ("" for the list)
    section_read = Signal(str)  # section title, once per section (also saved in progress)
    link_failed = Signal(str)  # one-line reason
    zoom_changed = Signal(int)  # percent

    def __init__(
        self,
        lesson: Lesson,
        progress: ProgressStore | None = None,
        parent: QWidget | None = None,
        *,
        read_after_ms: int = READ_AFTER_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("lessonPanel")
        self._progress = progress

        self._progress_label = DescribedLabel("Lesson progress")
        self._progress_label.setObjectName("lessonProgress")

        self._outline = QListWidget()
        self._outline.setObjectName("lessonOutline")
        self._outline.setAccessibleName("Lesson sections")
        self._outline.setToolTip("Click a section, or select it and press Enter, to go there")
        self._outline.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._outline.setWordWrap(True)
        self._outline.setUniformItemSizes(False)
        self._outline.itemClicked.connect(self._on_outline_item_clicked)
        self._outline.itemActivated.connect(self._on_outline_item_activated)

        self._view = LessonView(read_after_ms=read_after_ms)
        self._view.run_requested.connect(self.run_requested)
        self._view.example_requested.connect(self.example_requested)
        self._view.exercise_requested.connect(self.exercise_requested)
        self._view.link_failed.connect(self.link_failed)
        self._view.zoom_changed.connect(self.zoom_changed)
        self._view.section_read.connect(self._on_view_section_read)
        self._view.verticalScrollBar().valueChanged.connect(self._on_view_scrolled)

        outline_box = QWidget()
        outline_layout = QVBoxLayout(outline_box)
        outline_layout.setContentsMargins(0, 0, 0, 0)
        outline_layout.addWidget(self._progress_label)
        outline_layout.addWidget(self._outline, 1)

        self._splitter = QSplitter(Qt.Orientation.Vertical)
        self._splitter.setObjectName("lessonSplitter")
        self._splitter.addWidget(outline_box)
        self._splitter.addWidget(self._view)
        self._splitter.setStretchFactor(0, 0)
        self._splitter.setStretchFactor(1, 1)
        self._splitter.setChildrenCollapsible(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._splitter)

        for keys in ("Ctrl++", "Ctrl+=", QKeySequence.StandardKey.ZoomIn):
            self._shortcut(keys, self._view.zoom_in_step, "Lesson: make the text larger")
        for keys in ("Ctrl+-", QKeySequence.StandardKey.ZoomOut):
            self._shortcut(keys, self._view.zoom_out_step, "Lesson: make the text smaller")
        self._shortcut("Ctrl+0", self._view.reset_zoom, "Lesson: text back to its normal size")

        self.set_lesson(lesson)

    def _shortcut(self, keys: str | QKeySequence.StandardKey, slot, what: str) -> None:
        sequence = QKeySequence(keys)
        existing = [s.key() for s in self.findChildren(QShortcut)]
        if sequence.isEmpty() or sequence in existing:
            return
        shortcut = QShortcut(sequence, self)
        shortcut.setWhatsThis(what)  # what the F1 list says the keys do
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)

    def set_zoom_keys_enabled(self, enabled: bool) -> None:
        """Turn the panel's own Ctrl++/-/0 off where a window-wide zoom owns those keys (two
        owners of one key make Qt ignore it); Ctrl+wheel and `set_zoom_percent` still work."""
        for shortcut in self.findChildren(QShortcut):
            shortcut.setEnabled(enabled)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # Room for about 70 characters a line: enough to read, and code lines mostly fit.
        width = self._view.fontMetrics().horizontalAdvance("m") * 70
        return QSize(max(420, width), 700)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(280, 300)

    # -- public API --------------------------------------------------------------------------

    def set_lesson(self, lesson: Lesson) -> None:
        """Show a lesson; sections read earlier (per the progress store) keep their ✓."""
        titles = lesson.section_titles()
        already = self._progress.sections_read() if self._progress is not None else set()
        self._view.set_read_sections(already & set(titles))
        self._view.set_lesson(lesson)
        self._outline.clear()
        for title in titles:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, title)
            self._outline.addItem(item)
        self._refresh_outline()
        self._fit_outline()

    def view(self) -> LessonView:
        return self._view

    def outline(self) -> QListWidget:
        return self._outline

    def section_titles(self) -> tuple[str, ...]:
        return self._view.section_titles()

    def sections_read(self) -> set[str]:
        """Sections of this lesson read so far (this session and earlier ones)."""
        return self._view.read_sections() & set(self.section_titles())

    def scroll_to_section(self, title: str) -> bool:
        return self._view.scroll_to_section(title)

    def zoom_percent(self) -> int:
        return self._view.zoom_percent()

    def set_zoom_percent(self, percent: int) -> None:
        self._view.set_zoom_percent(percent)

    # -- slots -------------------------------------------------------------------------------

    def _on_outline_item_clicked(self, item: QListWidgetItem) -> None:
        self._view.scroll_to_section(item.data(Qt.ItemDataRole.UserRole))

    def _on_outline_item_activated(self, item: QListWidgetItem) -> None:
        self._view.scroll_to_section(item.data(Qt.ItemDataRole.UserRole))

    def _on_view_section_read(self, title: str) -> None:
        if self._progress is not None:
            self._progress.mark_section_read(title)
        self._refresh_outline()
        self.section_read.emit(title)

    def _on_view_scrolled(self, _value: int) -> None:
        if self._outline.hasFocus():
            return  # do not move the learner's selection while they use the outline
        current = self._view.current_section()
        titles = self.section_titles()
        if current in titles:
            self._outline.setCurrentRow(titles.index(current))

    # -- helpers -----------------------------------------------------------------------------

    def _refresh_outline(self) -> None:
        read = self.sections_read()
        for row in range(self._outline.count()):
            item = self._outline.item(row)
            title = item.data(Qt.ItemDataRole.UserRole)
            done = title in read
            item.setText(f"✓ {title}" if done else f"○ {title}")
            state = "read" if done else "not read yet"
            item.setToolTip(f"{title} ({state})")
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{title}, {state}")
        total = self._outline.count()
        self._progress_label.setText(f"Read {len(read)} of {total} sections")

    def set_progress_shown(self, shown: bool) -> None:
        """Show or hide "Read k of n sections" above the outline (hidden where another
        label on screen already counts the sections read)."""
        self._progress_label.setVisible(shown)

    def _fit_outline(self) -> None:
        """Give the outline about as much height as its rows need (at most ~10 rows)."""
        rows = min(self._outline.count(), 10)
        row_height = self._outline.sizeHintForRow(0) if self._outline.count() else 20
        self._outline.setMinimumHeight(min(4, max(rows, 1)) * max(row_height, 1) + 6)
        label_height = self._progress_label.sizeHint().height()
        self._splitter.setSizes([rows * row_height + label_height + 12, 10_000])
