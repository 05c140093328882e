"""Runner timings (one shared clock, CPU ≤ wall, no overlap per worker), the GIL, validation."""

from __future__ import annotations

import os
import pickle
import statistics
import threading
import time
import tracemalloc

import psutil
import pytest

from tutor.engine.records import MODES, RunConfig
from tutor.engine.runners import plan_run, run, validate
from tutor.engine.worker import ChunkTask, clock

CPU_SLACK_S = 0.005  # thread_time and perf_counter tick differently


class ChunkLog:
    """An on_chunk callback that records what a test needs to know at delivery time."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.timings = []
        self.arrived = []  # clock() when each callback ran
        self.calling_threads = set()
        self.worker_parent_pids = {}  # pid -> ppid while the worker still runs
        self.process_thread_ids = set()

    def __call__(self, timing) -> None:
        self.arrived.append(clock())
        self.timings.append(timing)
        self.calling_threads.add(threading.get_ident())
        if self.mode in ("processes", "executor"):
            try:
                self.worker_parent_pids[timing.worker] = psutil.Process(timing.worker).ppid()
            except psutil.Error:
                pass
        else:
            self.process_thread_ids.update(t.id for t in psutil.Process().threads())


@pytest.mark.parametrize("mode", MODES)
def test_chunk_timings_are_consistent(mode):
    log = ChunkLog(mode)
    before = clock()
    result = run(RunConfig("primes", 150_000, mode, 2), on_chunk=log)
    after = clock()
    assert result.answer == 13_848
    chunks = result.chunks

    # on_chunk: once per chunk, in the calling thread, in the order of result.chunks.
    assert list(log.timings) == list(chunks)
    assert sorted(c.index for c in chunks) == list(range(result.chunk_count))
    assert log.calling_threads == {threading.get_ident()}

    planned = plan_run(result.config).chunks
    for chunk, arrived in zip(chunks, log.arrived, strict=True):
        assert 0.0 <= chunk.start_s <= chunk.end_s <= result.wall_s
        assert chunk.end_s <= arrived - before  # delivered after it ended, never before
        assert 0.0 <= chunk.cpu_s <= chunk.wall_s + CPU_SLACK_S
        assert chunk.items == len(planned[chunk.index])

    # Completion order: each worker's chunks arrive in the order it ran them, and overall
    # delivery follows the end times (up to the jitter between a chunk's end and its result
    # reaching the parent, generous for a busy machine).
    by_worker = {}
    for chunk in chunks:
        by_worker.setdefault(chunk.worker, []).append(chunk)
    for own in by_worker.values():
        for earlier, later in zip(own, own[1:], strict=False):
            assert later.start_s >= earlier.end_s - 1e-6  # one worker: no overlap
    ends = [c.end_s for c in chunks]
    assert all(a <= b + 0.25 for i, a in enumerate(ends) for b in ends[i + 1 :])

    assert result.startup_s >= 0 and result.compute_s >= 0
    assert result.startup_s + result.compute_s <= result.wall_s + 1e-6
    assert result.wall_s <= after - before
    assert result.startup_s == pytest.approx(min(c.start_s for c in chunks))

    workers = set(by_worker)
    if mode in ("processes", "executor"):
        assert os.getpid() not in workers
        assert 1 <= len(workers) <= 2
        assert set(log.worker_parent_pids.values()) == {os.getpid()}  # our own children
        assert len(log.worker_parent_pids) == len(workers)
    elif mode == "threads":
        assert all(c.worker == c.thread for c in chunks)
        assert 1 <= len(workers) <= 2
        assert threading.get_native_id() not in workers
        assert workers <= log.process_thread_ids  # threads of this very process
    elif mode == "asyncio":
        assert workers <= {1, 2}  # the chunk's slot under the semaphore
        loop_threads = {c.thread for c in chunks}
        assert len(loop_threads) == 1  # one event loop on one thread
        assert threading.get_native_id() not in loop_threads
    else:
        assert workers == {threading.get_native_id()}


def test_worker_ids_of_the_result_in_start_order():
    result = run(RunConfig("primes", 100_000, "processes", 2))
    first_starts = {}
    for chunk in sorted(result.chunks, key=lambda c: c.start_s):
        first_starts.setdefault(chunk.worker, chunk.start_s)
    assert result.worker_ids == tuple(first_starts)


def test_the_clock_is_shared_by_every_process():
    """Chunk times from two processes land on the parent's axis: inside the run, overlapping."""
    result = run(RunConfig("primes", 400_000, "processes", 2))
    spans = {}
    for chunk in result.chunks:
        start, end = spans.get(chunk.worker, (chunk.start_s, chunk.end_s))
        spans[chunk.worker] = (min(start, chunk.start_s), max(end, chunk.end_s))
    assert len(spans) == 2
    (a_start, a_end), (b_start, b_end) = spans.values()
    # Two clocks would put the spans seconds (or days) apart; one clock makes them overlap.
    assert min(a_end, b_end) > max(a_start, b_start)


