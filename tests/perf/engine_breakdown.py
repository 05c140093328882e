"""Where a parallel run's time goes: the accounting behind bench_engine.py's "why" lines.

A pool run on N workers has N × wall seconds of worker capacity. Each worker spends them
waiting to start (spawn, imports: *start-up*), computing its chunks (*CPU*, plus *off-core*
time: wall time of a chunk it was not on a core, taken by the parent, another program or the
hypervisor), between chunks (*gaps*: a result sent back, the next task fetched), idle after
its last chunk while another still computes (*tail*), and waiting for the pool to close
(*teardown*). These parts add up exactly to N × wall, so every loss of efficiency shows up in
one of them. Standard library only; spawned workers never import it.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from typing import NamedTuple


class Span(NamedTuple):
    """One chunk as measured by whoever computed it; times in seconds from the call's start."""

    index: int
    worker: int
    start_s: float
    end_s: float
    cpu_s: float


LOSS_CAUSES = {
    "off-core": "its chunks waited for a core: other programs, the parent or the hypervisor "
    "had it; see the load average",
    "start-up": "spawning the workers and importing their code; a larger --size dilutes it",
    "gaps": "results sent back and next tasks fetched between chunks",
    "tail": "a worker idle at the end while another finished the last chunk",
    "teardown": "closing the pool and joining its workers",
}


class Breakdown(NamedTuple):
    """One run's N × wall worker-seconds, split into parts that add up to it (seconds)."""

    workers: int
    wall_s: float
    cpu_s: float  # the chunks' own CPU time
    off_core_s: float  # chunk wall time not spent on a core
    startup_s: float  # each worker: call start → its first chunk
    gaps_s: float  # between a worker's chunks
    tail_s: float  # a worker idle after its last chunk until the last chunk of all ends
    teardown_s: float  # last chunk's end → the call returns, on every worker

    @property
    def capacity_s(self) -> float:
        return self.workers * self.wall_s

    def parts(self) -> dict[str, float]:
        return {
            "chunk CPU": self.cpu_s,
            "off-core": self.off_core_s,
            "start-up": self.startup_s,
            "gaps": self.gaps_s,
            "tail": self.tail_s,
            "teardown": self.teardown_s,
        }

    @property
    def fixed_share(self) -> float:
        """Share of the capacity that would not shrink with a larger workload."""
        return (self.startup_s + self.teardown_s) / self.capacity_s


def breakdown(spans: Sequence[Span], workers: int, wall_s: float) -> Breakdown:
    """Split `workers` × `wall_s` over `spans` (one run's chunks). A worker that got no chunk
    spent the whole run starting up. ValueError without spans."""
    if not spans:
        raise ValueError("a run without chunks has nothing to break down")
    by_worker: dict[int, list[Span]] = {}
    for span in sorted(spans, key=lambda s: s.start_s):
        by_worker.setdefault(span.worker, []).append(span)
    last_end = max(s.end_s for s in spans)
    # Clock granularity: a chunk's CPU time can read a hair above its wall time.
    cpu = sum(min(s.cpu_s, s.end_s - s.start_s) for s in spans)
    off_core = sum(s.end_s - s.start_s for s in spans) - cpu
    startup = sum(chunks[0].start_s for chunks in by_worker.values())
    startup += (workers - len(by_worker)) * wall_s
    gaps = sum(
        b.start_s - a.end_s
        for chunks in by_worker.values()
        for a, b in zip(chunks, chunks[1:], strict=False)
    )
    tail = sum(last_end - chunks[-1].end_s for chunks in by_worker.values())
    teardown = len(by_worker) * (wall_s - last_end)
    run = Breakdown(workers, wall_s, cpu, off_core, startup, gaps, tail, teardown)
    # The parts account for every worker-second, by construction: check the arithmetic.
    assert abs(sum(run.parts().values()) - run.capacity_s) <= 1e-6 * run.capacity_s + 1e-9
    return run


def median_breakdown(runs: Iterable[Breakdown]) -> Breakdown:
    """Field by field median of several runs' breakdowns (same worker count)."""
    runs = list(runs)
    fields = [statistics.median(values) for values in zip(*(r[1:] for r in runs), strict=True)]
    return Breakdown(runs[0].workers, *fields)


def per_chunk_ratio(alone: Sequence[Span], beside: Sequence[Span], field: str) -> float:
    """Median over chunks present in both runs of beside / alone for `field` ("cpu" or
    "wall"): above 1, a chunk took longer while other chunks ran beside it."""
    first = {s.index: s for s in alone}
    ratios = [
        _value(s, field) / _value(first[s.index], field)
        for s in beside
        if s.index in first and _value(first[s.index], field) > 0
    ]
    return statistics.median(ratios)


