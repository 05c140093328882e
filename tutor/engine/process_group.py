"""Start a program in a process group of its own, and end that whole group.

A program we did not write may start workers, and those may outlive it (a hung pool, a worker
that was never joined). On POSIX the program starts a new session, so it and every process it
starts share one process group, even after the program itself exited and its children were
re-parented: `os.killpg` ends them all. Windows has no process groups of that kind:
`taskkill /T /F` ends the tree while its root is alive, and psutil (when installed) finds the
children first, so those are ended even when the root has already gone.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from typing import Any


def new_group_options() -> dict[str, Any]:
    """Keyword arguments for `subprocess.Popen` that start the child in a group of its own."""
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def _descendants(pid: int) -> list[Any]:
    try:
        import psutil  # optional: a test dependency, not required at run time
    except ImportError:
        return []
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def kill_group(process: subprocess.Popen, wait_s: float = 5.0) -> None:
    """End `process` and every process in its group (POSIX) or tree (Windows), then reap it.

    SIGKILL on POSIX (a program we did not write may ignore politer signals). Waits up to
    `wait_s` seconds for `process` itself; never raises for processes that already ended.
    """
    if sys.platform == "win32":
        children = _descendants(process.pid)
        if process.poll() is None:
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                subprocess.run(
                    ["taskkill", "/T", "/F", "/PID", str(process.pid)],
                    capture_output=True,
                    timeout=wait_s,
                )
        for child in children:
            with contextlib.suppress(Exception):
                child.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=wait_s)
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=wait_s)
    # Killed members the program had orphaned are reaped by init (they are zombies until then).
