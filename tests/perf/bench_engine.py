"""Engine benchmark: is a processes run as fast as the cores allow, and never slower than a
bare `Pool.map` of the same work? Do threads really measure the GIL rather than per-item
overhead?

Not collected by pytest (not a test_*.py file). Run it on a quiet machine, with a raised
priority where other people's programs share it (`nice -n -15`, as root):

    .venv/bin/python tests/perf/bench_engine.py [--rounds 5] [--size 2000000] [--workers N]
        [--tries 5] [--naive] [--no-cluster]

Each round runs, in turn, sequential / processes / bare Pool.map / threads on the same work
(count primes ≤ size by trial division), so slow drifts of the machine hit every mode alike;
the figures are medians over the rounds. Every run includes its own pool start-up (spawn), and
every mode is timed by the same stopwatch around the whole call.

The bare Pool.map is the reference for the engine's own costs (initializer, timing records,
the watch loop, teardown): it maps the same per-number code over the same chunks (the engine's
default cut, one task per chunk) with a stock `multiprocessing.Pool`, and its workers import
nothing of the tutor. Its functions are defined in this script and checked to be the engine's
bytecode. `--naive` adds what a learner's first script does (map over every number, default
chunks): a slower, different job, shown for the lesson, never used as a target.
A run during which other programs used more than 10 % of a core is measured again, up to
`--tries` times.
With Dask installed (the `cluster` extra) each round also runs the cluster mode (a LocalCluster
of N workers, started and closed within the run) and line (d) compares it with the Pool.
Line (e) times the `hashing` workload (SHA-256 over 64 KiB blocks, C code that releases the
GIL) sequentially and on N threads: there threads should scale, unlike line (c).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time

# Spawned workers re-import this script as __mp_main__, so its top level stays as light as
# the app's entry point (tutor/__main__.py): everything else is imported inside the functions.

START_METHOD = "spawn"
MAX_TRIES = 5
ANSWERS = {100_000: 9_592, 1_000_000: 78_498, 2_000_000: 148_933}
HASHING_SIZE = 20_000  # 64 KiB blocks: about a second sequentially on one core


# The bare references' per-number work. Written here rather than imported from the engine, so
# that their spawned workers load nothing of the tutor (as a learner's own script would not);
# same_code_as_the_engine() checks they compile to the engine's bytecode.
def is_prime(n: int) -> bool:
    if n < 2:
        return False
    if n < 4:
        return True
    if n % 2 == 0:
        return False
    divisor = 3
    while divisor * divisor <= n:
        if n % divisor == 0:
            return False
        divisor += 2
    return True


def count_primes(numbers: range) -> int:
    count = 0
    for n in numbers:
        if is_prime(n):
            count += 1
    return count


def same_code_as_the_engine() -> None:
    """SystemExit unless this script's is_prime / count_primes are the engine's bytecode."""
    from tutor.engine import workloads

    for ours, engine in ((is_prime, workloads.is_prime), (count_primes, workloads.count_primes)):
        a, b = ours.__code__, engine.__code__
        fields = ("co_code", "co_names", "co_varnames")
        # co_consts[0] is the docstring (None without one): only the engine's has one.
        if (
            any(getattr(a, f) != getattr(b, f) for f in fields)
            or a.co_consts[1:] != b.co_consts[1:]
        ):
            raise SystemExit(f"{ours.__name__} here differs from tutor.engine.workloads: copy it")


def bare_pool_map(size: int, workers: int) -> int:
    """The engine's work without the engine: a stock Pool maps count_primes over the engine's
    default chunks, one task per chunk, and sums the counts."""
    from tutor.engine.chunking import default_chunks

    chunks = default_chunks(range(size + 1), workers)
    with multiprocessing.get_context(START_METHOD).Pool(workers) as pool:
        return sum(pool.map(count_primes, chunks, chunksize=1))


def naive_pool_map(size: int, workers: int) -> int:
    """What a learner's first script does: one Pool, map over every number, default chunks."""
    with multiprocessing.get_context(START_METHOD).Pool(workers) as pool:
        return sum(pool.map(is_prime, range(size + 1)))


