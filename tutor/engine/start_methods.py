"""The start-method experiment: one workload with processes under spawn, forkserver and fork.

Qt-free: which runs to make (what a finished run says about its start-up cost:
tutor.analysis.startup_costs).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable
from dataclasses import replace

from tutor.engine.modes import PROCESS_MODES
from tutor.engine.records import START_METHODS, RunConfig


def available_start_methods() -> tuple[str, ...]:
    """The start methods this OS offers (spawn everywhere; fork and forkserver on POSIX)."""
    return tuple(multiprocessing.get_all_start_methods())


def plain_python_start_method() -> str:
    """The start method a plain `python script.py` of this interpreter uses when the script
    does not choose one: "fork" on Linux up to 3.13, "forkserver" on Linux from 3.14, "spawn"
    on Windows and macOS.

    Source: the multiprocessing docs, get_all_start_methods(): "the first of which is the
    default". Asked of the class, not of this process, so a choice this process made (the
    tutor's own runs use contexts) does not change the answer.
    """
    return multiprocessing.get_all_start_methods()[0]


def comparison_configs(config: RunConfig, available: Iterable[str]) -> list[RunConfig]:
    """`config` with processes under every start method this OS has: spawn, forkserver, fork.

    A config that does not use processes runs on a multiprocessing.Pool; the order is fixed
    (slowest start first), whatever order `available` lists the methods in.
    """
    mode = config.mode if config.mode in PROCESS_MODES else "processes"
    have = set(available)
    return [
        replace(config, mode=mode, start_method=method)
        for method in START_METHODS
        if method in have
    ]
