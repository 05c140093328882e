"""Known answers for every workload in every mode, through the real runners (real processes)."""

from __future__ import annotations

import hashlib
import math
import struct
import subprocess
import sys

import pytest
from chunk_overlap import max_in_flight

from tutor.engine.records import MODES, RunConfig, results_match
from tutor.engine.runners import run
from tutor.engine.workloads import (
    HASH_BLOCK_BYTES,
    WORKLOADS,
    count_primes,
    hash_block,
    is_prime,
    resolve_workload,
)

WORKERS = 2


def squares_below(n: int) -> int:
    return (n - 1) * n * (2 * n - 1) // 6 if n > 0 else 0


def test_is_prime_on_small_numbers():
    primes = [n for n in range(60) if is_prime(n)]
    assert primes == [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59]
    assert not is_prime(-7)
    assert is_prime(999_983) and not is_prime(999_981)


def test_primes_counts_up_to_n_inclusive():
    assert count_primes(range(0, 11)) == 4
    assert count_primes(range(0, 12)) == 5  # 11 counts: "≤ N"
    assert WORKLOADS["primes"].domain(11) == range(0, 12)
    assert WORKLOADS["squares"].domain(11) == range(0, 11)


@pytest.mark.parametrize("mode", MODES)
def test_primes_up_to_100_000(mode):
    result = run(RunConfig("primes", 100_000, mode, WORKERS))
    assert result.answer == 9_592
    assert result.chunk_count == len(result.chunks)
    assert sum(c.items for c in result.chunks) == 100_001


@pytest.mark.parametrize("mode", ["processes", "executor"])
def test_primes_up_to_one_million(mode):
    assert run(RunConfig("primes", 1_000_000, mode, WORKERS)).answer == 78_498


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("size", [0, 1, 2, 17, 123_457])
def test_squares_match_the_formula(mode, size):
    result = run(RunConfig("squares", size, mode, WORKERS))
    assert result.answer == squares_below(size)
    assert isinstance(result.answer, int)


def test_squares_below_ten_million():
    result = run(RunConfig("squares", 10_000_000, "processes", WORKERS))
    assert result.answer == 333_333_283_333_335_000_000 == squares_below(10_000_000)


@pytest.mark.parametrize("mode", MODES)
def test_roots_below_one_million(mode):
    result = run(RunConfig("roots", 1_000_000, mode, WORKERS))
    assert isinstance(result.answer, float)
    assert result.answer == pytest.approx(666_666_166.46, abs=0.01)


def test_roots_agree_across_modes_with_the_same_chunks():
    results = [run(RunConfig("roots", 200_000, mode, WORKERS)).answer for mode in MODES]
    exact = math.fsum(math.sqrt(n) for n in range(200_000))
    assert all(results_match(r, exact) for r in results), results


def zero_led_sha256_count(size: int) -> int:
    """The hashing workload's answer, computed another way: each item's bytes joined up front
    and the hex digest read as text, so a slip in the engine's arithmetic cannot hide here."""
    block = bytes(i % 256 for i in range(65_536))
    return sum(
        hashlib.sha256(struct.pack("<Q", n) + block).hexdigest().startswith("0")
        for n in range(size)
    )


@pytest.mark.parametrize("mode", MODES)
def test_hashing_counts_zero_led_digests_in_every_mode(mode):
    size = 1_203  # not a multiple of the chunk or slice sizes: uneven pieces must add up too
    result = run(RunConfig("hashing", size, mode, WORKERS))
    assert result.answer == zero_led_sha256_count(size)
    assert isinstance(result.answer, int)
    assert sum(c.items for c in result.chunks) == size


