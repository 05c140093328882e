"""Time the same CPU-bound work three ways: one loop, a thread pool and a process pool.

The work (counting primes by trial division) is cut into the same chunks for every run, so
the comparison is fair: each pool gets one task per chunk, never one task per number. Each
way runs a few times and the best time counts: other programs can only ever slow a run
down, so the fastest run is the one least disturbed. The spread (slowest / fastest) shows
how much they disturbed. An otherwise idle machine gives the clearest answer.
Run it with:  python threads_vs_processes.py
For a quicker (and noisier) answer, give a smaller limit:  python threads_vs_processes.py 100000
"""

import os
import sys
import time
from multiprocessing import Pool
from multiprocessing.pool import ThreadPool

LIMIT = 600_000  # count the primes up to here, unless a number is given on the command line
CHUNKS = 8
RUNS = 3  # per way of running; the best of them counts


def count_primes(numbers: range) -> int:
    """Count the primes in one chunk of numbers."""
    count = 0
    for n in numbers:
        if n < 2:
            continue
        divisor = 2
        while divisor * divisor <= n:
            if n % divisor == 0:
                break
            divisor += 1
        else:
            count += 1
    return count


def make_chunks(limit: int, parts: int) -> list[range]:
    """Interleaved slices (0, 8, 16, ...), (1, 9, 17, ...): every chunk gets similar work."""
    return [range(start, limit + 1, parts) for start in range(parts)]


def in_a_loop(chunks: list[range], workers: int) -> int:
    return sum(map(count_primes, chunks))


def on_processes(chunks: list[range], workers: int) -> int:
    with Pool(workers) as pool:  # starting and stopping the pool is part of the cost
        return sum(pool.map(count_primes, chunks))


def on_threads(chunks: list[range], workers: int) -> int:
    with ThreadPool(workers) as pool:
        return sum(pool.map(count_primes, chunks))


def best_of(runs: int, way, chunks: list[range], workers: int) -> tuple[float, float, int]:
    """(fastest seconds, slowest / fastest, primes counted) over `runs` runs of `way`."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        total = way(chunks, workers)
        times.append(time.perf_counter() - began)
    return min(times), max(times) / min(times), total


def gil_is_on() -> bool:
    check = getattr(sys, "_is_gil_enabled", None)  # only exists on Python 3.13+
    return check is None or check()


if __name__ == "__main__":
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else LIMIT
    workers = min(4, os.cpu_count() or 1)
    chunks = make_chunks(limit, CHUNKS)
    gil = "on" if gil_is_on() else "OFF (free-threaded build)"
    print(
        f"Python {sys.version.split()[0]}, GIL {gil}, {workers} workers, best of {RUNS} runs each",
        flush=True,
    )

    # Processes before threads: with the fork start method, forking a program that already
    # runs threads is risky (the lesson explains why), so no pool threads exist yet then.
    results = {}
    for name, way in (
        ("sequential", in_a_loop),
        ("processes", on_processes),
        ("threads", on_threads),
    ):
        results[name] = best_of(RUNS, way, chunks, workers)

    sequential, _, expected = results["sequential"]
    for name, (best, spread, total) in results.items():
        assert total == expected, f"{name} counted {total:,} primes, not {expected:,}"
        speedup = "" if name == "sequential" else f"  speedup {sequential / best:.2f}x"
        print(
            f"{name:<11}: {best:6.2f} s  (spread {spread:.2f}x){speedup}  {total:,} primes",
            flush=True,
        )

    if gil_is_on():
        print("With the GIL on, threads take turns running Python code;", flush=True)
        print("each process has its own GIL, so processes can use several cores.", flush=True)
    else:
        print("With the GIL off, threads can run Python code on several cores at once,", flush=True)
        print("much as processes do, without starting processes or pickling.", flush=True)
    if max(spread for _, spread, _ in results.values()) > 1.25:
        print(
            "Runs of the same work differed by more than 25 %: other programs were using the "
            "cores. An idle machine gives the clearest answer.",
            flush=True,
        )
