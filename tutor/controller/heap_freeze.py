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
