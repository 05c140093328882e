"""Run start-up work once the window's first frame is painted, never before it.

Work deferred "a moment after show" (a timer started in showEvent) is not always deferred: on a
busy machine, or a slow one, showing the window and painting its first frame can take longer
than the moment, and then the deferred work runs first and delays the frame it was moved out
of (measured: the experiment tabs' idle build began before the first paint under load;
tests/perf/ui_responsiveness.py measures start-up). Counting from the first paint keeps it
after the frame whatever the machine's speed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class FirstFrameWatcher(QObject):
    """Calls `callback` once, `delay_ms` after `window`'s first paint pass has finished.

    The window itself receives the first Paint event of its paint pass (a parent is painted
    before its children, and the pass is synchronous), so a timer started then fires after
    the whole frame. The watcher is a child of `window` and goes with it; if the window is
    never painted (never shown), the callback never runs.
    """

    def __init__(self, window: QWidget, callback: Callable[[], None], delay_ms: int = 0) -> None:
        super().__init__(window)
        self._callback = callback
        self._delay_ms = max(0, delay_ms)
        self._window = window
        self._fired = False
        window.installEventFilter(self)

    @property
    def fired(self) -> bool:
        """Whether the first frame has been seen (the callback is then scheduled or done)."""
        return self._fired

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if not self._fired and watched is self._window and event.type() == QEvent.Type.Paint:
            self._fired = True
            self._window.removeEventFilter(self)
            # With this watcher as the timer's context: a window closed and deleted meanwhile
            # takes the pending call with it.
            QTimer.singleShot(self._delay_ms, self, self._callback)
        return False


def after_first_frame(
    window: QWidget, callback: Callable[[], None], delay_ms: int = 0
) -> FirstFrameWatcher:
    """Run `callback` `delay_ms` milliseconds after `window`'s first painted frame (once)."""
    return FirstFrameWatcher(window, callback, delay_ms)
