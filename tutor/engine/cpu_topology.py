"""Logical CPUs against physical cores, without psutil (a test-only dependency).

`os.cpu_count()` counts logical CPUs: with simultaneous multithreading (Hyper-Threading, SMT)
two of them share one physical core, and CPU-bound processes beyond the physical cores gain
little. On Linux each logical CPU names its core and package in sysfs; elsewhere the physical
count is unknown (None) and only the logical one is shown.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

SYSFS_CPUS = Path("/sys/devices/system/cpu")


@dataclass(frozen=True)
class CoreCounts:
    logical: int
    physical: int | None  # None: this system does not say

    @property
    def differ(self) -> bool:
        return self.physical is not None and self.physical != self.logical

    @property
    def fit_limit(self) -> int:
        """The most workers that still get a core of their own."""
        return self.physical or self.logical


def physical_core_count(cpus: Path | None = None) -> int | None:
    """Distinct (package, core) pairs of the online CPUs in sysfs; None if unreadable.

    `cpus` points at a copy of /sys/devices/system/cpu (for tests); by default the real one,
    and only on Linux.
    """
    if cpus is None:
        if not sys.platform.startswith("linux"):
            return None
        cpus = SYSFS_CPUS
    cores: set[tuple[str, str]] = set()
    try:
        entries = list(cpus.glob("cpu[0-9]*"))
    except OSError:
        return None
    for cpu in entries:
        if not cpu.name[3:].isdigit():
            continue
        try:
            if (cpu / "online").read_text().strip() == "0":
                continue
        except OSError:
            pass  # cpu0 often has no "online" file: it is always online
        try:
            core = (cpu / "topology" / "core_id").read_text().strip()
            package = (cpu / "topology" / "physical_package_id").read_text().strip()
        except OSError:
            continue  # an offline CPU has no topology
        cores.add((package, core))
    return len(cores) or None


def core_counts(cpus: Path | None = None) -> CoreCounts:
    """This machine's logical CPUs (os.cpu_count) and physical cores (where known)."""
    logical = os.cpu_count() or 1
    physical = physical_core_count(cpus)
    if physical is not None and physical > logical:
        physical = None  # a sysfs we cannot make sense of: don't claim more cores than CPUs
    return CoreCounts(logical, physical)
