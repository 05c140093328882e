"""Where the engine's extra CPU seconds go, against a bare Pool.map: bench_engine.py's split of
line (b)'s CPU difference.

A run's CPU seconds (its parent process and its reaped workers, os.times) split into three
parts measured for both runs alike: the parent (planning, the pool's threads, the engine's
watch loop), the workers outside their chunks (start-up imports, receiving tasks, sending
results) and inside their chunks (each chunk's thread_time, read by the worker). The engine
also runs code of its own inside each chunk (slicing it for cancel checks, adding the
partials, the outcome record): `worker_code_seconds` measures that directly, by running the
engine's worker path over the same chunks with a chunk function that does no work. Whatever
the chunks' difference holds beyond it is the same bytecode running slower or faster: the
machine (caches, clocks, other programs), not code the engine runs. Spawned workers never
import this module.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence

PARTS = ("parent", "workers outside chunks", "inside chunks")


def split_cpu(parent_s: float, workers_s: float, chunk_cpu_s: float) -> dict[str, float]:
    """One run's CPU seconds by part (seconds; PARTS order): `parent_s` and `workers_s` from
    os.times, `chunk_cpu_s` the sum of its chunks' thread_time."""
    return dict(zip(PARTS, (parent_s, workers_s - chunk_cpu_s, chunk_cpu_s), strict=True))


def worker_code_seconds(size: int, workers: int, repeats: int = 5) -> float:
    """CPU seconds (thread_time, best of `repeats`) the engine's worker code takes over the
    primes run's chunks for `size` on `workers`, without the work: run_chunk_in_process with
    the primes workload's chunk function swapped for len(). In this process; restores the
    workload table before returning."""
    from tutor.engine import workloads
    from tutor.engine.chunking import default_chunks
    from tutor.engine.worker import ChunkTask, clock, run_chunk_in_process

    primes = workloads.WORKLOADS["primes"]
    chunks = default_chunks(primes.domain(size), workers)
    tasks = [ChunkTask("primes", None, i, chunk, clock()) for i, chunk in enumerate(chunks)]
    best = float("inf")
    workloads.WORKLOADS["primes"] = primes._replace(chunk_function=len)
    try:
        for _ in range(repeats):
            start = time.thread_time()
            for task in tasks:
                run_chunk_in_process(task)
            best = min(best, time.thread_time() - start)
    finally:
        workloads.WORKLOADS["primes"] = primes
    return best


def print_cpu_split(
    engine: Sequence[dict[str, float]], bare: Sequence[dict[str, float]], code_s: float
) -> None:
    """Print the median difference (engine - bare, ms) of each part over paired rounds, and
    what of the chunks' part is the engine's own code (`code_s`, seconds a run)."""
    diffs = {
        part: statistics.median(e[part] - b[part] for e, b in zip(engine, bare, strict=True))
        for part in PARTS
    }
    print(
        "    where (engine - bare, medians of the rounds' differences): "
        + ", ".join(f"{part} {value * 1000:+.0f} ms" for part, value in diffs.items())
    )
    chunk_ms, code_ms = diffs["inside chunks"] * 1000, code_s * 1000
    rounds = [
        (e["inside chunks"] - b["inside chunks"]) * 1000 for e, b in zip(engine, bare, strict=True)
    ]
    print(
        f"    inside chunks the engine's own code (slices, partials, outcome record) takes "
        f"{code_ms:.0f} ms a run (measured with no work); the other {chunk_ms - code_ms:+.0f} "
        f"ms (rounds {min(rounds):+.0f} to {max(rounds):+.0f} ms) is the same bytecode taking "
        "more or less CPU: not code the engine runs, but how fast this machine ran it then"
    )
