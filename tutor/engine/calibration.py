"""Default workload sizes calibrated on this machine: a sequential run of about 1–2 s.

A fixed default N is a guess about a machine: on a fast desktop it gives a run so short that
starting worker processes rivals the work, and the chart "shows" processes losing. Instead, a
short probe measures how long each built-in CPU-bound workload takes per item here and picks
the N for which a sequential run takes the target time. The target itself comes from this
machine too: long enough that starting a pool of workers (measured by the probe) is at most
about a tenth of the run, within 1–2 s.

How the probe measures. Each workload's chunk function runs in the calling thread over
0..n for growing n, timed with `time.thread_time()` (the CPU time this thread got): other
programs taking cores meanwhile lengthen the wall time, not the CPU time, so the size fits the
machine rather than its load at that moment. Costs need not grow linearly with N (counting
primes by trial division grows faster), so the probe fits time ∝ N**k on its last two points
and extrapolates with that exponent, with one refining step at a tenth of the target.

The result is cached with the machine facts it was measured under (`CalibratedOn`): another
Python, another CPU count or another machine asks for a new probe. `Calibration.to_json` /
`from_json` give the cached form; reading never raises.

No Qt here: the window runs `probe_machine` in a child process (never in the GUI process, whose
GIL the event loop needs) and only stores and applies the result.
"""

from __future__ import annotations

import json
import math
import platform
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

from tutor.engine.machine import gil_enabled, logical_cpus
from tutor.engine.records import MAX_SIZE
from tutor.engine.workloads import WORKLOADS

FORMAT_VERSION = 1
MIN_TARGET_S = 1.0  # the "about 1–2 s" for a sequential run of the default size
MAX_TARGET_S = 2.0
MAX_STARTUP_SHARE = 0.1  # pool start-up at most this share of a sequential run, when it fits
FIRST_STEP_MIN_S = 0.02  # double n until one probe step takes at least this much CPU time
REFINE_SHARE = 0.1  # the refining step aims at this share of the target
MIN_FIT_RATIO = 2  # an exponent is fitted on two sizes at least this far apart (n2 / n1)
FIT_TIMINGS = 3  # each size an exponent is fitted on is timed this often; the least is kept
MIN_EXPONENT, MAX_EXPONENT = 1.0, 2.0  # time ∝ N**k: never cheaper than linear, at most square
MIN_CALIBRATED_SIZE = 1_000
# The workloads whose default size is calibrated: CPU-bound ones. The I/O-bound one waits a
# fixed time per item on every machine, so its fixed default already is "about a second".
CALIBRATED_WORKLOADS: tuple[str, ...] = tuple(w.name for w in WORKLOADS.values() if not w.io_bound)

TimeFunction = Callable[[int], float]  # n items -> CPU seconds
# This thread's CPU time, where the OS counts it finely (Linux, macOS: nanoseconds). Windows
# counts thread CPU time in scheduler ticks of about 15.6 ms, too coarse for steps of a few
# hundredths of a second: there the wall clock is the better measure (the probe runs alone in
# its own process, so on an idle machine the two agree).
_CPU_CLOCK: Callable[[], float] = time.perf_counter if sys.platform == "win32" else time.thread_time


@dataclass(frozen=True)
class CalibratedOn:
    """What a calibration holds for: the same Python on the same kind of machine (a key made
    from engine.machine's facts, kept with the cached sizes)."""

    python: str  # e.g. "CPython 3.11.7"
    system: str  # platform.system(), e.g. "Linux"
    machine: str  # platform.machine(), e.g. "x86_64"
    cpu_model: str  # best effort; "" when the OS does not say
    logical_cpus: int
    gil_enabled: bool

    @classmethod
    def current(cls) -> CalibratedOn:
        """The facts of the running interpreter and machine (never raises)."""
        return cls(
            python=f"{platform.python_implementation()} {platform.python_version()}",
            system=platform.system(),
            machine=platform.machine(),
            cpu_model=_cpu_model(),
            logical_cpus=logical_cpus(),
            gil_enabled=gil_enabled(),
        )


@dataclass(frozen=True)
class WorkloadSize:
    """One workload's calibrated default size and the measurements behind it.

    `probe_size` items took `probe_cpu_s` CPU seconds in the probe's last step; `exponent` is
    the fitted k of time ∝ N**k; `size` is the N predicted to take `predicted_s` seconds.
    """

    workload: str
    probe_size: int
    probe_cpu_s: float
    exponent: float
    size: int
    predicted_s: float


