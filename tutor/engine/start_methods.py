"""The start-method experiment: one workload with processes under spawn, forkserver and fork.

Qt-free: which runs to make, and what each finished run says about its start-up cost.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable
from dataclasses import dataclass, replace

from tutor.engine.modes import PROCESS_MODES
from tutor.engine.records import START_METHODS, RunConfig, RunResult


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


@dataclass(frozen=True)
class StartupCost:
    """What one run under one start method paid before its workers computed."""

    method: str
    first_ready_s: float  # run start until the first chunk began: the first worker was up
    all_ready_s: float  # run start until every worker that took part had begun its first chunk
    wall_s: float
    workers_seen: int

    @classmethod
    def of(cls, result: RunResult) -> StartupCost:
        first_chunk: dict[int, float] = {}
        for chunk in result.chunks:
            start = first_chunk.get(chunk.worker)
            first_chunk[chunk.worker] = (
                chunk.start_s if start is None else min(start, chunk.start_s)
            )
        all_ready = max(first_chunk.values(), default=result.startup_s)
        return cls(
            method=result.config.start_method,
            first_ready_s=result.startup_s,
            all_ready_s=max(all_ready, result.startup_s),
            wall_s=result.wall_s,
            workers_seen=len(first_chunk),
        )


def fastest_and_slowest(costs: Iterable[StartupCost]) -> tuple[StartupCost, StartupCost] | None:
    """The methods with the lowest and the highest first-worker start-up; None for < 2."""
    ranked = sorted(costs, key=lambda c: c.first_ready_s)
    if len(ranked) < 2:
        return None
    return ranked[0], ranked[-1]
