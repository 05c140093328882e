"""Chunking: every item exactly once, a sensible default count, and balanced primes cost."""

from __future__ import annotations

import itertools
import math

import pytest

from tutor.engine.chunking import (
    MAX_CHUNKS,
    contiguous_chunks,
    default_chunk_count,
    default_chunks,
    interleaved_chunks,
)
from tutor.engine.records import RunConfig
from tutor.engine.runners import plan_run


def primes_cost(chunk: range) -> float:
    """Trial division tests odd divisors up to √n: the cost of a number grows like √n."""
    return sum(math.sqrt(n) for n in chunk)


def greedy_makespan(costs: list[float], workers: int) -> float:
    """Finish time when idle workers take chunks in index order (what the pools do)."""
    loads = [0.0] * workers
    for cost in costs:
        loads[loads.index(min(loads))] += cost
    return max(loads)


@pytest.mark.parametrize("split", [interleaved_chunks, contiguous_chunks])
@pytest.mark.parametrize("domain", [range(0, 0), range(0, 1), range(0, 10), range(0, 1_001)])
@pytest.mark.parametrize("count", [1, 2, 3, 7, 16, 5_000])
def test_chunks_cover_the_domain_exactly_once(split, domain, count):
    chunks = split(domain, count)
    assert all(isinstance(c, range) for c in chunks)
    assert sorted(itertools.chain.from_iterable(chunks)) == list(domain)
    assert len(chunks) == max(1, min(count, len(domain)))
    sizes = [len(c) for c in chunks]
    assert max(sizes) - min(sizes) <= 1


def test_interleaved_chunks_are_strided():
    assert interleaved_chunks(range(0, 10), 3) == (
        range(0, 10, 3),
        range(1, 10, 3),
        range(2, 10, 3),
    )
    assert contiguous_chunks(range(0, 10), 3) == (range(0, 3), range(3, 6), range(6, 10))


def is_prime(n: int) -> bool:
    return n > 1 and all(n % d for d in range(2, math.isqrt(n) + 1))


@pytest.mark.parametrize("workers", [1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 64, 512])
def test_default_chunk_count_is_a_prime_that_splits_evenly_over_the_workers(workers):
    count = default_chunk_count(workers, 10**8)
    assert is_prime(count)
    assert count >= max(16, 4 * workers)
    assert (count - 1) % workers == 0  # chunks 1 … count-1 cost the same: an even share each
    assert count <= 16 * workers + 40  # and not needlessly many


def test_small_sweeps_share_one_default_chunk_count():
    assert {default_chunk_count(w, 10**6) for w in (1, 2, 3, 4)} == {37}


def test_default_chunk_count_never_exceeds_the_items():
    assert default_chunk_count(2, 5) == 5
    assert default_chunk_count(2, 0) == 1


def test_plan_uses_the_default_count_and_the_same_chunks_for_every_mode():
    plans = {
        mode: plan_run(RunConfig("primes", 100_000, mode, 2))
        for mode in ("threads", "processes", "executor")
    }
    chunks = {plan.chunks for plan in plans.values()}
    assert len(chunks) == 1
    (only,) = chunks
    assert only == default_chunks(range(0, 100_001), 2)
    assert len(only) == 37 - 4 + 4 * 3  # the last four of 37 chunks cut into thirds
    # Sequential runs on one worker, with the same chunks as a small sweep.
    assert plan_run(RunConfig("primes", 100_000, "sequential", 8)).chunks == only


@pytest.mark.parametrize("workers", [1, 2, 3, 4, 6, 12])
@pytest.mark.parametrize("domain", [range(0, 0), range(0, 3), range(0, 50), range(0, 10_001)])
def test_the_default_cut_covers_the_domain_exactly_once(domain, workers):
    chunks = default_chunks(domain, workers)
    assert all(len(chunk) for chunk in chunks) or len(domain) == 0
    assert sorted(itertools.chain.from_iterable(chunks)) == list(domain)


def test_small_sweeps_share_one_default_cut():
    domain = range(0, 200_001)
    assert len({default_chunks(domain, workers) for workers in (1, 2, 3, 4)}) == 1


def idle_tail(costs: list[float], head_start: float) -> float:
    """How long the first of two workers to finish waits for the other, one starting late."""
    loads = [0.0, head_start]
    for cost in costs:
        loads[loads.index(min(loads))] += cost
    return max(loads) - min(loads)


