"""Where the time goes: the breakdown adds up to the wall time, and chunk sizes become counts."""

from __future__ import annotations

import math
import random
from dataclasses import replace

import pytest

from tutor.analysis.breakdown import (
    CHUNK_SIZES,
    DEFAULT_SWEEP_SIZE,
    chunk_count_for_size,
    chunk_size_configs,
    items_per_chunk,
    remember_breakdown,
    time_breakdown,
    workload_items,
)
from tutor.engine.chunking import MAX_CHUNKS
from tutor.engine.records import ChunkTiming, RunConfig, RunResult
from tutor.engine.runners import run
from tutor.engine.timing_columns import TimingColumns


def make_result(chunks, wall, mode="processes", workers=2) -> RunResult:
    return RunResult(
        config=RunConfig("primes", 1000, mode=mode, workers=workers),
        answer=0,
        wall_s=wall,
        startup_s=0.0,
        compute_s=0.0,
        chunks=tuple(chunks),
        chunk_count=len(chunks),
    )


def chunk(worker, index, start, end, received=None, arrived=None) -> ChunkTiming:
    return ChunkTiming(worker, worker, index, 10, start, end, end - start, received, arrived)


def assert_adds_up(breakdown, wall):
    assert all(part >= 0 for part in breakdown.as_tuple()), breakdown
    assert math.isclose(breakdown.wall_s, wall, rel_tol=1e-9, abs_tol=1e-12), breakdown
    assert math.isclose(sum(breakdown.shares()), 1.0, rel_tol=1e-9) or wall == 0


def test_a_hand_worked_run_splits_exactly():
    # Worker 1: ready at 0.2, chunk 0.21-0.51, next task at 0.53, chunk 0.53-0.83, result
    # back at 0.85. Worker 2: ready at 0.4, one chunk 0.4-0.7, result back at 0.72. Wall 1.0.
    chunks = [
        chunk(1, 0, 0.21, 0.51, received=0.20, arrived=0.52),
        chunk(1, 1, 0.53, 0.83, received=0.53, arrived=0.85),
        chunk(2, 2, 0.40, 0.70, received=0.40, arrived=0.72),
    ]
    breakdown = time_breakdown(make_result(chunks, 1.0))
    assert breakdown.startup_s == pytest.approx((0.20 + 0.40) / 2)
    # worker 1: 0.01 (unpickle) + 0.02 (gap) + 0.02 (last result); worker 2: 0.02
    assert breakdown.transfer_s == pytest.approx((0.05 + 0.02) / 2)
    assert breakdown.compute_s == pytest.approx((0.60 + 0.30) / 2)
    assert breakdown.other_s == pytest.approx(1.0 - 0.30 - 0.035 - 0.45)
    assert_adds_up(breakdown, 1.0)


def test_compute_is_cpu_time_and_waiting_for_a_core_is_other():
    busy = ChunkTiming(1, 1, 0, 10, 0.0, 1.0, 0.25, 0.0, 1.0)
    breakdown = time_breakdown(make_result([busy], 1.0, workers=1))
    assert breakdown.compute_s == pytest.approx(0.25)
    assert breakdown.other_s == pytest.approx(0.75)
    overcounted = ChunkTiming(1, 1, 0, 10, 0.0, 1.0, 1.5, 0.0, 1.0)  # coarse CPU clock
    assert time_breakdown(make_result([overcounted], 1.0, workers=1)).compute_s == 1.0


def test_a_worker_that_got_no_chunk_counts_as_idle():
    chunks = [chunk(1, 0, 0.1, 0.9, received=0.1, arrived=0.9)]
    breakdown = time_breakdown(make_result(chunks, 1.0, workers=4))
    assert breakdown.compute_s == pytest.approx(0.8 / 4)
    assert breakdown.other_s == pytest.approx(1.0 - (0.1 + 0.8) / 4)
    assert_adds_up(breakdown, 1.0)


@pytest.mark.parametrize(
    "chunks",
    [
        [],  # nothing ran
        [chunk(1, 0, 0.5, 0.4, received=0.6, arrived=0.3)],  # times out of order
        [chunk(1, 0, -0.1, 2.0, received=-0.2, arrived=3.0)],  # outside the run
        [chunk(1, 0, 0.2, 0.3), chunk(1, 1, 0.25, 0.6), chunk(2, 2, 0.1, 0.9)],  # overlapping
    ],
)
def test_odd_timings_still_give_non_negative_parts_that_sum_to_wall(chunks):
    assert_adds_up(time_breakdown(make_result(chunks, 1.0)), 1.0)


