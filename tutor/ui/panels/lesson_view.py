"""The lesson panel: an outline of its sections, "Read k of n sections", and the text view.

The text view itself (rendering, links, zoom, reading) is LessonView in lesson_text_view.py;
this module re-exports it and its constants for the window and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTemporaryDir, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from tutor.content.lesson import Lesson
from tutor.content.snippets import lesson_snippets, write_snippet
from tutor.ui.panels.lesson_html import RUN_EXAMPLE_TEXT, lesson_html, run_example_text
from tutor.ui.panels.lesson_text_view import LessonView
from tutor.ui.panels.section_reading import READ_AFTER_MS, body_on_screen
from tutor.ui.panels.zoom_levels import ZOOM_LEVELS
from tutor.ui.persistence.progress_store import ProgressStore
from tutor.ui.widgets.accessible import DescribedLabel
from tutor.ui.widgets.announcer import announce


@dataclass(frozen=True)
class RunnableSnippet:
    """A lesson snippet saved as a script, in the shape the example console runs."""

    id: str
    title: str
    path: Path


__all__ = [
    "READ_AFTER_MS",
    "RUN_EXAMPLE_TEXT",
    "ZOOM_LEVELS",
    "LessonPanel",
    "LessonView",
    "RunnableSnippet",
    "body_on_screen",
    "lesson_html",
    "run_example_text",
]


class LessonPanel(QWidget):
    """Outline of sections + "Read k of n sections" + the lesson view."""

    run_requested = Signal(object)  # tutor.content.links.RunRequest
    example_requested = Signal(str)  # example id
    exercise_requested = Signal(str)  # exercise id ("" for the list)
    snippet_requested = Signal(object)  # RunnableSnippet: a short lesson snippet to run
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
        self._view.example_requested.connect(self._on_view_example_requested)
        self._examples_enabled = True
        self._view.exercise_requested.connect(self.exercise_requested)
        self._view.snippet_requested.connect(self._on_view_snippet_requested)
        self._snippet_folder = QTemporaryDir()  # the snippets' script files; removed with us
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

    def set_examples_enabled(self, enabled: bool) -> None:
        """Whether the lesson's "Run this example" and "Run this snippet" links start their
        program now: off while an experiment runs (one at a time), when a click only says
        why nothing starts."""
        self._examples_enabled = enabled

    def examples_enabled(self) -> bool:
        return self._examples_enabled

    def _refuse_while_busy(self) -> bool:
        """True (and the learner is told why) when the example links are off."""
        if not self._examples_enabled:
            announce(
                self,
                "The example waits: an experiment is running. Cancel it, or run the example "
                "when it has finished.",
                urgent=True,
            )
        return not self._examples_enabled

    def _on_view_example_requested(self, example_id: str) -> None:
        if not self._refuse_while_busy():
            self.example_requested.emit(example_id)

    def _on_view_snippet_requested(self, snippet_id: str) -> None:
        if self._refuse_while_busy():
            return
        lesson = self._view.lesson()
        snippet = lesson_snippets(lesson).get(snippet_id) if lesson is not None else None
        if snippet is None or not self._snippet_folder.isValid():
            self.link_failed.emit("This lesson snippet cannot run here.")
            return
        try:
            path = write_snippet(snippet, Path(self._snippet_folder.path()))
        except OSError as exc:
            self.link_failed.emit(f"This lesson snippet could not be saved to run: {exc}")
            return
        self.snippet_requested.emit(RunnableSnippet(snippet.id, snippet.title, path))

    def _on_view_section_read(self, title: str) -> None:
        if self._progress is not None:
            self._progress.mark_section_read(title)
            # What another window of the tutor saved meanwhile counts here too (merged).
            titles = set(self.section_titles())
            merged = self._progress.sections_read() & titles
            self._view.set_read_sections(self._view.read_sections() | merged)
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
