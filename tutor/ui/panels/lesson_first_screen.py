"""The lesson's first screen is rendered first, the rest right after the window's first frame.

Rendering the whole lesson (Qt's markdown reader for each prose part, then one setHtml of
~65 kB) and laying it out took ~40 ms of CPU before a returning learner's first frame on a
busy 2-core machine (A/B medians of the start-up probe of tests/perf/ui_responsiveness.py),
for text of which one screen is seen. So a LessonView not yet painted renders the lesson's
leading segments only: at least FIRST_SCREEN_CHARS characters, more than a lesson pane shows
(~2,000 in the 1280x800 window). The whole lesson follows in the event-loop turn after its first
frame, or at once when anything reads the text first (`document()`, `toPlainText()`,
`toHtml()`, and the view's links, headings and section places), so no reader ever sees the
short version.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QTextBlock, QTextDocument

from tutor.content.lesson import Lesson, ProseSegment

FIRST_SCREEN_CHARS = 5000  # characters of markdown and code: well over one screen of lesson


def first_screen(lesson: Lesson, chars: int = FIRST_SCREEN_CHARS) -> Lesson | None:
    """The lesson cut after its first segments that hold at least `chars` characters (whole
    segments, in order); None when that is the whole lesson (nothing would be saved)."""
    total = 0
    count = 0
    for count, segment in enumerate(lesson.segments, start=1):  # noqa: B007 - count is used
        total += len(segment.markdown if isinstance(segment, ProseSegment) else segment.source)
        if total >= chars:
            break
    if count >= len(lesson.segments):
        return None
    return replace(lesson, segments=lesson.segments[:count])


class FirstScreenFirst:
    """Mixin for LessonView (before QTextBrowser in its bases): whoever reads the document
    gets the whole lesson. LessonView sets `_short` when it rendered the first screen only,
    and provides `_render(colour)`."""

    _short = False  # the document holds only the lesson's first screen
    _highlighted = False
    _heading_blocks: list[tuple[str, QTextBlock]] = []

    @property
    def _headings(self) -> list[tuple[str, QTextBlock]]:
        """The view's (section title, heading block) pairs: of the whole lesson."""
        self.complete_lesson()
        return self._heading_blocks

    @_headings.setter
    def _headings(self, value: list[tuple[str, QTextBlock]]) -> None:
        self._heading_blocks = value

    def complete_lesson(self) -> None:
        """Render the whole lesson now if only its first screen is shown (else nothing)."""
        if not self._short:
            return
        self._short = False
        scrollbar = self.verticalScrollBar()  # type: ignore[attr-defined]
        position = scrollbar.value()
        self._render(colour=self._highlighted)  # type: ignore[attr-defined]
        scrollbar.setValue(position)

    def is_complete(self) -> bool:
        """Whether the document holds the whole lesson (not only its first screen)."""
        return not self._short

    def document(self) -> QTextDocument:
        self.complete_lesson()
        return super().document()  # type: ignore[misc]

    def toPlainText(self) -> str:  # noqa: N802 - Qt name
        self.complete_lesson()
        return super().toPlainText()  # type: ignore[misc]

    def toHtml(self) -> str:  # noqa: N802 - Qt name
        self.complete_lesson()
        return super().toHtml()  # type: ignore[misc]