def busy_seconds() -> float:
    t = psutil.cpu_times()
    return sum(getattr(t, f, 0.0) for f in ("user", "nice", "system", "irq", "softirq", "steal"))


def own_seconds() -> float:
    t = os.times()  # children's times count once they are reaped (run() joins its workers)
    return t.user + t.system + t.children_user + t.children_system


QUIET_SAMPLE_S = 0.3  # one look at what other programs use
QUIET_WAIT_S = 10.0  # how long to look for a moment when they leave the cores free


def others_were_quiet(busy: float, own: float, since: float) -> bool:
    """Whether other programs used less than 30 % of a core since `since` (monotonic s), given
    busy_seconds() and own_seconds() as they were then."""
    others = (busy_seconds() - busy) - (own_seconds() - own)
    return others < 0.3 * (time.monotonic() - since)


def wait_for_quiet_cores() -> bool:
    """Until other programs leave the cores free for a moment (True), or QUIET_WAIT_S passed.

    A look costs no CPU, unlike a measured run thrown away: under a busy test suite a run
    would be measured and discarded again and again."""
    deadline = time.monotonic() + QUIET_WAIT_S
    while time.monotonic() < deadline:
        busy, own, since = busy_seconds(), own_seconds(), time.monotonic()
        time.sleep(QUIET_SAMPLE_S)  # a sampling interval: the measurement itself
        if others_were_quiet(busy, own, since):
            return True
    return False


def cpu_shares(mode: str, *, quiet_machine: bool) -> list[float]:
    """CPU seconds over wall seconds of every chunk of a 2-worker primes run.

    With `quiet_machine`, a run starts once other programs leave the cores free for a moment,
    and a run during which they kept more than 30 % of a core busy is measured again (a
    process only gets a core that is free), at most 5 times.
    """
    for _ in range(5):
        if quiet_machine and not wait_for_quiet_cores():
            pytest.skip(f"other programs kept this machine busy for {QUIET_WAIT_S:.0f} s")
        busy, own = busy_seconds(), own_seconds()
        result = run(RunConfig("primes", 500_000, mode, 2))
        others = (busy_seconds() - busy) - (own_seconds() - own)
        assert result.answer == 41_538
        if not quiet_machine or others < 0.3 * result.wall_s:
            break
    else:
        pytest.skip(f"other programs kept this machine busy ({others:.2f} s of CPU)")
    return [c.cpu_s / c.wall_s for c in result.chunks if c.wall_s > 0]


def test_threads_show_the_gil():
    """Two CPU-bound threads take turns: each chunk gets about half its wall time as CPU.

    Other load on the machine only lowers the share further, so this needs no quiet machine.
    """
    shares = cpu_shares("threads", quiet_machine=False)
    assert statistics.mean(shares) < 0.75, shares
    assert statistics.median(shares) < 0.75, shares
    # Both threads do run: every chunk got some CPU. (Not "at least 10 %": beside other load
    # a chunk's share can fall to a few per cent, and that is the lesson too.)
    assert all(share > 0 for share in shares), shares


