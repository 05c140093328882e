"""The interpreter controller: scans and comparisons in threads, with real child processes."""

from __future__ import annotations

import psutil
import pytest
from process_checks import run_children, wait_no_children

from tutor.controller.interpreter_runs import InterpreterRunController
from tutor.engine.interpreters import (
    InterpreterInfo,
    current_interpreter,
    discover_interpreters,
)
from tutor.engine.records import RunConfig

TIMEOUT_MS = 120_000


@pytest.fixture
def controller(qtbot):
    controller = InterpreterRunController()
    yield controller
    controller.shutdown()
    assert not controller.busy and not controller.scanning
    assert wait_no_children() == []


@pytest.fixture(scope="module")
def other_python():
    others = [i for i in discover_interpreters() if i.supported and not i.is_current]
    if not others:
        pytest.skip("no Python 3.11+ besides the current one on this machine")
    return others[0]


def test_a_scan_reports_this_python_first(qtbot, controller):
    with qtbot.waitSignal(controller.interpreters_found, timeout=TIMEOUT_MS) as found:
        assert controller.scan()
        assert not controller.scan()  # one scan at a time
    infos = found.args[0]
    assert infos[0] == current_interpreter()
    qtbot.waitUntil(lambda: not controller.scanning, timeout=30_000)


def test_a_comparison_reports_each_step(qtbot, controller, other_python):
    steps, arrived = [], []
    controller.step_started.connect(lambda *args: steps.append(args))
    controller.results_arrived.connect(lambda info, results: arrived.append((info, results)))
    config = RunConfig("primes", 20_000, mode="threads", workers=1)
    with qtbot.waitSignal(controller.batch_finished, timeout=TIMEOUT_MS):
        assert controller.start([other_python], config, 2)
        assert controller.busy
        assert not controller.start([other_python], config, 2)
    assert [(s[1].workers, s[2], s[3]) for s in steps] == [(1, 0, 2), (2, 1, 2)]
    assert [len(results) for _, results in arrived] == [3, 2]
    for info, results in arrived:
        assert info == other_python
        for result in results:
            assert result.answer == 2262
            assert result.python == other_python.version
            assert result.speedup is not None  # the first step's sequential run is the baseline
    assert not controller.busy


def cpu_seconds(processes) -> float:
    total = 0.0
    for process in processes:
        try:
            total += process.cpu_times().user
        except psutil.Error:
            pass  # it ended between the listing and the read
    return total


def test_cancel_stops_the_comparison_and_its_workers(qtbot, controller, other_python):
    cancelled = []
    controller.run_cancelled.connect(cancelled.append)
    config = RunConfig("primes", 50_000_000, mode="threads", workers=1)
    controller.start([other_python], config, 2)
    qtbot.waitUntil(lambda: len(run_children()) >= 1, timeout=30_000)
    # Cancel once the other Python's bench computes (its Ctrl+C handler is in place by then).
    qtbot.waitUntil(lambda: cpu_seconds(run_children()) > 0.3, timeout=30_000)
    with qtbot.waitSignal(controller.batch_finished, timeout=20_000):
        controller.cancel()
    assert cancelled == [other_python]
    assert wait_no_children() == []


def test_a_failure_is_reported_with_its_reason(qtbot, controller):
    failed = []
    controller.run_failed.connect(lambda info, reason: failed.append(reason))
    broken = InterpreterInfo(path="/nonexistent/python3.13", version="3.13.0")
    with qtbot.waitSignal(controller.batch_finished, timeout=TIMEOUT_MS):
        controller.start([broken], RunConfig("primes", 1_000), 1)
    assert failed and "cannot start" in failed[0]
