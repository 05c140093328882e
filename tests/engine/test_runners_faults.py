"""Faults: a raising worker gives its traceback; a dying worker is named within seconds;
workers never outlive their parent, even after kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import psutil
import pytest
from failure_checks import assert_the_seven_failure
from process_checks import run_children, spawned_workers

from tutor.engine.cancel import RunCancelled
from tutor.engine.records import MODES, RunConfig, RunFailed
from tutor.engine.runners import run
from tutor.engine.workloads import failing_item, without_failing_item

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PID_FILE_VARIABLE = "ENGINE_WORK_PID_FILE"  # engine_work notes the dying worker's pid there


@pytest.mark.timeout(60)
@pytest.mark.parametrize("mode", MODES)
def test_a_raising_worker_fails_the_run_with_its_traceback(mode):
    config = RunConfig("custom", 1_000, mode, 2, function="engine_work:raises_on_seven")
    with pytest.raises(RunFailed) as caught:
        run(config)
    failure = caught.value.failure
    assert_the_seven_failure(failure)
    assert "ArithmeticError" in failure.message
    assert str(caught.value) == failure.message
    assert not isinstance(caught.value, RunCancelled)
    if mode in ("processes", "executor"):
        assert failure.worker != os.getpid()
    assert run_children() == []
    assert run(RunConfig("primes", 10_000, mode, 2)).answer == 1_229


def test_system_exit_in_a_worker_is_a_failure_too():
    with pytest.raises(RunFailed) as caught:
        run(RunConfig("custom", 100, "processes", 2, function="sys:exit"))
    assert caught.value.failure.kind == "raised"
    assert caught.value.failure.exc_type == "SystemExit"


DEATHS = {
    "os._exit": ("engine_work:exits_on_seven", 3),
    "SIGKILL": ("engine_work:sigkills_on_seven", -signal.SIGKILL),
    "segfault": ("engine_work:segfaults_on_seven", -signal.SIGSEGV),
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("death", DEATHS)
@pytest.mark.parametrize("mode", ["processes", "executor"])
def test_a_dying_worker_is_named_within_seconds(mode, death, tmp_path, monkeypatch):
    function, exitcode = DEATHS[death]
    pid_file = tmp_path / "dead.pid"
    monkeypatch.setenv(PID_FILE_VARIABLE, str(pid_file))
    with pytest.raises(RunFailed) as caught:
        run(RunConfig("custom", 2_000, mode, 2, function=function))
    failure = caught.value.failure
    dead_pid = int(pid_file.read_text())
    assert failure.kind == "died"
    assert failure.worker == dead_pid != os.getpid()
    assert failure.exitcode == exitcode
    assert str(dead_pid) in failure.message
    assert f"exit code {exitcode}" in failure.message
    assert run_children() == []
    assert run(RunConfig("primes", 10_000, mode, 2)).answer == 1_229


@pytest.mark.timeout(30)
@pytest.mark.parametrize("mode", ["processes", "executor"])
def test_a_worker_killed_from_outside_is_detected(mode):
    """A learner (or the OOM killer) kills a busy worker: the run fails, it doesn't hang."""
    seen = []

    def on_chunk(timing) -> None:
        if not seen:
            seen.append(timing.worker)
            os.kill(timing.worker, signal.SIGKILL)

    with pytest.raises(RunFailed) as caught:
        run(RunConfig("primes", 2_000_000, mode, 2, chunks=400), on_chunk=on_chunk)
    assert caught.value.failure.kind == "died"
    assert caught.value.failure.worker == seen[0]
    assert caught.value.failure.exitcode == -signal.SIGKILL
    assert run_children() == []


def _kill_the_idle_worker(killed: list[int]) -> None:
    """Once one of our two pool workers computes and the other waits, SIGKILL the waiting one."""
    me = psutil.Process()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        workers = spawned_workers(me.children())
        if len(workers) == 2:
            cpu = {p: p.cpu_times().user for p in workers}
            if max(cpu.values()) > 0.3:
                idle = min(cpu, key=cpu.get)
                killed.append(idle.pid)
                idle.kill()
                return
        time.sleep(0.02)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("mode", ["processes", "executor"])
def test_a_worker_killed_while_waiting_for_a_task_does_not_hang_the_run(mode):
    """The idle worker holds the task queue's lock when it dies: Pool.terminate() used to wait
    for that lock forever (CPython gh-96062)."""
    killed: list[int] = []
    killer = threading.Thread(target=_kill_the_idle_worker, args=(killed,), daemon=True)
    killer.start()
    # Chunk 0 (even items) is done at once; chunk 1 (odd items) keeps the other worker busy.
    config = RunConfig("custom", 4, mode, 2, chunks=2, function="engine_work:spins_on_odd")
    with pytest.raises(RunFailed) as caught:
        run(config)
    killer.join(1)
    assert killed, "the idle worker was never found"
    assert caught.value.failure.kind == "died"
    assert caught.value.failure.worker == killed[0]
    assert caught.value.failure.exitcode == -signal.SIGKILL
    assert run_children() == []  # and run() returned at all: the test's timeout is the hang


PARENT = textwrap.dedent(
    """
    import sys
    from tutor.engine.records import RunConfig
    from tutor.engine.runners import run

    if __name__ == "__main__":
        run(RunConfig("primes", 50_000_000, sys.argv[1], 2))
    """
)


def _busy_workers(parent: psutil.Process) -> list[psutil.Process]:
    """The parent's pool workers once both are computing (they have used some CPU)."""
    workers = []
    for child in parent.children():
        try:
            command = " ".join(child.cmdline())
            if "spawn_main" in command and child.cpu_times().user > 0.2:
                workers.append(child)
        except psutil.Error:
            pass
    return workers


def _gone(process: psutil.Process) -> bool:
    try:
        return process.status() == psutil.STATUS_ZOMBIE  # exited, not yet reaped by init
    except psutil.NoSuchProcess:
        return True


@pytest.mark.timeout(60)
@pytest.mark.parametrize("mode", ["processes", "executor"])
def test_workers_leave_when_their_parent_is_killed(mode, tmp_path):
    script = tmp_path / "parent.py"
    script.write_text(PARENT)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(FIXTURES), *sys.path])}
    parent = subprocess.Popen([sys.executable, str(script), mode], env=env)
    try:
        watched = psutil.Process(parent.pid)
        deadline = time.monotonic() + 30
        while len(workers := _busy_workers(watched)) < 2:
            assert parent.poll() is None, "the parent ended early"
            assert time.monotonic() < deadline, "the workers never started computing"
            time.sleep(0.05)
        everything = watched.children(recursive=True)  # workers and the resource tracker
        assert {w.pid for w in workers} <= {p.pid for p in everything}
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(5)
        deadline = time.monotonic() + 5
        while not all(_gone(p) for p in everything) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = [p.pid for p in everything if not _gone(p)]
        assert left == [], f"orphans after kill -9 of the parent: {left}"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(5)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("mode", MODES)
def test_a_raising_function_says_which_n_raised(mode):
    """Issue #19: the traceback did not say which n raised; item 777 is far from chunk 0."""
    config = RunConfig("custom", 1_000, mode, 2, chunks=8, function="engine_work:raises_on_777")
    with pytest.raises(RunFailed) as caught:
        run(config)
    failure = caught.value.failure
    assert "This was the call for n = 777." in failure.traceback
    assert failing_item(failure.traceback) == 777
    plain = without_failing_item(failure.traceback)
    assert plain.strip().splitlines()[-1] == "ValueError: no luck"
    assert failing_item(plain) is None
    assert run_children() == []
