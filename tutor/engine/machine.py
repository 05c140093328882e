"""Facts about the machine and interpreter a run measures on: the one place that asks.

The GIL's state, logical CPUs and physical cores are asked here and nowhere else, so the run
records, the export, the window's summary line and the charts cannot disagree.

Stdlib only at import (the engine runs under `python -S` for Other Pythons); psutil, where
installed, is only asked for physical cores on systems without Linux's sysfs.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path

SYSFS_CPUS = Path("/sys/devices/system/cpu")


class GilState(StrEnum):
    """The GIL of the running interpreter; the value is how exports and reports write it."""

    STANDARD = "enabled (standard build)"  # no switch to ask: before 3.13, or a standard build
    ENABLED = "enabled"  # a build that can run without it, running with it
    DISABLED = "disabled"  # a free-threaded build running without it

    @property
    def enabled(self) -> bool:
        return self is not GilState.DISABLED

    def summary(self) -> str:
        """The window's wording: 'GIL enabled (standard build)', 'GIL disabled (free-…)'."""
        if self is GilState.DISABLED:
            return "GIL disabled (free-threaded build)"
        return f"GIL {self.value}"


def gil_state() -> GilState:
    """The running interpreter's GIL, from `sys._is_gil_enabled()` (Python 3.13+).

    Source: the sys module docs; Pythons without that function always have the GIL on.
    """
    probe = getattr(sys, "_is_gil_enabled", None)
    if probe is None:
        return GilState.STANDARD
    return GilState.ENABLED if probe() else GilState.DISABLED


def gil_enabled() -> bool:
    """False only on a free-threaded build running with the GIL off."""
    return gil_state().enabled


def logical_cpus() -> int:
    """Logical CPUs (os.cpu_count(), which can say None: then 1). Hyper-threads count."""
    return os.cpu_count() or 1


def physical_core_count(cpus: Path | None = None) -> int | None:
    """Physical cores, or None when this system does not say.

    On Linux: distinct (package, core) pairs of the online CPUs in sysfs (`cpus` points at a
    copy of /sys/devices/system/cpu, for tests). Elsewhere: psutil.cpu_count(logical=False)
    where psutil is installed, else `sysctl -n hw.physicalcpu` on macOS.
    """
    if cpus is not None or sys.platform.startswith("linux"):
        return _sysfs_cores(cpus or SYSFS_CPUS)
    try:
        import psutil  # a dependency of the app, but absent under python -S

        count = psutil.cpu_count(logical=False)
        if count:
            return int(count)
    except Exception:  # missing, or a platform psutil cannot read
        pass
    if sys.platform == "darwin":
        try:
            out = subprocess.run(
                ["sysctl", "-n", "hw.physicalcpu"],
                capture_output=True,
                text=True,
                timeout=2,
                check=True,
            ).stdout
            return int(out.strip()) or None
        except (OSError, ValueError, subprocess.SubprocessError):
            return None
    return None


def _sysfs_cores(cpus: Path) -> int | None:
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


@dataclass(frozen=True)
class CoreCounts:
    """Logical CPUs and physical cores (None: unknown). With SMT two logical CPUs share a
    core, and CPU-bound processes beyond the physical cores gain little."""

    logical: int
    physical: int | None

    @property
    def differ(self) -> bool:
        return self.physical is not None and self.physical != self.logical

    @property
    def fit_limit(self) -> int:
        """The most workers that still get a core of their own."""
        return self.physical or self.logical


def core_counts(cpus: Path | None = None) -> CoreCounts:
    """This machine's logical CPUs and physical cores (None where unknown or implausible)."""
    logical = logical_cpus()
    physical = physical_core_count(cpus)
    if physical is not None and physical > logical:
        physical = None  # a count we cannot make sense of: don't claim more cores than CPUs
    return CoreCounts(logical, physical)


@dataclass(frozen=True)
class MachineFacts:
    """What a reader of the numbers needs to know about the machine that measured them."""

    logical_cpus: int
    physical_cores: int | None
    python_version: str  # "3.12.1"
    python_implementation: str  # "CPython"
    python_build: str  # sys.version on one line
    gil: GilState
    os: str  # platform.platform()
    system: str  # "Linux", "Windows", "Darwin"
    machine: str  # "x86_64", "arm64"
    processor: str | None

    def to_json(self) -> dict[str, object]:
        """The facts as plain JSON values (the GIL as its text)."""
        facts = asdict(self)
        facts["gil"] = self.gil.value
        return facts


def machine_facts() -> MachineFacts:
    """The facts of this machine and interpreter, asked now."""
    return MachineFacts(
        logical_cpus=logical_cpus(),
        physical_cores=core_counts().physical,
        python_version=platform.python_version(),
        python_implementation=platform.python_implementation(),
        python_build=sys.version.replace("\n", " "),
        gil=gil_state(),
        os=platform.platform(),
        system=platform.system(),
        machine=platform.machine(),
        processor=platform.processor() or None,
    )
