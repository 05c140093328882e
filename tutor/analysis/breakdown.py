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
from collections.abc import Iterable
from dataclasses import dataclass, replace

from tutor.engine.chunking import MAX_CHUNKS
from tutor.engine.records import ChunkTiming, RunConfig, RunResult
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


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _worker_parts(chunks: list[ChunkTiming], wall: float) -> tuple[float, float, float]:
    """(start-up, transfer, compute) of one worker, each chunk's times clamped into order.

    Compute is CPU time: on a busy machine a chunk's wall time also holds the moments the
    worker waited for a core (more workers than cores, or the GUI drawing), which is not work.
    """
    chunks = sorted(chunks, key=lambda c: c.start_s)
    first = chunks[0]
    ready = _clamp(first.start_s if first.received_s is None else first.received_s, 0.0, wall)
    startup, transfer, compute = ready, 0.0, 0.0
    cursor = ready
    for position, chunk in enumerate(chunks):
        received = chunk.start_s if chunk.received_s is None else chunk.received_s
        received = _clamp(received, cursor, wall)
        if position > 0:
            transfer += received - cursor  # previous result sent back, this task fetched
        start = _clamp(chunk.start_s, received, wall)
        transfer += start - received
        end = _clamp(chunk.end_s, start, wall)
        compute += min(max(chunk.cpu_s, 0.0), end - start)
        cursor = end
    last = chunks[-1]
    if last.arrived_s is not None:
        transfer += _clamp(last.arrived_s, cursor, wall) - cursor  # the last result's trip
    return startup, transfer, compute


def time_breakdown(result: RunResult) -> TimeBreakdown:
    """Split `result.wall_s` into start-up, pickling/transfer, compute and other."""
    wall = max(0.0, result.wall_s)
    lanes: dict[int, list[ChunkTiming]] = {}
    for chunk in result.chunks:
        lanes.setdefault(chunk.worker, []).append(chunk)
    configured = result.config.workers_used
    slots = max(len(lanes), configured, 1)
    totals = [0.0, 0.0, 0.0]
    for chunks in lanes.values():
        for i, part in enumerate(_worker_parts(chunks, wall)):
            totals[i] += part
    startup, transfer, compute = (total / slots for total in totals)
    other = max(0.0, wall - startup - transfer - compute)
    return TimeBreakdown(startup, transfer, compute, other)


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