def busy_seconds() -> float:
    import psutil  # here, not at the top: every spawned worker re-imports this script

    t = psutil.cpu_times()
    return sum(getattr(t, f, 0.0) for f in ("user", "nice", "system", "irq", "softirq", "steal"))


def own_seconds() -> float:
    t = os.times()  # children count once reaped: every run here joins its workers
    return t.user + t.system + t.children_user + t.children_system


class Timed:
    """Wall time of a block, the CPU it used itself (this process and its reaped workers)
    and the CPU that other programs used meanwhile, all in seconds."""

    def __enter__(self) -> Timed:
        self.busy, self.own, self.start = busy_seconds(), own_seconds(), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.start
        self.cpu = own_seconds() - self.own
        self.others = (busy_seconds() - self.busy) - self.cpu


def timed_runs(
    workload: str, size: int, mode: str, workers: int, tries: int = MAX_TRIES
) -> tuple[float, object, float]:
    """(wall seconds, result, share of a core other programs used meanwhile) of one engine
    run, measured again (at most `tries` times) while others hog the CPU."""
    from tutor.engine.records import RunConfig
    from tutor.engine.runners import run

    for _ in range(tries):
        with Timed() as timed:
            result = run(RunConfig(workload, size, mode, workers, START_METHOD))
        if timed.others / timed.wall <= 0.1:
            break
    return timed.wall, result.answer, timed.others / timed.wall


def hashing_threads_ratio(
    rounds: int, workers: int, tries: int = MAX_TRIES
) -> tuple[float, float, float]:
    """Medians over `rounds` of T_sequential and T_threads (seconds) on the hashing workload,
    and the largest share of a core other programs took meanwhile; SystemExit if the two
    modes disagree on the count."""
    import statistics

    sequential, threads, others = [], [], [0.0]
    for _ in range(rounds):
        wall_seq, answer_seq, other_seq = timed_runs(
            "hashing", HASHING_SIZE, "sequential", 1, tries
        )
        wall_thr, answer_thr, other_thr = timed_runs(
            "hashing", HASHING_SIZE, "threads", workers, tries
        )
        if answer_seq != answer_thr:
            raise SystemExit(f"hashing: threads counted {answer_thr}, sequential {answer_seq}")
        sequential.append(wall_seq)
        threads.append(wall_thr)
        others += [other_seq, other_thr]
    return statistics.median(sequential), statistics.median(threads), max(others)


def print_hashing_line(rounds: int, workers: int, tries: int = MAX_TRIES) -> None:
    t_seq, t_thr, busiest = hashing_threads_ratio(rounds, workers, tries)
    speedup = t_seq / t_thr
    print(
        f"(e) T_sequential / T_threads on hashing = {speedup:.3f}   expect ≥ 1.4 at N = 2 "
        f"(hashlib releases the GIL)  {verdict(speedup >= 1.4)}   ({HASHING_SIZE:,} blocks of "
        f"64 KiB: sequential {t_seq:.3f} s, {workers} threads {t_thr:.3f} s)"
    )
    if busiest > 0.1:
        print(f"    other programs used up to {busiest:.0%} of a core meanwhile: skewed")


def divisions(n: int) -> int:
    """The real cost of `is_prime(n)`: how many divisions trial division performs."""
    if n < 4 or n % 2 == 0:
        return 1
    steps, divisor = 1, 3
    while divisor * divisor <= n and n % divisor:
        steps += 1
        divisor += 2
    return steps


def greedy_finish(costs: list[float], workers: int) -> float:
    """When the last of `workers` ends if each idle one takes the next chunk in order."""
    loads = [0.0] * workers
    for cost in costs:
        loads[loads.index(min(loads))] += cost
    return max(loads)


