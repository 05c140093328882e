"""Concurrency read from chunk timestamps, not from speed: how many chunks were in flight at once.

A speed ratio ("threads took under 0.7 of the sequential time") fails on a busy machine; two
chunks whose wall intervals overlap ran side by side whatever else the machine was doing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol


class _Timed(Protocol):
    start_s: float
    end_s: float


def max_in_flight(chunks: Iterable[_Timed]) -> int:
    """The largest number of chunks whose [start_s, end_s) intervals share one instant."""
    events = []
    for chunk in chunks:
        if chunk.end_s > chunk.start_s:
            events.append((chunk.start_s, 1))
            events.append((chunk.end_s, -1))
    events.sort()  # at a tie, an end (-1) sorts before a start (+1): touching is not overlap
    in_flight = most = 0
    for _, step in events:
        in_flight += step
        most = max(most, in_flight)
    return most
