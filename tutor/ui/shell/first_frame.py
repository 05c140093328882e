"""Start-up work around the window's first frame: settled before it, or run once it is painted.

`settle_before_first_frame`: layout rules that wait for the event loop (a split worked out
from what each part needs) ran only after the first paint, so the first frame showed the
charts cut at their foot, a scroll bar came and went, and both charts were relaid out and
painted again, all before the window was usable (tests/perf/ui_responsiveness.py). Run just
before the window is first exposed, the first frame is the settled one.

`after_first_frame`: work deferred "a moment after show" (a timer started in showEvent) is
not always deferred: on a busy machine, or a slow one, showing the window and painting its
first frame can take longer than the moment, and then the deferred work runs first and delays
the frame it was moved out of (measured: the experiment tabs' idle build began before the
first paint under load; tests/perf/ui_responsiveness.py measures start-up). Counting from the
first paint keeps it after the frame whatever the machine's speed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
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


class FirstFrameSettler(QObject):
    """Runs `steps` once, when `window`'s native window is first exposed (before its first
    paint), then lays the window out for what they changed.

    Qt paints a new window in answer to its first expose event; the filter on the window's
    QWindow sees that event first. The steps may still run again later, where they were
    scheduled: they are written to change nothing the second time. On a platform that paints
    before any expose event the steps simply run where they were scheduled, as before.
    """

    def __init__(self, window: QWidget, steps: list[Callable[[], None]]) -> None:
        super().__init__(window)
        self._window = window
        self._steps = steps
        self._handle: QObject | None = None
        self.settled = False  # True once the steps ran before the first frame
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if watched is self._window and kind == QEvent.Type.Show and self._handle is None:
            self._window.removeEventFilter(self)
            self._handle = self._window.windowHandle()  # made by show(), before this event
            if self._handle is not None:
                self._handle.installEventFilter(self)
        elif watched is self._handle and kind == QEvent.Type.Expose and self._handle.isExposed():
            self._handle.removeEventFilter(self)
            self._settle()
        return False

    def _settle(self) -> None:
        # The steps first, then the layouts: laid out first, a charts' area still too short
        # for its content showed a scroll bar (the charts narrower), taken away by the split.
        for step in self._steps:
            step()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        self.settled = True


def settle_before_first_frame(
    window: QWidget, steps: list[Callable[[], None]]
) -> FirstFrameSettler:
    """Run `steps` (layout rules) just before `window`'s first frame, and lay it out after."""
    return FirstFrameSettler(window, steps)
