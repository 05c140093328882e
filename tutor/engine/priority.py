"""A run's processes yield the CPU to the window: a little lower priority, on every OS.

When a run fills every core, the window's thread must still get a core as soon as it wakes,
or the window stutters while the learner watches the run. So the helper process lowers its
priority a little (`HELPER_NICE`) and its workers inherit it: every mode is slowed alike, and
only while something else wants the core.

On Linux, `os.nice` alone did nothing against the window. The helper starts a session of its
own (process_tree.become_group_leader, so that its whole tree can be ended), and with autogroup
scheduling (on by default in most desktop distributions: /proc/sys/kernel/sched_autogroup_enabled)
each session is a scheduling group: the CPU is shared between groups by the group's nice value,
and a process's own nice value only counts inside its group (source: sched(7), "The autogroup
feature"). Measured on 2 cores, a 100,000-chunk processes run (tests/perf/ui_responsiveness.py):
the window's thread spent 0.2-0.7 s of its gaps over 20 ms waiting for a core, with a p99 gap
of 20-30 ms; with the group's nice set as well, 3-20 ms and a p99 of 12-13 ms. Qt-free.
"""

from __future__ import annotations

import contextlib
import os
import sys

HELPER_NICE = 5  # nice steps below the window: a fair share still, but the window goes first
AUTOGROUP = "/proc/self/autogroup"  # Linux: this session's scheduling group ("... nice N")


def yield_to_the_window(steps: int = HELPER_NICE) -> None:
    """Lower this process's priority by `steps` nice steps (POSIX) or to below normal
    (Windows, with psutil), and on Linux its own session's scheduling group's to match.

    Call it in a freshly started session leader (its group is its own): elsewhere it would
    lower the window's group too, so it then leaves the group alone. Never raises.
    """
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(steps)
    elif sys.platform == "win32":
        with contextlib.suppress(ImportError, OSError, AttributeError):
            import psutil

            psutil.Process().nice(psutil.BELOW_NORMAL_PRIORITY_CLASS)
    if _leads_own_session():
        with contextlib.suppress(OSError), open(AUTOGROUP, "w") as group:
            group.write(str(steps))  # refused where the kernel has no autogroup: fine


def autogroup_nice(pid: int | str = "self") -> int | None:
    """The nice value of `pid`'s Linux scheduling group (autogroup), or None without one."""
    try:
        with open(f"/proc/{pid}/autogroup") as group:
            return int(group.read().split()[-1])
    except (OSError, ValueError, IndexError):
        return None


def _leads_own_session() -> bool:
    """True when this process started the session it is in (its autogroup is its own)."""
    if not hasattr(os, "getsid"):
        return False
    try:
        return os.getsid(0) == os.getpid()
    except OSError:
        return False
