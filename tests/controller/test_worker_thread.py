"""The one worker-thread pattern: a job's typed events reach the owner in order, in its thread."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QThread, Signal

from tutor.controller.worker_thread import WorkerOwner, dispatch


@dataclass(frozen=True)
class Counted:
    n: int


@dataclass(frozen=True)
class Stopped:
    at: int


class CountingController(WorkerOwner):
    counted = Signal(int, object)  # n, the thread the handler ran in
    stopped = Signal(int)

    def count(self, until: int) -> None:
        def job(emit, cancelled: threading.Event) -> None:
            for n in range(until):
                if cancelled.wait(0.01 if until > 100 else 0):
                    emit(Stopped(n))
                    return
                emit(Counted(n))

        self._launch(
            job,
            {
                Counted: lambda e: self.counted.emit(e.n, QThread.currentThread()),
                Stopped: lambda e: self.stopped.emit(e.at),
            },
        )


def test_events_arrive_in_order_in_the_owners_thread_then_the_end(qtbot):
    controller = CountingController()
    seen: list[tuple[int, object]] = []
    controller.counted.connect(lambda n, thread: seen.append((n, thread)))
    with qtbot.waitSignal(controller.batch_finished, timeout=30_000):
        controller.count(50)
        assert controller.busy
    assert [n for n, _ in seen] == list(range(50))
    assert {thread for _, thread in seen} == {controller.thread()}
    assert not controller.busy


def test_cancel_reaches_the_job_and_its_event_comes_back(qtbot):
    controller = CountingController()
    with qtbot.waitSignal(controller.stopped, timeout=30_000) as stopped:
        controller.count(1_000_000)
        controller.cancel()
    assert stopped.args[0] < 1_000_000
    controller._stop_thread(30.0)
    assert not controller.busy


def test_an_event_nobody_handles_fails_loudly():
    with pytest.raises(TypeError, match="Stopped"):
        dispatch({Counted: lambda e: None}, Stopped(3))
