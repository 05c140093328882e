"""Time the same CPU-bound work three ways: one loop, a thread pool and a process pool.

The work (counting primes by trial division) is cut into the same chunks for every run, so
the comparison is fair: each pool gets one task per chunk, never one task per number.
Run it with:  python threads_vs_processes.py
"""

import os
import sys
import time
from multiprocessing import Pool
from multiprocessing.pool import ThreadPool

LIMIT = 600_000
CHUNKS = 8


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


if __name__ == "__main__":
    workers = min(4, os.cpu_count() or 1)
    chunks = make_chunks(LIMIT, CHUNKS)
    gil_check = getattr(sys, "_is_gil_enabled", None)  # only exists on Python 3.13+
    gil = "on" if gil_check is None or gil_check() else "OFF (free-threaded build)"
    print(f"Python {sys.version.split()[0]}, GIL {gil}, {workers} workers", flush=True)

    began = time.perf_counter()
    expected = sum(map(count_primes, chunks))
    sequential = time.perf_counter() - began
    print(f"sequential : {sequential:6.2f} s  ({expected:,} primes)", flush=True)

    # Processes before threads: with the fork start method, forking a program that already
    # runs threads is risky (the lesson explains why), so no threads exist yet at this point.
    began = time.perf_counter()
    with Pool(workers) as pool:
        total = sum(pool.map(count_primes, chunks))
    processes = time.perf_counter() - began  # includes starting and stopping the pool
    assert total == expected
    print(f"processes  : {processes:6.2f} s  speedup {sequential / processes:.2f}x", flush=True)

    began = time.perf_counter()
    with ThreadPool(workers) as pool:
        total = sum(pool.map(count_primes, chunks))
    threads = time.perf_counter() - began
    assert total == expected
    print(f"threads    : {threads:6.2f} s  speedup {sequential / threads:.2f}x", flush=True)
    print("threads take turns on the GIL; processes each have their own.", flush=True)
