"""Colour a lesson's code on a helper thread, then let the view render it on its own.

The lesson paints plain code first and colours it a moment after its first frame
(docs/architecture.md). Colouring means importing Pygments and compiling its lexers' rules:
~0.1-0.3 s of CPU that, on the window's thread, stalled the event loop just as a learner's first
click started a run. Here a plain `threading.Thread` fills `highlight_code_html`'s cache (pure
Python, no Qt: it only shares the GIL, which Python hands back every few milliseconds), and a
short timer on the window's thread notices when it is done. The view's own render then reads
every block from that cache.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from tutor.content.highlight import warm_highlighting
from tutor.content.lesson import CodeSegment, Lesson

POLL_MS = 20  # how often the window's thread looks whether the helper thread is done


class LessonColouring(QObject):
    """One background colouring at a time for a lesson view (its Qt parent).

    `start(lesson, dark, ready)` colours `lesson`'s code blocks off the window's thread and then
    calls `ready()` on the window's thread. A newer `start` replaces a pending one (its `ready`
    is never called); so does `cancel()`.
    """

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._thread: threading.Thread | None = None
        self._ready: Callable[[], None] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self, lesson: Lesson, dark: bool, ready: Callable[[], None]) -> None:
        blocks = [
            (segment.source, segment.language)
            for segment in lesson.segments
            if isinstance(segment, CodeSegment)
        ]
        self._ready = ready
        thread = threading.Thread(
            target=warm_highlighting, args=(blocks, dark), name="lesson-colouring", daemon=True
        )
        self._thread = thread
        thread.start()
        self._timer.start()

    def cancel(self) -> None:
        """Forget the pending `ready` (the thread finishes on its own: it only fills a cache)."""
        self._ready = None
        self._timer.stop()

    def is_pending(self) -> bool:
        return self._ready is not None

    def _on_timer_timeout(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._timer.stop()
        ready, self._ready = self._ready, None
        if ready is not None:
            ready()