def test_hashing_digests_differ_per_item_and_feed_the_gil_free_path():
    workload = WORKLOADS["hashing"]
    assert workload.domain(5) == range(0, 5)
    # hashlib releases the GIL only for more than 2,047 bytes in one call (hashlib docs).
    assert HASH_BLOCK_BYTES > 2_047
    block = bytes(range(256)) * (HASH_BLOCK_BYTES // 256)
    digests = {hash_block(n, block) for n in range(200)}
    assert len(digests) == 200
    # One chunk of the whole range and many small ones give the same count.
    whole = workload.chunk_function(range(0, 2_000))
    pieces = sum(workload.chunk_function(range(k, 2_000, 7)) for k in range(7))
    assert whole == pieces == zero_led_sha256_count(2_000)
    assert 0 < whole < 2_000


def test_hashing_result_matches_the_sequential_baseline():
    baseline = run(RunConfig("hashing", 3_000, "sequential"))
    for mode in ("threads", "processes"):
        result = run(RunConfig("hashing", 3_000, mode, WORKERS), baseline=baseline)
        assert result.matches_baseline is True, mode


@pytest.mark.parametrize("mode", MODES)
def test_sleep_counts_its_items(mode):
    result = run(RunConfig("sleep", 60, mode, WORKERS))
    assert result.answer == 60
    assert sum(c.items for c in result.chunks) == 60


def test_threads_win_on_waiting_work():
    sequential = run(RunConfig("sleep", 240, "sequential"))
    threads = run(RunConfig("sleep", 240, "threads", 4))
    assert sequential.answer == threads.answer == 240
    # Sleeping releases the GIL: 4 threads wait side by side, so their chunks overlap in time.
    assert max_in_flight(sequential.chunks) == 1
    assert max_in_flight(threads.chunks) >= 2


@pytest.mark.parametrize("mode", MODES)
def test_custom_module_function(mode):
    config = RunConfig("custom", 10_000, mode, WORKERS, function="engine_work:triple")
    result = run(config)
    assert result.answer == 3 * 9_999 * 10_000 // 2
    assert result.to_json()["function"] == "engine_work:triple"


def test_custom_function_with_float_results():
    result = run(RunConfig("custom", 1_001, "processes", WORKERS, function="engine_work:half"))
    assert result.answer == pytest.approx(1_000 * 1_001 / 4)


def test_resolve_custom_wraps_the_function():
    workload = resolve_workload("custom", "engine_work:triple")
    assert workload.chunk_function(range(5)) == 30
    assert workload.domain(5) == range(0, 5)


@pytest.mark.parametrize("start_method", ["spawn", "forkserver", "fork"])
@pytest.mark.parametrize("mode", ["processes", "executor"])
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # fork in a threaded process (3.12+)
def test_every_start_method(mode, start_method):
    import multiprocessing

    if start_method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"{start_method} is not available here")
    result = run(RunConfig("primes", 20_000, mode, WORKERS, start_method=start_method))
    assert result.answer == 2_262
    assert result.config.start_method == start_method


def test_baseline_gives_speedup_and_checks_the_result():
    baseline = run(RunConfig("primes", 20_000, "sequential"))
    result = run(RunConfig("primes", 20_000, "threads", WORKERS), baseline=baseline)
    assert result.baseline_s == baseline.wall_s
    assert result.speedup == pytest.approx(baseline.wall_s / result.wall_s)
    assert result.efficiency == pytest.approx(result.speedup / WORKERS)
    assert result.matches_baseline is True


def test_a_worker_of_a_built_in_workload_imports_nothing_heavy():
    """A spawned worker imports tutor.engine.worker and runs a chunk: its start-up is part of
    every measured run, so the records' dataclasses (and the failure table) stay out of it."""
    code = (
        "import sys\n"
        "from tutor.engine.worker import ChunkTask, run_chunk\n"
        "outcome = run_chunk(ChunkTask('primes', None, 0, range(0, 101), 0.0))\n"
        "assert outcome.value == 25, outcome\n"
        "print(sorted(m for m in ('dataclasses', 'tutor.engine.failures', 'tutor.engine.records')"
        " if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
