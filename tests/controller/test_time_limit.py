"""A run's time limit: a function that never returns is stopped in every mode, nothing left."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from process_checks import wait_no_children

from tutor.controller.run_controller import RunController
from tutor.engine.cancel import LIMITS
from tutor.engine.records import RunConfig
from tutor.engine.time_limits import over_time_limit, time_limit_failure

HERE = Path(__file__).resolve().parent
LIMIT_S = 1.0  # any limit works: the hanging runs never end by themselves


@pytest.fixture
def controller(qtbot, monkeypatch):
    monkeypatch.syspath_prepend(str(HERE))  # spawned helpers and workers get sys.path
    controller = RunController()
    yield controller
    controller.shutdown()
    assert wait_no_children() == []


def run_batch(qtbot, controller, config: RunConfig, measure_baseline: bool = True):
    events: dict[str, list] = {"finished": [], "failed": [], "cancelled": []}
    controller.run_finished.connect(lambda r: events["finished"].append(r))
    controller.run_failed.connect(lambda c, f: events["failed"].append((c, f)))
    controller.run_cancelled.connect(lambda c: events["cancelled"].append(c))
    started = time.monotonic()
    with qtbot.waitSignal(controller.batch_finished, timeout=60_000):
        assert controller.start([config], measure_baseline=measure_baseline)
    return events, time.monotonic() - started


def test_the_failure_says_time_limit_exceeded():
    failure = time_limit_failure(RunConfig("custom", 10, "threads", 2, time_limit_s=2.5))
    assert failure.kind == "timeout"
    assert "time limit exceeded" in failure.message
    assert "threads × 2" in failure.message and "2.5 s" in failure.message


def test_the_limit_counts_from_when_the_helper_is_ready_not_from_its_start():
    # A busy laptop can take seconds to start a helper's Python: that is not the learner's time.
    config = RunConfig("custom", 10, "threads", 2, time_limit_s=2.0)
    started = 100.0
    assert not over_time_limit(config, started + 3.0, started, None)  # still starting up
    assert not over_time_limit(config, started + 4.0, started, started + 2.5)
    assert over_time_limit(config, started + 4.6, started, started + 2.5)
    # A helper that never comes up is ended all the same, once its start-up allowance is gone.
    stuck_at = started + 2.0 + LIMITS.helper_start.seconds + 0.1
    assert over_time_limit(config, stuck_at, started, None)
    assert not over_time_limit(RunConfig("custom", 10, "threads", 2), stuck_at, started, None)


@pytest.mark.parametrize(
    ("mode", "function"),
    [
        ("sequential", "hangs_on_seven"),
        # A thread busy in pure Python, contending for the helper's GIL all the while.
        ("threads", "spins_on_seven"),
        ("processes", "hangs_on_seven"),
        ("executor", "hangs_on_seven"),
    ],
)
def test_a_hanging_function_is_stopped_by_the_time_limit(qtbot, controller, mode, function):
    config = RunConfig(
        "custom", 100, mode, 2, function=f"hanging_work:{function}", time_limit_s=LIMIT_S
    )
    events, elapsed = run_batch(qtbot, controller, config, measure_baseline=False)
    assert not events["finished"] and not events["cancelled"]
    ((failed_config, failure),) = events["failed"]
    assert failed_config == config
    assert failure.kind == "timeout"
    assert "time limit exceeded" in failure.message
    assert elapsed >= LIMIT_S  # stopped by the limit, not before it
    assert wait_no_children() == []
    assert not controller.busy


def test_the_baseline_counts_against_the_limit_too(qtbot, controller):
    config = RunConfig(
        "custom", 100, "processes", 2, function="hanging_work:hangs_on_seven", time_limit_s=LIMIT_S
    )
    events, _ = run_batch(qtbot, controller, config)
    ((failed_config, failure),) = events["failed"]
    assert failed_config.mode == "sequential"  # the batch stops at its first failure
    assert failure.kind == "timeout"


def test_a_run_within_its_limit_finishes_normally(qtbot, controller):
    config = RunConfig(
        "custom", 1_000, "processes", 2, function="hanging_work:quick", time_limit_s=30.0
    )
    events, _ = run_batch(qtbot, controller, config)
    assert not events["failed"]
    assert [r.answer for r in events["finished"]] == [999_000, 999_000]
    assert events["finished"][-1].config.time_limit_s == 30.0