def test_zero_wall_gives_zeros():
    breakdown = time_breakdown(make_result([], 0.0))
    assert breakdown.as_tuple() == (0.0, 0.0, 0.0, 0.0)
    assert breakdown.shares() == (0.0, 0.0, 0.0, 0.0)


@pytest.mark.parametrize("mode", ["processes", "executor"])
def test_a_real_process_run_is_measured_at_every_boundary(mode):
    result = run(RunConfig("primes", 20_000, mode=mode, workers=2, chunks=64))
    assert result.answer == 2262
    for timing in result.chunks:
        assert timing.received_s is not None and timing.arrived_s is not None
        assert 0 <= timing.received_s <= timing.start_s <= timing.end_s <= timing.arrived_s
        assert timing.arrived_s <= result.wall_s
    breakdown = time_breakdown(result)
    assert_adds_up(breakdown, result.wall_s)
    assert breakdown.startup_s > 0.005  # spawning a Python is never free
    assert breakdown.transfer_s > 0
    assert breakdown.compute_s > 0


def test_thread_runs_have_no_receive_time_but_still_add_up():
    result = run(RunConfig("primes", 5_000, mode="threads", workers=2))
    assert all(t.received_s is None and t.arrived_s is not None for t in result.chunks)
    assert_adds_up(time_breakdown(result), result.wall_s)


def test_json_carries_the_new_times():
    result = run(RunConfig("primes", 2_000, mode="processes", workers=1, chunks=3))
    chunks = result.to_json()["chunks"]
    assert all(c["received_s"] is not None and c["arrived_s"] is not None for c in chunks)


def test_positional_construction_of_chunk_timing_still_works():
    timing = ChunkTiming(1, 2, 3, 4, 0.1, 0.2, 0.05)
    assert timing.received_s is None and timing.arrived_s is None
    assert timing.wall_s == pytest.approx(0.1)


# --------------------------------------------------------------------------- chunk sizes
@pytest.mark.parametrize(
    ("items", "size", "count"),
    [
        (20_001, 1, 20_001),
        (20_001, 4, 5_001),
        (20_001, 16, 1_251),
        (20_001, 1024, 20),
        (100, 1024, 1),  # never fewer than one chunk
        (0, 16, 1),
        (10_000_000, 1, MAX_CHUNKS),  # capped at the engine's limit
    ],
)
def test_chunk_count_for_size(items, size, count):
    assert chunk_count_for_size(items, size) == count


def test_items_per_chunk_inverts_the_count():
    for size in CHUNK_SIZES:
        count = chunk_count_for_size(20_001, size)
        assert items_per_chunk(20_001, count) <= size
    assert items_per_chunk(0, 5) == 0


@pytest.mark.parametrize("bad", [0, -3])
def test_sizes_and_counts_below_one_are_refused(bad):
    with pytest.raises(ValueError):
        chunk_count_for_size(100, bad)
    with pytest.raises(ValueError):
        items_per_chunk(100, bad)


def test_chunk_size_configs_cut_the_same_run_six_ways():
    base = RunConfig("primes", DEFAULT_SWEEP_SIZE, mode="processes", workers=2, chunks=7)
    pairs = chunk_size_configs(base)
    assert [size for size, _ in pairs] == [1, 4, 16, 64, 256, 1024]
    assert workload_items(base) == DEFAULT_SWEEP_SIZE + 1  # primes ≤ N include N
    assert [c.chunks for _, c in pairs] == [20_001, 5_001, 1_251, 313, 79, 20]
    assert all(c.size == base.size and c.mode == "processes" for _, c in pairs)


# --- the column-wise breakdown gives what the chunk-by-chunk definition gives -------------


def _clamp(value, low, high):
    return min(max(value, low), high)


