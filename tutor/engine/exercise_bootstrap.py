"""Runs a learner's exercise program as `__main__` with the spawn start method forced.

The checker copies this file beside its probe and starts `python -u run_exercise.py FILE`.
`runpy.run_path` puts the program in `sys.modules["__main__"]` with its own `__file__` and no
`__spec__`, so spawn's workers re-import *the learner's file* as `__mp_main__`, exactly as they
would after `python FILE` on Windows or macOS: module-level code outside the guard runs again in
every worker, and a lambda cannot be pickled by reference.

Stdlib only and no tutor imports: this file runs as a plain script.
"""

from __future__ import annotations

import multiprocessing
import os
import runpy
import sys


def default_to_spawn() -> None:
    """Make spawn the default start method without *setting* it.

    `set_start_method("spawn", force=True)` would make a learner's own, correct
    `multiprocessing.set_start_method("spawn")` fail with "context has already been set".
    So, where CPython's default context has the expected shape, only its fallback is changed
    (what `get_context()` picks while nothing was set); elsewhere it is set with force.
    """
    from multiprocessing import context

    default = getattr(context, "_default_context", None)
    spawn = getattr(context, "_concrete_contexts", {}).get("spawn")
    if (
        spawn is not None
        and hasattr(default, "_default_context")
        and getattr(default, "_actual_context", "set") is None
    ):
        default._default_context = spawn
    else:
        multiprocessing.set_start_method("spawn", force=True)


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit("usage: run_exercise.py PROGRAM.py")
    program = os.path.abspath(argv[1])
    default_to_spawn()
    sys.argv = [program]
    sys.path[0] = os.path.dirname(program)  # as `python PROGRAM.py` would have it
    runpy.run_path(program, run_name="__main__")


if __name__ == "__main__":
    main(sys.argv)
