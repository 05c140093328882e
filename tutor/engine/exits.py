"""What a process's exit code says, in words: "killed by signal 11 (segmentation fault)".

multiprocessing reports a process ended by a signal as a negative exit code (-11 for SIGSEGV,
docs.python.org "multiprocessing.Process.exitcode"); subprocess does the same for returncode.
Windows has no signals: there an exit code is only a number (crashes show as NTSTATUS values
such as 0xC0000005, an access violation), so it is shown as such.

Qt-free.
"""

from __future__ import annotations

import signal
import sys


def signal_description(number: int) -> str:
    """ "signal 11 (segmentation fault)", or "signal 99" when the OS has no name for it."""
    try:
        name = signal.strsignal(number) if hasattr(signal, "strsignal") else None
    except ValueError:
        name = None
    if not name:
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = None
    return f"signal {number} ({name.lower()})" if name else f"signal {number}"


def describe_exit(code: int | None) -> str:
    """How a process that should still be running ended, e.g. "exited with code 0 before
    finishing" or "was killed by signal 6 (aborted)". `code` is Process.exitcode/returncode."""
    if code is None:
        return "is still running"
    if code < 0 and sys.platform != "win32":
        return f"was killed by {signal_description(-code)}"
    if sys.platform == "win32" and code >= 0xC0000000:
        return f"crashed (exit code {code:#010x})"
    return f"exited with code {code} before finishing"
