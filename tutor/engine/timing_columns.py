"""A run's chunk timings as columns: one typed array per field, in the order of its chunks.

The helper process builds them once its run is over (its clock already stopped) and sends them
with the result, so that the window's process can read every chunk's times without a Python walk
of 100,000 records. That walk took ~0.1 s in the window's worker thread at every large run's
end, and the window's own thread, which shares the GIL with it, stalled for up to ~30 ms at a
time meanwhile (tests/perf/ui_responsiveness.py, issue #15). Arrays of machine numbers
(`array.array`) pickle as one block of bytes: reading 100,000 chunks' worth back is a copy.
Qt-free and numpy-free (the helper does not import numpy).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from tutor.engine.records import ChunkTiming


@dataclass(frozen=True, eq=False)
class TimingColumns:
    """The timings of `len(self)` chunks: `worker` as signed 64-bit integers ('q', a pid or a
    native thread id), the rest as doubles ('d', seconds on the run's clock). A chunk without
    `received_s` (threads) has its start there, one without `arrived_s` has NaN: the values the
    time breakdown (tutor.analysis.breakdown) reads them as."""

    worker: array
    start_s: array
    end_s: array
    cpu_s: array
    received_s: array
    arrived_s: array

    @classmethod
    def of(cls, chunks: Sequence[ChunkTiming]) -> TimingColumns:
        """The columns of `chunks`, in their order (one pass over them)."""
        worker, start, end = array("q"), array("d"), array("d")
        cpu, received, arrived = array("d"), array("d"), array("d")
        for chunk in chunks:
            worker.append(chunk.worker)
            start.append(chunk.start_s)
            end.append(chunk.end_s)
            cpu.append(chunk.cpu_s)
            received.append(chunk.start_s if chunk.received_s is None else chunk.received_s)
            arrived.append(math.nan if chunk.arrived_s is None else chunk.arrived_s)
        return cls(worker, start, end, cpu, received, arrived)

    def __len__(self) -> int:
        return len(self.worker)

    def __eq__(self, other: object) -> bool:
        """Equal when every column holds the same bytes (NaN, a missing arrival, equals
        itself here, unlike in a comparison of numbers)."""
        if not isinstance(other, TimingColumns):
            return NotImplemented
        return all(
            getattr(self, name).tobytes() == getattr(other, name).tobytes()
            for name in ("worker", "start_s", "end_s", "cpu_s", "received_s", "arrived_s")
        )

    def matches(self, chunks: Sequence[ChunkTiming]) -> bool:
        """Whether these are the columns of `chunks` (same count, same first and last chunk):
        a cheap check that they were not taken from another run."""
        if len(chunks) != len(self):
            return False
        if not chunks:
            return True
        return all(
            (self.start_s[i], self.end_s[i], self.worker[i])
            == (chunks[i].start_s, chunks[i].end_s, chunks[i].worker)
            for i in (0, -1)
        )
