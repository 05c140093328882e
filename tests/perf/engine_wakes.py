"""How often the engine's run thread wakes during a processes run, and what the parent costs,
against a bare Pool.map of the same chunks: paired runs, alternating which goes first.

    nice -n -15 .venv/bin/python tests/perf/engine_wakes.py [--size 3000000] [--pairs 6]

Per mode, medians over the pairs: the run thread's wakes (voluntary context switches, Linux:
each is one sleep it woke from), its CPU, the whole parent's CPU (the pool's threads too), the
workers' CPU and the wall time. CPU seconds and wakes hardly depend on what else the machine
runs, so this tells the engine's own parent cost apart from noise even on a busy machine.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path


def voluntary_switches() -> int:
    """The calling thread's voluntary context switches so far (Linux; -1 elsewhere)."""
    status = Path(f"/proc/self/task/{threading.get_native_id()}/status")
    try:
        lines = status.read_text(encoding="utf-8").splitlines()
    except OSError:
        return -1
    return int(next(line for line in lines if line.startswith("voluntary_ctxt")).split()[1])


def children_cpu() -> float:
    """CPU seconds of this process's reaped children (µs resolution where resource exists)."""
    try:
        import resource
    except ImportError:  # Windows: os.times, 10 ms ticks
        t = os.times()
        return t.children_user + t.children_system
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_run(mode: str, size: int, workers: int) -> dict[str, float]:
    """One run of "engine" (the processes mode) or "bare" (bench_engine's bare Pool.map)."""
    from bench_engine import START_METHOD, bare_pool_map

    from tutor.engine.records import RunConfig
    from tutor.engine.runners import run

    wakes, main, parent = voluntary_switches(), time.thread_time(), time.process_time()
    workers_cpu, wall = children_cpu(), time.perf_counter()
    if mode == "bare":
        bare_pool_map(size, workers)
    else:
        run(RunConfig("primes", size, "processes", workers, START_METHOD))
    return {
        "wall s": time.perf_counter() - wall,
        "run thread wakes": voluntary_switches() - wakes,
        "run thread CPU ms": (time.thread_time() - main) * 1000,
        "parent CPU ms": (time.process_time() - parent) * 1000,
        "workers CPU s": children_cpu() - workers_cpu,
    }


def main(argv: list[str] | None = None) -> int:
    import argparse
    import statistics

    from block_timer import load_average

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=3_000_000)
    parser.add_argument("--pairs", type=int, default=6)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    print(
        f"primes ≤ {args.size:,}, N = {args.workers}, {args.pairs} pairs, load average "
        f"{load_average()} at the start"
    )
    for mode in ("engine", "bare"):  # warm-up: imports and the page cache
        one_run(mode, 10_000, args.workers)
    runs: dict[str, list[dict[str, float]]] = {"engine": [], "bare": []}
    for pair in range(args.pairs):
        for mode in ("engine", "bare") if pair % 2 == 0 else ("bare", "engine"):
            runs[mode].append(one_run(mode, args.size, args.workers))
    for mode, values in runs.items():
        medians = {key: statistics.median(v[key] for v in values) for key in values[0]}
        print(f"  {mode:<6} " + ", ".join(f"{k} {v:.3g}" for k, v in medians.items()))
    print(f"load average {load_average()} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
