"""When a lesson's code gets its colours: after the first frame, never during a run.

The lesson is first shown with plain code, so the window paints at once. HIGHLIGHT_DELAY_MS
after the view's first painted frame a helper thread colours the code (lesson_colouring.py),
and the colours are painted onto the plain code a slice per event-loop turn
(lesson_code_colours.py). While a run is going they wait (`hold_colouring`): painting them
costs the window's thread time the run's charts need.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer

from tutor.content.lesson import Lesson
from tutor.ui.panels.lesson_code_colours import CodeColourSteps
from tutor.ui.panels.lesson_colouring import LessonColouring
from tutor.ui.panels.lesson_html import is_dark

HIGHLIGHT_DELAY_MS = 200  # colours follow this long after the first painted frame
# After a run ends, held colours wait this long more: the run's results are shown in small
# steps as it ends (and its Amdahl line may appear), and the lesson's re-render on top of them
# made one stall of 130-180 ms of the window's thread (tests/perf/ui_responsiveness.py).
_RELEASE_DELAY_MS = 300


class LessonColourTiming:
    """Mixin for LessonView (a QTextBrowser with `_lesson`, `_short`, `_rendered_dark` and
    `_render()`): schedules, holds and shows the colours of the lesson's code."""

    def _init_colours(self) -> None:
        self._highlighted = False
        self._highlight_pending = False  # colours wait for the first painted frame
        self._colouring = LessonColouring(self)  # ...and for a helper thread to colour the code
        self._colouring_held = False  # see hold_colouring
        self._coloured_waiting: Lesson | None = None  # coloured while held
        self._code_colours = CodeColourSteps(self)  # paints them a slice per turn

    def _schedule_highlight(self) -> None:
        self._highlight_pending = False
        QTimer.singleShot(HIGHLIGHT_DELAY_MS, self._on_highlight_timer_timeout)

    def _on_highlight_timer_timeout(self) -> None:
        if self._lesson is not None and not self._colouring.is_pending():
            dark = is_dark(self.palette())
            self._colouring.start(self._lesson, dark, self._on_colouring_ready)

    def hold_colouring(self, held: bool) -> None:
        """While `held` (a run is going), the lesson's colours wait: a colouring under way on
        its helper thread pauses before its next code block (LessonColouring.pause: it would
        contend for the GIL with the window's thread), and colours that are ready are not
        painted (a slice per turn, lesson_code_colours.py; a whole re-render was one setHtml
        of 50-75 ms, measured with tests/perf/ui_responsiveness.py). Released, both go on
        _RELEASE_DELAY_MS later, after the run's own results, unless a new run holds them
        again meanwhile. Colours half painted when a run starts wait too."""
        self._colouring_held = held
        if held:
            self._colouring.pause(True)
            if self._code_colours.is_running():
                self._code_colours.cancel()
                self._coloured_waiting = self._lesson  # painted again from the start
        else:
            QTimer.singleShot(_RELEASE_DELAY_MS, self, self._release_colours)

    def _release_colours(self) -> None:
        if self._colouring_held:
            return  # held again by a new run
        self._colouring.pause(False)
        waiting, self._coloured_waiting = self._coloured_waiting, None
        if waiting is not None and waiting is self._lesson:
            self._show_coloured()

    def colouring_under_way(self) -> bool:
        """True while the helper thread is colouring the lesson's code (not paused): it then
        shares the GIL with the window's thread, whose own work takes about twice as long."""
        colouring = self._colouring
        return colouring.is_pending() and not colouring.is_paused()

    def colours_held(self) -> bool:
        """True while the lesson's colours wait for a run to end: ready but not painted, or
        still being made on the paused helper thread (see hold_colouring)."""
        colouring = self._colouring
        return self._coloured_waiting is not None or (
            colouring.is_paused() and colouring.is_pending()
        )

    def colours_to_come(self) -> bool:
        """True until the lesson's colours are on screen: being made, held for a run's end, or
        being painted a slice per turn. Other deferred work of the window's thread waits for
        them: interleaved, their turns added up to the longest stalls after a first run."""
        return (
            self._colouring.is_pending()  # being made, paused or not
            or self._coloured_waiting is not None  # made, held for a run's end
            or self._code_colours.is_running()  # being painted on
        )

    def _on_colouring_ready(self) -> None:
        if self._colouring_held:
            self._coloured_waiting = self._lesson
        else:
            self._show_coloured()

    def _show_coloured(self) -> None:
        # On the plain document already shown, when it holds the whole lesson in the palette
        # the colours were made for; otherwise (first screen only, appearance changed since)
        # by a whole re-render.
        dark = is_dark(self.palette())
        if (
            self._lesson is not None
            and not self._short
            and dark == self._rendered_dark
            and self._code_colours.start(
                self.document(), self._lesson, dark, self._on_code_colours_painted
            )
        ):
            return
        position = self.verticalScrollBar().value()
        self._render()
        self.verticalScrollBar().setValue(position)

    def _on_code_colours_painted(self) -> None:
        self._highlighted = True

    def is_highlighted(self) -> bool:
        return self._highlighted
