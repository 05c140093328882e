"""Makes every Python of a test run look like Windows to the tutor (PYTHONPATH points here).

Python imports `sitecustomize` at start-up, so the CLI, the window, their helper processes and
every spawned worker get the same view:
- only the `spawn` start method exists, and it is the default (as on Windows);
- the POSIX-only calls the tutor could reach for are absent (`os.killpg`, `os.setsid`,
  `os.getpgid`, `os.setpgid`, `os.nice`, `os.fork`, `os.getloadavg`, `os.sched_getaffinity`);
- the tutor's own code finds no /proc or /sys (other libraries, psutil included, still read
  them: on Windows they have their own ways).
"""

from __future__ import annotations

import builtins
import io
import multiprocessing
import multiprocessing.context
import os
import sys

for _name in (
    "killpg",
    "setsid",
    "getpgid",
    "setpgid",
    "nice",
    "fork",
    "forkpty",
    "getloadavg",
    "sched_getaffinity",
):
    if hasattr(os, _name):
        delattr(os, _name)

for _method in ("fork", "forkserver"):
    multiprocessing.context._concrete_contexts.pop(_method, None)


def _spawn_only(self, *args, **kwargs):
    return ["spawn"]


multiprocessing.context.DefaultContext.get_all_start_methods = _spawn_only
multiprocessing.get_all_start_methods = lambda: ["spawn"]
multiprocessing.set_start_method("spawn", force=True)

_open = builtins.open


def _open_without_proc(file, *args, **kwargs):
    path = os.fspath(file) if isinstance(file, (str, bytes, os.PathLike)) else ""
    if isinstance(path, bytes):
        path = path.decode(errors="replace")
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "") in ("pathlib", "io"):
        frame = frame.f_back  # Path.read_text() → Path.open() → open(): who asked?
    caller = frame.f_globals.get("__name__", "") if frame is not None else ""
    if caller.split(".")[0] == "tutor" and path.startswith(("/proc/", "/sys/")):
        raise FileNotFoundError(2, "No such file or directory (a Windows-like run)", path)
    return _open(file, *args, **kwargs)


builtins.open = io.open = _open_without_proc
os.environ["MP_TUTOR_WINDOWS_LIKE"] = "1"  # lets a test see that the site was applied
