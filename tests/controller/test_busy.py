"""The busy coordinator over real run controllers (real helper processes), no widgets."""

from __future__ import annotations

import pytest

from tutor.controller.busy import BusyCoordinator
from tutor.controller.run_controller import RunController
from tutor.engine.records import RunConfig

TIMEOUT_MS = 120_000
# The first runs until cancelled, so the second starts and ends while it still runs.
LONG = RunConfig("sleep", 600_000, "sequential", 1)  # ten minutes unless cancelled
SHORT = RunConfig("primes", 2_000, "sequential", 1)


@pytest.fixture
def controllers(qtbot, no_children_left):
    made = [RunController(), RunController()]
    yield made
    for controller in made:
        controller.shutdown()
    assert no_children_left(10.0) == []


def test_busy_while_any_controller_runs_and_one_signal_per_change(qtbot, controllers):
    first, second = controllers
    coordinator = BusyCoordinator()
    changes: list[bool] = []
    coordinator.busy_changed.connect(changes.append)
    coordinator.track(first)
    coordinator.track(second)
    coordinator.track(first)  # tracked twice counts once
    assert not coordinator.busy and changes == []

    with qtbot.waitSignal(coordinator.busy_changed, timeout=5000):
        assert first.start([LONG], measure_baseline=False)
    assert coordinator.busy
    assert coordinator.busy_besides(second) and not coordinator.busy_besides(first)

    assert second.start([SHORT], measure_baseline=False)
    with qtbot.waitSignal(second.batch_finished, timeout=TIMEOUT_MS):
        pass
    assert coordinator.busy  # the first still runs: no change announced
    assert changes == [True]

    with qtbot.waitSignal(coordinator.busy_changed, timeout=TIMEOUT_MS) as idle:
        first.cancel()
    assert idle.args == [False]
    assert not coordinator.busy and changes == [True, False]


def test_a_controller_tracked_mid_run_makes_the_coordinator_busy(qtbot, controllers):
    first, _ = controllers
    coordinator = BusyCoordinator()
    assert first.start([LONG], measure_baseline=False)
    with qtbot.waitSignal(coordinator.busy_changed, timeout=5000) as became:
        coordinator.track(first)
    assert became.args == [True]
    with qtbot.waitSignal(coordinator.busy_changed, timeout=TIMEOUT_MS):
        first.cancel()
    assert not coordinator.busy
