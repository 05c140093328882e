"""Pool teardown after a worker died: no error escapes and no worker is left behind, even
when Pool.terminate() itself fails."""

from __future__ import annotations

import multiprocessing
import pickle
import threading

import pytest
from process_checks import run_children

from tutor.engine import runners
from tutor.engine.process_watch import ProcessWatch


class _TruncatedQueuePool(runners._QuietPool):
    """A pool whose terminate() fails the way CPython's did in CI: a worker stopped while
    reading a task had left half a pickle in the task queue."""

    @staticmethod
    def _help_stuff_finish(inqueue, task_handler, size):
        raise pickle.UnpicklingError("pickle data was truncated")


@pytest.mark.timeout(60)
def test_a_failing_terminate_still_stops_every_worker(monkeypatch):
    escaped = []
    monkeypatch.setattr(threading, "excepthook", escaped.append)
    pool = _TruncatedQueuePool(2, context=multiprocessing.get_context("spawn"))
    watch = ProcessWatch(lambda: pool._pool)
    dying = pool._pool[0]
    dying.kill()
    dying.join()
    assert watch.dead() is dying
    # What the run loop does once it has named the dead worker; Pool meanwhile starts
    # replacements for the workers that end.
    watch.stop_all()
    runners._free_locks_of_the_dead(pool)
    runners._terminate_within_bounds(pool, watch)
    assert [args.exc_value for args in escaped] == []
    assert not pool._worker_handler.is_alive()
    assert run_children() == []