def test_processes_get_a_core_each():
    # The median shrugs off a chunk that the (virtual) machine paused for a moment.
    shares = cpu_shares("processes", quiet_machine=True)
    assert statistics.median(shares) > 0.8, shares


# --- validation -------------------------------------------------------------------------


def valid(**changes) -> RunConfig:
    fields = {"workload": "primes", "size": 1_000, "mode": "processes", "workers": 2}
    fields.update(changes)
    return RunConfig(**fields)


@pytest.mark.parametrize(
    ("changes", "field", "allowed"),
    [
        ({"workers": 0}, "workers", "512"),
        ({"workers": 513}, "workers", "512"),
        ({"workers": -1}, "workers", "between 1 and 512"),
        ({"workers": 2.5}, "workers", "whole number"),
        ({"workers": True}, "workers", "whole number"),
        ({"size": -1}, "size", "100,000,000"),
        ({"size": 100_000_001}, "size", "100,000,000"),
        ({"size": 1e6}, "size", "whole number"),
        ({"workload": "cubes"}, "workload", "primes, squares, roots, hashing, sleep, custom"),
        ({"workload": ""}, "workload", "primes"),
        ({"mode": "gpu"}, "mode", "sequential, threads, processes, executor"),
        ({"start_method": "teleport"}, "start_method", "spawn"),
        ({"chunks": 0}, "chunks", "between 1 and 100,000"),
        ({"chunks": -3}, "chunks", "between 1 and 100,000"),
        ({"chunks": 100_001}, "chunks", "between 1 and 100,000"),
        ({"workload": "custom"}, "function", "module:function"),
        ({"workload": "custom", "function": "nocolon"}, "function", "module:function"),
        ({"workload": "custom", "function": ":triple"}, "function", "module:function"),
        ({"workload": "custom", "function": "engine_work:"}, "function", "module:function"),
        ({"workload": "custom", "function": "no_such_module_xyz:f"}, "function", "cannot import"),
        ({"workload": "custom", "function": "engine_work_broken:never"}, "function", "broken"),
        ({"workload": "custom", "function": "engine_work:missing"}, "function", "missing"),
        ({"workload": "custom", "function": "engine_work:NOT_CALLABLE"}, "function", "NOT_CALL"),
        ({"function": "engine_work:triple"}, "function", "custom"),
    ],
)
def test_invalid_configs_are_rejected_naming_the_field(changes, field, allowed):
    config = valid(**changes)
    for check in (validate, plan_run, run):
        with pytest.raises(ValueError, match=f"^{field}: ") as caught:
            check(config)
        assert allowed in str(caught.value)


@pytest.mark.parametrize(
    "changes",
    [{"workers": 1}, {"workers": 512}, {"size": 0}, {"size": 100_000_000}, {"chunks": 100_000}],
)
def test_the_limits_themselves_are_valid(changes):
    assert validate(valid(**changes)) == valid(**changes)


@pytest.mark.parametrize("mode", MODES)
def test_size_zero_runs(mode):
    assert run(RunConfig("primes", 0, mode, 2)).answer == 0
    result = run(RunConfig("squares", 0, mode, 2))
    assert result.answer == 0
    assert sum(c.items for c in result.chunks) == 0


def test_a_huge_plan_stays_small_in_memory_and_on_the_wire():
    tracemalloc.start()
    try:
        plan = plan_run(RunConfig("squares", 100_000_000, "processes", 2))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000  # a list of 10⁸ ints would be gigabytes
    assert all(type(c) is range for c in plan.chunks)
    task = ChunkTask("squares", None, 0, plan.chunks[0], 0.0)
    assert len(pickle.dumps(task)) < 400


def test_more_chunks_than_items_and_one_chunk():
    assert run(RunConfig("squares", 3, "processes", 2, chunks=50)).chunk_count == 3
    one = run(RunConfig("squares", 1_000, "processes", 2, chunks=1))
    assert one.chunk_count == 1 and one.answer == 332_833_500
