"""Run a workload sequentially, on threads, on a multiprocessing.Pool or a ProcessPoolExecutor.

Every mode gets the same chunks and reports each finished chunk as it completes. Cancel,
raising workers and dying workers end a run promptly and leave no child process behind.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import multiprocessing.pool
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from dataclasses import dataclass, replace

from tutor.engine.cancel import LIMITS, CancelToken, RunCancelled
from tutor.engine.chunking import MAX_CHUNKS, default_chunks, interleaved_chunks
from tutor.engine.cluster import CLUSTER_MODE, check_cluster_config
from tutor.engine.cluster_runner import ClusterRunner
from tutor.engine.failures import RunFailureKind
from tutor.engine.records import (
    ALL_MODES,
    MAX_SIZE,
    MAX_WORKERS,
    MIN_WORKERS,
    ChunkTiming,
    RunConfig,
    RunFailed,
    RunResult,
    WorkerFailure,
)
from tutor.engine.start_methods import available_start_methods
from tutor.engine.worker import (
    ChunkOutcome,
    ChunkTask,
    clock,
    prepare_worker,
    run_chunk,
    run_chunk_in_process,
)
from tutor.engine.workloads import CUSTOM, WORKLOAD_NAMES, resolve_workload, split_function_spec

POLL_S = LIMITS.poll.seconds  # the ladder's limits: tutor.engine.cancel
DEATH_GRACE_S = LIMITS.death_grace.seconds
STOP_TIMEOUT_S = LIMITS.stop_join.seconds
QUEUE_LOCK_TIMEOUT_S = 1.0  # terminate(): how long to wait for a lock a dead worker may hold

ChunkCallback = Callable[[ChunkTiming], None]


@dataclass(frozen=True)
class RunPlan:
    """A validated config and the chunks it will be cut into."""

    config: RunConfig
    chunks: tuple[range, ...]

    @property
    def items_total(self) -> int:
        return sum(len(c) for c in self.chunks)


def gil_enabled() -> bool:
    """Whether the GIL is on: False only on a free-threaded build running with it off.

    Pythons before 3.13 have no switch (and no sys._is_gil_enabled): their GIL is always on.
    """
    probe = getattr(sys, "_is_gil_enabled", None)
    return probe() if probe else True


def validate(config: RunConfig, load_function: bool = True) -> RunConfig:
    """Check every field; ValueError naming the field and what is allowed.

    `load_function=False` checks a custom function's `module:function` form without importing
    it (the CLI imports a learner's module only in a helper process: engine.hosted).
    """
    if config.workload not in WORKLOAD_NAMES:
        raise ValueError(
            f"workload: unknown {config.workload!r}; choose one of {', '.join(WORKLOAD_NAMES)}"
        )
    if config.mode not in ALL_MODES:
        raise ValueError(f"mode: unknown {config.mode!r}; choose one of {', '.join(ALL_MODES)}")
    if isinstance(config.workers, bool) or not isinstance(config.workers, int):
        raise ValueError(f"workers: must be a whole number, got {config.workers!r}")
    if not MIN_WORKERS <= config.workers <= MAX_WORKERS:
        raise ValueError(
            f"workers: must be between {MIN_WORKERS} and {MAX_WORKERS}, got {config.workers}"
        )
    if isinstance(config.size, bool) or not isinstance(config.size, int):
        raise ValueError(f"size: must be a whole number, got {config.size!r}")
    if not 0 <= config.size <= MAX_SIZE:
        raise ValueError(f"size: must be between 0 and {MAX_SIZE:,}, got {config.size:,}")
    methods = available_start_methods()
    if config.start_method not in methods:
        raise ValueError(
            f"start_method: {config.start_method!r} is not available here; "
            f"choose one of {', '.join(methods)}"
        )
    if config.chunks is not None and not 1 <= config.chunks <= MAX_CHUNKS:
        raise ValueError(f"chunks: must be between 1 and {MAX_CHUNKS:,}, got {config.chunks}")
    if config.time_limit_s is not None and not config.time_limit_s > 0:
        raise ValueError(f"time_limit_s: must be more than 0 seconds, got {config.time_limit_s}")
    if config.workload == CUSTOM or config.function:
        if config.workload != CUSTOM:
            raise ValueError("function: only the 'custom' workload takes a function")
        if load_function:
            resolve_workload(CUSTOM, config.function)  # imports it: fails here, not in a worker
        else:
            split_function_spec(config.function)
    if config.mode == CLUSTER_MODE:
        check_cluster_config(config)  # Dask installed (else: the install command), address
    return config


def plan_run(config: RunConfig) -> RunPlan:
    validate(config)
    workload = resolve_workload(config.workload, config.function)
    domain = workload.domain(config.size)
    workers = 1 if config.mode == "sequential" else config.workers
    if config.chunks:
        return RunPlan(config, interleaved_chunks(domain, config.chunks))
    return RunPlan(config, default_chunks(domain, workers))


def run(
    config: RunConfig,
    *,
    on_chunk: ChunkCallback | None = None,
    cancel: CancelToken | None = None,
    baseline: RunResult | None = None,
) -> RunResult:
    """Run `config` and return its measurements.

    `on_chunk` is called in the calling thread for each finished chunk, in completion order.
    Raises RunCancelled when `cancel` is set, RunFailed when a worker raises or dies, and
    ValueError for a bad config. Every worker process is gone when this returns.
    """
    plan = plan_run(config)
    cancel = cancel or CancelToken()
    workload = resolve_workload(config.workload, config.function)
    run_start = clock()
    tasks = [
        ChunkTask(config.workload, config.function, index, numbers, run_start)
        for index, numbers in enumerate(plan.chunks)
    ]
    outcomes = _MODE_RUNNERS[config.mode](config, tasks, cancel)
    partials: dict[int, int | float] = {}
    timings: list[ChunkTiming] = []
    with closing(outcomes):
        for outcome in outcomes:
            if outcome.failed:
                raise RunFailed(_raised_failure(outcome))
            if cancel.cancelled:
                raise RunCancelled()
            partials[outcome.index] = outcome.value
            timing = ChunkTiming(
                outcome.worker,
                outcome.thread,
                outcome.index,
                outcome.items,
                outcome.start_s,
                outcome.end_s,
                outcome.cpu_s,
                received_s=outcome.received_s,
                arrived_s=clock() - run_start,
                lane=outcome.lane,
            )
            timings.append(timing)
            if on_chunk is not None:
                on_chunk(timing)
    if cancel.cancelled:
        raise RunCancelled()
    wall = clock() - run_start
    first_start = min((t.start_s for t in timings), default=0.0)
    last_end = max((t.end_s for t in timings), default=0.0)
    result = RunResult(
        config=config,
        answer=workload.combine([partials[i] for i in sorted(partials)]),
        wall_s=wall,
        startup_s=max(0.0, first_start),
        compute_s=max(0.0, last_end - first_start),
        chunks=tuple(timings),
        chunk_count=len(tasks),
        python=sys.version.split()[0],
        gil_enabled=gil_enabled(),
        # What a runner knows beyond its chunks (the cluster mode: scheduler, clock).
        cluster=getattr(outcomes, "facts", None),
    )
    return result.with_baseline(baseline) if baseline is not None else result


def _raised_failure(outcome: ChunkOutcome) -> WorkerFailure:
    return WorkerFailure(
        kind=RunFailureKind.RAISED,
        message=f"worker {outcome.worker} raised {outcome.error_type}: {outcome.error_message}",
        exc_type=outcome.error_type,
        traceback=outcome.error_traceback,
        worker=outcome.worker,
    )


def _died_failure(process: multiprocessing.process.BaseProcess | None) -> WorkerFailure:
    if process is None:
        return WorkerFailure(kind=RunFailureKind.DIED, message="a worker process died unexpectedly")
    code = process.exitcode
    how = f"was killed by signal {-code}" if code is not None and code < 0 else "exited"
    return WorkerFailure(
        kind=RunFailureKind.DIED,
        message=f"worker process {process.pid} {how} (exit code {code}) before finishing its chunk",
        worker=process.pid,
        exitcode=code,
    )


def _run_sequential(
    config: RunConfig, tasks: list[ChunkTask], cancel: CancelToken
) -> Iterator[ChunkOutcome]:
    for task in tasks:
        if cancel.cancelled:
            return
        yield run_chunk(task, cancel.event)


def _run_threads(
    config: RunConfig, tasks: list[ChunkTask], cancel: CancelToken
) -> Iterator[ChunkOutcome]:
    # ThreadPool with the same chunks as the process pools: one task per chunk, never per item.
    pool = multiprocessing.pool.ThreadPool(config.workers)
    # Threads cannot be killed: they stop between slices once `stop` is set (cancel or failure).
    stop = threading.Event()
    try:
        results = pool.imap_unordered(lambda task: run_chunk(task, stop), tasks)
        for _ in tasks:
            while True:
                if cancel.cancelled:
                    stop.set()
                    return
                try:
                    outcome = results.next(timeout=POLL_S)
                    break
                except multiprocessing.TimeoutError:
                    continue
            yield outcome
    finally:
        stop.set()
        pool.terminate()
        pool.join()


class _ProcessWatch:
    """Remembers every worker process a pool has started and spots one that died."""

    def __init__(self, list_processes: Callable[[], list]) -> None:
        self._list = list_processes
        self.seen: dict[int, multiprocessing.process.BaseProcess] = {}

    def refresh(self) -> None:
        for process in list(self._list()):
            if process.pid is not None:
                self.seen.setdefault(process.pid, process)

    def dead(self) -> multiprocessing.process.BaseProcess | None:
        self.refresh()
        dead = [p for p in self.seen.values() if p.exitcode is not None]
        # A broken ProcessPoolExecutor terminates (SIGTERM) the surviving workers itself:
        # the worker that really died is the one with another exit code.
        for process in dead:
            if process.exitcode != -signal.SIGTERM:
                return process
        return dead[0] if dead else None

    def wait_for_dead(self, timeout: float) -> multiprocessing.process.BaseProcess | None:
        """After a broken pool: the worker that died, once every worker has exited.

        The executor terminates the survivors itself; waiting for all of them (briefly) lets
        `dead()` tell them from the culprit, whose exit code another thread may still be
        collecting at the moment the pool reports it broken.
        """
        deadline = clock() + timeout
        while clock() < deadline:
            self.refresh()
            running = [p for p in self.seen.values() if p.exitcode is None]
            if not running:
                break
            multiprocessing.connection.wait([p.sentinel for p in running], timeout=POLL_S)
        return self.dead()

    def stop_all(self) -> None:
        self.refresh()
        for process in self.seen.values():
            if process.exitcode is None:
                process.terminate()
        for process in self.seen.values():
            process.join(STOP_TIMEOUT_S)
            if process.exitcode is None:
                process.kill()
                process.join(STOP_TIMEOUT_S)


def _free_locks_of_the_dead(pool: multiprocessing.pool.Pool) -> None:
    """Release the queue locks a killed worker may have died holding.

    A worker killed inside a queue operation (waiting for a task, sending a result) keeps that
    queue's lock forever, and Pool.terminate() waits for it (CPython gh-96062). Call this once
    the survivors are stopped: a lock still taken after a second belongs to a dead worker.
    """
    for lock in (pool._inqueue._rlock, pool._outqueue._wlock):  # noqa: SLF001
        # Whether the acquire succeeds (free: release ours) or times out (the dead worker's),
        # the lock ends up free for terminate().
        lock.acquire(timeout=QUEUE_LOCK_TIMEOUT_S)
        try:
            lock.release()
        except ValueError:  # already free (a worker that was only slow let go meanwhile)
            pass


class _QuietPool(multiprocessing.pool.Pool):
    """multiprocessing.Pool without a busy parent thread stealing CPU from the workers.

    Pool's worker-handler thread wakes when its result pipe is readable (CPython 3.8+,
    bpo-35493), and while a result waits there for the result-handler thread it spins, holding
    the GIL: measured 10–40 ms of parent CPU per 1.7 s run on 2 cores, taken from the workers
    (efficiency 0.94 against 0.965 without). The handler only needs to wake when a worker
    exits (it adds the workers' own sentinels) or the pool changes (its notifier), as here.
    """

    def _get_sentinels(self) -> list:
        return [self._change_notifier._reader]  # noqa: SLF001 - Pool's own notifier


def _run_pool(
    config: RunConfig, tasks: list[ChunkTask], cancel: CancelToken
) -> Iterator[ChunkOutcome]:
    context = multiprocessing.get_context(config.start_method)
    pool = _QuietPool(config.workers, initializer=prepare_worker, context=context)
    # Pool.map never reports a task lost with a dead worker (it waits forever), so the
    # workers are watched directly. Pool keeps them in the private `_pool` list.
    watch = _ProcessWatch(lambda: pool._pool)  # noqa: SLF001
    try:
        results = pool.imap_unordered(run_chunk_in_process, tasks, chunksize=1)
        for _ in tasks:
            while True:
                if cancel.cancelled:
                    return
                dead = watch.dead()
                if dead is not None:
                    raise RunFailed(_died_failure(dead))
                try:
                    outcome = results.next(timeout=POLL_S)
                    break
                except multiprocessing.TimeoutError:
                    continue
                except Exception:
                    # A worker that dies while sending its result leaves a truncated pickle.
                    dead = watch.wait_for_dead(DEATH_GRACE_S)
                    if dead is None:
                        raise
                    raise RunFailed(_died_failure(dead)) from None
            yield outcome
    finally:
        if watch.dead() is not None:
            watch.stop_all()
            _free_locks_of_the_dead(pool)
        _terminate_within_bounds(pool, watch)


def _terminate_within_bounds(pool: multiprocessing.pool.Pool, watch: _ProcessWatch) -> None:
    """Pool.terminate(), which can block on a queue lock (gh-96062): never let it hang a run.

    Done, cancelled or failed, no worker has anything left worth finishing, and terminate()
    ends idle workers ~10 ms sooner than close() + join() would.
    """

    def terminate() -> None:
        pool.terminate()
        pool.join()

    closer = threading.Thread(target=terminate, name="pool-terminate", daemon=True)
    closer.start()
    closer.join(STOP_TIMEOUT_S)
    if closer.is_alive():
        watch.stop_all()
        _free_locks_of_the_dead(pool)
        closer.join(STOP_TIMEOUT_S)
    watch.stop_all()


def _run_executor(
    config: RunConfig, tasks: list[ChunkTask], cancel: CancelToken
) -> Iterator[ChunkOutcome]:
    context = multiprocessing.get_context(config.start_method)
    executor = concurrent.futures.ProcessPoolExecutor(
        max_workers=config.workers, mp_context=context, initializer=prepare_worker
    )
    # The executor starts workers on demand and keeps them in the private `_processes`.
    watch = _ProcessWatch(lambda: list((executor._processes or {}).values()))  # noqa: SLF001
    clean = False
    try:
        pending = {executor.submit(run_chunk_in_process, task) for task in tasks}
        while pending:
            if cancel.cancelled:
                return
            watch.refresh()
            done, pending = concurrent.futures.wait(
                pending, timeout=POLL_S, return_when=concurrent.futures.FIRST_COMPLETED
            )
            try:
                finished = [future.result() for future in done]
            except BrokenProcessPool:
                raise RunFailed(_died_failure(watch.wait_for_dead(DEATH_GRACE_S))) from None
            # `done` is a set: deliver its chunks in the order they ended (completion order).
            yield from sorted(finished, key=lambda outcome: outcome.end_s)
        clean = True
    finally:
        # Before shutdown(), which forgets the processes: a run cancelled before its first
        # refresh must still stop the workers it started, not leave them on their chunks.
        watch.refresh()
        executor.shutdown(wait=clean, cancel_futures=True)
        if not clean:
            watch.stop_all()
            executor.shutdown(wait=True)


def _run_asyncio(
    config: RunConfig, tasks: list[ChunkTask], cancel: CancelToken
) -> Iterator[ChunkOutcome]:
    # asyncio costs ~13 ms to import: only the helper process running this mode pays it, not
    # the window (which imports this module for planning) nor any worker.
    from tutor.engine.asyncio_runner import run_asyncio

    return run_asyncio(config, tasks, cancel)


_MODE_RUNNERS = {
    "sequential": _run_sequential,
    "threads": _run_threads,
    "processes": _run_pool,
    "executor": _run_executor,
    "asyncio": _run_asyncio,
    CLUSTER_MODE: ClusterRunner,  # an iterator with close() and `extra`, like a generator
}


def cpu_count() -> int:
    return os.cpu_count() or 1


def config_with(config: RunConfig, **changes: object) -> RunConfig:
    return replace(config, **changes)
