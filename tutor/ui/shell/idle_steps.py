"""A queue of small GUI steps, run one per event-loop turn, so no turn holds the window long.

Measured in the real window (tests/perf/ui_responsiveness.py): showing a finished run took one
turn of 95-190 ms of the GUI thread's CPU (results row, timeline, timing chart with its Amdahl
fit and legend, status line), longer than the 50 ms a click or repaint may wait. The views now
queue that work here as separate steps (the results row first, the charts next, the summaries
last); each runs in its own turn (a zero-timer), so input and repaints get in between them.

A step queued under a `key` that is already waiting is not queued again: the waiting one runs
once, at its place, with the newest work (e.g. one chart refresh after five repeats arrived
together). `when_idle(callback)` calls back once every queued step has run: the run controller
says a batch ended only then (`RunController.set_end_gate`), so whoever waits for
`batch_finished` finds every view already showing the batch.

Each chart changed by several steps was repainted after each of them (a pyqtgraph chart costs
5-25 ms a paint, measured with tests/perf/ui_responsiveness.py --profile): `hold_painting(chart)`
keeps a widget unpainted until the last queued step ran, then it paints once, with everything.

Each turn is a zero-interval QTimer, not a posted call: with Qt's glib event loop (Linux) and
the X events a repaint brings, a chain of posted calls held the window's own timers (a chart's
redraw, the benchmark's 5 ms probe) for the whole chain, 95-110 ms after a run, measured with
tests/perf/ui_responsiveness.py and a trace of the window's events. As timers, the steps take
turns with the other timers, and whatever is posted meanwhile (input, repaints, the controller's
next signal) is handled before the next step. The steps still run in the order they were
queued; a new result first runs what is left of the last one's (`run_all`), so a run's row is
in the table before the next run's result is shown, and a step that shows an older run checks
whether a newer one started meanwhile (shell/run_views.py).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

Step = Callable[[], object]


class IdleSteps(QObject):
    """Runs queued steps in order, one per event-loop turn (each step: one small piece of
    work, ideally a few ms). No Qt widget of its own; steps are plain callables."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: deque[tuple[Hashable | None, Step]] = deque()
        self._keyed: dict[Hashable, Step] = {}  # key -> the newest step queued under it
        self._waiters: list[Callable[[], object]] = []
        self._held: list[QWidget] = []  # not painted until the queue is empty
        self._turn = QTimer(self, singleShot=True, interval=0)
        self._turn.timeout.connect(self._on_turn)
        self._scheduled = False

    @property
    def pending(self) -> int:
        """Steps queued and not yet run."""
        return len(self._queue)

    def add(self, step: Step, key: Hashable | None = None) -> None:
        """Queue `step`; with a `key` already waiting, `step` replaces that one in its place."""
        if key is not None:
            if key in self._keyed:
                self._keyed[key] = step
                return
            self._keyed[key] = step
        self._queue.append((key, step))
        self._schedule()

    def hold_painting(self, *widgets: QWidget) -> None:
        """Keep `widgets` (and their children) unpainted while steps are queued; each is
        repainted once, whole, right after the last queued step ran. Nothing is held when no
        step is queued."""
        if not self._queue:
            return
        for widget in widgets:
            if widget not in self._held and widget.updatesEnabled():
                widget.setUpdatesEnabled(False)
                self._held.append(widget)

    def when_idle(self, callback: Callable[[], object]) -> None:
        """Call `callback` once no step is left (now, if none is queued)."""
        if not self._queue:
            callback()
            return
        self._waiters.append(callback)

    def run_all(self) -> None:
        """Run every queued step now, in order (when the window closes, or a newer result
        arrives before the last one's steps ran)."""
        while self._queue:
            self._run_one()
        self._release_painting()
        self._release_waiters()

    def _schedule(self) -> None:
        if not self._scheduled:
            self._scheduled = True
            self._turn.start()

    def _on_turn(self) -> None:
        self._scheduled = False
        if not self._queue:
            self._release_painting()
            self._release_waiters()
            return
        self._schedule()  # the next turn comes even if this step raises
        try:
            self._run_one()
        finally:
            if not self._queue:
                self._release_painting()  # paints with the next repaint, before the waiters

    def _release_painting(self) -> None:
        held, self._held = self._held, []
        for widget in held:
            widget.setUpdatesEnabled(True)  # schedules one whole repaint

    def _run_one(self) -> None:
        key, step = self._queue.popleft()
        if key is not None:
            step = self._keyed.pop(key, step)
        step()

    def _release_waiters(self) -> None:
        waiters, self._waiters = self._waiters, []
        for callback in waiters:
            callback()
