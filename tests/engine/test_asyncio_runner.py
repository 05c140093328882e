"""The asyncio mode: one event loop on one thread, N coroutines at a time, the same records."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from chunk_overlap import max_in_flight

from tutor.engine.asyncio_runner import LOOP_THREAD_NAME, CpuMeter
from tutor.engine.cancel import CancelToken, RunCancelled
from tutor.engine.records import MODES, PARALLEL_MODES, RunConfig
from tutor.engine.runners import run
from tutor.engine.workloads import WORKLOADS, wait_per_item_async

SCRIPT = Path(sys.executable).parent / "mp-tutor"


def loop_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == LOOP_THREAD_NAME]


def max_overlap(chunks) -> int:
    """The most chunks in progress at one moment."""
    edges = sorted([(c.start_s, 1) for c in chunks] + [(c.end_s, -1) for c in chunks])
    running = most = 0
    for _, step in edges:
        running += step
        most = max(most, running)
    return most


def test_asyncio_is_a_mode_of_its_own():
    assert "asyncio" in MODES and "asyncio" in PARALLEL_MODES
    assert RunConfig("sleep", 10, "asyncio", 8).label() == "asyncio × 8 tasks"
    assert RunConfig("sleep", 10, "asyncio", 1).label() == "asyncio × 1 task"
    assert not RunConfig("sleep", 10, "asyncio", 8).uses_processes


def test_the_sleep_workload_has_an_async_variant():
    assert WORKLOADS["sleep"].async_chunk_function is wait_per_item_async
    assert all(w.async_chunk_function is None for n, w in WORKLOADS.items() if n != "sleep")
    assert asyncio.run(wait_per_item_async(range(5, 25))) == 20


@pytest.mark.parametrize(
    ("workload", "size", "answer"),
    [
        ("primes", 100_000, 9_592),
        ("squares", 10_000, 9_999 * 10_000 * 19_999 // 6),
        ("sleep", 200, 200),
    ],
)
def test_answers_match_the_sequential_ones(workload, size, answer):
    sequential = run(RunConfig(workload, size, "sequential"))
    result = run(RunConfig(workload, size, "asyncio", 4), baseline=sequential)
    assert sequential.answer == result.answer == answer
    assert result.matches_baseline is True
    assert sorted(c.index for c in result.chunks) == list(range(result.chunk_count))
    assert sum(c.items for c in result.chunks) == sum(c.items for c in sequential.chunks)
    assert loop_threads() == []  # the loop's thread is gone when run() returns


def test_waiting_scales_with_n_on_one_thread():
    sequential = run(RunConfig("sleep", 200, "sequential"))
    asyncio_run = run(RunConfig("sleep", 200, "asyncio", 8))
    assert asyncio_run.answer == sequential.answer == 200
    # Ideal is 1/8 of the sequential time; < 0.5 leaves room for a busy two-core machine.
    ratio = asyncio_run.wall_s / sequential.wall_s
    assert ratio < 0.5, (asyncio_run.wall_s, sequential.wall_s)
    chunks = asyncio_run.chunks
    assert len({c.thread for c in chunks}) == 1  # all of it on one thread
    assert set(asyncio_run.worker_ids) == set(range(1, 9))  # eight slots took part
    assert 2 <= max_overlap(chunks) <= 8  # chunks wait side by side, never more than 8
    # Sleeping is waiting, not computing: chunks spend most of their wall time waiting.
    assert sum(c.cpu_s for c in chunks) < 0.5 * sum(c.wall_s for c in chunks)


def test_concurrency_is_the_worker_count():
    result = run(RunConfig("sleep", 120, "asyncio", 3))
    assert max_overlap(result.chunks) <= 3
    assert set(result.worker_ids) <= {1, 2, 3}
    for slot in result.worker_ids:
        own = sorted((c for c in result.chunks if c.worker == slot), key=lambda c: c.start_s)
        for earlier, later in zip(own, own[1:], strict=False):
            assert later.start_s >= earlier.end_s - 1e-6  # a slot runs one chunk at a time


def test_computing_takes_turns_on_one_thread():
    """CPU-bound coroutines interleave, but their CPU adds up to no more than the wall time."""
    result = run(RunConfig("primes", 200_000, "asyncio", 4))
    assert result.answer == 17_984
    chunks = result.chunks
    assert max_overlap(chunks) >= 2  # they do take turns…
    total_cpu = sum(c.cpu_s for c in chunks)
    assert total_cpu <= result.wall_s + 0.01  # …on one thread: no two compute at once
    assert all(0.0 <= c.cpu_s <= c.wall_s + 0.005 for c in chunks)


@pytest.mark.timeout(30)
def test_cancel_stops_a_long_waiting_run_within_two_seconds():
    token = CancelToken()
    timer = threading.Timer(0.3, token.cancel)
    timer.start()
    try:
        with pytest.raises(RunCancelled):
            run(RunConfig("sleep", 1_000_000, "asyncio", 8), cancel=token)
    finally:
        timer.cancel()
    assert loop_threads() == []


def test_cpu_meter_counts_only_its_own_steps():
    async def burn(seconds: float) -> None:
        end = time.thread_time() + seconds
        while time.thread_time() < end:
            pass

    async def measured() -> str:
        await burn(0.02)
        await asyncio.sleep(0.05)
        await burn(0.02)
        return "done"

    async def other() -> None:
        await asyncio.sleep(0.01)
        await burn(0.05)  # runs while `measured` sleeps: not its CPU

    async def main() -> tuple[str, float]:
        meter = CpuMeter(measured())
        value, _ = await asyncio.gather(meter, other())
        return value, meter.cpu_s

    value, cpu = asyncio.run(main())
    assert value == "done"
    assert 0.035 <= cpu < 0.07


def test_cpu_meter_passes_errors_and_cancellation_through():
    async def fails() -> None:
        await asyncio.sleep(0)
        raise ValueError("boom")

    async def waits() -> None:
        await asyncio.sleep(10)

    async def main() -> None:
        with pytest.raises(ValueError, match="boom"):
            await CpuMeter(fails())
        task = asyncio.ensure_future(CpuMeter(waits()))
        await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())


@pytest.mark.skipif(not SCRIPT.exists(), reason="mp-tutor is not installed")
def test_bench_runs_the_asyncio_mode():
    done = subprocess.run(
        [str(SCRIPT), "bench", "--workload", "sleep", "--size", "200", "--mode",
         "sequential,asyncio", "--workers", "8", "--json"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    sequential, measured = json.loads(done.stdout)
    assert measured["mode"] == "asyncio" and measured["workers"] == 8
    assert measured["result"] == 200 and measured["matches_sequential"] is True
    in_flight = max_in_flight(SimpleNamespace(**c) for c in measured["chunks"])
    assert in_flight >= 2  # several waits at once, on one thread
    assert len({c["thread"] for c in measured["chunks"]}) == 1
