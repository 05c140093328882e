"""The asyncio mode: one event loop on one thread; every chunk is a coroutine, N at a time.

On waiting work (the sleep workload) a chunk awaits `asyncio.sleep`, and while it waits the loop
runs the other chunks: N coroutines wait side by side, like N threads, on a single thread.
On computing work a chunk runs the ordinary chunk function slice by slice and only yields to
the other coroutines between slices: they take turns on the one thread, so there is no speedup.
That is the lesson, measured.

The loop runs in a thread of its own, so chunk results reach the caller as they finish (the
same generator protocol as the other modes in `runners`), and a cancel takes effect at the next
slice or `await`.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import queue
import threading
import time
import traceback
from collections.abc import Callable, Coroutine, Generator, Iterator
from typing import Any

from tutor.engine.cancel import LIMITS, CancelToken
from tutor.engine.records import RunConfig
from tutor.engine.worker import ChunkOutcome, ChunkTask, chunk_outcome, clock
from tutor.engine.workloads import resolve_workload

LOOP_THREAD_NAME = "asyncio-loop"
_FINISHED = object()  # the loop thread's last message


class CpuMeter:
    """Awaits a coroutine and adds up the CPU time of its own steps only.

    All coroutines share the loop's thread, so `time.thread_time()` around a whole chunk would
    also count the other chunks that ran while this one was suspended. The meter drives the
    coroutine itself, as a Task would, and times each step between two suspensions.
    """

    def __init__(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        self._coroutine = coroutine
        self.cpu_s = 0.0

    def __await__(self) -> Generator[Any, Any, Any]:
        coroutine = self._coroutine
        value: Any = None
        error: BaseException | None = None
        while True:
            begin = time.thread_time()
            try:
                yielded = coroutine.send(value) if error is None else coroutine.throw(error)
            except StopIteration as done:
                return done.value
            finally:
                self.cpu_s += time.thread_time() - begin
            try:
                value, error = (yield yielded), None
            except GeneratorExit:
                coroutine.close()
                raise
            except BaseException as exc:  # noqa: BLE001 - passed on into the coroutine
                value, error = None, exc


async def _compute(task: ChunkTask, stop: threading.Event) -> int | float:
    """One chunk's partial result, slice by slice, yielding to the loop between slices."""
    workload = resolve_workload(task.workload, task.function)
    step = workload.slice_items
    numbers = task.numbers
    partials: list[int | float] = []
    for offset in range(0, len(numbers), step):
        if stop.is_set():
            break
        part = numbers[offset : offset + step]
        if workload.async_chunk_function is not None:
            partials.append(await workload.async_chunk_function(part))
        else:
            # Computing never waits: the coroutine just runs the ordinary chunk function and
            # then gives the other coroutines a turn. Taking turns on one thread adds no speed.
            partials.append(workload.chunk_function(part))
            await asyncio.sleep(0)
    return workload.combine(partials)


async def _run_chunk(
    task: ChunkTask, stop: threading.Event, slot: int, thread_id: int
) -> ChunkOutcome:
    """Compute one chunk as a coroutine and measure its wall time and the CPU it really got."""
    start = clock()
    meter = CpuMeter(_compute(task, stop))
    try:
        value = await meter
    except asyncio.CancelledError:
        raise
    except BaseException as exc:  # noqa: BLE001 - SystemExit in a chunk is a failure too
        if isinstance(exc, KeyboardInterrupt):
            raise
        return chunk_outcome(task, slot, thread_id, start, meter.cpu_s, exc)
    return chunk_outcome(task, slot, thread_id, start, meter.cpu_s, value=value)


async def run_all(
    tasks: list[ChunkTask],
    concurrency: int,
    stop: threading.Event,
    deliver: Callable[[ChunkOutcome], None],
) -> None:
    """Run every chunk, at most `concurrency` at a time, delivering each outcome as it ends.

    The worker id of a chunk is its slot (1 … concurrency): the place it took under the
    semaphore. A slot runs one chunk at a time, so its chunks never overlap, like a thread's.
    """
    limit = asyncio.Semaphore(concurrency)
    free_slots = list(range(1, concurrency + 1))
    thread_id = threading.get_native_id()

    async def one(task: ChunkTask) -> None:
        async with limit:
            if stop.is_set():
                return
            slot = heapq.heappop(free_slots)
            try:
                outcome = await _run_chunk(task, stop, slot, thread_id)
            finally:
                heapq.heappush(free_slots, slot)
            deliver(outcome)

    await asyncio.gather(*(one(task) for task in tasks))


def _loop_failure(exc: BaseException) -> ChunkOutcome:
    return ChunkOutcome(
        -1,
        0,
        0,
        threading.get_native_id(),
        0.0,
        0.0,
        0.0,
        error_type=type(exc).__name__,
        error_message=f"the event loop failed: {exc}",
        error_traceback="".join(traceback.format_exception(exc)),
    )


def run_asyncio(
    config: RunConfig, tasks: list[ChunkTask], cancel: CancelToken
) -> Iterator[ChunkOutcome]:
    """The asyncio mode runner for `runners.run`: outcomes in completion order.

    Closing the generator (done, cancelled or failed) stops every coroutine and waits for the
    loop's thread to end.
    """
    outcomes: queue.SimpleQueue = queue.SimpleQueue()
    stop = threading.Event()
    loop = asyncio.new_event_loop()
    main: list[asyncio.Task] = []

    def body() -> None:
        asyncio.set_event_loop(loop)
        try:
            main.append(loop.create_task(run_all(tasks, config.workers, stop, outcomes.put)))
            loop.run_until_complete(main[0])
        except asyncio.CancelledError:
            pass
        except BaseException as exc:  # noqa: BLE001 - reported as a failed run, not lost
            outcomes.put(_loop_failure(exc))
        finally:
            with contextlib.suppress(Exception):
                loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
            outcomes.put(_FINISHED)

    def cancel_main() -> None:
        for task in main:
            task.cancel()

    thread = threading.Thread(target=body, name=LOOP_THREAD_NAME, daemon=True)
    thread.start()
    try:
        for _ in tasks:
            while True:
                if cancel.cancelled:
                    return
                try:
                    outcome = outcomes.get(timeout=LIMITS.poll.seconds)
                    break
                except queue.Empty:
                    continue
            if outcome is _FINISHED:  # never before every chunk is in, unless the loop broke
                yield _loop_failure(RuntimeError("it stopped before every chunk had finished"))
                return
            yield outcome
            if outcome.failed:
                return
    finally:
        stop.set()
        with contextlib.suppress(RuntimeError):  # the loop has closed already
            loop.call_soon_threadsafe(cancel_main)
        thread.join(LIMITS.stop_join.seconds)
