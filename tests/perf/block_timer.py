"""Timing a block of a benchmark: its wall time, the CPU it used itself, the CPU other
programs used meanwhile and the hypervisor's steal (seconds). psutil is imported only when a
block is timed: spawned workers re-import the benchmark scripts that import this module."""

from __future__ import annotations

import os
import time


def busy_seconds() -> float:
    import psutil  # here, not at the top: every spawned worker re-imports this script

    t = psutil.cpu_times()
    return sum(getattr(t, f, 0.0) for f in ("user", "nice", "system", "irq", "softirq", "steal"))


def own_seconds() -> float:
    return sum(own_parts())


def own_parts() -> tuple[float, float]:
    """CPU seconds of this process (all its threads) and of its reaped children (workers)."""
    t = os.times()  # children count once reaped: every run here joins its workers
    return t.user + t.system, t.children_user + t.children_system


def steal_seconds() -> float:
    """CPU seconds the hypervisor gave this virtual machine's cores to others (Linux; 0
    elsewhere): a core the guest thought it had, taken away."""
    import psutil

    return getattr(psutil.cpu_times(), "steal", 0.0)


class Timed:
    """Wall time of a block, the CPU it used itself (this process and its reaped workers,
    also apart: `parent_cpu`, `workers_cpu`), the CPU that other programs used meanwhile and
    the hypervisor's steal, all in seconds."""

    def __enter__(self) -> Timed:
        self.steal0 = steal_seconds()
        self.parts = own_parts()
        self.busy, self.own, self.start = busy_seconds(), sum(self.parts), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.start
        parent, workers = own_parts()
        self.parent_cpu, self.workers_cpu = parent - self.parts[0], workers - self.parts[1]
        self.cpu = self.parent_cpu + self.workers_cpu
        self.others = (busy_seconds() - self.busy) - self.cpu
        self.steal = steal_seconds() - self.steal0


def load_average() -> str:
    """The 1, 5 and 15 minute load averages ("n/a" where the OS has none: Windows)."""
    try:
        return " / ".join(f"{v:.2f}" for v in os.getloadavg())
    except (AttributeError, OSError):
        return "n/a"
