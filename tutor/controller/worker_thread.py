"""The one worker-thread pattern of the controllers: a job in a QThread, typed events out.

A job is a plain function `job(emit, cancelled)`: it runs in the worker thread, reports each
step by calling `emit(event)` with a frozen dataclass, and checks the `cancelled` token
(tutor.engine.cancel.CancelToken) when it can. `WorkerThread` carries every event over one
signal to the GUI thread, in order. `WorkerOwner` (the base of every controller) owns at most
one such thread at a time: it dispatches the events by their type, in its own slot in the GUI
thread, to the controller's own signals; it cancels the thread, waits for it on shutdown and
says when it is busy (until the views, through an optional end gate, have shown the
work). An event of a type its owner has no handler for raises TypeError: a
forgotten handler fails loudly. No signal is named by a string.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from tutor.engine.cancel import CancelToken

Emit = Callable[[object], None]
Job = Callable[[Emit, CancelToken], None]
Handlers = Mapping[type, Callable[[Any], object]]
EndGate = Callable[[Callable[[], None]], object]  # gate(end): calls end() when views are done


class WorkerThread(QThread):
    """Runs `job(emit, cancelled)` once; every emitted event arrives as `event_emitted`.

    `on_cancel` (optional) is called from the GUI thread by `cancel()`, after the Event is
    set, for a job that must be interrupted from outside (e.g. a child process to signal).
    """

    event_emitted = Signal(object)  # one of the job's event dataclasses

    def __init__(self, job: Job, on_cancel: Callable[[], None] | None = None) -> None:
        super().__init__()
        self._job = job
        self._on_cancel = on_cancel
        self.cancelled = CancelToken()

    def cancel(self) -> None:
        self.cancelled.cancel()
        if self._on_cancel is not None:
            self._on_cancel()

    def run(self) -> None:  # QThread override: runs in the worker thread
        self._job(self.event_emitted.emit, self.cancelled)
        self._job = _finished_job  # drop the job (and the emit it may hold) once it is done


def _finished_job(_emit: Emit, _cancelled: CancelToken) -> None:
    """What a WorkerThread holds after its job ended."""


def dispatch(handlers: Handlers, event: object) -> None:
    """Call `handlers[type(event)](event)`; TypeError for an event nobody handles."""
    handler = handlers.get(type(event))
    if handler is None:
        raise TypeError(f"no handler for the worker event {type(event).__name__}")
    handler(event)


class WorkerOwner(QObject):
    """Owns at most one WorkerThread: dispatches its events, cancels it, reports when done.

    The base of the run controller, the interpreter comparison and the exercise checks, so all
    three start, cancel and stop their threads the same way (and never delete a running one).
    """

    batch_finished = Signal()  # the thread's work ended, however it ended
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: WorkerThread | None = None
        self._handlers: Handlers = {}
        self._end_gate: EndGate | None = None

    def set_end_gate(self, gate: EndGate | None) -> None:
        """`gate(end)` is called when the thread's work ended, and must call `end()` once the
        views have shown everything the thread reported (e.g. after their queued steps ran);
        only then is the owner no longer busy and `batch_finished` emitted. None: at once."""
        self._end_gate = gate

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def _launch(
        self, job: Job, handlers: Handlers, on_cancel: Callable[[], None] | None = None
    ) -> None:
        thread = WorkerThread(job, on_cancel)
        self._handlers = handlers
        # Slots of this object, which lives in the GUI thread: the events queue there, in order,
        # and the connections end with this object.
        thread.event_emitted.connect(self._on_worker_event)
        thread.finished.connect(self._on_thread_finished)
        self._thread = thread
        self.busy_changed.emit(True)
        thread.start()

    @Slot(object)
    def _on_worker_event(self, event: object) -> None:
        dispatch(self._handlers, event)

    def cancel(self) -> None:
        if self._thread is not None:
            self._thread.cancel()

    def _stop_thread(self, timeout_s: float) -> None:
        """Cancel and wait up to `timeout_s` seconds for the thread, so nothing outlives the
        window."""
        thread = self._thread
        if thread is None:
            return
        thread.cancel()
        if thread.wait(int(timeout_s * 1000)):
            self._end_batch()  # shutting down: no view waits for anything

    @Slot()
    def _on_thread_finished(self) -> None:
        if self._end_gate is not None and self._thread is not None:
            self._end_gate(self._end_batch)  # still busy until the views caught up
        else:
            self._end_batch()

    def _end_batch(self) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        thread.deleteLater()
        self.busy_changed.emit(False)
        self.batch_finished.emit()
