"""Code that runs inside a worker (process or thread): timing one chunk, watching the parent."""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import time
from typing import NamedTuple

from tutor.engine.messages import format_traceback, safe_str, shorten
from tutor.engine.values import NotANumber
from tutor.engine.workloads import CUSTOM, resolve_workload

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
        return chunk_outcome(task, worker, thread_id, start, time.thread_time() - cpu_start, exc)
    return chunk_outcome(
        task, worker, thread_id, start, time.thread_time() - cpu_start, value=value
    )


def chunk_outcome(
    task: ChunkTask,
    worker: int,
    thread_id: int,
    start: float,
    cpu_s: float,
    error: BaseException | None = None,
    value: object = 0,
) -> ChunkOutcome:
    """The outcome of `task`, started at `start` (clock(), seconds) and ending now, that got
    `cpu_s` seconds of CPU: its `value`, or `error` as data (type, short message, traceback),
    so that every mode reports a failed chunk the same way. A NotANumber comes without a
    traceback: the learner's code raised nothing, and the tutor's frames would only mislead."""
    end = clock()
    times = (task.index, len(task.numbers), worker, thread_id)
    span = (start - task.run_start, end - task.run_start, cpu_s)
    if error is None:
        return ChunkOutcome(*times, *span, value=value)
    return ChunkOutcome(
        *times,
        *span,
        error_type=type(error).__name__,
        error_message=shorten(safe_str(error)),  # the learner's __str__: may raise, or be huge
        error_traceback="" if isinstance(error, NotANumber) else format_traceback(error),
    )


def run_chunk_in_process(task: ChunkTask) -> ChunkOutcome:
    """Pool/executor entry point: the worker id is the process id."""
    # The pool calls this right after reading and unpickling the task: the time the worker
    # received it. Its gap to the previous chunk's end is per-task overhead (result sent
    # back, next task fetched), measured rather than guessed.
    received = clock()
    guarded = needs_kernel_guard(task)
    # While computing (maybe inside one long C call that never lets the watcher thread run),
    # the kernel ends this worker if its parent goes. Only then: between chunks the worker may
    # hold a queue lock, and a pool's replacement worker is started by a thread that ends
    # with the pool; dying there would leave the lock taken (see _free_locks_of_the_dead).
    if guarded:
        die_with_parent(True)
    try:
        outcome = run_chunk(task, None, os.getpid())
    finally:
        if guarded:
            die_with_parent(False)
    return outcome._replace(received_s=received - task.run_start)


def needs_kernel_guard(task: ChunkTask) -> bool:
    """Whether a process worker computing `task` needs the parent-death signal.

    Only a learner's function can sit in one long C call that holds the GIL (e.g.
    `sum(range(2 * 10**9))`), where the parent-watch thread of prepare_worker cannot run. A
    built-in workload computes in Python loops over slices, or in C calls that let go of the
    GIL (hashing, sleeping), so the watcher leaves within a switch interval (5 ms) of the
    parent's death. Skipping the guard there saves each worker loading ctypes (~1.5 ms of CPU
    before its first chunk) and two system calls a chunk: time taken from every measured run.
    """
    return task.workload == CUSTOM


def prepare_worker() -> None:
    """Pool/executor initializer.

    Ctrl+C reaches every process of the terminal's group; the parent turns it into a clean
    cancel, so workers ignore it instead of dying with a traceback each. And a worker leaves
    at once if its parent goes away (even by kill -9): otherwise it blocks forever on the
    task queue as an orphan. The parent's sentinel becomes ready when the parent exits.
    """
    global _parent_pid
    _parent_pid = os.getppid()  # the real parent: the fork server, under forkserver
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return
    _leave_without_waiting_for_threads()
    sentinel = parent.sentinel

    def watch() -> None:
        with contextlib.suppress(OSError):
            multiprocessing.connection.wait([sentinel])
        os._exit(70)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>; see prctl(2)
_prctl = None  # libc's prctl once loaded; False where there is none
_parent_pid: int | None = None  # os.getppid() when prepare_worker ran


def die_with_parent(enabled: bool = True) -> None:
    """Linux: have the kernel kill this process (SIGKILL) when its parent goes; or stop that.

    The parent-watch thread needs the GIL, which a process inside one long C call (e.g.
    `sum(range(2 * 10**9))`) never lets go of, so it would outlive a killed parent for
    minutes; the parent-death signal needs no GIL. Note that the kernel sends it when the
    parent *thread* that started this process ends. A parent already gone when this is set
    is caught by comparing the parent pid. Elsewhere a no-op (the watcher still works).
    """
    global _prctl
    if not sys.platform.startswith("linux") or _prctl is False:
        return
    if _prctl is None:
        try:
            import ctypes

            _prctl = ctypes.CDLL(None, use_errno=True).prctl
        except (OSError, AttributeError):  # another libc without prctl
            _prctl = False
            return
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL if enabled else 0, 0, 0, 0)
    if enabled and _parent_pid is not None and os.getppid() != _parent_pid:
        os._exit(70)


def _leave_without_waiting_for_threads() -> None:
    """At exit, end this worker without joining non-daemon threads the learner's module began.

    A worker that finished its last task exits normally, and Python's exit waits for every
    non-daemon thread: one started at import by the learner's module may never end, and the
    pool's shutdown would wait on it for ever. threading calls its registered exit hooks
    before that wait (`threading._register_atexit`, CPython 3.9+, used by concurrent.futures
    for the same reason); without the hook, only the parent's time limit remains.
    """
    register = getattr(threading, "_register_atexit", None)
    if register is None:
        return

    def leave() -> None:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(0)

    with contextlib.suppress(RuntimeError):  # already shutting down
        register(leave)
