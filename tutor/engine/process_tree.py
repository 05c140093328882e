"""Ending a process together with everything it started: workers, and the learner's own children.

A learner's function may start its own Pool or `subprocess.Popen(["sleep", "600"])`. Killing
only the run's helper would orphan those. Two complementary ways find them all:

- POSIX: the helper calls `become_group_leader()` first thing (a session of its own), so every
  process it or its workers start shares its process-group id, and `os.killpg` reaches them
  even after the helper itself is gone and they were re-parented. A terminal's Ctrl+C then
  reaches only the tutor, which cancels and ends the group itself.
- Everywhere: psutil's `children(recursive=True)` (psutil.readthedocs.io) lists the
  descendants that are still linked by parentage, e.g. on Windows, or a child that left the
  group with setsid().

Qt-free.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys

WAIT_S = 5.0


def become_group_leader() -> None:
    """Start a new session (POSIX) so the tree can be ended as one group; no-op elsewhere."""
    if hasattr(os, "setsid"):
        with contextlib.suppress(OSError):  # already a group leader
            os.setsid()


def _descendants(pid: int) -> list:
    try:
        import psutil
    except ImportError:
        return []
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def kill_tree(pid: int, group: bool = True, timeout: float = WAIT_S) -> None:
    """Kill `pid`, its descendants and (POSIX, when `group`) its process group; wait for them.

    Safe to call when `pid` has already exited: its group's leftovers are still ended. Never
    raises for processes that are already gone.
    """
    descendants = _descendants(pid)
    if group and hasattr(os, "killpg"):
        # The group keeps the leader's pid as its id even after the leader has exited.
        with contextlib.suppress(OSError):  # no such group: nothing is left in it
            os.killpg(pid, signal.SIGKILL)
    if not descendants and sys.platform == "win32":
        # Without psutil, taskkill /T ends a tree on Windows (learn.microsoft.com, taskkill).
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(
                ["taskkill", "/F", "/T", "/PID", str(pid)], capture_output=True, timeout=timeout
            )
    for process in descendants:
        with contextlib.suppress(Exception):
            process.kill()
    if descendants:
        import psutil

        psutil.wait_procs(descendants, timeout=timeout)
