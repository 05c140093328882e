"""Code that runs inside a worker (process or thread): timing one chunk, watching the parent."""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
import time
from typing import NamedTuple

from tutor.engine.messages import format_traceback, safe_str, shorten
from tutor.engine.workloads import resolve_workload

# perf_counter is CLOCK_MONOTONIC on Linux and QueryPerformanceCounter on Windows: one
# machine-wide clock, so start/end times from different processes line up on one axis.
clock = time.perf_counter

# The records a worker handles are NamedTuples, not dataclasses: every spawned worker imports
# this module before its first chunk, and dataclasses (with inspect) cost it ~5 ms of a ~38 ms
# start-up.


class ChunkTask(NamedTuple):
    """One chunk to compute; small and picklable (a range, not a list)."""

    workload: str
    function: str | None
    index: int
    numbers: range
    run_start: float  # the parent's clock() at run start


class ChunkOutcome(NamedTuple):
    """What a worker sends back: the partial result and its measurements, or an error."""

    index: int
    items: int
    worker: int
    thread: int
    start_s: float
    end_s: float
    cpu_s: float
    value: int | float = 0
    error_type: str = ""
    error_message: str = ""
    error_traceback: str = ""
    received_s: float | None = None  # process modes: when this worker picked the task up
    lane: str = ""  # cluster mode: the Dask worker's address (ChunkTiming.lane)

    @property
    def failed(self) -> bool:
        return bool(self.error_type)


def run_chunk(
    task: ChunkTask, stop: threading.Event | None = None, worker_id: int = 0
) -> ChunkOutcome:
    """Compute one chunk and measure its wall and CPU time.

    `stop` (threads and sequential modes) is checked between slices so a cancel takes
    effect promptly; process workers are terminated instead. Errors come back as data with
    their traceback text, so every mode reports them the same way.
    """
    thread_id = threading.get_native_id()
    worker = worker_id or thread_id
    start = clock()
    cpu_start = time.thread_time()
    try:
        workload = resolve_workload(task.workload, task.function)
        step = workload.slice_items
        numbers = task.numbers
        partials: list[int | float] = []
        for offset in range(0, len(numbers), step):
            if stop is not None and stop.is_set():
                break
            partials.append(workload.chunk_function(numbers[offset : offset + step]))
        value = workload.combine(partials)
    except BaseException as exc:  # noqa: BLE001 - SystemExit in a worker is a failure too
        if isinstance(exc, KeyboardInterrupt):
            raise
        cpu = time.thread_time() - cpu_start
        end = clock()
        return ChunkOutcome(
            task.index,
            len(task.numbers),
            worker,
            thread_id,
            start - task.run_start,
            end - task.run_start,
            cpu,
            error_type=type(exc).__name__,
            error_message=shorten(safe_str(exc)),  # the learner's __str__: may raise, or be huge
            error_traceback=format_traceback(exc),
        )
    cpu = time.thread_time() - cpu_start
    end = clock()
    return ChunkOutcome(
        task.index,
        len(task.numbers),
        worker,
        thread_id,
        start - task.run_start,
        end - task.run_start,
        cpu,
        value=value,
    )


def run_chunk_in_process(task: ChunkTask) -> ChunkOutcome:
    """Pool/executor entry point: the worker id is the process id."""
    # The pool calls this right after reading and unpickling the task: the time the worker
    # received it. Its gap to the previous chunk's end is per-task overhead (result sent
    # back, next task fetched), measured rather than guessed.
    received = clock()
    outcome = run_chunk(task, None, os.getpid())
    return outcome._replace(received_s=received - task.run_start)


def prepare_worker() -> None:
    """Pool/executor initializer.

    Ctrl+C reaches every process of the terminal's group; the parent turns it into a clean
    cancel, so workers ignore it instead of dying with a traceback each. And a worker leaves
    at once if its parent goes away (even by kill -9): otherwise it blocks forever on the
    task queue as an orphan. The parent's sentinel becomes ready when the parent exits.
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return
    sentinel = parent.sentinel

    def watch() -> None:
        with contextlib.suppress(OSError):
            multiprocessing.connection.wait([sentinel])
        os._exit(70)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
