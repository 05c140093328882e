"""A real run of many chunks in the real window: every lane, every chunk, the right summary.

The timeline draws its bars on a throttle after a run's first batch, merges neighbours past
a few thousand,
and the time breakdown is computed in the run controller's thread; none of that may change
what the learner sees once the run is over. (20,000 chunks: past both limits, short enough
for a busy machine; tests/perf/ui_responsiveness.py runs the 100,000-chunk case.)
"""

from __future__ import annotations

import gc
import math

from PySide6.QtCore import Qt
from window_helpers import RUN_TIMEOUT_MS

from tutor.analysis.breakdown import time_breakdown
from tutor.engine.records import RunResult
from tutor.ui.charts.lane_bars import TOTAL_BAR_LIMIT

CHUNKS = 20_000
SIZE = 200_000


def test_a_run_of_20000_chunks_shows_every_lane_chunk_and_breakdown(qtbot, window):
    assert CHUNKS / 2 > TOTAL_BAR_LIMIT / 2  # past the bar limit in each of the two lanes
    panel = window.run_panel
    panel.workload_choice.setCurrentIndex(panel.workload_choice.findData("squares"))
    panel.workload_size.setValue(SIZE)  # after the workload: choosing one resets the size
    panel.worker_count.setValue(2)
    panel.chunk_count.setValue(CHUNKS)
    panel.process_api.setCurrentIndex(panel.process_api.findData("processes"))
    results: list[RunResult] = []
    window.controller.run_finished.connect(results.append)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS * 2):
        qtbot.mouseClick(panel.run_processes_button, Qt.MouseButton.LeftButton)

    assert [r.config.mode for r in results] == ["sequential", "processes"]
    run = results[-1]
    assert run.answer == sum(i * i for i in range(SIZE)) and run.chunk_count == CHUNKS
    timeline = window.timeline_chart
    workers = sorted({c.worker for c in run.chunks})
    assert sorted(timeline.lanes()) == sorted(f"pid {pid}" for pid in workers)
    assert timeline.bar_count() == timeline.drawn_chunk_count() == CHUNKS
    assert timeline.drawn_bar_count() <= TOTAL_BAR_LIMIT
    # What is drawn is the whole run (nothing held back by the throttle after it ended).
    rects = timeline.bar_rects("cpu")
    assert len(rects) == timeline.drawn_bar_count()
    assert min(r[0] for r in rects) == min(c.start_s for c in run.chunks)
    assert max(r[2] for r in rects) == max(c.end_s for c in run.chunks)
    assert f"{CHUNKS} chunks" in timeline.summary_text()
    assert timeline.accessibleDescription() == timeline.summary_text()

    # The breakdown tab shows the run's breakdown, and it adds up to the run's wall time.
    chart = window.time_breakdown.breakdown_chart
    qtbot.waitUntil(lambda: chart.bar_count() == 1, timeout=60_000)
    (title, shown) = chart.breakdowns()[0]
    assert f"{CHUNKS:,} chunks" in title
    assert shown == time_breakdown(run)
    assert math.isclose(shown.wall_s, run.wall_s, rel_tol=1e-9)
    assert shown.compute_s > 0 and shown.startup_s > 0
    assert window.results_table.model().rowCount() == 2


def test_a_finished_runs_records_are_left_out_of_later_gc_passes(qtbot, make_window):
    # A full GC pass walked every chunk record the window keeps, holding the GIL (frozen
    # window). After a run they are frozen (skipped by the collector) until the window closes.
    window = make_window()
    panel = window.run_panel
    panel.workload_size.setValue(20_000)
    results: list[RunResult] = []
    window.controller.run_finished.connect(results.append)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(panel.run_processes_button, Qt.MouseButton.LeftButton)
    assert results and gc.get_freeze_count() > 0
    record = results[0].chunks[0]
    assert gc.is_tracked(record)
    assert not any(obj is record for obj in gc.get_objects())  # not walked by a pass
    window.close()
    assert gc.get_freeze_count() == 0  # everything is under the collector again