def reference_breakdown(result: RunResult) -> tuple[float, float, float, float]:
    """The breakdown's definition walked chunk by chunk (the implementation before it was
    made column-wise): each worker's chunks in start order, every time clamped into order."""
    wall = max(0.0, result.wall_s)
    lanes: dict[int, list[ChunkTiming]] = {}
    for timing in result.chunks:
        lanes.setdefault(timing.worker, []).append(timing)
    totals = [0.0, 0.0, 0.0]
    for timings in lanes.values():
        timings = sorted(timings, key=lambda c: c.start_s)
        first = timings[0]
        ready = _clamp(first.start_s if first.received_s is None else first.received_s, 0, wall)
        transfer = compute = 0.0
        cursor = ready
        for position, timing in enumerate(timings):
            received = timing.start_s if timing.received_s is None else timing.received_s
            received = _clamp(received, cursor, wall)
            if position > 0:
                transfer += received - cursor
            start = _clamp(timing.start_s, received, wall)
            transfer += start - received
            end = _clamp(timing.end_s, start, wall)
            compute += min(max(timing.cpu_s, 0.0), end - start)
            cursor = end
        if timings[-1].arrived_s is not None:
            transfer += _clamp(timings[-1].arrived_s, cursor, wall) - cursor
        for i, part in enumerate((ready, transfer, compute)):
            totals[i] += part
    slots = max(len(lanes), result.config.workers_used, 1)
    startup, transfer, compute = (total / slots for total in totals)
    return (startup, transfer, compute, max(0.0, wall - startup - transfer - compute))


def random_timings(seed: int, count: int, workers: int) -> list[ChunkTiming]:
    """Plausible and implausible timings alike: overlaps, times out of order, outside the run,
    missing receive or arrival times, negative CPU."""
    rng = random.Random(seed)
    timings = []
    for index in range(count):
        start = rng.uniform(-0.1, 1.1)
        end = start + rng.uniform(-0.05, 0.2)
        received = None if rng.random() < 0.2 else start - rng.uniform(-0.02, 0.05)
        arrived = None if rng.random() < 0.2 else end + rng.uniform(-0.02, 0.05)
        cpu = rng.uniform(-0.01, 0.25)
        worker = 1000 + rng.randrange(workers)
        timings.append(ChunkTiming(worker, worker, index, 1, start, end, cpu, received, arrived))
    return timings


@pytest.mark.parametrize("seed", range(12))
def test_the_breakdown_matches_its_chunk_by_chunk_definition(seed):
    workers = 1 + seed % 4
    result = make_result(random_timings(seed, 1 + seed * 37, workers), 1.0, workers=workers)
    assert time_breakdown(result).as_tuple() == pytest.approx(reference_breakdown(result))


def test_a_real_run_of_many_chunks_breaks_down_as_defined():
    result = run(RunConfig("squares", 200_000, mode="processes", workers=2, chunks=5_000))
    assert result.chunk_count == 5_000
    assert time_breakdown(result).as_tuple() == pytest.approx(reference_breakdown(result))
    assert_adds_up(time_breakdown(result), result.wall_s)


def test_a_remembered_breakdown_is_the_one_computed():
    result = make_result(random_timings(99, 500, 2), 1.0)
    remember_breakdown(result)  # as the run controller does in its worker thread
    first = time_breakdown(result)
    assert time_breakdown(result) is first
    assert first.as_tuple() == pytest.approx(reference_breakdown(result))
    twin = make_result(result.chunks[:10], 1.0)  # another result: its own breakdown
    assert time_breakdown(twin).as_tuple() == pytest.approx(reference_breakdown(twin))


class UnwalkableChunks(tuple):
    """Chunks that may be counted and indexed but not walked one by one."""

    def __iter__(self):
        raise AssertionError("the breakdown walked every chunk although it had their columns")


def test_the_breakdown_reads_given_columns_instead_of_walking_the_chunks():
    chunks = random_timings(7, 400, 3)
    columns = TimingColumns.of(chunks)
    walkable = make_result(chunks, 1.0, workers=3)
    result = replace(walkable, chunks=UnwalkableChunks(chunks))
    breakdown = time_breakdown(result, columns)
    assert breakdown.as_tuple() == pytest.approx(reference_breakdown(walkable))
    remembered = replace(walkable, chunks=UnwalkableChunks(chunks))
    remember_breakdown(remembered, columns)  # as the run controller does with a helper's
    assert time_breakdown(remembered) == breakdown


def test_columns_of_another_run_are_not_used():
    chunks = random_timings(8, 300, 2)
    other = TimingColumns.of(random_timings(9, 300, 2))  # as many chunks, other times
    result = make_result(chunks, 1.0)
    assert time_breakdown(result, other).as_tuple() == pytest.approx(reference_breakdown(result))
