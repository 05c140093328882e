"""Repeated, interleaved runs: medians, spread, and a verdict on whether to trust them.

One measurement is one sample of a noisy process. Like pyperf and hyperfine, each point is
measured several times and reported as its median with the spread of the repeats. The
sequential baseline is measured in the same rounds as the runs compared with it (A B A B …),
so a speedup divides two medians taken under the same conditions, never a stale baseline.

`run_rounds` drives the rounds over any `run_one` (the CLI runs in its own process, the window
in helper processes); `measured_run` is the engine's `run` with a CPU meter around it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from tutor.engine.records import RunConfig, RunResult
from tutor.engine.reliability import CpuMeter, CpuShare, assess
from tutor.engine.workloads import WORKLOADS

MAX_REPEATS = 50
AUTO_BUDGET_S = 2.0  # automatic: repeat until a config has been measured this long …
AUTO_MAX_REPEATS = 5  # … or this many times, whichever comes first
# A one-worker run or a GIL-bound thread run "faster" than sequential by less than this is
# timer jitter, not a finding (pool start-up alone makes them slower when nothing is off).
JITTER = 0.02


@dataclass(frozen=True)
class RepeatPolicy:
    """How many times to run each config: `count` (1 … MAX_REPEATS), or None for automatic
    (repeat until AUTO_BUDGET_S seconds of measuring or AUTO_MAX_REPEATS runs; a run longer
    than the budget runs once). ValueError for a count out of range."""

    count: int | None = None

    def __post_init__(self) -> None:
        if self.count is not None and not 1 <= self.count <= MAX_REPEATS:
            raise ValueError(f"repeat: must be between 1 and {MAX_REPEATS}, got {self.count}")

    def wants_more(self, done: int, measured_s: float) -> bool:
        """Whether a config run `done` times for `measured_s` wall seconds needs another run."""
        if self.count is not None:
            return done < self.count
        return done == 0 or (done < AUTO_MAX_REPEATS and measured_s < AUTO_BUDGET_S)

    def describe(self) -> str:
        if self.count is None:
            return f"automatic (up to {AUTO_MAX_REPEATS} runs or about {AUTO_BUDGET_S:g} s)"
        return f"{self.count} run{'' if self.count == 1 else 's'}"


SINGLE = RepeatPolicy(1)


def measured_run(config: RunConfig, **run_kwargs: object) -> RunResult:
    """engine.runners.run with the CPU share of other programs measured around it."""
    from tutor.engine.runners import run  # keeps this module light for the window

    meter = CpuMeter(sample_tree=None if config.start_method != "forkserver" else True).start()
    result = run(config, **run_kwargs)  # type: ignore[arg-type]
    return replace(result, cpu_share=meter.stop())


def combine(results: Sequence[RunResult]) -> RunResult:
    """Repeats of one config as one result: wall_s the median, `repeats` every wall time, the
    chunks of the repeat nearest the median, the CPU shares added up. ValueError if empty."""
    if not results:
        raise ValueError("combine: no results")
    if len(results) == 1:  # one run is reported exactly as it ran
        return replace(results[0], repeats=(results[0].wall_s,))
    import statistics  # here: it loads fractions and decimal, unneeded until runs repeat

    walls = [r.wall_s for r in results]
    median = statistics.median(walls)
    typical = min(results, key=lambda r: abs(r.wall_s - median))
    shares = [r.cpu_share for r in results if r.cpu_share is not None]
    share = CpuShare.merged(shares) if len(shares) == len(results) else None
    return replace(typical, wall_s=median, repeats=tuple(walls), cpu_share=share)


def impossible_flags(result: RunResult) -> tuple[str, ...]:
    """Numbers that contradict how computers work, each with its most likely cause."""
    config, speedup = result.config, result.speedup
    if speedup is None or config.mode == "sequential":
        return ()
    flags: list[str] = []
    workload = WORKLOADS.get(config.workload)
    # CPU-bound Python: with the GIL on, only one of its threads computes at a time.
    gil_bound = workload is not None and not workload.io_bound and workload.holds_gil
    if config.workers == 1 and speedup > 1 + JITTER:
        flags.append(
            f"one worker came out {speedup:.2f}× as fast as sequential, which cannot be: it "
            "does the same work plus start-up. Most likely the sequential run was slowed by "
            "other programs or a slower clock speed at that moment: run both again"
        )
    elif config.mode == "threads" and gil_bound and result.gil_enabled and speedup > 1 + JITTER:
        flags.append(
            f"threads came out {speedup:.2f}× as fast as sequential on CPU-bound work with "
            "the GIL on, which cannot be: only one thread runs Python at a time. Most likely "
            "other programs slowed the sequential run: run both again"
        )
    elif (result.efficiency or 0.0) > 1.0 and config.workers > 1:
        flags.append(
            f"efficiency {result.efficiency:.0%} is above 100 %: N workers cannot do more than "
            "N times the work. Most likely the sequential run was slowed by other programs or "
            "ran at a lower turbo clock, or the smaller pieces fitted the cache better"
        )
    return tuple(flags)


def judge(result: RunResult) -> RunResult:
    """`result` with its reliability: CPU share, spread of repeats, impossible numbers."""
    fraction = None if result.cpu_share is None else result.cpu_share.fraction
    spread = result.spread if len(result.repeats) > 1 else None
    return replace(result, reliability=assess(fraction, spread, impossible_flags(result)))


def _baseline_key(config: RunConfig) -> tuple:
    return (config.workload, config.size, config.function)


def run_rounds(
    configs: Sequence[RunConfig],
    policy: RepeatPolicy,
    run_one: Callable[[RunConfig], RunResult | None],
    on_result: Callable[[RunResult], None] | None = None,
) -> list[RunResult] | None:
    """Run every config in rounds (each round: each config that wants more, in order) until
    the policy is met; return them combined, with baselines and verdicts, in `configs` order.

    A sequential config gives the baseline of every later config with the same workload, size
    and function: put it first, so each round measures it next to the runs compared with it.
    `on_result` gets each combined result as soon as it and all configs before it are done (a
    single-run batch streams its results as before). `run_one` returns None to stop (cancelled
    or failed): then this returns None. Exceptions from `run_one` pass through.
    """
    samples: list[list[RunResult]] = [[] for _ in configs]
    finished: list[RunResult] = []
    baselines: dict[tuple, RunResult] = {}

    def own_policy_wants_more(i: int) -> bool:
        return policy.wants_more(len(samples[i]), sum(r.wall_s for r in samples[i]))

    # A baseline is repeated only while a run compared with it still is: A B A B, not a
    # tail of baseline-only rounds after the compared runs are done.
    dependents = {
        i: [
            j
            for j, other in enumerate(configs)
            if other.mode != "sequential" and _baseline_key(other) == _baseline_key(config)
        ]
        for i, config in enumerate(configs)
        if config.mode == "sequential"
    }

    def wants_more(i: int) -> bool:
        if not own_policy_wants_more(i):
            return False
        followed = dependents.get(i)
        return not followed or any(own_policy_wants_more(j) for j in followed)

    def emit_ready() -> None:
        while len(finished) < len(configs) and not wants_more(len(finished)):
            result = combine(samples[len(finished)])
            key = _baseline_key(result.config)
            if result.config.mode == "sequential":
                result = baselines[key] = result.with_baseline(result)
            elif key in baselines:
                result = result.with_baseline(baselines[key])
            result = judge(result)
            finished.append(result)
            if on_result is not None:
                on_result(result)

    while len(finished) < len(configs):
        for i in [i for i in range(len(configs)) if wants_more(i)]:
            result = run_one(configs[i])
            if result is None:
                return None
            samples[i].append(result)
            emit_ready()
    return finished


# Below this a sequential run is about as short as starting worker processes (spawn: ~0.05–
# 0.3 s per pool on our machines), so no speedup can show, whatever the cores.
MIN_USEFUL_SEQUENTIAL_S = 0.5
TARGET_SEQUENTIAL_S = 1.5  # what a suggested size aims at: a sequential run of about 1–2 s


def size_advice(result: RunResult, default_size: int | None = None) -> str | None:
    """When a sequential run, or one with worker processes, was too small to show a speedup
    on this machine: why, and a size that would. None when the size is fine, no sequential
    time is known, or the run had threads or coroutines (they start in microseconds, and on
    waiting work they speed up at any size: the note would contradict what they showed).

    `default_size`: the workload's N calibrated on this machine for a sequential run of about
    1–2 s (engine.calibration), suggested when it is larger than the run's. Else the
    size is scaled from the measured sequential time: a rough guess, low when the run was so
    short that fixed costs (starting the loop, importing) made most of it, high when the cost
    per item grows with N."""
    config = result.config
    sequential = config.mode == "sequential"
    sequential_s = result.wall_s if sequential else result.baseline_s
    if not (sequential or config.uses_processes) or sequential_s is None or config.size <= 0:
        return None
    if sequential_s >= MIN_USEFUL_SEQUENTIAL_S:
        return None
    if default_size is not None and default_size > config.size:
        suggestion = f"Try N ≈ {default_size:,}, this machine's default for it (about 1–2 s)."
    else:
        from tutor.engine.records import MAX_SIZE

        per_item = max(sequential_s, 1e-6) / config.size
        suggested = min(MAX_SIZE, int(TARGET_SEQUENTIAL_S / per_item))
        suggested = int(float(f"{suggested:.2g}"))  # two significant digits: a size to type
        suggestion = f"Try N ≈ {suggested:,} (about {TARGET_SEQUENTIAL_S:g} s sequentially here)."
    return (
        f"N={config.size:,} is too small to show a speedup on this machine: sequentially it "
        f"takes only {sequential_s:.2f} s, about as long as starting worker processes. "
        + suggestion
    )
