"""A worker that dies while an executor runner is still submitting chunks is named too.

On a busy machine the first worker can reach the fatal item, and the executor can mark itself
broken, before the runner has handed the executor every chunk: `submit` then raises
BrokenProcessPool itself. That has to become the same named failure as a death seen later.
"""

from __future__ import annotations

import concurrent.futures
import signal
import time

import pytest
from process_checks import run_children

from tutor.engine.records import RunConfig, RunFailed
from tutor.engine.runners import run

PID_FILE_VARIABLE = "ENGINE_WORK_PID_FILE"  # engine_work notes the dying worker's pid there
FATAL_ITEM = 7  # engine_work's dying functions die on this item


def _standard_executor() -> tuple[type, object]:
    return concurrent.futures.ProcessPoolExecutor, lambda pool: pool._broken  # noqa: SLF001


def _loky_executor() -> tuple[type, object]:
    loky = pytest.importorskip("joblib.externals.loky")
    return loky.ProcessPoolExecutor, lambda pool: pool._flags.broken  # noqa: SLF001


EXECUTORS = {"executor": _standard_executor, "loky": _loky_executor}


@pytest.fixture(params=sorted(EXECUTORS))
def mode(request):
    """The mode under test (its executor's submit is held in `submission_held_until_broken`)."""
    return request.param


@pytest.fixture
def submission_held_until_broken(mode, monkeypatch):
    """Hold the runner's submissions, right after the chunk holding the fatal item, until the
    pool has broken: the next `submit` then meets a broken pool.

    The real executor and its real workers run; only the order of two events is forced,
    the one a loaded machine produces by chance.
    """
    executor_class, broken = EXECUTORS[mode]()
    original = executor_class.submit
    held = []

    def submit(self, fn, /, *args, **kwargs):
        future = original(self, fn, *args, **kwargs)
        if not held and FATAL_ITEM in args[0].numbers:
            held.append(True)
            deadline = time.monotonic() + 60
            while not broken(self) and time.monotonic() < deadline:
                time.sleep(0.01)  # polling the condition; the assertion comes after
        return future

    monkeypatch.setattr(executor_class, "submit", submit)
    return held


@pytest.mark.timeout(90)
@pytest.mark.parametrize(
    ("function", "exitcode"),
    [("engine_work:sigkills_on_seven", -signal.SIGKILL), ("engine_work:exits_on_seven", 3)],
)
def test_a_death_during_submission_is_named(
    mode, function, exitcode, tmp_path, monkeypatch, submission_held_until_broken
):
    pid_file = tmp_path / "dead.pid"
    monkeypatch.setenv(PID_FILE_VARIABLE, str(pid_file))
    with pytest.raises(RunFailed) as caught:
        run(RunConfig("custom", 2_000, mode, 2, chunks=40, function=function))
    # The hold happened, and not on the last chunk: a submission did meet the broken pool.
    assert submission_held_until_broken == [True]
    failure = caught.value.failure
    dead_pid = int(pid_file.read_text())
    assert failure.kind == "died"
    assert failure.worker == dead_pid
    assert failure.exitcode == exitcode
    assert f"worker process {dead_pid}" in failure.message
    assert run_children() == []
