"""Keep the cyclic garbage collector's full passes short while runs stream in.

Measured in a 100,000-chunk run: CPython's full (generation 2) collection walks every object
the process keeps, and the window keeps a lot (each finished run's chunk records, hundreds
of thousands of them). Such a pass started in the run controller's worker thread, which holds
the GIL for its whole length, so the GUI thread waited: five passes of 0.35-0.9 s each in one
run on a busy two-core machine, each one a frozen window.

`gc.freeze()` moves every object alive now to a permanent generation that later passes skip
(it costs nothing: two lists are joined). Done at the end of each run, a pass only walks what
the run after it made. Reference counting still frees frozen objects as usual; only a cycle
among objects frozen earlier that later becomes garbage is not reclaimed until `thaw()`, which
the window calls when it closes (source: the `gc` module documentation, gc.freeze).
"""

from __future__ import annotations

import gc

from tutor.engine.records import RunResult


def freeze_survivors(_result: RunResult | None = None) -> None:
    """Exempt every object alive now from later full collections (a slot for run_finished)."""
    gc.freeze()


def thaw() -> None:
    """Put frozen objects back under the collector (e.g. when the window closes)."""
    gc.unfreeze()


# During a batch a full collection waits for this many younger (generation 1) collections
# instead of CPython's 10: the chunk records streaming in are what it would walk again and
# again, and they are frozen when the run ends anyway. Younger collections run as usual.
QUIET_FULL_THRESHOLD = 1000


class QuietFullCollections:
    """Makes full GC passes rare while a batch runs (a slot for a controller's busy_changed).

    The thresholds are the process's (gc.set_threshold): they are put back, exactly as found,
    when the batch ends.
    """

    def __init__(self) -> None:
        self._saved: tuple[int, int, int] | None = None

    def set_busy(self, busy: bool) -> None:
        if busy and self._saved is None:
            young, middle, old = gc.get_threshold()
            self._saved = (young, middle, old)
            gc.set_threshold(young, middle, max(old, QUIET_FULL_THRESHOLD))
        elif not busy and self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None
