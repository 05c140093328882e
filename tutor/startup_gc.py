"""No cyclic garbage collection while the window's modules load and its widgets are built.

Loading the window's ~580 modules and building its widgets allocates ~70,000 objects that live
as long as the app, and CPython's collector walks them again and again while they are made:
~160 collections during the imports alone, among them generation-1 passes of a few ms each
and a full pass over everything (measured, Python 3.11 on the project's 2-core machine: ~80 ms
of the ~800 ms of CPU a returning learner's start took; tests/perf/ui_responsiveness.py
measures start-up). None of those objects is garbage, so those passes find nothing to free.

`collection_paused()` switches the collector off for a block and, when the block ends, moves
every object alive then into the permanent generation (`gc.freeze()`, source: the `gc` module
documentation) before switching it back on: without that, the first collection after the block
would walk all of them at once, and every later full pass again. Reference counting frees
objects as usual meanwhile; only cycles made inside the block wait, until `gc.unfreeze()`
(the run controller thaws everything when the window closes, `controller/heap_freeze.py`).

Qt-free and tiny: `tutor.app` imports it before anything else.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """Within the block, no automatic collection; after it, what lives is frozen (see above).

    Nests: only the outermost block switches the collector back on, and only if it was on
    when that block began (a caller that turned it off keeps it off).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()
