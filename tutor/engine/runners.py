"""Run a workload in any mode: the run loop, and the sequential, thread, Pool and executor
runners. The other modes' runners live in their own modules, named by engine.modes.

Every mode gets the same chunks and reports each finished chunk as it completes. Cancel,
raising workers and dying workers end a run promptly and leave no child process behind.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import multiprocessing.pool
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing

from tutor.engine.cancel import LIMITS, CancelToken, RunCancelled
from tutor.engine.completion import CompletionQueue
from tutor.engine.failures import RunFailureKind
from tutor.engine.machine import gil_enabled
from tutor.engine.modes import spec_of
from tutor.engine.planning import RunPlan, plan_run, validate  # noqa: F401 - re-exported
from tutor.engine.process_watch import ProcessWatch, died_failure
from tutor.engine.records import (
    ChunkTiming,
    RunConfig,
    RunFailed,
    RunResult,
    WorkerFailure,
)
from tutor.engine.start_methods import available_start_methods  # noqa: F401 - re-exported
from tutor.engine.values import NotANumber
from tutor.engine.worker import (
    ChunkOutcome,
    ChunkTask,
    clock,
    prepare_worker,
    run_chunk,
    run_chunk_in_process,
)
from tutor.engine.workloads import resolve_workload

POLL_S = LIMITS.poll.seconds  # the ladder's limits: tutor.engine.cancel
DEATH_GRACE_S = LIMITS.death_grace.seconds
STOP_TIMEOUT_S = LIMITS.stop_join.seconds
QUEUE_LOCK_TIMEOUT_S = 1.0  # terminate(): how long to wait for a lock a dead worker may hold

ChunkCallback = Callable[[ChunkTiming], None]


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
    # The mode's runner, imported only now (engine.modes): asyncio, Dask or joblib load only
    # in the process that runs that mode.
    outcomes = spec_of(config.mode).load_runner()(config, tasks, cancel)
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
    if outcome.error_type == NotANumber.__name__:  # work(n) raised nothing: its message says all
        return WorkerFailure(
            kind=RunFailureKind.NOT_A_NUMBER,
            message=outcome.error_message,
            exc_type=outcome.error_type,
            worker=outcome.worker,
        )
    return WorkerFailure(
        kind=RunFailureKind.RAISED,
        message=f"worker {outcome.worker} raised {outcome.error_type}: {outcome.error_message}",
        exc_type=outcome.error_type,
        traceback=outcome.error_traceback,
        worker=outcome.worker,
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
    watch = ProcessWatch(lambda: pool._pool)  # noqa: SLF001
    try:
        results = pool.imap_unordered(run_chunk_in_process, tasks, chunksize=1)
        # A dead worker is looked for once a poll, not once a chunk: each look asks the OS
        # about every worker, a cost that a run of 100,000 small chunks paid 100,000 times.
        look_again = clock()
        for _ in tasks:
            while True:
                if cancel.cancelled:
                    return
                if clock() >= look_again:
                    look_again = clock() + POLL_S
                    dead = watch.dead()
                    if dead is not None:
                        raise RunFailed(died_failure(dead))
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
                    raise RunFailed(died_failure(dead)) from None
            yield outcome
    finally:
        if watch.dead() is not None:
            watch.stop_all()
            _free_locks_of_the_dead(pool)
        _terminate_within_bounds(pool, watch)


def _terminate_within_bounds(pool: multiprocessing.pool.Pool, watch: ProcessWatch) -> None:
    """Pool.terminate(), which can block on a queue lock (gh-96062): never let it hang a run.

    Done, cancelled or failed, no worker has anything left worth finishing, and terminate()
    ends idle workers ~10 ms sooner than close() + join() would.
    """

    def terminate() -> None:
        try:
            pool.terminate()
            pool.join()
        except Exception:  # noqa: BLE001 - the stop below ends every worker regardless
            # A worker stopped while reading a task leaves half a pickle in the task queue,
            # and terminate() fails reading it ("pickle data was truncated", seen in CI).
            pass

    closer = threading.Thread(target=terminate, name="pool-terminate", daemon=True)
    closer.start()
    closer.join(STOP_TIMEOUT_S)
    if closer.is_alive():
        watch.stop_all()
        _free_locks_of_the_dead(pool)
        closer.join(STOP_TIMEOUT_S)
    _stop_replacing_workers(pool)
    watch.stop_all()


def _stop_replacing_workers(pool: multiprocessing.pool.Pool) -> None:
    """Stop Pool's worker-handler thread, which starts a new worker for each one that dies.

    Until it stops, a worker stopped here is replaced by a fresh one nobody would end when
    terminate() failed or hung. The handler leaves its loop once its state says TERMINATE.
    """
    handler = pool._worker_handler  # noqa: SLF001 - Pool's own thread
    handler._state = multiprocessing.pool.TERMINATE  # noqa: SLF001
    pool._change_notifier.put(None)  # noqa: SLF001 - wakes the handler to see it
    handler.join(STOP_TIMEOUT_S)


def _run_executor(
    config: RunConfig, tasks: list[ChunkTask], cancel: CancelToken
) -> Iterator[ChunkOutcome]:
    context = multiprocessing.get_context(config.start_method)
    executor = concurrent.futures.ProcessPoolExecutor(
        max_workers=config.workers, mp_context=context, initializer=prepare_worker
    )
    # The executor starts workers on demand and keeps them in the private `_processes`.
    watch = ProcessWatch(lambda: list((executor._processes or {}).values()))  # noqa: SLF001
    clean = False
    completed = CompletionQueue()  # not concurrent.futures.wait: see tutor.engine.completion
    try:
        try:
            for task in tasks:
                completed.add(executor.submit(run_chunk_in_process, task))
        except BrokenProcessPool:
            # A worker died before every chunk was handed over (a busy machine's timing):
            # the same named failure as a death seen while waiting.
            raise RunFailed(died_failure(watch.wait_for_dead(DEATH_GRACE_S))) from None
        while completed.pending:
            if cancel.cancelled:
                return
            watch.refresh()
            done = completed.next_batch(POLL_S)
            try:
                finished = [future.result() for future in done]
            except BrokenProcessPool:
                raise RunFailed(died_failure(watch.wait_for_dead(DEATH_GRACE_S))) from None
            # Chunks that ended close together: delivered in the order they ended.
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
