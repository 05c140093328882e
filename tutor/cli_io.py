"""The terminal side of `mp-tutor bench`: signals, and output that survives pipes and code pages.

- Ctrl+C (SIGINT) and `kill` (SIGTERM) both cancel the run in progress (exit 130).
- `mp-tutor bench | head -1`: once the reader has gone, the rest of the output is dropped
  quietly instead of a BrokenPipeError traceback (the recipe of the Python docs, "Note on
  SIGPIPE" in the signal module: point stdout at devnull so the exit flush cannot fail).
- A stdout that cannot encode ✓, ×, ≈ (cp1252, what Windows gives a redirected console) gets
  ASCII marks instead of a UnicodeEncodeError.

No Qt.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import signal
import sys
import time
from collections.abc import Callable

ASCII_MARKS = str.maketrans({"✓": "ok", "✗": "x", "×": "x", "≈": "~", "…": "..."})


def on_interrupt(handler: Callable[[], None]) -> Callable[[], None]:
    """Call `handler` on SIGINT and SIGTERM (where the OS has it); returns a function that
    puts the previous handlers back."""
    previous: dict[int, object] = {}
    for name in ("SIGINT", "SIGTERM"):
        number = getattr(signal, name, None)
        if number is None:
            continue
        try:
            previous[number] = signal.signal(number, lambda *_: handler())
        except (OSError, ValueError):  # not the main thread, or not allowed here
            pass

    def restore() -> None:
        for number, old in previous.items():
            with contextlib.suppress(OSError, ValueError, TypeError):
                signal.signal(number, old)

    return restore


def printable(text: str, stream=None) -> str:  # noqa: ANN001 - any text stream
    """`text` as `stream` (stdout by default) can encode it: ASCII marks where it cannot."""
    stream = stream or sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
        return text
    except (UnicodeEncodeError, LookupError):
        plain = text.translate(ASCII_MARKS)
        return plain.encode(encoding, errors="replace").decode(encoding, errors="replace")


class OutputLost(Exception):
    """stdout could not take the output (a full disk, a closed descriptor): already said in
    one line on stderr; the command exits 1."""


def emit(text: str) -> bool:
    """Print `text` on stdout; False (quietly) when the reader has closed the pipe.

    Raises OutputLost, after one line on stderr, when stdout cannot be written otherwise
    (`--json > /dev/full` ended in a traceback, `>&-` lost the results with exit 0)."""
    if sys.stdout is None:  # started with stdout closed
        warn("mp-tutor: cannot write the output: standard output is closed")
        raise OutputLost()
    try:
        print(printable(text), flush=True)
    except BrokenPipeError:
        _silence_stdout()
        return False
    except (OSError, ValueError) as exc:  # ValueError: the stream was closed
        warn(f"mp-tutor: cannot write the output: {getattr(exc, 'strerror', None) or exc}")
        _silence_stdout()
        raise OutputLost() from None
    return True


def _silence_stdout() -> None:
    """Send whatever is still buffered for stdout to devnull, so exit does not complain."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def warn(text: str) -> None:
    """Print `text` on stderr, encodable whatever its code page."""
    with contextlib.suppress(BrokenPipeError, OSError):
        print(printable(text, sys.stderr), file=sys.stderr, flush=True)


PARENT_VARIABLE = "MP_TUTOR_PARENT_PID"  # set by the window for a bench it starts


def follow_parent(cancel: Callable[[], None]) -> None:
    """When the tutor's window started this bench (PARENT_VARIABLE), stop when it is gone.

    Killed outright (kill -9), the window cannot stop its *Other Pythons* bench, which would
    compute on for a minute. On Linux the kernel ends this process with its parent
    (engine.worker.die_with_parent, no GIL needed); everywhere a thread polls the parent pid,
    cancels the run (its workers stop), and leaves after a grace period. No-op otherwise.
    """
    expected = os.environ.get(PARENT_VARIABLE, "")
    if not expected.isdigit():
        return
    from tutor.engine.cancel import LIMITS
    from tutor.engine.worker import die_with_parent

    die_with_parent(True)
    if os.getppid() != int(expected):
        os._exit(EXIT_PARENT_GONE)
    import threading

    def watch() -> None:
        while os.getppid() == int(expected):
            time.sleep(LIMITS.parent_poll.seconds)
        cancel()
        time.sleep(LIMITS.parent_grace.seconds)
        os._exit(EXIT_PARENT_GONE)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


EXIT_PARENT_GONE = 70


def seconds_type(maximum: float) -> Callable[[str], float]:
    """An argparse `type` for a time limit: a finite number of seconds above 0 and at most
    `maximum`. It raises argparse.ArgumentTypeError otherwise (argparse then exits with 2)."""

    def seconds(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
        if not math.isfinite(value) or not 0 < value <= maximum:
            raise argparse.ArgumentTypeError(
                f"must be above 0 and at most {maximum:g} seconds, not {text}"
            )
        return value

    return seconds
