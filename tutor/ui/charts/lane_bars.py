"""The bars of the chunk timeline, kept bounded however many chunks a run has.

A run may have 100,000 chunks; drawing (and re-preparing) one rectangle per chunk on every batch
made the window's cost grow with the square of the chunk count. Each lane here keeps at most a
limit of bars: past it, neighbouring bars are merged in pairs (a merged bar spans its chunks,
from the first start to the last end, and its fill level is the CPU share of those chunks: total
CPU time over total wall time). The chunks themselves stay exact in `LaneChunks` (hover, counts,
summaries); only the drawing is coarser, and only when a lane has more bars than pixels anyway.

Plain numpy, no Qt: growing arrays with amortised doubling, so adding a batch costs O(batch)
and merging O(limit).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy as np

from tutor.engine.records import ChunkTiming

# Bars drawn for all lanes together; each lane gets an equal share, at least MIN_LANE_BARS.
# Painting them is what costs: measured for a 900 px wide timeline of 100,000 chunks in two
# lanes (offscreen, best of 5), 7,000 bars took 43 ms a paint, 3,000 12 ms, 2,000 7.6 ms. Two
# lanes of 1,000 bars fill a chart up to 1,000 px wide with bars at least a pixel wide each:
# more bars than pixels only cost time (neighbours are merged, every chunk still counted).
TOTAL_BAR_LIMIT = 2_000
MIN_LANE_BARS = 64
_COLUMNS = ("x0", "x1", "cpu", "wall", "chunks")


def lane_limit(lanes: int) -> int:
    """How many bars one lane may draw when there are `lanes` lanes."""
    return max(MIN_LANE_BARS, TOTAL_BAR_LIMIT // max(lanes, 1))


class LaneBars:
    """One lane's bars: columns x0, x1 (seconds), cpu, wall (seconds summed) and chunks."""

    def __init__(self) -> None:
        self._data = np.zeros((len(_COLUMNS), 64))
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def column(self, name: str) -> np.ndarray:
        """A view of one column over the bars in use."""
        return self._data[_COLUMNS.index(name), : self._size]

    def extend(self, start: np.ndarray, end: np.ndarray, cpu: np.ndarray) -> None:
        """Add one bar per chunk (arrays of equal length, seconds)."""
        count = len(start)
        needed = self._size + count
        if needed > self._data.shape[1]:
            grown = np.zeros((len(_COLUMNS), max(needed, 2 * self._data.shape[1])))
            grown[:, : self._size] = self._data[:, : self._size]
            self._data = grown
        rows = slice(self._size, needed)
        self._data[0, rows] = start
        self._data[1, rows] = end
        self._data[2, rows] = cpu
        self._data[3, rows] = end - start
        self._data[4, rows] = 1
        self._size = needed

    def shrink_to(self, limit: int) -> None:
        """Merge neighbouring bars in pairs until at most `limit` are left."""
        while self._size > max(limit, 1):
            pairs = self._size // 2
            odd = self._size % 2
            first = self._data[:, 0 : 2 * pairs : 2]
            second = self._data[:, 1 : 2 * pairs : 2]
            merged = np.empty((len(_COLUMNS), pairs + odd))
            merged[0, :pairs] = np.minimum(first[0], second[0])
            merged[1, :pairs] = np.maximum(first[1], second[1])
            merged[2:, :pairs] = first[2:] + second[2:]
            if odd:
                merged[:, pairs] = self._data[:, self._size - 1]
            self._data[:, : pairs + odd] = merged
            self._size = pairs + odd

    def chunk_count(self) -> int:
        """Chunks behind the bars (every chunk is in exactly one bar)."""
        return int(self.column("chunks").sum())


@dataclass
class LaneChunks:
    """One lane's chunks, exact, with their start times for finding the chunk under the mouse."""

    chunks: list[ChunkTiming] = field(default_factory=list)
    starts: list[float] = field(default_factory=list)
    in_order: bool = True  # starts never decreased: bisect works

    def extend(self, chunks: list[ChunkTiming], starts: np.ndarray) -> None:
        """Add chunks in arrival order; `starts` holds their start times (seconds)."""
        if len(starts) and (
            (self.starts and starts[0] < self.starts[-1]) or bool(np.any(np.diff(starts) < 0))
        ):
            self.in_order = False
        self.chunks.extend(chunks)
        self.starts.extend(starts.tolist())

    def at(self, x: float) -> ChunkTiming | None:
        """The chunk running at `x` seconds, if any (the latest-started one on overlap)."""
        if not self.in_order:
            return next((c for c in self.chunks if c.start_s <= x <= c.end_s), None)
        index = bisect.bisect_right(self.starts, x) - 1
        # A chunk of one worker ends before the next starts; look back a little for overlaps.
        for candidate in range(index, max(index - 8, -1), -1):
            chunk = self.chunks[candidate]
            if chunk.start_s <= x <= chunk.end_s:
                return chunk
        return None