@dataclass(frozen=True)
class Calibration:
    """Calibrated default sizes, the target they aim at and the facts they were measured under.

    `target_s`: seconds a sequential run of each default size should take; `pool_startup_s`:
    the measured start-up of a pool of processes (None when not measured).
    """

    facts: CalibratedOn
    target_s: float
    pool_startup_s: float | None
    sizes: tuple[WorkloadSize, ...]
    version: int = FORMAT_VERSION

    def size_for(self, workload: str) -> int | None:
        """The calibrated default N of `workload`, or None when it was not calibrated."""
        return next((s.size for s in self.sizes if s.workload == workload), None)

    def holds_for(self, facts: CalibratedOn) -> bool:
        """True when measured under `facts` (same Python, OS, CPU and count) in this format."""
        return self.version == FORMAT_VERSION and self.facts == facts

    def to_json(self) -> str:
        """The cached form: one JSON object (strict JSON, no NaN)."""
        return json.dumps(asdict(self), allow_nan=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: object) -> Calibration | None:
        """Read a cached calibration; None for anything unreadable (never raises)."""
        try:
            data = json.loads(text)  # type: ignore[arg-type]
            sizes = tuple(WorkloadSize(**item) for item in data["sizes"])
            calibration = cls(
                facts=CalibratedOn(**data["facts"]),
                target_s=float(data["target_s"]),
                pool_startup_s=(
                    None if data["pool_startup_s"] is None else float(data["pool_startup_s"])
                ),
                sizes=sizes,
                version=int(data["version"]),
            )
        except (TypeError, ValueError, KeyError, AttributeError, RecursionError):
            return None
        if not all(_plausible(s) for s in sizes):
            return None  # a hand-edited or damaged cache: measure again instead
        return calibration


def target_seconds(pool_startup_s: float | None) -> float:
    """Seconds a sequential default run should take: long enough that the pool start-up is
    at most MAX_STARTUP_SHARE of it, within MIN_TARGET_S … MAX_TARGET_S (the middle of that
    range when start-up is unknown)."""
    if pool_startup_s is None or not math.isfinite(pool_startup_s) or pool_startup_s < 0:
        return (MIN_TARGET_S + MAX_TARGET_S) / 2
    return min(MAX_TARGET_S, max(MIN_TARGET_S, pool_startup_s / MAX_STARTUP_SHARE))


def workload_cpu_time(workload: str) -> TimeFunction:
    """A function n -> CPU seconds this thread spent computing `workload` over its first n
    items (raises KeyError for an unknown workload)."""
    spec = WORKLOADS[workload]

    def measure(n: int) -> float:
        numbers = spec.domain(n)
        began = _CPU_CLOCK()
        spec.chunk_function(numbers)
        return _CPU_CLOCK() - began

    return measure


def calibrate_size(workload: str, target_s: float, cpu_time: TimeFunction) -> WorkloadSize:
    """The N for which `cpu_time(N)` is predicted to be `target_s` seconds.

    Doubles n from 1 until one step takes FIRST_STEP_MIN_S, fits time ∝ n**k on the last two
    steps, measures once more at about REFINE_SHARE of the target, refits (where that size is
    at least MIN_FIT_RATIO times the last step's) and extrapolates. Each size a fit uses is
    timed FIT_TIMINGS times and the least kept. The probe itself costs about half of
    `target_s`. Raises ValueError for target_s <= 0.
    """
    if not target_s > 0:
        raise ValueError(f"target_s must be positive, got {target_s!r}")
    points: list[tuple[int, float]] = []
    n = 1
    while True:
        points.append((n, cpu_time(n)))
        if points[-1][1] >= FIRST_STEP_MIN_S or n >= MAX_SIZE:
            break
        n = min(MAX_SIZE, n * 2)
    # The sizes the exponent is fitted on, timed again: another program sharing the core
    # (its caches, its memory bandwidth) only ever lengthens a timing, and one lengthened
    # timing of the smaller size read k = 1.0 for primes beside two busy loops.
    points[-2:] = [(size, _least_time(cpu_time, size, spent)) for size, spent in points[-2:]]
    exponent = _fit_exponent(points[-2:])
    probe_n, probe_s = points[-1]
    refine_n = _extrapolate(probe_n, probe_s, exponent, REFINE_SHARE * target_s)
    if refine_n > probe_n:
        refined = (refine_n, _least_time(cpu_time, refine_n))
        if refine_n >= MIN_FIT_RATIO * probe_n:
            exponent = _fit_exponent([points[-1], refined])
        # else: two sizes a few percent apart fit the timer's noise, not the cost's growth
        # (a small target refined 32,768 to 32,914 items and read k = 2.0 or 1.0 for primes,
        # whose k is about 1.3); the doubling steps' fit stays, from the newer point.
        probe_n, probe_s = refined
    size = _extrapolate(probe_n, probe_s, exponent, target_s)
    size = max(MIN_CALIBRATED_SIZE, min(MAX_SIZE, _two_digits(size)))
    return WorkloadSize(
        workload=workload,
        probe_size=probe_n,
        probe_cpu_s=probe_s,
        exponent=exponent,
        size=size,
        predicted_s=predict_seconds(probe_n, probe_s, exponent, size),
    )


