"""Importing a learner's module while refusing any process it tries to start at import time.

The lesson's own pitfall: a module that starts a Pool (or a Process) at its top level, with no
`if __name__ == "__main__":` guard, starts it again in every process that imports the module,
and every worker imports it to find the function. Under spawn that is a RuntimeError about
the bootstrapping phase in each child, or processes that start processes until the machine
runs out; in the CLI it hung silently. So while the module is imported here, starting a
multiprocessing process raises `ProcessStartedAtImport`, which names the line and the fix.

Qt-free; worker processes import it.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import multiprocessing.process
import os
import sys
import threading
from collections.abc import Iterator
from types import ModuleType

_lock = threading.Lock()


class ProcessStartedAtImport(RuntimeError):
    """The module started a process while it was being imported; `line` is where (or None)."""

    def __init__(self, module_name: str, line: int | None, code: str) -> None:
        where = f"line {line} (`{code}`)" if line and code else (f"line {line}" if line else "")
        super().__init__(
            f"{module_name} starts a process while it is being imported"
            + (f", at {where}" if where else "")
            + ". Every worker imports your module to find the function, so code at its top "
            'level runs again in each of them. Put that code under `if __name__ == "__main__":`'
            " (or inside a function), and keep only definitions at the top level."
        )
        self.line = line


def _origin(module_name: str) -> str | None:
    try:
        spec = importlib.util.find_spec(module_name)
    except (ImportError, ValueError):
        return None
    return spec.origin if spec is not None else None


def _line_in(origin: str | None) -> tuple[int | None, str]:
    """The innermost frame of the calling stack that is in `origin`: its line and code."""
    if origin is None:
        return None, ""
    import linecache

    frame = sys._getframe(1)  # noqa: SLF001 - the only way to see who starts the process
    target = os.path.normcase(os.path.abspath(origin))
    while frame is not None:
        if os.path.normcase(os.path.abspath(frame.f_code.co_filename)) == target:
            line = frame.f_lineno
            return line, linecache.getline(origin, line).strip()
        frame = frame.f_back
    return None, ""


@contextlib.contextmanager
def _processes_refused(module_name: str, origin: str | None) -> Iterator[list]:
    started: list[ProcessStartedAtImport] = []
    original = multiprocessing.process.BaseProcess.start

    def start(self: multiprocessing.process.BaseProcess) -> None:
        line, code = _line_in(origin)
        problem = ProcessStartedAtImport(module_name, line, code)
        started.append(problem)
        raise problem

    with _lock:
        multiprocessing.process.BaseProcess.start = start
        try:
            yield started
        finally:
            multiprocessing.process.BaseProcess.start = original


def import_refusing_processes(module_name: str) -> ModuleType:
    """`importlib.import_module(module_name)`, raising ProcessStartedAtImport when the module
    starts a multiprocessing process (Process, Pool, ProcessPoolExecutor) while importing,
    even if its own code caught the error. Other import errors propagate unchanged."""
    if module_name in sys.modules:
        return sys.modules[module_name]
    with _processes_refused(module_name, _origin(module_name)) as started:
        try:
            module = importlib.import_module(module_name)
        except BaseException:
            if not started:
                raise
    if started:
        sys.modules.pop(module_name, None)
        # Without the traceback of the failed start, which holds the half-made Pool.
        raise started[0].with_traceback(None) from None
    return module
