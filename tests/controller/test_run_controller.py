"""The run controller with real helper and worker processes, observed through its signals."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import replace
from pathlib import Path

import psutil
import pytest
from process_checks import run_children, wait_no_children

from tutor.analysis.breakdown import time_breakdown
from tutor.controller.run_controller import RunController
from tutor.engine.records import RunConfig
from tutor.engine.timing_columns import TimingColumns

HERE = Path(__file__).resolve().parent


class Recorder:
    """Collects every signal the controller emits, with the time it arrived."""

    def __init__(self, controller: RunController) -> None:
        self.events: list[tuple[str, float, tuple]] = []
        for name in (
            "run_started",
            "chunks_finished",
            "progress_changed",
            "run_finished",
            "run_failed",
            "run_cancelled",
            "batch_finished",
            "busy_changed",
        ):
            getattr(controller, name).connect(
                lambda *args, _name=name: self.events.append((_name, time.monotonic(), args))
            )

    def of(self, name: str) -> list[tuple]:
        return [args for event, _, args in self.events if event == name]

    def times(self, name: str) -> list[float]:
        return [t for event, t, _ in self.events if event == name]


def children() -> list[psutil.Process]:
    return run_children()


@pytest.fixture
def controller(qtbot):
    controller = RunController()
    yield controller
    controller.shutdown()
    assert wait_no_children() == []


@pytest.fixture
def importable_faults(monkeypatch):
    # Spawned workers get the parent's sys.path, so this makes the fixture module importable.
    monkeypatch.syspath_prepend(str(HERE))


def test_a_processes_run_reports_baseline_chunks_progress_and_result(qtbot, controller):
    recorder = Recorder(controller)
    config = RunConfig("primes", 100_000, "processes", 2)
    with qtbot.waitSignal(controller.batch_finished, timeout=60_000):
        assert controller.start([config])
    finished = [args[0] for args in recorder.of("run_finished")]
    assert [r.config.mode for r in finished] == ["sequential", "processes"]
    baseline, result = finished
    assert baseline.answer == result.answer == 9592
    assert result.speedup == pytest.approx(baseline.wall_s / result.wall_s)
    assert result.matches_baseline is True
    chunks = [c for (batch,) in recorder.of("chunks_finished") for c in batch]
    assert len(chunks) == baseline.chunk_count + result.chunk_count
    assert {c.worker for c in result.chunks} <= {c.worker for c in chunks}
    assert os.getpid() not in {c.worker for c in result.chunks}
    last_progress = recorder.of("progress_changed")[-1][0]
    assert last_progress.fraction == pytest.approx(1.0)
    assert [args[0] for args in recorder.of("busy_changed")] == [True, False]
    assert controller.baseline_for(config) is not None


def test_a_runs_breakdown_is_read_from_its_helpers_columns(qtbot, controller, monkeypatch):
    """The time breakdown reads every chunk's times; walking 100,000 chunk records in this
    process held the GIL the window's thread needs, so the helper's columns are read instead."""
    walked: list[int] = []
    walk = TimingColumns.of.__func__

    def spied(cls, chunks):
        walked.append(len(chunks))
        return walk(cls, chunks)

    monkeypatch.setattr(TimingColumns, "of", classmethod(spied))  # this process only
    recorder = Recorder(controller)
    config = RunConfig("squares", 20_000, "processes", 2, chunks=2_000)
    with qtbot.waitSignal(controller.batch_finished, timeout=60_000):
        assert controller.start([config])
    finished = [args[0] for args in recorder.of("run_finished")]
    assert [r.chunk_count for r in finished] == [2_000, 2_000]
    assert walked == []  # every breakdown was ready before the window got the result
    monkeypatch.undo()
    for result in finished:
        assert time_breakdown(result) == time_breakdown(replace(result))  # walked afresh


def test_every_batch_measures_its_own_baseline_never_a_stale_one(qtbot, controller):
    recorder = Recorder(controller)
    config = RunConfig("squares", 200_000, "threads", 2)
    for _ in range(2):
        with qtbot.waitSignal(controller.batch_finished, timeout=60_000):
            controller.start([config])
    finished = [args[0] for args in recorder.of("run_finished")]
    assert [r.config.mode for r in finished] == ["sequential", "threads"] * 2
    # The second batch's speedup divides by the second batch's baseline, not the first's.
    assert finished[3].baseline_s == finished[2].wall_s
    assert controller.baseline_for(config) == finished[2]


def test_only_one_batch_runs_at_a_time(qtbot, controller):
    config = RunConfig("sleep", 300, "threads", 2)
    with qtbot.waitSignal(controller.batch_finished, timeout=60_000):
        assert controller.start([config])
        assert controller.busy
        assert not controller.start([config])


def test_ui_updates_are_coalesced_to_about_30_a_second(qtbot, controller):
    recorder = Recorder(controller)
    config = RunConfig("squares", 400_000, "processes", 2, chunks=4_000)
    with qtbot.waitSignal(controller.batch_finished, timeout=120_000):
        controller.start([config])
    chunk_signals = recorder.times("chunks_finished")
    delivered = sum(len(batch) for (batch,) in recorder.of("chunks_finished"))
    assert delivered == 8_000  # baseline and run, 4,000 chunks each
    span = max(chunk_signals) - min(chunk_signals)
    assert len(chunk_signals) <= 30 * span + 10, (len(chunk_signals), span)
    assert len(chunk_signals) < delivered / 20


def test_cancel_ends_the_run_and_leaves_no_process_behind(qtbot, controller):
    recorder = Recorder(controller)
    config = RunConfig("primes", 20_000_000, "processes", 2)
    controller.start([config])
    qtbot.waitUntil(
        lambda: len(recorder.of("chunks_finished")) > 0 or len(children()) > 2, timeout=30_000
    )
    with qtbot.waitSignal(controller.batch_finished, timeout=30_000):
        controller.cancel()
    assert recorder.of("run_cancelled")
    assert not recorder.of("run_failed")
    assert wait_no_children() == []
    with qtbot.waitSignal(controller.batch_finished, timeout=60_000):
        controller.start([RunConfig("primes", 10_000, "processes", 2)])
    assert recorder.of("run_finished")[-1][0].answer == 1229


def test_a_raising_worker_reports_its_traceback(qtbot, controller, importable_faults):
    recorder = Recorder(controller)
    config = RunConfig("custom", 100, "processes", 2, function="faulty_work:raises_on_seven")
    with qtbot.waitSignal(controller.batch_finished, timeout=60_000):
        controller.start([config])
    ((failed_config, failure),) = recorder.of("run_failed")
    assert failure.kind == "raised"
    assert failure.exc_type == "ArithmeticError"
    assert "seven is not allowed here" in failure.message
    assert "raises_on_seven" in failure.traceback


def test_a_dying_worker_is_reported_with_its_pid_and_exit_code(
    qtbot, controller, importable_faults
):
    recorder = Recorder(controller)
    config = RunConfig("custom", 100, "processes", 2, function="faulty_work:dies_on_seven")
    with qtbot.waitSignal(controller.batch_finished, timeout=30_000):
        controller.start([config], measure_baseline=False)
    ((_, failure),) = recorder.of("run_failed")
    assert failure.kind == "died"
    assert failure.exitcode == 9
    assert f"worker process {failure.worker}" in failure.message


def test_invalid_settings_are_reported_not_raised(qtbot, controller):
    recorder = Recorder(controller)
    with qtbot.waitSignal(controller.batch_finished, timeout=30_000):
        controller.start([RunConfig("primes", 1_000, "processes", 2, start_method="bogus")])
    ((_, failure),) = recorder.of("run_failed")
    assert failure.kind == "invalid"
    assert "start_method" in failure.message


def test_shutdown_mid_run_returns_quickly_and_leaves_no_process(qtbot):
    controller = RunController()
    controller.start([RunConfig("primes", 20_000_000, "threads", 2)])
    qtbot.waitUntil(lambda: len(children()) >= 1, timeout=30_000)
    controller.shutdown()
    assert not controller.busy
    assert wait_no_children() == []


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/<pid>/maps")
def test_run_processes_never_load_qt(qtbot, controller):
    """Helper and workers are spawned from a Qt process but must not import Qt themselves."""
    recorder = Recorder(controller)
    # No sequential baseline: only the helper and its workers matter here.
    controller.start([RunConfig("primes", 3_000_000, "processes", 2)], measure_baseline=False)
    qtbot.waitUntil(lambda: len(children()) >= 3, timeout=30_000)
    qtbot.waitUntil(lambda: len(recorder.of("chunks_finished")) > 0, timeout=30_000)
    mapped_qt = []
    for process in children():
        try:
            maps = Path(f"/proc/{process.pid}/maps").read_text()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        if "libQt6" in maps or "libpyside6" in maps.lower():
            mapped_qt.append(process.pid)
    with qtbot.waitSignal(controller.batch_finished, timeout=30_000):
        controller.cancel()
    assert mapped_qt == []
