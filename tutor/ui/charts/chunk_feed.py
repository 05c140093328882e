"""Hand a long sequence of chunks to a chart a slice per event-loop turn.

Redrawing a finished run of 100,000 chunks in one go held the window's event loop for over a
second (each chunk passes through Python once). A `ChunkFeed` gives the chart a slice, lets the
event loop run (input, paints, the 5 ms timers of a learner's clicks), then gives the next one.
Short sequences (at most one slice) are handed over at once, so small runs look the same as
before and a caller can read the chart right after.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer

from tutor.engine.records import ChunkTiming

FEED_SLICE = 5_000  # chunks per event-loop turn: a few milliseconds of work each


class ChunkFeed(QObject):
    """Feeds `add(slice)` with consecutive slices of a sequence, then calls `done()` once."""

    def __init__(self, parent: QObject | None = None, slice_size: int = FEED_SLICE) -> None:
        super().__init__(parent)
        self._slice = max(1, slice_size)
        self._chunks: Sequence[ChunkTiming] = ()
        self._position = 0
        self._add: Callable[[Sequence[ChunkTiming]], None] | None = None
        self._done: Callable[[], None] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._on_timeout)

    @property
    def busy(self) -> bool:
        """True while slices are still to be handed over."""
        return self._add is not None

    def start(
        self,
        chunks: Sequence[ChunkTiming],
        add: Callable[[Sequence[ChunkTiming]], None],
        done: Callable[[], None],
    ) -> None:
        """Forget any feed in progress and feed `chunks` (the first slice right now)."""
        self.cancel()
        self._chunks, self._position, self._add, self._done = chunks, 0, add, done
        self._step()

    def cancel(self) -> None:
        """Stop feeding; `done` is not called."""
        self._timer.stop()
        self._chunks, self._add, self._done = (), None, None

    def _on_timeout(self) -> None:
        self._step()

    def _step(self) -> None:
        add, done = self._add, self._done
        if add is None or done is None:
            return
        end = self._position + self._slice
        add(self._chunks[self._position : end])
        self._position = end
        if self._add is not add:
            return  # add() started another feed or cancelled this one
        if end < len(self._chunks):
            self._timer.start()
            return
        self.cancel()
        done()
