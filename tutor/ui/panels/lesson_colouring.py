"""Colour a lesson's code on a helper thread, then let the view render it on its own.

The lesson paints plain code first and colours it a moment after its first frame
(docs/architecture.md). Colouring means importing Pygments and compiling its lexers' rules:
~0.1-0.3 s of CPU that, on the window's thread, stalled the event loop just as a learner's first
click started a run. Here a plain `threading.Thread` fills `highlight_code_html`'s cache (pure
Python, no Qt: it only shares the GIL, which Python hands back every few milliseconds), then
emits a signal that Qt queues to the window's thread. The view's own render then reads every
block from that cache.

While a run is going the thread pauses between code blocks (`pause`). Sharing the GIL is not
free: each time the window's thread leaves Python (any Qt call that releases the GIL) it may
wait up to the switch interval (5 ms) to get it back, and a run's first chunks arriving during
the colouring cost the window a 53 ms gap, 28 ms of it asleep (tests/perf/ui_responsiveness.py,
first run after opening).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from tutor.content.highlight import warm_highlighting
from tutor.content.lesson import CodeSegment, Lesson
from tutor.ui.panels.lesson_code_colours import warm_code_runs


class LessonColouring(QObject):
    """One background colouring at a time for a lesson view (its Qt parent).

    `start(lesson, dark, ready)` colours `lesson`'s code blocks off the window's thread and then
    calls `ready()` on the window's thread. A newer `start` replaces a pending one (its `ready`
    is never called); so does `cancel()`. `pause(True)` stops the colouring before its next
    code block until `pause(False)`.
    """

    # Emitted by the helper thread with its request's number; Qt queues it to the window's
    # thread, where this object lives, so `ready` always runs there.
    _coloured = Signal(int)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._ready: Callable[[], None] | None = None
        self._request = 0  # the newest request's number
        self._go = threading.Event()  # cleared while paused
        self._go.set()
        self._waiting = False  # a colouring thread is paused before a block
        self._coloured.connect(self._on_coloured)

    def start(self, lesson: Lesson, dark: bool, ready: Callable[[], None]) -> None:
        blocks = [
            (segment.source, segment.language)
            for segment in lesson.segments
            if isinstance(segment, CodeSegment)
        ]
        self._request += 1
        self._ready = ready
        threading.Thread(
            target=self._colour,
            args=(self._request, blocks, dark),
            name="lesson-colouring",
            daemon=True,
        ).start()

    def cancel(self) -> None:
        """Forget the pending `ready` (the thread finishes on its own: it only fills a cache)."""
        self._request += 1
        self._ready = None

    def pause(self, paused: bool) -> None:
        """Hold (True) or resume (False) the colouring at its next code block."""
        if paused:
            self._go.clear()
        else:
            self._go.set()

    def is_paused(self) -> bool:
        return not self._go.is_set()

    def is_pending(self) -> bool:
        return self._ready is not None

    def is_waiting(self) -> bool:
        """True while a colouring thread is paused before one of its blocks."""
        return self._waiting

    def _colour(self, request: int, blocks: list[tuple[str, str]], dark: bool) -> None:
        for block in blocks:
            while not self._go.is_set():
                self._waiting = True
                self._go.wait(0.5)
                if request != self._request:
                    break
            self._waiting = False
            if request != self._request:
                return  # replaced or cancelled: its colours are not wanted
            warm_highlighting([block], dark)  # for a whole re-render (appearance changed)
            warm_code_runs([block], dark)  # for painting colours onto the plain lesson shown
        try:
            self._coloured.emit(request)
        except RuntimeError:  # the view was closed and deleted meanwhile: nobody to tell
            pass

    def _on_coloured(self, request: int) -> None:
        if request != self._request:
            return  # replaced or cancelled meanwhile
        ready, self._ready = self._ready, None
        if ready is not None:
            ready()
