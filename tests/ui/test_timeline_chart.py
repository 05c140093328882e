"""The chunk timeline: lanes per worker, one bar per chunk, waiting drawn apart, hover tooltips."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF
from PySide6.QtWidgets import QToolTip

from tutor.engine.records import ChunkTiming, RunConfig
from tutor.ui.charts.timeline_chart import BAR_HEIGHT, TimelineChartView


def chunk(worker: int, index: int, start: float, end: float, cpu: float, items=1000):
    return ChunkTiming(worker, worker, index, items, start, end, cpu)


@pytest.fixture
def timeline(qtbot) -> TimelineChartView:
    view = TimelineChartView()
    qtbot.addWidget(view)
    view.resize(700, 360)
    return view


def test_object_name_axis_and_title(timeline):
    assert timeline.objectName() == "timelineChart"
    item = timeline.getPlotItem()
    assert item.getAxis("bottom").labelText == "seconds since run start"

    timeline.start_run(RunConfig("primes", 100_000, mode="processes", workers=4))
    assert item.titleLabel.text == "processes × 4 — chunk timeline"
    timeline.start_run(RunConfig("primes", 100_000, mode="sequential", workers=1))
    assert item.titleLabel.text == "sequential — chunk timeline"


def test_one_lane_per_process_and_bars_after_batched_adds(timeline):
    timeline.start_run(RunConfig("primes", 100_000, mode="processes", workers=2))
    timeline.add_chunks([chunk(111, 0, 0.2, 0.3, 0.1), chunk(222, 1, 0.2, 0.31, 0.11)])
    timeline.add_chunks([chunk(111, 2, 0.3, 0.4, 0.1)])
    timeline.add_chunks([])
    timeline.add_chunks([chunk(222, 3, 0.31, 0.4, 0.09), chunk(111, 4, 0.4, 0.5, 0.1)])

    assert timeline.lanes() == ["pid 111", "pid 222"]
    assert timeline.bar_count() == 5
    assert len(timeline.bar_rects("cpu")) == 5
    ticks = timeline.getPlotItem().getAxis("left")._tickLevels[0]
    assert ticks == [(0, "pid 111"), (1, "pid 222")]


def test_thread_and_sequential_lane_labels(timeline):
    timeline.start_run(RunConfig("primes", 100_000, mode="threads", workers=2))
    timeline.add_chunks([chunk(5678, 0, 0.0, 0.2, 0.1), chunk(5679, 1, 0.0, 0.2, 0.1)])
    assert timeline.lanes() == ["thread 5678", "thread 5679"]

    timeline.start_run(RunConfig("primes", 100_000, mode="sequential", workers=1))
    timeline.add_chunks([chunk(42, i, i * 0.1, (i + 1) * 0.1, 0.1) for i in range(4)])
    assert timeline.lanes() == ["main"]
    assert timeline.bar_count() == 4


def test_waiting_part_is_drawn_only_for_chunks_that_waited(timeline):
    timeline.start_run(RunConfig("primes", 100_000, mode="threads", workers=2))
    timeline.add_chunks(
        [
            chunk(1, 0, 0.0, 0.4, 0.1),  # computed a quarter of its wall time
            chunk(2, 1, 0.0, 0.4, 0.4),  # never waited
        ]
    )

    waiting = timeline.bar_rects("waiting")
    assert len(waiting) == 1
    x0, y0, x1, y1 = waiting[0]
    assert (x0, x1) == (0.0, 0.4)
    assert y1 - y0 == pytest.approx(0.75 * BAR_HEIGHT)
    cpu = sorted(timeline.bar_rects("cpu"), key=lambda r: r[1])
    assert cpu[0][3] - cpu[0][1] == pytest.approx(0.25 * BAR_HEIGHT)
    assert cpu[1][3] - cpu[1][1] == pytest.approx(BAR_HEIGHT)
    # Waiting and computing parts of one bar sit on top of each other, filling the bar.
    assert y1 == pytest.approx(cpu[0][1])


def test_chunk_at_and_tooltip_text(timeline):
    timeline.start_run(RunConfig("primes", 100_000, mode="processes", workers=2))
    first = chunk(111, 7, 0.25, 0.5, 0.2, items=2500)
    timeline.add_chunks([first, chunk(222, 8, 0.25, 0.5, 0.25)])

    assert timeline.chunk_at(0.3, 0.0) == first
    assert timeline.chunk_at(0.3, 1.1).index == 8
    assert timeline.chunk_at(0.1, 0.0) is None  # before the chunk started
    assert timeline.chunk_at(0.3, 0.5) is None  # between lanes
    assert timeline.chunk_at(0.3, 5.0) is None  # no such lane

    text = timeline.tooltip_at(0.3, 0.0)
    assert "Chunk 7" in text and "pid 111" in text
    assert "2,500 items" in text
    assert "wall 0.250 s" in text
    assert "CPU 0.200 s" in text
    # processes wait for a core, never for the GIL (each has its own)
    assert "waiting for a core (held by another program): 0.050 s" in text


def test_the_hatched_parts_say_what_was_waited_for(timeline):
    from dataclasses import replace

    from tutor.engine.records import RunResult
    from tutor.engine.reliability import assess

    threads = RunConfig("primes", 100_000, mode="threads", workers=2)
    timeline.start_run(threads)
    assert timeline.waiting_cause() == "waiting for the GIL (another thread held it)"
    timeline.add_chunks([chunk(1, 0, 0.0, 0.4, 0.1)])
    assert "waiting for the GIL (another thread held it): 0.300 s" in timeline.tooltip_at(0.2, 0)
    result = RunResult(threads, 1, 0.4, 0.0, 0.4, (chunk(1, 0, 0.0, 0.4, 0.1),), 1)
    busy = replace(result, gil_enabled=True, reliability=assess(0.6, None))
    timeline.show_result(busy)  # other programs held cores too: the words say so
    assert timeline.waiting_cause() == (
        "waiting for the GIL (another thread held it), and for cores other programs held"
    )
    assert timeline.bar_count() == 1
    processes = replace(busy, config=replace(threads, mode="processes"))
    timeline.show_result(processes)
    assert timeline.waiting_cause() == "waiting for a core another program held"
    timeline.start_run(RunConfig("sleep", 100, mode="threads", workers=2))
    assert timeline.waiting_cause() == "waiting for I/O (sleeping)"
    # hashlib lets go of the GIL while it hashes: its threads wait for cores, not the GIL.
    timeline.start_run(RunConfig("hashing", 200, mode="threads", workers=2))
    assert "GIL" not in timeline.waiting_cause()


def test_hovering_a_bar_shows_its_tooltip(timeline, qtbot):
    timeline.start_run(RunConfig("primes", 100_000, mode="processes", workers=1))
    timeline.add_chunks([chunk(111, 3, 0.1, 0.9, 0.8)])
    timeline.show()
    qtbot.waitExposed(timeline)

    view_box = timeline.getPlotItem().getViewBox()
    scene_pos = view_box.mapViewToScene(QPointF(0.5, 0.0))
    target = timeline.mapFromScene(scene_pos)
    qtbot.mouseMove(timeline.viewport(), QPoint(target.x(), target.y()))
    qtbot.waitUntil(lambda: timeline.hover_text() != "")

    assert "Chunk 3" in timeline.hover_text()
    assert QToolTip.text() == timeline.hover_text()

    empty = timeline.mapFromScene(view_box.mapViewToScene(QPointF(0.05, 0.0)))

    moves = iter(range(1_000_000))

    def moved_off_the_bars() -> bool:
        # A synthetic move sent right after the last one can be dropped (and Qt drops a move to
        # where the cursor already is): move again, a pixel apart, until one lands.
        qtbot.mouseMove(timeline.viewport(), QPoint(empty.x() + next(moves) % 3, empty.y()))
        return timeline.hover_text() == ""

    qtbot.waitUntil(moved_off_the_bars, timeout=30_000)


def test_clear_and_summary(qtbot, timeline):
    timeline.start_run(RunConfig("primes", 100_000, mode="processes", workers=2))
    timeline.add_chunks([chunk(1, 0, 0.0, 1.0, 1.0), chunk(2, 1, 0.0, 1.0, 0.9)])
    # Chunks stream in during a run: the description follows when the run ends.
    assert "No chunks yet" in timeline.accessibleDescription()
    with qtbot.waitSignal(timeline.description_changed, timeout=30_000):
        timeline.finish_run()

    text = timeline.summary_text()
    assert "2 lanes: pid 1, pid 2" in text
    assert "2 chunks" in text
    assert "CPU time 1.9 s in 1 s of wall time" in text
    assert "1.9 workers computing at once" in text
    assert timeline.accessibleDescription() == text

    timeline.clear()
    assert timeline.lanes() == [] and timeline.bar_count() == 0
    assert timeline.bar_rects("cpu") == []
    # Our clear() must not empty the plot itself (PlotWidget copies PlotItem.clear onto itself).
    assert timeline._cpu_bars.scene() is timeline.scene()


def test_many_small_batches_stay_cheap(timeline, qtbot):
    timeline.start_run(RunConfig("primes", 1_000_000, mode="processes", workers=8))
    timeline.show()
    qtbot.waitExposed(timeline)
    chunks = [chunk(100 + i % 8, i, i * 0.001, i * 0.001 + 0.008, 0.007) for i in range(900)]
    for batch in range(0, len(chunks), 30):  # 30 batches of 30 chunks, repainting each time
        timeline.add_chunks(chunks[batch : batch + 30])
        timeline.repaint()

    assert timeline.bar_count() == 900
    assert len(timeline.lanes()) == 8


def test_the_legend_names_the_wait_of_each_workload_and_mode(timeline):
    # Issue #19: sleep and asyncio lanes said "waiting (GIL or core)". The legend's own text
    # (not only the tooltips) names the wait for each workload and mode.
    def legend_texts() -> list[str]:
        return [label.text for _sample, label in timeline._legend.items]

    cases = {
        RunConfig("sleep", 100, mode="asyncio", workers=4): "waiting for I/O (sleeping)",
        RunConfig("sleep", 100, mode="processes", workers=2): "waiting for I/O (sleeping)",
        RunConfig("primes", 1_000, mode="asyncio", workers=4): "other coroutines",
    }
    for config, words in cases.items():
        timeline.start_run(config)
        texts = legend_texts()
        assert any(words in text for text in texts), (config, texts)
        assert not any("GIL" in text for text in texts), (config, texts)
