"""The exercise checker runs real programs: time limits, cancelling, leftovers, worker proof."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import psutil
import pytest

from tutor.engine.cancel import CancelToken
from tutor.engine.exercise_check import CheckSpec, FailureKind, check_program

# Pool workers that never return (asleep in their loop: busy ones proved nothing more and
# burnt two cores for the whole time limit).
HANG_IN_WORKERS = """
import time
from multiprocessing import Pool

def hang(n):
    while True:
        time.sleep(0.05)

if __name__ == "__main__":
    with Pool(2) as pool:
        pool.map(hang, range(2))
"""

ORPHAN_A_WORKER = """
import os
from multiprocessing import Process, Queue

def spin(ready):
    ready.put("running")
    while True:
        pass

if __name__ == "__main__":
    ready = Queue()
    Process(target=spin, args=(ready,)).start()
    print(ready.get())
    os._exit(0)  # leaves the worker running, unjoined
"""

COUNT_IN_MAIN = """
def is_prime(n):
    return n > 1 and all(n % d for d in range(2, int(n ** 0.5) + 1))

if __name__ == "__main__":
    print(sum(map(is_prime, range(50_001))))
"""


def program(tmp_path: Path, source: str, name: str = "program.py") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


def wait_gone(pids: tuple[int, ...], timeout: float = 30.0) -> list[int]:
    """Pids still running (not zombies) after waiting up to `timeout` for them to end."""

    def alive() -> list[int]:
        left = []
        for pid in pids:
            try:
                if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                    left.append(pid)
            except psutil.Error:
                pass
        return left

    deadline = time.monotonic() + timeout
    while alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive()


def test_a_program_past_its_time_limit_is_stopped_with_all_its_workers(tmp_path, no_children_left):
    spec = CheckSpec(must_print=("done",), time_limit_s=3)
    result = check_program(program(tmp_path, HANG_IN_WORKERS), spec)
    assert result.failure is FailureKind.TIMEOUT
    assert result.verdict_line().startswith("failed: ")
    assert "time limit 3 s" in result.verdict_line()
    assert result.exit_code is None
    assert len(result.worker_pids) >= 1  # the workers really ran hang() before the limit
    assert wait_gone(result.worker_pids) == []
    assert no_children_left() == []


def test_workers_the_program_left_running_are_ended_when_it_exits(tmp_path, no_children_left):
    spec = CheckSpec(must_print=("running",), time_limit_s=60)
    result = check_program(program(tmp_path, ORPHAN_A_WORKER), spec)
    assert result.passed, result.verdict_line() + result.stderr
    assert len(result.worker_pids) == 1
    assert wait_gone(result.worker_pids) == []
    assert no_children_left() == []


def test_a_cancelled_check_stops_the_program(tmp_path, no_children_left):
    cancel = CancelToken()
    cancel.cancel()
    result = check_program(program(tmp_path, HANG_IN_WORKERS), CheckSpec(("x",)), cancel)
    assert result.failure is FailureKind.CANCELLED
    assert no_children_left() == []


def test_the_right_output_computed_in_the_main_process_is_not_enough(tmp_path):
    spec = CheckSpec(must_print=("5133",), needs_workers=True)
    result = check_program(program(tmp_path, COUNT_IN_MAIN), spec)
    assert result.failure is FailureKind.NO_WORKERS
    assert result.worker_pids == ()
    assert "5133" in result.stdout
    # The same program passes an exercise that does not ask for worker processes.
    relaxed = CheckSpec(must_print=("5133",), needs_workers=False)
    assert check_program(program(tmp_path, COUNT_IN_MAIN), relaxed).passed


def test_a_number_inside_a_longer_number_does_not_count(tmp_path):
    printed = program(tmp_path, 'print("51330 and 15133")')
    result = check_program(printed, CheckSpec(must_print=("5133",), needs_workers=False))
    assert result.failure is FailureKind.WRONG_OUTPUT
    assert "'5133'" in result.detail


def test_the_exercise_words_replace_the_general_reason(tmp_path):
    raising = program(tmp_path, 'raise ValueError("bad reading")')
    spec = CheckSpec(("x",), reasons={FailureKind.RAISED: "one reading sank the whole map"})
    result = check_program(raising, spec)
    assert result.failure is FailureKind.RAISED
    assert result.verdict_line() == (
        "failed: one reading sank the whole map (ValueError: bad reading)"
    )


def test_an_unreadable_program_raises_before_anything_runs(tmp_path):
    with pytest.raises(OSError):
        check_program(tmp_path / "missing.py", CheckSpec(("x",)))


def test_programs_run_under_spawn_and_may_still_choose_it_themselves(tmp_path):
    default = program(tmp_path, "import multiprocessing\nprint(multiprocessing.get_start_method())")
    spec = CheckSpec(must_print=("spawn",), needs_workers=False)
    assert check_program(default, spec).passed
    chooses_spawn = program(
        tmp_path,
        """
        import multiprocessing

        if __name__ == "__main__":
            multiprocessing.set_start_method("spawn")  # what a careful learner writes
            print("chosen", multiprocessing.get_start_method())
        """,
        name="chooses.py",
    )
    result = check_program(chooses_spawn, CheckSpec(("chosen spawn",), needs_workers=False))
    assert result.passed, result.verdict_line() + result.stderr
