"""Finding the child processes a run or an example left behind (shared by the test folders)."""

from __future__ import annotations

import time
from collections.abc import Iterable

import psutil


def _is_run_process(process: psutil.Process) -> bool:
    """multiprocessing's own long-lived helpers (resource tracker, fork server) don't count."""
    try:
        if not process.is_running() or process.status() == psutil.STATUS_ZOMBIE:
            return False
        command = " ".join(process.cmdline())
    except psutil.Error:
        return False
    return not any(helper in command for helper in ("resource_tracker", "forkserver"))


def spawned_workers(processes: Iterable[psutil.Process]) -> list[psutil.Process]:
    """Those of `processes` that multiprocessing spawned (their command runs spawn_main) and
    that still run: one that ended meanwhile (gone, or a zombie, which has no command line to
    read) is left out instead of raising."""
    found = []
    for process in processes:
        try:
            if "spawn_main" in " ".join(process.cmdline()):
                found.append(process)
        except psutil.Error:
            pass
    return found


def run_children() -> list[psutil.Process]:
    """Live descendants of this test process that a run or an example started."""
    return [p for p in psutil.Process().children(recursive=True) if _is_run_process(p)]


def wait_no_children(
    timeout: float = 5.0, ignore: frozenset[int] | set[int] = frozenset()
) -> list[psutil.Process]:
    """Wait until no run process is left (but those whose pid is in `ignore`); return those
    still alive after `timeout` seconds."""

    def left() -> list[psutil.Process]:
        return [p for p in run_children() if p.pid not in ignore]

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not left():
            return []
        time.sleep(0.05)
    return left()


def end_leftovers(left: list[psutil.Process]) -> list[str]:
    """Kill `left` (processes a test left behind) so the next test starts clean; returns a
    "pid: command line" line for each, for the test's failure message."""
    described = []
    for process in left:
        try:
            described.append(f"{process.pid}: {' '.join(process.cmdline())}")
            process.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(left, timeout=5)
    return described
