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
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QWidget


class FirstExpose(QObject):
    """Calls `on_expose()` once, when `window`'s native window is first exposed.

    Qt paints a widget window's first frame while it handles that event, after this filter on
    the window's QWindow has seen it: `on_expose` runs just before the first paint, and a
    timer it starts fires after the whole frame. (The window widget's own first Paint event is
    no such mark: a window wholly covered by its children, like a bare QMainWindow holding a
    plot, gets none.) A child of `window`, it goes with it; a window never shown never calls.
    """

    def __init__(self, window: QWidget, on_expose: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._on_expose = on_expose
        self._handle: QWindow | None = None
        self._seen = False
        if window.isVisible():  # made in the window's showEvent: this Show is under way
            self._watch(window.windowHandle())
        else:
            window.installEventFilter(self)

    @property
    def seen(self) -> bool:
        """Whether the window's first expose has come (and `on_expose` has run)."""
        return self._seen

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if watched is self._window and kind == QEvent.Type.Show and self._handle is None:
            self._window.removeEventFilter(self)
            self._watch(self._window.windowHandle())  # made by show(), before this event
        elif watched is self._handle and kind == QEvent.Type.Expose and self._handle.isExposed():
            self._handle.removeEventFilter(self)
            self._exposed()
        return False

    def _watch(self, handle: QWindow | None) -> None:
        self._handle = handle
        if handle is None:
            return
        if handle.isExposed():  # the first frame is behind us already
            self._exposed()
        else:
            handle.installEventFilter(self)

    def _exposed(self) -> None:
        if not self._seen:
            self._seen = True
            self._on_expose()


class FirstFrameWatcher(FirstExpose):
    """Calls `callback` once, `delay_ms` after `window`'s first frame has been painted."""

    def __init__(self, window: QWidget, callback: Callable[[], None], delay_ms: int = 0) -> None:
        super().__init__(window, self._schedule)
        self._callback = callback
        self._delay_ms = max(0, delay_ms)

    @property
    def fired(self) -> bool:
        """Whether the first frame has been seen (the callback is then scheduled or done)."""
        return self.seen

    def _schedule(self) -> None:
        # Started before the frame is painted, so it fires after it. With this watcher as the
        # timer's context: a window closed and deleted meanwhile takes the pending call along.
        QTimer.singleShot(self._delay_ms, self, self._callback)


def after_first_frame(
    window: QWidget, callback: Callable[[], None], delay_ms: int = 0
) -> FirstFrameWatcher:
    """Run `callback` `delay_ms` milliseconds after `window`'s first painted frame (once)."""
    return FirstFrameWatcher(window, callback, delay_ms)


class FirstFrameSettler(FirstExpose):
    """Runs `steps` once, when `window`'s native window is first exposed (before its first
    paint), then lays the window out for what they changed.

    The steps may still run again later, where they were scheduled: they are written to change
    nothing the second time. On a platform that paints before any expose event the steps
    simply run where they were scheduled, as before.
    """

    def __init__(self, window: QWidget, steps: list[Callable[[], None]]) -> None:
        super().__init__(window, self._settle)
        self._steps = steps

    @property
    def settled(self) -> bool:
        """True once the steps ran before the first frame."""
        return self.seen

    def _settle(self) -> None:
        # The steps first, then the layouts: laid out first, a charts' area still too short
        # for its content showed a scroll bar (the charts narrower), taken away by the split.
        for step in self._steps:
            step()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


def settle_before_first_frame(
    window: QWidget, steps: list[Callable[[], None]]
) -> FirstFrameSettler:
    """Run `steps` (layout rules) just before `window`'s first frame, and lay it out after."""
    return FirstFrameSettler(window, steps)
