"""Ending a process together with everything it started: workers, and the learner's own children.

A learner's function or program may start its own Pool or `subprocess.Popen(["sleep", "600"])`.
Killing only the process we started would orphan those. Two complementary ways find them all:

- POSIX: the process starts a session of its own (`become_group_leader()` inside it, or
  `new_group_options()` for `subprocess.Popen`), so every process it starts shares its
  process-group id, and `os.killpg` reaches them even after it is gone and they were
  re-parented. A terminal's Ctrl+C then reaches only the tutor, which ends the group itself.
- Everywhere else (Windows; a POSIX without those calls): psutil's `children(recursive=True)`
  (psutil.readthedocs.io) lists the descendants still linked by parentage, and a
  `ProgramTree` remembers them while the program runs, so orphans can be ended later; on
  Windows `taskkill /T /F` (learn.microsoft.com, taskkill) also ends a tree whose root lives.

This module is the one home for that idea: the run helper, the exercise checker and the
example console all end their trees here. Qt-free; psutil is optional.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from typing import Any

WAIT_S = 5.0


def has_process_groups() -> bool:
    """True where a whole process group can be started and killed (POSIX with killpg)."""
    return sys.platform != "win32" and hasattr(os, "killpg") and hasattr(os, "setsid")


def new_group_options() -> dict[str, Any]:
    """Keyword arguments for `subprocess.Popen` that start the child in a group of its own."""
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    if has_process_groups():
        return {"start_new_session": True}
    return {}


def become_group_leader() -> None:
    """Start a new session (POSIX) so the tree can be ended as one group; no-op elsewhere."""
    if hasattr(os, "setsid"):
        with contextlib.suppress(OSError):  # already a group leader
            os.setsid()


def descendants(pid: int) -> list[Any]:
    """psutil.Process objects of `pid`'s live descendants; [] without psutil or `pid`."""
    try:
        import psutil
    except ImportError:
        return []
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def kill_tree(
    pid: int,
    *,
    group: bool = True,
    include_leader: bool = True,
    known: tuple[Any, ...] = (),
    timeout: float = WAIT_S,
) -> None:
    """SIGKILL (TerminateProcess) `pid`'s tree: its descendants, `known` processes remembered
    earlier (psutil.Process), its process group where `group` and groups exist, and `pid`
    itself when `include_leader`; then wait up to `timeout` seconds for them (0: no wait).

    Safe when `pid` has already exited: its group's leftovers are still ended. Never raises
    for processes that are already gone; psutil checks a remembered process is still the same
    one (no pid reuse).
    """
    tree = [*known, *descendants(pid)]
    if include_leader:
        with contextlib.suppress(Exception):  # psutil missing, or the leader has gone
            import psutil

            tree.append(psutil.Process(pid))
    if group and has_process_groups():
        # The group keeps the leader's pid as its id even after the leader has exited.
        with contextlib.suppress(OSError):  # no such group: nothing is left in it
            os.killpg(pid, signal.SIGKILL)
    elif sys.platform == "win32" and include_leader and len(tree) <= len(known) + 1:
        # No psutil view of the tree: taskkill /T walks it from its (living) root.
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(
                ["taskkill", "/F", "/T", "/PID", str(pid)], capture_output=True, timeout=WAIT_S
            )
    for process in tree:
        with contextlib.suppress(Exception):  # psutil.Error: it has already gone
            process.kill()
    if tree and timeout > 0:
        import psutil

        psutil.wait_procs(tree, timeout=timeout)


class ProgramTree:
    """The processes of one program started with `new_group_options()`, ended by `kill`."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process
        self._seen: dict[int, Any] = {}  # pid → psutil.Process

    def remember_descendants(self) -> None:
        """Note the program's current descendants (only needed without process groups).

        Cheap to call now and then while the program runs; a no-op where groups exist.
        """
        if has_process_groups():
            return
        for child in descendants(self.process.pid):
            self._seen.setdefault(child.pid, child)

    def kill(self, wait_s: float = WAIT_S) -> None:
        """End the program and every process it started, then reap the program.

        SIGKILL / TerminateProcess (a program we did not write may ignore politer requests).
        Waits up to `wait_s` seconds for the program itself; never raises for processes that
        already ended. Killed members the program had orphaned are reaped by init.
        """
        self.remember_descendants()
        kill_tree(self.process.pid, known=tuple(self._seen.values()), timeout=0)
        with contextlib.suppress(OSError):
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=wait_s)
