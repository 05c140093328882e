"""Start a program so that all the processes it starts can be ended, and end them all.

A program we did not write may start workers, and those may outlive it (a hung pool, a worker
that was never joined). Where the OS has process groups (POSIX with `os.killpg`), the program
starts a new session, so it and every process it starts share one group, even after the
program itself exited and its children were re-parented: `os.killpg` ends them all. Elsewhere
(Windows, or a POSIX without those calls) a `ProgramTree` remembers the program's descendants
while it runs (psutil), so they can be ended even after the program itself has gone; on
Windows `taskkill /T /F` also ends the tree while its root is alive.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from typing import Any


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


class ProgramTree:
    """The processes of one started program, ended together by `kill`."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process
        self._seen: dict[int, Any] = {}  # pid → psutil.Process (identity checked on kill)

    def remember_descendants(self) -> None:
        """Note the program's current descendants (only needed without process groups).

        Cheap to call now and then while the program runs; a no-op where groups exist.
        """
        if has_process_groups():
            return
        try:
            import psutil
        except ImportError:
            return
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.Error:
            return
        for child in children:
            self._seen.setdefault(child.pid, child)

    def kill(self, wait_s: float = 5.0) -> None:
        """End the program and every process it started, then reap the program.

        SIGKILL / TerminateProcess (a program we did not write may ignore politer requests).
        Waits up to `wait_s` seconds for the program itself; never raises for processes that
        already ended.
        """
        process = self.process
        if has_process_groups():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
        else:
            self.remember_descendants()
            if sys.platform == "win32" and process.poll() is None:
                with contextlib.suppress(OSError, subprocess.SubprocessError):
                    subprocess.run(
                        ["taskkill", "/T", "/F", "/PID", str(process.pid)],
                        capture_output=True,
                        timeout=wait_s,
                    )
            with contextlib.suppress(OSError):
                process.kill()
            for child in self._seen.values():
                with contextlib.suppress(Exception):  # psutil.Error: it has already gone
                    child.kill()  # psutil checks it is still the same process (no pid reuse)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=wait_s)
        # Killed members the program had orphaned are reaped by init (zombies until then).