def spread(costs: list[float]) -> str:
    mean = sum(costs) / len(costs)
    return f"max/mean {max(costs) / mean:.2f}, min/mean {min(costs) / mean:.2f}"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main(argv: list[str] | None = None) -> int:
    import argparse
    import statistics

    from tutor.engine.chunking import (
        contiguous_chunks,
        default_chunk_count,
        default_chunks,
        interleaved_chunks,
    )
    from tutor.engine.cluster import INSTALL_COMMAND, cluster_available
    from tutor.engine.records import RunConfig
    from tutor.engine.runners import run

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--size", type=int, default=2_000_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--hashing-only", action="store_true", help="only line (e)")
    parser.add_argument(
        "--tries", type=int, default=MAX_TRIES, help="measurements of a run while others hog"
    )
    parser.add_argument("--naive", action="store_true", help="also time a per-item Pool.map")
    parser.add_argument("--no-cluster", action="store_true", help="skip line (d)")
    args = parser.parse_args(argv)
    size, workers, tries = args.size, args.workers, max(1, args.tries)
    from bytecode import compile_tutor  # beside this script

    compile_tutor()
    same_code_as_the_engine()
    if args.hashing_only:
        print_hashing_line(args.rounds, workers, tries)
        return 0
    expected = ANSWERS.get(size)
    count = default_chunk_count(workers, size + 1)
    print(
        f"primes ≤ {size:,}, N = {workers} workers (os.cpu_count() = {os.cpu_count()}), "
        f"start method {START_METHOD}, {args.rounds} rounds, Python {sys.version.split()[0]}"
    )

    modes = ("sequential", "processes", "bare", "threads") + (("naive",) if args.naive else ())
    times: dict[str, list[float]] = {m: [] for m in modes}
    cpu: dict[str, list[float]] = {m: [] for m in ("processes", "bare")}
    if cluster_available() and not args.no_cluster:
        times["cluster"] = []
    last_cluster = None
    others: list[float] = []
    last_processes = last_sequential = None
    for round_ in range(1, args.rounds + 1):
        line = []
        for mode in times:
            # On a shared machine: a run during which other programs used more than 10 % of
            # a core is measured again (at most `tries` times), since it could not get
            # every core it asked for. Every mode is timed by the same stopwatch, around the
            # whole call: the engine's own planning and teardown count, as the bare pool's do.
            for _ in range(tries):
                with Timed() as timed:
                    if mode == "bare":
                        answer = bare_pool_map(size, workers)
                    elif mode == "naive":
                        answer = naive_pool_map(size, workers)
                    else:
                        result = run(RunConfig("primes", size, mode, workers, START_METHOD))
                        answer = result.answer
                wall = timed.wall
                if expected is not None and answer != expected:
                    raise SystemExit(f"{mode} counted {answer:,} primes, expected {expected:,}")
                if timed.others / timed.wall <= 0.1:
                    break
            if mode == "processes":
                last_processes = result
            if mode == "cluster":
                last_cluster = result
            if mode == "sequential":
                last_sequential = result
            times[mode].append(wall)
            if mode in cpu:
                cpu[mode].append(timed.cpu)
            others.append(timed.others / timed.wall)
            line.append(f"{mode} {wall:.3f} s")
        print(f"  round {round_}: " + ", ".join(line))

    t = {mode: statistics.median(values) for mode, values in times.items()}
    efficiency = t["sequential"] / (workers * t["processes"])
    versus_bare = t["processes"] / t["bare"]
    threads = t["threads"] / t["sequential"]
    bare_efficiency = t["sequential"] / (workers * t["bare"])
    print(
        f"medians: sequential {t['sequential']:.3f} s, processes {t['processes']:.3f} s, "
        f"bare Pool.map {t['bare']:.3f} s, threads {t['threads']:.3f} s"
        + (f", naive Pool.map {t['naive']:.3f} s" if "naive" in t else "")
    )
    print(
        f"(a) efficiency T_seq / (N × T_processes) = {efficiency:.3f}   target ≥ 0.95  "
        f"{verdict(efficiency >= 0.95)}   (bare Pool.map: {bare_efficiency:.3f})"
    )
    print(
        f"(b) T_processes / T_bare_Pool.map       = {versus_bare:.3f}   target ≤ 1.00  "
        f"{verdict(versus_bare <= 1.00)}   (same chunks, same code: the engine's own cost "
        f"{(t['processes'] - t['bare']) * 1000:+.0f} ms a run)"
    )
    # CPU seconds hardly depend on what else the machine runs (wall seconds do): on a busy
    # machine this line still shows what the engine's own work costs against the bare pool.
    c = {mode: statistics.median(values) for mode, values in cpu.items()}
    print(
        f"    CPU seconds a run (parent and workers): processes {c['processes']:.3f} s, bare "
        f"Pool.map {c['bare']:.3f} s, difference {(c['processes'] - c['bare']) * 1000:+.0f} ms"
    )
    if "naive" in t:
        print(
            f"    naive per-item Pool.map (default chunks): {t['naive']:.3f} s, "
            f"T_processes / T_naive = {t['processes'] / t['naive']:.3f}; not a target"
        )
    print(
        f"(c) T_threads / T_sequential            = {threads:.3f}   expect ≈ 1.0 (0.90–1.15)  "
        f"{verdict(0.90 <= threads <= 1.15)}"
    )
    if "cluster" in t:
        # Not a target: the price of a scheduler on one machine, reported as measured.
        print(
            f"(d) T_cluster / T_processes             = {t['cluster'] / t['processes']:.3f}   "
            f"cluster vs processes at N = {workers} on {size:,} primes (Dask LocalCluster "
            f"{t['cluster']:.3f} s, its start-up included; expect > 1)"
        )
        if last_cluster is not None and last_processes is not None:
            print(
                f"    last runs: cluster start-up {last_cluster.startup_s:.3f} s + compute "
                f"{last_cluster.compute_s:.3f} s; processes start-up "
                f"{last_processes.startup_s:.3f} s + compute {last_processes.compute_s:.3f} s"
            )
    elif args.no_cluster:
        print("(d) cluster vs processes: skipped (--no-cluster)")
    else:
        print(f"(d) cluster vs processes: skipped, Dask is not installed ({INSTALL_COMMAND})")
    print_hashing_line(args.rounds, workers, tries)

    # Balance: the real trial-division cost of every chunk, and when N workers taking the
    # chunks in order (as the pools do) would finish, against a perfect split.
    domain = range(0, size + 1)

    def balance(label: str, chunks: tuple[range, ...]) -> None:
        costs = [sum(map(divisions, c)) for c in chunks]
        finish = greedy_finish(costs, workers) / (sum(costs) / workers)
        print(f"    {label:<36} {spread(costs)}; finish/ideal on N {finish:.3f}")

    engine = default_chunks(domain, workers)
    # Whole chunks hold about len(domain) / count items; the last few were cut into pieces.
    whole = {i for i, chunk in enumerate(engine) if i and len(chunk) >= len(domain) // count}
    print("chunk balance (trial divisions per chunk; 1.00 is perfect):")
    balance(
        f"engine: {len(engine)} ({count} interleaved, {len(engine) - len(whole) - 1} pieces)",
        engine,
    )
    balance(f"{count} interleaved, none cut", interleaved_chunks(domain, count))
    balance("16 interleaved (an even count)", interleaved_chunks(domain, 16))
    balance(f"{count} contiguous", contiguous_chunks(domain, count))
    balance(f"Pool.map default: {4 * workers} contiguous", contiguous_chunks(domain, 4 * workers))
    if last_processes is not None:
        chunks = last_processes.chunks
        cpu = [c.cpu_s for c in chunks if c.index in whole]
        end = max(c.end_s for c in chunks)
        idle = max(
            end - max(c.end_s for c in chunks if c.worker == w) for w in {c.worker for c in chunks}
        )
        print(
            f"    measured (last processes run): whole chunks 1…{len(whole)} CPU {spread(cpu)}; "
            f"start-up {last_processes.startup_s * 1000:.0f} ms, "
            f"longest idle worker tail {idle * 1000:.0f} ms"
        )
    if last_processes is not None and last_sequential is not None:
        # Above 1: each core computed more slowly while both were busy (shared caches, clock
        # speed, a neighbour on the host): a loss no scheduling can win back.
        ratio = sum(c.cpu_s for c in last_processes.chunks) / sum(
            c.cpu_s for c in last_sequential.chunks
        )
        print(f"    CPU seconds for the whole job, processes / sequential: {ratio:.3f}")
    busiest = max(others)
    if busiest > 0.1:
        print(
            f"warning: other programs used up to {busiest:.0%} of a core during a run; "
            "the figures may be skewed"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
