"""A run's chunk timings as columns: what the helper sends with a result (issue #15)."""

from __future__ import annotations

import math
import pickle

from tutor.engine.records import ChunkTiming
from tutor.engine.timing_columns import TimingColumns


def test_columns_hold_each_chunks_times_in_order_with_missing_ones_filled():
    chunks = [
        ChunkTiming(101, 7, 0, 10, 0.5, 0.75, 0.25, received_s=0.25, arrived_s=1.0),
        ChunkTiming(202, 8, 1, 10, 0.125, 0.5, 0.375),  # a thread's: no receive or arrival
    ]
    columns = TimingColumns.of(chunks)
    assert len(columns) == 2
    assert list(columns.worker) == [101, 202]
    assert list(columns.start_s) == [0.5, 0.125]
    assert list(columns.end_s) == [0.75, 0.5]
    assert list(columns.cpu_s) == [0.25, 0.375]
    assert list(columns.received_s) == [0.25, 0.125]  # none: the chunk's start
    assert columns.arrived_s[0] == 1.0 and math.isnan(columns.arrived_s[1])
    assert columns.matches(chunks)
    assert not columns.matches(chunks[:1])
    assert not columns.matches(list(reversed(chunks)))
    assert TimingColumns.of([]).matches([])


def test_columns_travel_as_a_few_blocks_of_bytes():
    chunks = [
        ChunkTiming(1000 + i % 2, 1, i, 10, i * 1e-3, i * 1e-3 + 5e-4, 4e-4) for i in range(10_000)
    ]
    columns = TimingColumns.of(chunks)
    sent = pickle.dumps(columns)
    assert pickle.loads(sent) == columns
    # Six blocks of 8 bytes a number and little else: read back with a copy each, where the
    # records are rebuilt one object at a time.
    assert len(sent) < 6 * 8 * len(chunks) + 1_000
