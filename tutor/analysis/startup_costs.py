"""What a finished run under one start method paid before its workers computed.

The start-method experiment (tutor.engine.start_methods makes its runs) compares spawn,
forkserver and fork by these numbers: when the first worker was up, when every worker that
took part was, all read from the chunk timings the run measured. Qt-free.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tutor.engine.records import RunResult


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