def _least_time(cpu_time: TimeFunction, n: int, first: float | None = None) -> float:
    """The least of FIT_TIMINGS timings of `n` items (seconds), `first` counting as one."""
    timings = [] if first is None else [first]
    while len(timings) < FIT_TIMINGS:
        timings.append(cpu_time(n))
    return min(timings)


def predict_seconds(probe_n: int, probe_s: float, exponent: float, n: int) -> float:
    """Seconds `n` items take when `probe_n` took `probe_s` and time ∝ N**exponent."""
    return max(probe_s, 1e-9) * (n / max(probe_n, 1)) ** exponent


def measure_pool_startup(workers: int | None = None, start_method: str = "spawn") -> float:
    """Seconds a real processes run needs before its first chunk starts (the engine's own
    `startup_s`: starting `workers` processes, min(2, cores) by default). Raises RunFailed
    or ValueError as engine.runners.run does."""
    from tutor.engine.records import RunConfig
    from tutor.engine.runners import run  # a pool is heavy: imported only when measured

    count = workers or min(2, logical_cpus())
    config = RunConfig("squares", 10_000, "processes", count, start_method, chunks=count)
    return run(config).startup_s


def probe_machine(
    workloads: Iterable[str] = CALIBRATED_WORKLOADS,
    *,
    pool_startup_s: float | None = None,
    measure_startup: bool = True,
) -> Calibration:
    """Calibrate the default size of each of `workloads` on this machine (blocking: seconds
    of CPU time; run it off any GUI thread). With `measure_startup` and no `pool_startup_s`
    given, a pool is started once to set the target (`target_seconds`)."""
    if pool_startup_s is None and measure_startup:
        pool_startup_s = measure_pool_startup()
    target = target_seconds(pool_startup_s)
    sizes = tuple(calibrate_size(w, target, workload_cpu_time(w)) for w in workloads)
    return Calibration(CalibratedOn.current(), target, pool_startup_s, sizes)


def _fit_exponent(points: list[tuple[int, float]]) -> float:
    """k of time ∝ n**k through two (n, seconds) points, within MIN/MAX_EXPONENT (1 alone)."""
    if len(points) < 2:
        return MIN_EXPONENT
    (n1, t1), (n2, t2) = points[-2], points[-1]
    if n2 <= n1 or t1 <= 0 or t2 <= 0:
        return MIN_EXPONENT
    k = math.log(t2 / t1) / math.log(n2 / n1)
    return min(MAX_EXPONENT, max(MIN_EXPONENT, k))


def _extrapolate(n: int, seconds: float, exponent: float, target_s: float) -> int:
    scale = (target_s / max(seconds, 1e-9)) ** (1 / exponent)
    return int(min(MAX_SIZE, max(1, round(n * scale))))


def _two_digits(n: int) -> int:
    """`n` rounded to two significant digits: a size a learner can read and type."""
    return int(float(f"{n:.2g}"))


def _plausible(size: WorkloadSize) -> bool:
    return (
        size.workload in WORKLOADS
        and isinstance(size.size, int)
        and MIN_CALIBRATED_SIZE <= size.size <= MAX_SIZE
    )


def _cpu_model() -> str:
    """The CPU's model name where the OS says it cheaply; "" otherwise."""
    if sys.platform.startswith("linux"):
        try:
            with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as info:
                for line in info:
                    if line.startswith(("model name", "Hardware")):
                        return line.partition(":")[2].strip()
        except OSError:
            return ""
        return ""
    return platform.processor()
