"""Full garbage-collector passes wait while a batch runs, and the process's settings come back.

A full pass walks every object the GUI process keeps (a 100,000-chunk run streams that many
records) and holds the GIL the window needs; measured: six passes of 0.2-1.4 s in one such run
before, one after (tests/perf/ui_responsiveness.py). What a user would notice is the frozen
window; what a test can see is the mechanism and that nothing of it outlives the batch.
"""

from __future__ import annotations

import gc

import pytest
from process_checks import wait_no_children

from tutor.controller.heap_freeze import QUIET_FULL_THRESHOLD
from tutor.controller.run_controller import RunController
from tutor.engine.records import RunConfig


@pytest.fixture
def controller(qtbot):
    saved = gc.get_threshold()
    controller = RunController()
    yield controller
    controller.shutdown()
    gc.set_threshold(*saved)
    assert wait_no_children() == []


def test_full_passes_wait_during_a_batch_and_the_thresholds_come_back(qtbot, controller):
    before = gc.get_threshold()
    during: list[tuple[int, int, int]] = []
    controller.run_started.connect(lambda _started: during.append(gc.get_threshold()))
    with qtbot.waitSignal(controller.batch_finished, timeout=60_000):
        assert controller.start([RunConfig("squares", 20_000, "processes", 2, chunks=2_000)])
    assert len(during) == 2  # the baseline and the run
    assert all(t[:2] == before[:2] and t[2] >= QUIET_FULL_THRESHOLD for t in during)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() > 0  # what the runs left is skipped by later passes


def test_the_thresholds_come_back_when_the_window_closes_mid_batch(qtbot, controller):
    before = gc.get_threshold()
    with qtbot.waitSignal(controller.run_started, timeout=60_000):
        assert controller.start([RunConfig("squares", 50_000_000, "processes", 2)])
    assert gc.get_threshold()[2] >= QUIET_FULL_THRESHOLD
    controller.shutdown()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
