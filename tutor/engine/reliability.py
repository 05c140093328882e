"""Was the machine busy during a run? How much CPU other programs took, and a verdict.

A speedup is only worth teaching when the cores were ours. `CpuMeter` measures, around one
run, the CPU time the whole machine spent busy and subtracts the CPU time of the run's own
process tree; what is left was used by *other* programs. Divided by the machine's capacity
(logical CPUs × wall seconds) it is the share the learner's run had to give away.

Where the numbers come from, best first:
- ``psutil``: ``psutil.cpu_times()`` (system-wide, every OS psutil supports).
- ``/proc/stat`` (Linux, stdlib): the first ``cpu`` line, in clock ticks (``SC_CLK_TCK``).
- ``os.getloadavg()`` (POSIX, stdlib): a one-minute average of runnable processes; only a
  rough stand-in, since it also lags behind a short run.
- none of them: the share is unknown and gives no verdict (``other_cpu_fraction`` is None).

The run's own tree: ``os.times()`` adds the CPU time of children that have exited and been
waited for (pool workers are joined before a run returns) on POSIX. Windows reports no
children there, and forkserver's workers are children of the fork server, not ours, so in
those two cases a thread samples the live descendants with psutil (no psutil: unknown).

The engine must import with the standard library alone (the *Other Pythons* comparison runs
it under ``python -S``): psutil is imported inside functions and optional everywhere.

Thresholds (the sources are our own measurements on this project's 2-core machines):
- ``OTHER_CPU_THRESHOLD`` = 0.15. An idle desktop with a browser, mail and an indexer open
  takes about 1–5 % of the CPU capacity; a single busy program on a 2-core laptop takes 50 %,
  on 8 cores 12.5 %. Time the others take is time the run's workers wait for a core, so a run
  that uses every core loses about that share of its speed: 15 % turns a 2.0× speedup into
  about 1.7×, the size of difference the lesson asks a learner to notice (threads vs
  processes, 1 vs 2 workers). Below it, what the others take is within ordinary run-to-run
  jitter; above it, the number would mislead.
- ``SPREAD_THRESHOLD`` = 0.10: repeats of the same run on a quiet machine differ by a few per
  cent; more than 10 % means something else changed between them (other programs, clock
  speed), and then even the median is uncertain by about as much.
"""

from __future__ import annotations

import enum
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

from tutor.engine.machine import logical_cpus

OTHER_CPU_THRESHOLD = 0.15
SPREAD_THRESHOLD = 0.10
SAMPLE_S = 0.1  # how often the psutil tree sampler (Windows, forkserver) looks at descendants


class Verdict(enum.Enum):
    """Whether a run's numbers can be trusted."""

    OK = "ok"
    NOISY = "noisy"


@dataclass(frozen=True)
class CpuShare:
    """CPU time other programs used while a run went.

    `other_cpu_s` and `capacity_s` are CPU seconds (capacity = logical CPUs × wall seconds);
    `other_cpu_s` is None when no method could measure it. `method` names the source:
    "psutil", "proc-stat", "loadavg" or "unknown".
    """

    other_cpu_s: float | None
    capacity_s: float
    method: str

    @property
    def fraction(self) -> float | None:
        """Share of the capacity other programs used, 0 … 1; None when unknown."""
        if self.other_cpu_s is None or self.capacity_s <= 0:
            return None
        return min(1.0, max(0.0, self.other_cpu_s / self.capacity_s))

    @staticmethod
    def merged(shares: list[CpuShare]) -> CpuShare | None:
        """Several runs as one: their CPU seconds added up (unknown if any is unknown)."""
        if not shares:
            return None
        capacity = sum(s.capacity_s for s in shares)
        if any(s.other_cpu_s is None for s in shares):
            return CpuShare(None, capacity, "unknown")
        methods = {s.method for s in shares}
        method = methods.pop() if len(methods) == 1 else "mixed"
        return CpuShare(sum(s.other_cpu_s or 0.0 for s in shares), capacity, method)


@dataclass(frozen=True)
class Reliability:
    """The verdict on a run and the reasons for it, in plain words (empty when ok)."""

    verdict: Verdict
    other_cpu_fraction: float | None  # 0 … 1, None when it could not be measured
    reasons: tuple[str, ...] = ()

    @property
    def noisy(self) -> bool:
        return self.verdict is Verdict.NOISY

    def to_json(self) -> dict[str, Any]:
        """The `bench --json` shape: verdict, other_cpu_fraction, reasons."""
        return {
            "verdict": self.verdict.value,
            "other_cpu_fraction": self.other_cpu_fraction,
            "reasons": list(self.reasons),
        }


def assess(
    other_cpu_fraction: float | None, spread: float | None, flags: tuple[str, ...] = ()
) -> Reliability:
    """Judge measured inputs: noisy when others took more than `OTHER_CPU_THRESHOLD` of the CPU,
    the repeats spread more than `SPREAD_THRESHOLD` ((max − min) / median), or `flags` (already
    worded explanations of impossible numbers) is not empty."""
    reasons: list[str] = []
    if other_cpu_fraction is not None and other_cpu_fraction > OTHER_CPU_THRESHOLD:
        reasons.append(
            f"other programs used {other_cpu_fraction:.0%} of your CPU during this run: "
            "close them and run again"
        )
    if spread is not None and spread > SPREAD_THRESHOLD:
        reasons.append(
            f"the repeats differed by {spread:.0%}: something else changed between them, "
            "so run again on a quieter machine"
        )
    reasons.extend(flags)
    verdict = Verdict.NOISY if reasons else Verdict.OK
    return Reliability(verdict, other_cpu_fraction, tuple(reasons))


