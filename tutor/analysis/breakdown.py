"""Where a run's wall time went, from the chunk timings it measured; and chunk sizes to try.

The breakdown follows each worker along the run's clock, from the run's start to its end:

- **start-up**: until the worker received its first task (a process had to start, import the
  engine and join the pool);
- **pickling & transfer**: between receiving a task and starting it, between finishing a chunk
  and receiving the next one (the result pickled and sent back, the next task fetched and
  unpickled), and from the worker's last chunk end until the parent had that result;
- **compute**: the CPU time the chunks really got;
- **other**: the rest: the part of a chunk's wall time it did not compute (waiting for a core,
  or for the GIL on threads), waiting for the slowest worker, shutting the pool down.

Each worker's four parts add up to the wall time, so their mean over the run's workers does
too: the bar shows where an average worker's time went. A worker that never got a chunk
counts as idle ("other"). Nothing here is estimated: every boundary is a measured time.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np

from tutor.engine.chunking import MAX_CHUNKS
from tutor.engine.records import ChunkTiming, RunConfig, RunResult
from tutor.engine.timing_columns import TimingColumns
from tutor.engine.workloads import resolve_workload

CHUNK_SIZES: tuple[int, ...] = (1, 4, 16, 64, 256, 1024)  # items per chunk, the sweep's x
DEFAULT_SWEEP_SIZE = 20_000  # primes: chunk size 1 takes about a second on two workers
SEGMENTS: tuple[str, ...] = ("startup", "transfer", "compute", "other")


@dataclass(frozen=True)
class TimeBreakdown:
    """Wall time cut into four non-negative parts that add up to `wall_s` (seconds)."""

    startup_s: float
    transfer_s: float
    compute_s: float
    other_s: float

    @property
    def wall_s(self) -> float:
        return self.startup_s + self.transfer_s + self.compute_s + self.other_s

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.startup_s, self.transfer_s, self.compute_s, self.other_s)

    def shares(self) -> tuple[float, float, float, float]:
        """Each part as a fraction of the wall time (all 0 for an empty run)."""
        wall = self.wall_s
        if wall <= 0:
            return (0.0, 0.0, 0.0, 0.0)
        return tuple(part / wall for part in self.as_tuple())  # type: ignore[return-value]


def _columns(
    chunks: tuple[ChunkTiming, ...], given: TimingColumns | None = None
) -> tuple[np.ndarray, ...]:
    """(worker, start, end, cpu, received, arrived) of every chunk, as arrays.

    A missing `received_s` (threads) is the chunk's start; a missing `arrived_s` is NaN.
    `given`: the same columns as a helper process sent them (engine.timing_columns), read
    without a copy; else every chunk is walked here (~0.1 s for 100,000 in Python).
    """
    columns = given if given is not None and given.matches(chunks) else TimingColumns.of(chunks)
    return (
        np.frombuffer(columns.worker, dtype=np.int64),
        *(
            np.frombuffer(column, dtype=float)
            for column in (
                columns.start_s,
                columns.end_s,
                columns.cpu_s,
                columns.received_s,
                columns.arrived_s,
            )
        ),
    )


def _worker_parts(
    start: np.ndarray,
    end: np.ndarray,
    cpu: np.ndarray,
    received: np.ndarray,
    last_arrived: float,
    wall: float,
) -> tuple[float, float, float]:
    """(start-up, transfer, compute) of one worker whose chunks are given in start order.

    Each chunk's times are clamped into order: received no earlier than the previous chunk's
    end, started no earlier than received, ended no earlier than started, all within the
    wall time. The previous end ("cursor") is then the running maximum of every earlier time
    (clamped to the wall time), so the clamping needs no loop over the chunks.

    Compute is CPU time: on a busy machine a chunk's wall time also holds the moments the
    worker waited for a core (more workers than cores, or the GUI drawing), which is not work.
    """
    ready = min(max(float(received[0]), 0.0), wall)
    latest = np.maximum(np.maximum(received, start), end)
    reached = np.maximum.accumulate(np.concatenate(([ready], latest)))
    before = reached[:-1]  # the latest time reached before each chunk (cursor, unclamped)
    got = np.minimum(np.maximum(received, before), wall)
    began = np.minimum(np.maximum(start, got), wall)
    ended = np.minimum(np.maximum(end, began), wall)
    # Between a chunk's end and the next task received; between receiving a task and starting.
    transfer = float(np.sum(began - got)) + float(np.sum(got[1:] - ended[:-1]))
    compute = float(np.sum(np.minimum(np.maximum(cpu, 0.0), ended - began)))
    cursor = float(ended[-1])
    if not math.isnan(last_arrived):
        transfer += min(max(last_arrived, cursor), wall) - cursor  # the last result's trip
    return ready, transfer, compute


def time_breakdown(result: RunResult, columns: TimingColumns | None = None) -> TimeBreakdown:
    """Split `result.wall_s` into start-up, pickling/transfer, compute and other.

    `columns`: the result's chunk timings as columns, if a helper sent them (see `_columns`).

    Numpy over the columns; without `columns`, a walk of every chunk first (tens of
    milliseconds for 100,000). The result is remembered for `result` (`remember_breakdown`),
    so the run controller computes it in its worker thread and the window's later calls only
    look it up.
    """
    cached = _cached(result)
    if cached is not None:
        return cached
    wall = max(0.0, result.wall_s)
    configured = result.config.workers_used
    totals = [0.0, 0.0, 0.0]
    lanes = 0
    if result.chunks:
        worker, start, end, cpu, received, arrived = _columns(result.chunks, columns)
        order = np.lexsort((start, worker))  # by worker, then start; stable on ties
        worker, start, end, cpu, received, arrived = (
            column[order] for column in (worker, start, end, cpu, received, arrived)
        )
        bounds = np.flatnonzero(np.diff(worker)) + 1
        firsts = np.concatenate(([0], bounds))
        lasts = np.concatenate((bounds, [len(worker)]))
        lanes = len(firsts)
        for first, last in zip(firsts.tolist(), lasts.tolist(), strict=True):
            span = slice(first, last)
            parts = _worker_parts(
                start[span], end[span], cpu[span], received[span], float(arrived[last - 1]), wall
            )
            for i, part in enumerate(parts):
                totals[i] += part
    slots = max(lanes, configured, 1)
    startup, transfer, compute = (total / slots for total in totals)
    other = max(0.0, wall - startup - transfer - compute)
    return _remember(result, TimeBreakdown(startup, transfer, compute, other))


# --- the breakdown of each result, computed once -----------------------------------------
# Keyed by the result's identity (hashing a result would hash all its chunks), dropped with
# the result. A lock: the run controller's worker thread fills it, the GUI thread reads it.
_lock = threading.RLock()  # re-entrant: a weakref callback may run inside a locked section
_remembered: dict[int, tuple[weakref.ref[RunResult], TimeBreakdown]] = {}


def _cached(result: RunResult) -> TimeBreakdown | None:
    with _lock:
        entry = _remembered.get(id(result))
    if entry is not None and entry[0]() is result:
        return entry[1]
    return None


def _forget(key: int) -> None:
    with _lock:
        _remembered.pop(key, None)


def _remember(result: RunResult, breakdown: TimeBreakdown) -> TimeBreakdown:
    key = id(result)
    with _lock:
        _remembered[key] = (weakref.ref(result, lambda _ref: _forget(key)), breakdown)
    return breakdown


def remember_breakdown(result: RunResult, columns: TimingColumns | None = None) -> None:
    """Compute `result`'s breakdown now (e.g. in a worker thread), so `time_breakdown(result)`
    later returns it without computing. Kept until `result` is garbage. `columns`: as for
    `time_breakdown`."""
    time_breakdown(result, columns)


def chunk_count_for_size(items: int, size: int) -> int:
    """Chunks needed for about `size` items each: ceil(items / size), within 1 … MAX_CHUNKS."""
    if size < 1:
        raise ValueError(f"chunk size must be at least 1, got {size}")
    return max(1, min(MAX_CHUNKS, math.ceil(items / size)))


def items_per_chunk(items: int, count: int) -> int:
    """The largest chunk when `items` are cut into `count` interleaved chunks."""
    if count < 1:
        raise ValueError(f"chunk count must be at least 1, got {count}")
    return math.ceil(items / count) if items > 0 else 0


def workload_items(config: RunConfig) -> int:
    """How many items `config`'s workload goes through for its size N."""
    return len(resolve_workload(config.workload, config.function).domain(config.size))


def chunk_size_configs(
    config: RunConfig, sizes: Iterable[int] = CHUNK_SIZES
) -> list[tuple[int, RunConfig]]:
    """(chunk size, config) for each size: the same run cut into ceil(items / size) chunks."""
    items = workload_items(config)
    return [(size, replace(config, chunks=chunk_count_for_size(items, size))) for size in sizes]
