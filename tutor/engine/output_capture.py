"""The print() output of a run's helper and workers, captured and passed on in bounded pieces.

In the window, a learner's `print()` inside `work` used to go to the terminal that started the
app (often none). The helper can instead point its stdout and stderr (file descriptors 1 and
2, which spawned workers inherit) at a pipe; a thread reads the pipe and hands the text to a
callback, the first MAX_CHARS of it, then one note of how much more there was.

Qt-free; runs in the helper process.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable

MAX_CHARS = 64_000  # passed on per run; the rest is counted, not sent
READ_BYTES = 8_192
DRAIN_WAIT_S = 1.0
_MARK = b"\x00mp-tutor-output-drained\x00"


class OutputCapture:
    """Redirects this process's fds 1 and 2 into a pipe read by a thread, calling `deliver`
    with each piece of text (already decoded, at most MAX_CHARS in all) from that thread."""

    def __init__(self, deliver: Callable[[str], None]) -> None:
        self._deliver = deliver
        self._sent = 0
        self._dropped = 0
        self._drained = threading.Event()
        read_end, self._write_end = os.pipe()
        self._read_end = read_end
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os.dup2(self._write_end, 1)
        os.dup2(self._write_end, 2)
        # Workers started from here inherit the fds; unbuffered, so a worker that is
        # terminated does not take its last prints with it.
        os.environ["PYTHONUNBUFFERED"] = "1"
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.reconfigure(line_buffering=True, write_through=True)
        self._thread = threading.Thread(target=self._read, name="output-reader", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        pending = b""
        while True:
            try:
                data = os.read(self._read_end, READ_BYTES)
            except OSError:
                return
            if not data:
                return
            pending += data
            if _MARK in pending:
                before, _, pending = pending.partition(_MARK)
                self._pass_on(before)
                self._drained.set()
                continue
            keep = len(_MARK) - 1  # a mark may be split across reads
            self._pass_on(pending[:-keep])
            pending = pending[-keep:]

    def _pass_on(self, data: bytes) -> None:
        if not data:
            return
        text = data.decode("utf-8", errors="replace")
        room = MAX_CHARS - self._sent
        if room <= 0:
            self._dropped += len(text)
            return
        piece, self._dropped = text[:room], self._dropped + max(0, len(text) - room)
        self._sent += len(piece)
        with contextlib.suppress(Exception):
            self._deliver(piece)

    def drain(self) -> None:
        """Wait (up to a second) until everything written so far has been passed on; then
        say how much was left out, if anything."""
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        self._drained.clear()
        with contextlib.suppress(OSError):
            os.write(self._write_end, _MARK)
        self._drained.wait(DRAIN_WAIT_S)
        if self._dropped:
            with contextlib.suppress(Exception):
                self._deliver(f"\n… {self._dropped:,} more characters of output left out\n")
            self._dropped = 0