@pytest.mark.parametrize("late", [0.0, 0.25, 0.5, 0.75])
def test_cutting_the_last_chunks_shortens_the_idle_tail(late):
    """One worker starts late (spawn start-up varies); the pieces at the end even it out."""
    domain = range(0, 60_001)
    whole = [sum(map(divisions, c)) for c in interleaved_chunks(domain, 37)]
    cut = [sum(map(divisions, c)) for c in default_chunks(domain, 2)]
    chunk = sum(whole[1:]) / 36  # the cost of one whole chunk
    assert sum(cut) == sum(whole)
    assert idle_tail(cut, late * chunk) <= 0.25 * chunk  # about one of the smallest pieces
    assert idle_tail(cut, late * chunk) < idle_tail(whole, late * chunk)


def test_no_piece_of_the_cut_chunks_is_nearly_free():
    """Pieces of consecutive items mix every residue: a stride-3 piece of multiples of 3 would
    cost trial division next to nothing, and leave the tail as long as before."""
    domain = range(0, 60_001)
    whole = [sum(map(divisions, c)) for c in interleaved_chunks(domain, 37)]
    pieces = [sum(map(divisions, c)) for c in default_chunks(domain, 2)][37 - 4 :]
    chunk = sum(whole[1:]) / 36
    assert len(pieces) == 12
    assert min(pieces) > 0.15 * chunk
    assert pieces == sorted(pieces, reverse=True) or max(pieces[-4:]) < min(pieces[:4])


def test_chunks_override():
    plan = plan_run(RunConfig("squares", 1_000, "processes", 2, chunks=7))
    assert len(plan.chunks) == 7
    assert plan.items_total == 1_000
    assert len(plan_run(RunConfig("squares", 5, "threads", 2, chunks=MAX_CHUNKS)).chunks) == 5


def test_a_huge_size_plans_without_building_a_list():
    plan = plan_run(RunConfig("primes", 100_000_000, "processes", 512))
    assert all(type(c) is range for c in plan.chunks)
    assert plan.items_total == 100_000_001
    assert len(plan.chunks) == default_chunk_count(512, 100_000_001) + 2 * 512  # cut into 3


@pytest.mark.parametrize("size", [200_000, 2_000_000])
def test_interleaved_chunks_balance_the_primes_cost(size):
    domain = range(0, size + 1)
    count = default_chunk_count(2, len(domain))
    # Sampled (every 97th item) to stay fast; the sampled cost is proportional to the real one.
    interleaved = [primes_cost(c[::97]) for c in interleaved_chunks(domain, count)]
    contiguous = [primes_cost(c[::97]) for c in contiguous_chunks(domain, count)]
    spread_interleaved = max(interleaved) / min(interleaved)
    spread_contiguous = max(contiguous) / min(contiguous)
    assert spread_interleaved < 1.05, spread_interleaved
    assert spread_contiguous > 5, spread_contiguous
    assert max(interleaved) / (sum(interleaved) / count) < 1.02
    assert max(contiguous) / (sum(contiguous) / count) > 1.4


def divisions(n: int) -> int:
    """The real cost of trial division: how many divisions `is_prime(n)` performs."""
    if n < 4 or n % 2 == 0:
        return 1
    steps, divisor = 1, 3
    while divisor * divisor <= n and n % divisor:
        steps += 1
        divisor += 2
    return steps


def test_the_real_primes_cost_is_balanced_by_the_default_count():
    domain = range(0, 60_001)
    count = default_chunk_count(2, len(domain))
    interleaved = [sum(map(divisions, c)) for c in interleaved_chunks(domain, count)]
    contiguous = [sum(map(divisions, c)) for c in contiguous_chunks(domain, count)]
    mean = sum(interleaved) / count
    # Chunk 0 holds the multiples of the (prime) count: no primes, cheap. The others match.
    assert interleaved[0] < 0.5 * mean
    assert max(interleaved[1:]) / min(interleaved[1:]) < 1.15
    assert max(interleaved) / mean < 1.1
    assert max(contiguous) / min(contiguous) > 3
    # Two workers taking chunks in index order (what the pools do) end within 2 % of the ideal.
    assert greedy_makespan(interleaved, 2) / (sum(interleaved) / 2) < 1.02
    # Pool.map's own default: 4 contiguous chunks per worker, the last one the heaviest.
    naive = [sum(map(divisions, c)) for c in contiguous_chunks(domain, 4 * 2)]
    assert greedy_makespan(naive, 2) / (sum(naive) / 2) > 1.04


def test_an_even_count_would_leave_half_the_chunks_nearly_free():
    """Why the default count is prime: with 16, chunks of even numbers cost almost nothing."""
    interleaved = [sum(map(divisions, c)) for c in interleaved_chunks(range(0, 60_001), 16)]
    mean = sum(interleaved) / 16
    assert all(cost < 0.1 * mean for cost in interleaved[0::2])