def _value(span: Span, field: str) -> float:
    return span.cpu_s if field == "cpu" else span.end_s - span.start_s


def median_chunk(spans: Iterable[Span], indices: set[int], field: str) -> float:
    """Median `field` ("cpu" or "wall", seconds) of the chunks whose index is in `indices`."""
    return statistics.median(_value(s, field) for s in spans if s.index in indices)


def prime_count(limit: int) -> int:
    """π(limit) by a sieve of Eratosthenes: the answer every mode must find (any size)."""
    if limit < 2:
        return 0
    sieve = bytearray([1]) * (limit + 1)
    sieve[0] = sieve[1] = 0
    p = 2
    while p * p <= limit:
        if sieve[p]:
            sieve[p * p :: p] = bytes(len(range(p * p, limit + 1, p)))
        p += 1
    return sum(sieve)


def format_breakdown(label: str, run: Breakdown) -> str:
    """One line: each part's share of N × wall, e.g. 'chunk CPU 91.2 %, start-up 5.1 %, …'."""
    shares = ", ".join(
        f"{name} {seconds / run.capacity_s:.1%}" for name, seconds in run.parts().items()
    )
    return f"    {label:<14} {run.workers} × {run.wall_s:.3f} s = {run.capacity_s:.3f} s: {shares}"


def print_why(
    med: dict[str, Breakdown],
    t: dict[str, float],
    workers: int,
    whole: set[int],
    spans: dict[str, list[list[Span]]],
    steal: dict[str, list[float]],
) -> None:
    """The "why" lines of bench_engine.py: where each mode's N × wall went (medians over the
    rounds `med`), the efficiency as a product of its causes, the fixed costs' share, and
    the per-chunk time of the same chunks alone (sequential) and beside others (processes)."""
    print("why (medians over the rounds; each mode's parts add up to N × wall):")
    names = {"bare": "bare Pool.map", "alone": "1-worker pool"}
    for key, run in med.items():
        print(format_breakdown(names.get(key, key), run))
    seq, proc = med["sequential"], med["processes"]
    losses = {name: sec for name, sec in proc.parts().items() if name != "chunk CPU"}
    worst = max(losses, key=losses.__getitem__)
    print(
        f"    the processes run's largest loss: {worst}, {losses[worst] / proc.capacity_s:.1%} "
        f"of N × wall ({LOSS_CAUSES[worst]})"
    )
    own = t["sequential"] / seq.cpu_s
    hardware = seq.cpu_s / proc.cpu_s
    share = proc.cpu_s / (workers * t["processes"])
    print(
        f"    efficiency ≈ {own:.3f} (sequential: T_seq / its chunk CPU) × {hardware:.3f} "
        f"(hardware: chunk CPU alone / on {workers} busy cores) × {share:.3f} (chunk CPU's "
        f"share of N × T_processes; start-up, off-core, gaps, tail, teardown take the rest)"
    )
    fixed = ", ".join(f"{names.get(k, k)} {med[k].fixed_share:.1%}" for k in ("processes", "bare"))
    print(f"    fixed costs (start-up + teardown) of N × wall: {fixed}; want < 2 % (raise --size)")
    alone, beside = spans["sequential"], spans["processes"]
    wall = [per_chunk_ratio(a, b, "wall") for a, b in zip(alone, beside, strict=True)]
    cpu = [per_chunk_ratio(a, b, "cpu") for a, b in zip(alone, beside, strict=True)]
    print(
        f"    per-chunk compute time alone vs beside another (whole chunks, medians): wall "
        f"{_median_of(alone, whole, 'wall'):.3f} s vs {_median_of(beside, whole, 'wall'):.3f} "
        f"s, CPU {_median_of(alone, whole, 'cpu'):.3f} s vs "
        f"{_median_of(beside, whole, 'cpu'):.3f} s; beside / alone per chunk: wall "
        f"{statistics.median(wall):.3f}, CPU {statistics.median(cpu):.3f}"
    )
    if "alone" in med:
        one = med["alone"]
        print(
            f"    1-worker pool: T_seq / T = {t['sequential'] / t['alone']:.3f}, its chunk CPU "
            f"/ the sequential run's {one.cpu_s / seq.cpu_s:.3f} (a worker's code path and "
            f"warm-up against the in-process baseline's), start-up {one.startup_s:.3f} s"
        )
    print(
        "    hypervisor steal, median a run: "
        + ", ".join(f"{names.get(k, k)} {statistics.median(steal[k]):.2f} s" for k in med)
    )


def _median_of(runs: list[list[Span]], indices: set[int], field: str) -> float:
    return statistics.median(median_chunk(spans, indices, field) for spans in runs)