# --- measuring -------------------------------------------------------------------------------


def _psutil() -> Any:
    try:
        import psutil
    except ImportError:
        return None
    return psutil


def _busy_cpu_s() -> tuple[float, str] | None:
    """Machine-wide busy CPU seconds since boot (all CPUs), and how they were read."""
    psutil = _psutil()
    if psutil is not None:
        times = psutil.cpu_times()._asdict()
        idle = times.get("idle", 0.0) + times.get("iowait", 0.0)
        # guest time is already counted in user time on Linux
        total = sum(v for k, v in times.items() if k not in ("guest", "guest_nice"))
        return total - idle, "psutil"
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = stat.readline().split()
        ticks = [int(v) for v in fields[1:9]]  # user nice system idle iowait irq softirq steal
        hz = os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, AttributeError, IndexError):
        return None
    busy = sum(ticks) - ticks[3] - ticks[4]
    return busy / hz, "proc-stat"


def _own_cpu_s() -> float:
    """This process's CPU seconds plus those of its exited, waited-for children (POSIX)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


class _TreeSampler:
    """Samples the CPU time of every live descendant with psutil (last value seen per pid)."""

    def __init__(self, psutil: Any) -> None:
        self._psutil = psutil
        self._me = psutil.Process()
        self._seen: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="cpu-tree-sampler", daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        for child in self._me.children(recursive=True):
            try:
                t = child.cpu_times()
            except (self._psutil.NoSuchProcess, self._psutil.AccessDenied):
                continue
            self._seen[child.pid] = t.user + t.system

    def _loop(self) -> None:
        while not self._stop.wait(SAMPLE_S):
            self._sample()

    def stop(self) -> float:
        """Stop sampling; the descendants' CPU seconds seen (the last one's tail is missed)."""
        self._stop.set()
        self._thread.join()
        return sum(self._seen.values())


class CpuMeter:
    """Measures the CPU share other programs took between `start()` and `stop()`.

    `sample_tree`: also watch live descendants (needed on Windows and for forkserver, see the
    module docstring). Costs two reads of system counters when it is not needed.
    """

    def __init__(self, *, sample_tree: bool | None = None) -> None:
        self._sample_tree = os.name == "nt" if sample_tree is None else sample_tree
        self._start: tuple[float, float, tuple[float, str] | None] | None = None
        self._sampler: _TreeSampler | None = None

    def start(self) -> CpuMeter:
        if self._sample_tree and (psutil := _psutil()) is not None:
            self._sampler = _TreeSampler(psutil)
        self._start = (time.perf_counter(), _own_cpu_s(), _busy_cpu_s())
        return self

    def stop(self) -> CpuShare:
        """The share since start(); RuntimeError if start() was not called."""
        if self._start is None:
            raise RuntimeError("CpuMeter.stop() before start()")
        wall0, own0, busy0 = self._start
        busy1 = _busy_cpu_s()
        wall = time.perf_counter() - wall0
        own = _own_cpu_s() - own0
        if self._sampler is not None:
            own += self._sampler.stop()
        capacity = logical_cpus() * wall
        if busy0 is not None and busy1 is not None:
            if self._sample_tree and self._sampler is None:  # own tree unknown without psutil
                return CpuShare(None, capacity, "unknown")
            return CpuShare(max(0.0, busy1[0] - busy0[0] - own), capacity, busy1[1])
        return _loadavg_share(own, wall, capacity)


def _loadavg_share(own_cpu_s: float, wall_s: float, capacity_s: float) -> CpuShare:
    """Last resort: the one-minute load average minus the run's own average load."""
    getloadavg = getattr(os, "getloadavg", None)
    if getloadavg is None or wall_s <= 0:
        return CpuShare(None, capacity_s, "unknown")
    try:
        load = getloadavg()[0]
    except OSError:
        return CpuShare(None, capacity_s, "unknown")
    cpus = logical_cpus()
    others = max(0.0, min(float(cpus), load) - own_cpu_s / wall_s)
    return CpuShare(others * wall_s, capacity_s, "loadavg")


def waiting_cause(
    mode: str,
    *,
    io_bound: bool | None,
    gil_enabled: bool,
    workers: int,
    cpus: int,
    other_cpu_fraction: float | None = None,
    holds_gil: bool = True,
) -> str:
    """What a chunk's waiting time (wall − CPU) was most likely spent waiting for, in a few
    words for the timeline's legend and tooltips. `io_bound` None: unknown (custom code);
    `holds_gil` False: the work lets go of the GIL while it computes (engine.workloads)."""
    if io_bound:
        return "waiting for I/O (sleeping)"
    if mode == "asyncio":
        return "waiting while other coroutines ran"
    busy = other_cpu_fraction is not None and other_cpu_fraction > OTHER_CPU_THRESHOLD
    others = ", and for cores other programs held" if busy else ""
    if mode == "threads" and gil_enabled and holds_gil and workers > 1:
        return f"waiting for the GIL (another thread held it){others}"
    if busy:
        return "waiting for a core another program held"
    if mode != "sequential" and workers > cpus:
        return "waiting for a core (more workers than CPUs)"
    return "waiting for a core (held by another program)"
