"""Redraw a chart at most every so often, however often its data changes.

The chunk timeline gets a batch of chunks up to ~30 times a second; once a run has thousands
of chunks, each redraw repaints thousands of rectangles, and redrawing for every batch kept
the window's event loop busy most of the time. A `RedrawThrottle` lets the data change at once
and calls the chart's redraw at most once per interval; `flush` draws what is held back now
(before a reader looks at what is drawn, or at the run's end).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


class RedrawThrottle(QObject):
    """Calls `redraw()` at most once per `interval_ms` (milliseconds) for `request()`s."""

    def __init__(self, redraw: Callable[[], None], interval_ms: int, parent: QObject) -> None:
        super().__init__(parent)
        self._redraw = redraw
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(0, interval_ms))
        self._timer.timeout.connect(self._on_timeout)

    @property
    def pending(self) -> bool:
        """True while a redraw is held back."""
        return self._timer.isActive()

    def request(self, now: bool = False) -> None:
        """The data changed: redraw within the interval (once, however many requests), or
        at once with `now` (e.g. while there is little to draw)."""
        if now:
            self._timer.stop()
            self._redraw()
        elif not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Redraw now if a redraw is held back."""
        if self._timer.isActive():
            self._timer.stop()
            self._redraw()

    def cancel(self) -> None:
        """Forget a held-back redraw (the data it would draw is gone)."""
        self._timer.stop()

    def _on_timeout(self) -> None:
        self._redraw()
