"""Waiting for a process pool's chunks without polling.

The run's thread sleeps in one blocking wait until something it must act on happens: a chunk
comes back (the pool's result thread rings a doorbell), the run is cancelled (the token rings
it) or a worker dies (its sentinel becomes ready). The loop it replaces woke 20 times a second
to look, taking a core from a worker each time, where a bare `Pool.map` sleeps (measured by
tests/perf/engine_wakes.py).
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import multiprocessing
import multiprocessing.connection
import multiprocessing.pool
import threading
from collections.abc import Callable, Iterator, Sequence

from tutor.engine.cancel import LIMITS, CancelToken
from tutor.engine.process_watch import ProcessWatch, died_failure
from tutor.engine.records import RunFailed
from tutor.engine.worker import ChunkOutcome, ChunkTask

DEATH_GRACE_S = LIMITS.death_grace.seconds
WATCH_TICK_S = LIMITS.pool_watch_tick.seconds


class Doorbell:
    """A flag one thread can sleep on with `multiprocessing.connection.wait`, beside process
    sentinels: `ring()` from any thread (or a signal handler) wakes it, `clear()` re-arms it.

    A pipe, since wait() takes pipe ends and sentinels on every platform (Windows included)
    but not a threading.Event. Rings before a clear() are folded into one byte. Whatever a
    ringer changed before ringing is visible to the sleeper once it has cleared the bell.
    """

    def __init__(self) -> None:
        self._reader, self._writer = multiprocessing.Pipe(duplex=False)
        # Reentrant: a signal handler (Ctrl+C cancels the run) may ring in the thread that
        # is closing the bell.
        self._send_lock = threading.RLock()
        self._rung = False
        self._closed = False

    @property
    def waitable(self) -> multiprocessing.connection.Connection:
        """The object to pass to multiprocessing.connection.wait()."""
        return self._reader

    def ring(self) -> None:
        """Wake the sleeper (idempotent until it clears; harmless after close())."""
        if self._rung or self._closed:
            return
        self._rung = True
        with self._send_lock:
            if not self._closed:
                with contextlib.suppress(OSError):
                    self._writer.send_bytes(b"")

    def clear(self) -> None:
        """Re-arm once wait() has reported the bell ready: the next ring() wakes the sleeper
        again. (A second byte, from rings racing this clear, only wakes it once more.)"""
        self._rung = False
        self._reader.recv_bytes()

    def close(self) -> None:
        """Release the pipe; later rings do nothing."""
        with self._send_lock:
            self._closed = True
            self._writer.close()
        self._reader.close()


def pool_outcomes(
    pool: multiprocessing.pool.Pool,
    function: Callable[[ChunkTask], ChunkOutcome],
    tasks: Sequence[ChunkTask],
    cancel: CancelToken,
    watch: ProcessWatch | None = None,
) -> Iterator[ChunkOutcome]:
    """Hand every task to `pool` (a process Pool whose workers `watch` sees, or a ThreadPool
    without one), one task per chunk, and yield each outcome as it arrives.

    Stops (returns early) once `cancel` is set; raises RunFailed naming the worker when one
    dies, and re-raises what the pool reports for a chunk (e.g. a result it could not pickle)
    unless a worker died sending it. The caller ends the pool. Between events the calling
    thread sleeps: it wakes only for a result, a cancel, a worker's death, or (processes)
    every WATCH_TICK_S seconds to look for workers the pool started in place of one that
    died before the watch first looked.
    """
    bell = Doorbell()
    arrived: collections.deque[tuple[ChunkOutcome | None, BaseException | None]] = (
        collections.deque()
    )

    def on_result(outcome: ChunkOutcome) -> None:  # the pool's result thread
        arrived.append((outcome, None))
        bell.ring()

    def on_error(error: BaseException) -> None:
        arrived.append((None, error))
        bell.ring()

    forget = cancel.on_cancel(bell.ring)
    try:
        for task in tasks:
            pool.apply_async(function, (task,), callback=on_result, error_callback=on_error)
        remaining = len(tasks)
        sentinels = _sentinels(watch)
        while remaining:
            if cancel.cancelled:
                return
            if arrived:
                outcome, error = arrived.popleft()
                if error is not None:
                    if watch is None:
                        raise error
                    # A worker that dies while sending its result leaves a truncated pickle.
                    dead = watch.wait_for_dead(DEATH_GRACE_S)
                    if dead is None:
                        raise error
                    raise RunFailed(died_failure(dead)) from None
                remaining -= 1
                yield outcome
                continue
            # Each wake costs the workers: do as little as the reason for it needs.
            tick = None if watch is None else WATCH_TICK_S
            ready = multiprocessing.connection.wait([bell.waitable, *sentinels], tick)
            if bell.waitable in ready:
                bell.clear()
                if len(ready) == 1:
                    continue
            if watch is None:
                continue
            # A worker ended (no pool worker ends before the pool does), or the tick.
            dead = watch.dead()
            if dead is not None:
                raise RunFailed(died_failure(dead))
            sentinels = _sentinels(watch)
    finally:
        forget()
        bell.close()


def _sentinels(watch: ProcessWatch | None) -> list:
    """What to wait on to wake when a worker the watch has seen ends."""
    if watch is None:
        return []
    watch.refresh()
    return [process.sentinel for process in watch.seen.values() if process.exitcode is None]


def wait_for_futures(
    pending: set[concurrent.futures.Future], cancel: CancelToken
) -> tuple[set[concurrent.futures.Future], set[concurrent.futures.Future]]:
    """concurrent.futures.wait(pending, FIRST_COMPLETED) that also wakes at once when `cancel`
    is set (then possibly with nothing done): (done, still pending). A ProcessPoolExecutor
    whose worker died fails its futures, which wakes it too; the tick is only a safety net."""
    woken: concurrent.futures.Future = concurrent.futures.Future()

    def wake() -> None:
        with contextlib.suppress(concurrent.futures.InvalidStateError):
            woken.set_result(None)

    forget = cancel.on_cancel(wake)
    try:
        done, not_done = concurrent.futures.wait(
            {*pending, woken}, WATCH_TICK_S, concurrent.futures.FIRST_COMPLETED
        )
    finally:
        forget()
    return done - {woken}, not_done - {woken}
