"""The chunk timeline with 100,000 chunks: bounded drawing, no chunk lost, exact hover."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from window_helpers import let_the_event_loop_turn

from tutor.engine.records import ChunkTiming, RunConfig
from tutor.ui.charts.lane_bars import MIN_LANE_BARS, TOTAL_BAR_LIMIT, LaneBars, lane_limit
from tutor.ui.charts.live_range import MARGIN, fitted_end, live_end, round_step
from tutor.ui.charts.timeline_chart import TimelineChartView

CHUNKS = 100_000
BATCH = 400  # about what 30 updates a second deliver in a 7 s run of 100,000 chunks


def two_worker_run(count: int) -> list[ChunkTiming]:
    """Back-to-back chunks on two workers, each 70 us of wall time, 60 us of it on a CPU."""
    chunks = []
    for index in range(count):
        worker = index % 2
        start = (index // 2) * 1e-4
        chunks.append(ChunkTiming(100 + worker, 100 + worker, index, 10, start, start + 7e-5, 6e-5))
    return chunks


@pytest.fixture
def timeline(shown_timeline) -> TimelineChartView:
    return shown_timeline


def test_100000_chunks_draw_a_bounded_number_of_bars_and_lose_none(timeline, qtbot):
    timeline.start_run(RunConfig("squares", 1_000_000, "processes", 2, chunks=CHUNKS))
    chunks = two_worker_run(CHUNKS)
    timeline.add_chunks(chunks[:BATCH])
    timeline.repaint()
    items_after_first_batch = len(timeline.scene().items())

    most_drawn = 0
    for begin in range(BATCH, CHUNKS, BATCH):
        timeline.add_chunks(chunks[begin : begin + BATCH])
        most_drawn = max(most_drawn, timeline.drawn_bar_count())
    timeline.repaint()

    assert len(timeline.scene().items()) == items_after_first_batch  # no item per chunk/batch
    assert most_drawn <= TOTAL_BAR_LIMIT
    assert timeline.bar_count() == timeline.drawn_chunk_count() == CHUNKS
    assert timeline.lanes() == ["pid 100", "pid 101"]
    # The drawn bars cover the run from its first start to its last end, lane by lane.
    rects = timeline.bar_rects("cpu")
    assert len(rects) == timeline.drawn_bar_count()
    assert min(r[0] for r in rects) == chunks[0].start_s
    assert max(r[2] for r in rects) == pytest.approx(max(c.end_s for c in chunks))
    # Merged bars keep the chunks' CPU share (6/7 of their wall time), so the level is exact.
    heights = {round(r[3] - r[1], 9) for r in rects}
    assert heights == {round(0.72 * 6 / 7, 9)}
    # Hover still names the exact chunk, whatever bar it was merged into.
    for chunk in random.Random(7).sample(chunks, 50):
        lane = chunk.worker - 100
        middle = (chunk.start_s + chunk.end_s) / 2
        assert timeline.chunk_at(middle, lane) == chunk
    summary = timeline.summary_text()
    assert f"{CHUNKS} chunks" in summary
    assert "Total CPU time 6 s in 5 s" in summary


def test_many_lanes_share_the_bar_budget(timeline):
    timeline.start_run(RunConfig("squares", 1_000_000, "processes", 64, chunks=20_000))
    chunks = [
        ChunkTiming(1000 + i % 64, 0, i, 5, i * 1e-4, i * 1e-4 + 5e-5, 5e-5) for i in range(20_000)
    ]
    for begin in range(0, len(chunks), 1_000):
        timeline.add_chunks(chunks[begin : begin + 1_000])
    assert len(timeline.lanes()) == 64
    assert timeline.drawn_bar_count() <= 64 * lane_limit(64)
    assert timeline.drawn_chunk_count() == 20_000
    assert timeline.chunk_at(chunks[12_345].start_s + 1e-5, 12_345 % 64) == chunks[12_345]


def test_merging_pairs_keeps_span_cpu_wall_and_chunk_counts():
    bars = LaneBars()
    starts = np.arange(1001, dtype=float)
    bars.extend(starts, starts + 0.5, np.full(1001, 0.25))
    bars.shrink_to(100)
    assert len(bars) <= 100
    assert bars.chunk_count() == 1001
    assert bars.column("x0")[0] == 0.0 and bars.column("x1")[-1] == 1000.5
    assert math.isclose(bars.column("cpu").sum(), 250.25)
    assert math.isclose(bars.column("wall").sum(), 500.5)
    assert np.all(np.diff(bars.column("x0")) > 0)  # still in time order
    assert lane_limit(1) == TOTAL_BAR_LIMIT and lane_limit(10_000) == MIN_LANE_BARS


def _finished(chunks: list[ChunkTiming]):
    from tutor.engine.records import RunResult

    config = RunConfig("squares", 1_000_000, "processes", 2, chunks=len(chunks))
    end = max(c.end_s for c in chunks)
    return RunResult(config, 1, end, 0.0, end, tuple(chunks), len(chunks))


def test_a_finished_run_whose_chunks_streamed_in_is_not_drawn_again(timeline):
    result = _finished(two_worker_run(12_000))
    timeline.start_run(result.config)
    for begin in range(0, 12_000, BATCH):
        timeline.add_chunks(result.chunks[begin : begin + BATCH])
    before = timeline.bar_rects("cpu")

    timeline.show_result(result)  # the run's end: the same chunks, already on screen

    assert timeline.bar_count() == 12_000
    assert timeline.bar_rects("cpu") == before
    assert "12000 chunks" in timeline.summary_text()


def test_a_long_finished_run_is_drawn_over_several_event_loop_turns(timeline, qtbot):
    from tutor.ui.charts.chunk_feed import FEED_SLICE

    result = _finished(two_worker_run(3 * FEED_SLICE + 7))
    timeline.show_result(result)
    # The first slice is drawn at once; the rest follow while the event loop keeps running.
    assert timeline.bar_count() == FEED_SLICE
    qtbot.waitUntil(lambda: timeline.bar_count() == len(result.chunks), timeout=60_000)
    assert timeline.drawn_chunk_count() == len(result.chunks)
    assert f"{len(result.chunks)} chunks" in timeline.summary_text()

    # A new run started meanwhile stops an unfinished redraw: no old chunk lands in it.
    timeline.clear()
    timeline.show_result(result)
    assert timeline.bar_count() == FEED_SLICE
    timeline.start_run(RunConfig("squares", 1_000, "threads", 2))
    let_the_event_loop_turn(qtbot, turns=4)  # the three slices the old redraw had left, and one
    assert timeline.bar_count() == 0


@pytest.mark.parametrize("last", [1e-6, 0.003, 0.1, 0.95, 1.0, 7.3, 8.1, 12.0, 99.9, 1e5])
def test_a_live_range_ends_on_a_round_step_past_the_data(last):
    end = live_end(last)
    reach = last * MARGIN
    assert reach <= end < 1.5 * reach  # the bars fill at least two thirds of the width
    step = round_step(reach / 4)
    assert math.isclose(end / step, round(end / step), abs_tol=1e-9)
    mantissa = step / 10 ** math.floor(math.log10(step) + 1e-12)
    assert any(math.isclose(mantissa, m) for m in (1, 2, 2.5, 5, 10))


@pytest.mark.parametrize("bad", [0.0, -1.0, math.nan, math.inf])
def test_a_range_without_data_is_one_second(bad):
    assert live_end(bad) == fitted_end(bad) == 1.0


def test_while_chunks_stream_the_time_axis_moves_in_steps_and_fits_at_the_end(timeline):
    """Each move of the x range rebuilds the time axis (~5 ms): a 100,000-chunk run streaming
    ~250 batches moved it on every redraw."""
    timeline.start_run(RunConfig("squares", 1_000_000, "processes", 2, chunks=CHUNKS))
    view_box = timeline.getPlotItem().getViewBox()
    ends: list[float] = []
    view_box.sigXRangeChanged.connect(lambda _box, x_range: ends.append(x_range[1]))
    chunks = two_worker_run(CHUNKS)
    for begin in range(0, CHUNKS, BATCH):
        timeline.add_chunks(chunks[begin : begin + BATCH])
        timeline.bar_rects("cpu")  # a reader: draws what the throttle held back
        last = max(c.end_s for c in chunks[: begin + BATCH])
        x_end = view_box.viewRange()[0][1]
        assert last < x_end < 1.5 * last * MARGIN  # every bar in view, filling 2/3 or more

    assert len(ends) <= 30  # of 250 redraws
    timeline.finish_run()
    assert view_box.viewRange()[0][1] == pytest.approx(chunks[-1].end_s * MARGIN)
