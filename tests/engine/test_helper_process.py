"""HelperRun: the engine in a helper process, its events streamed back over a pipe."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest
from process_checks import run_children, wait_no_children

from tutor.engine.events import (
    TERMINAL_EVENTS,
    ChunksFinished,
    HelperReady,
    RunCancelledEvent,
    RunFailedEvent,
    RunFinished,
    RunRejected,
    RunStarted,
)
from tutor.engine.helper_process import MAX_BATCH, HelperRun
from tutor.engine.priority import HELPER_NICE, autogroup_nice
from tutor.engine.records import RunConfig
from tutor.engine.runners import plan_run, run
from tutor.engine.timing_columns import TimingColumns

LONG = RunConfig("primes", 50_000_000, "processes", 2)


def collect(remote: HelperRun, timeout: float = 60.0, until=TERMINAL_EVENTS) -> list:
    events = []
    deadline = time.monotonic() + timeout
    while not any(isinstance(e, until) for e in events):
        assert time.monotonic() < deadline, f"no {until} within {timeout} s: {events}"
        events.extend(remote.poll(0.1))
    return events


def helper_and_workers(remote: HelperRun) -> list[psutil.Process]:
    helper = psutil.Process(remote.pid)
    return [helper, *helper.children(recursive=True)]


def wait_for_workers(remote: HelperRun, count: int = 2, timeout: float = 30.0) -> list:
    deadline = time.monotonic() + timeout
    while True:
        processes = [p for p in helper_and_workers(remote)[1:] if "spawn_main" in _command(p)]
        if len(processes) >= count:
            return processes
        assert time.monotonic() < deadline, "the helper never started its workers"
        time.sleep(0.05)


def _command(process: psutil.Process) -> str:
    try:
        return " ".join(process.cmdline())
    except psutil.Error:
        return ""


def all_gone(processes: list[psutil.Process], timeout: float) -> list[int]:
    _, alive = psutil.wait_procs(processes, timeout=timeout)
    return [p.pid for p in alive if p.status() != psutil.STATUS_ZOMBIE]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("mode", ["threads", "processes"])
def test_events_stream_from_start_to_finish(mode):
    config = RunConfig("primes", 100_000, mode, 2)
    remote = HelperRun(config)
    remote.start()
    assert remote.pid not in (None, os.getpid())
    events = collect(remote)
    assert remote.ended

    ready, started, *middle, finished = events
    assert ready == HelperReady(config)  # first: the helper is up, the time limit counts
    assert started == RunStarted(config, len(plan_run(config).chunks), 100_001)
    assert isinstance(finished, RunFinished)
    assert finished.result.answer == 9_592
    assert all(isinstance(e, ChunksFinished) for e in middle)
    streamed = [c for e in middle for c in e.chunks]
    assert streamed == list(finished.result.chunks)
    assert len(streamed) == started.chunks_total
    assert remote.poll(0.01) == []  # nothing after the end
    assert wait_no_children(5) == []


@pytest.mark.timeout(60)
def test_many_quick_chunks_come_in_messages_of_at_most_max_batch():
    """The reader unpickles each message in one call that holds its GIL (the window's):
    thousands of chunks finished within one flush interval come in several small messages."""
    config = RunConfig("squares", 200_000, "sequential", 1, chunks=20_000)
    remote = HelperRun(config)
    remote.start()
    events = collect(remote)
    batches = [len(e.chunks) for e in events if isinstance(e, ChunksFinished)]
    assert sum(batches) == 20_000
    assert max(batches) == MAX_BATCH  # full messages, none larger
    finished = events[-1]
    assert isinstance(finished, RunFinished)
    assert [c.index for c in finished.result.chunks] == list(range(20_000))


@pytest.mark.parametrize("mode", ["sequential", "threads", "processes"])
def test_the_result_comes_with_its_chunks_as_columns(mode):
    """Whoever reads every chunk's times (the time breakdown) reads the columns the helper
    took, instead of walking thousands of records in the window's process."""
    remote = HelperRun(RunConfig("squares", 20_000, mode, 2, chunks=2_000))
    remote.start()
    finished = collect(remote)[-1]
    assert isinstance(finished, RunFinished)
    chunks = finished.result.chunks
    assert len(chunks) == 2_000
    assert finished.columns == TimingColumns.of(chunks)
    assert finished.columns.matches(chunks)


def test_a_baseline_travels_with_the_run():
    baseline = run(RunConfig("primes", 50_000, "sequential"))
    remote = HelperRun(RunConfig("primes", 50_000, "threads", 2), baseline=baseline)
    remote.start()
    finished = collect(remote)[-1]
    assert finished.result.baseline_s == baseline.wall_s
    assert finished.result.matches_baseline is True


@pytest.mark.timeout(60)
def test_cancel_ends_with_a_cancelled_event_and_no_process():
    remote = HelperRun(LONG)
    remote.start()
    collect(remote, until=(RunStarted,))
    processes = helper_and_workers(remote)
    processes += wait_for_workers(remote)
    remote.cancel()
    events = collect(remote, timeout=10)
    assert isinstance(events[-1], RunCancelledEvent)
    assert events[-1].config == LONG
    assert not any(isinstance(e, (RunFailedEvent, RunFinished)) for e in events)
    assert all_gone(processes, timeout=5) == []
    assert run_children() == []


@pytest.mark.timeout(60)
def test_stop_kills_everything_even_a_helper_that_does_not_listen():
    remote = HelperRun(LONG)
    remote.start()
    collect(remote, until=(RunStarted,))
    workers = wait_for_workers(remote)
    helper = psutil.Process(remote.pid)
    helper.suspend()  # a frozen helper can't answer the cancel: stop() must kill it
    remote.stop(timeout=1.0)
    assert remote.ended
    assert all_gone([helper, *workers], timeout=5) == []  # the workers saw their parent go


@pytest.mark.timeout(60)
def test_stop_mid_run_cancels_and_cleans_up():
    remote = HelperRun(LONG)
    remote.start()
    collect(remote, until=(RunStarted,))
    processes = [psutil.Process(remote.pid), *wait_for_workers(remote)]
    remote.stop()
    assert all_gone(processes, timeout=5) == []
    remote.stop()  # twice is harmless


GROUP_PROBE = (
    "import os; os.setsid(); open('/proc/self/autogroup', 'w').write('5'); "
    "print(open('/proc/self/autogroup').read().split()[-1])"
)


def a_new_session_can_lower_its_group() -> bool:
    """Whether this kernel lets a process that started a session lower its scheduling group
    (Linux with autogroups, a writable /proc): tried in a child of its own."""
    if autogroup_nice() is None or not hasattr(os, "setsid"):
        return False
    probe = subprocess.run(
        [sys.executable, "-c", GROUP_PROBE], capture_output=True, text=True, timeout=30
    )
    return probe.returncode == 0 and probe.stdout.strip() == "5"


@pytest.mark.timeout(60)
def test_a_runs_processes_yield_to_the_window_also_as_a_scheduling_group():
    """The helper starts a session of its own; on Linux with autogroup scheduling that is a
    scheduling group of its own, where its nice value alone did not count against the window:
    the group's nice must be lowered too. Where there is no autogroup, the processes' own
    priority is what counts."""
    ours = autogroup_nice()
    groups = a_new_session_can_lower_its_group()
    remote = HelperRun(LONG)
    remote.start()
    try:
        collect(remote, until=(RunStarted,))
        processes = [psutil.Process(remote.pid), *wait_for_workers(remote)]
        if sys.platform == "win32":
            expected = psutil.BELOW_NORMAL_PRIORITY_CLASS
        else:
            expected = min(19, psutil.Process().nice() + HELPER_NICE)
        assert [p.nice() for p in processes] == [expected] * len(processes)
        if groups:
            assert [autogroup_nice(p.pid) for p in processes] == [HELPER_NICE] * len(processes)
        assert autogroup_nice() == ours  # the window's own group is left as it was
    finally:
        remote.stop()


def test_stop_before_start_is_harmless():
    remote = HelperRun(RunConfig("primes", 1_000, "processes", 2))
    remote.stop()
    assert remote.pid is None


def test_an_invalid_config_is_rejected_naming_the_field():
    remote = HelperRun(RunConfig("primes", 1_000, "processes", 0))
    remote.start()
    events = collect(remote, timeout=30)
    ready, rejected = events  # the helper came up, then refused the config: nothing else
    assert isinstance(ready, HelperReady) and isinstance(rejected, RunRejected)
    assert rejected.message.startswith("workers: ")


@pytest.mark.timeout(60)
def test_a_raising_worker_is_reported_with_its_traceback():
    config = RunConfig("custom", 1_000, "processes", 2, function="engine_work:raises_on_seven")
    remote = HelperRun(config)
    remote.start()
    failed = collect(remote)[-1]
    assert isinstance(failed, RunFailedEvent)
    assert failed.failure.kind == "raised"
    assert "raises_on_seven" in failed.failure.traceback


@pytest.mark.timeout(60)
def test_a_dead_helper_is_reported():
    remote = HelperRun(LONG)
    remote.start()
    collect(remote, until=(RunStarted,))
    workers = wait_for_workers(remote)
    os.kill(remote.pid, signal.SIGKILL)
    failed = collect(remote, timeout=10)[-1]
    assert isinstance(failed, RunFailedEvent)
    assert failed.failure.kind == "died"
    assert failed.failure.worker == remote.pid
    assert failed.failure.exitcode == -signal.SIGKILL
    assert all_gone(workers, timeout=5) == []
