"""`mp-tutor exercises`: every starting program fails and every reference solution passes.

Each check runs the program (and its workers) as real processes; the list, time-limit and
leftover tests run the real command (`python -m tutor exercises ...`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from tutor.content.exercises import load_exercises
from tutor.exercises_cli import exercises_main

ROOT = Path(__file__).resolve().parent.parent
WINDOWS_LIKE = ROOT / "tests" / "windows_like"  # a sitecustomize that hides POSIX-only calls
# What the starting program's failure must say (in the exercise's own words).
START_FAILS_BECAUSE = {
    "main-guard": "bootstrapping-phase RuntimeError",
    "picklable-function": "could not be pickled",
    "return-dont-share": "2262",
    "worker-exceptions": "ValueError",
    "dead-worker": "time limit",
    "process-queue": "stays empty",
}


def exercises(*args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tutor", "exercises", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


@pytest.fixture
def exercises_here(capfd, monkeypatch):
    """`exercises(ARGS)` in this process: `exercises_main` is what `python -m tutor exercises`
    calls, and a check still runs the program (and its workers) as real child processes;
    only the command's own interpreter start-up is left out. `capfd` also catches what those
    children write to the inherited stdout and stderr. The list, time-limit and leftover tests
    go through the real command."""
    monkeypatch.chdir(ROOT)

    def run(*args: str) -> subprocess.CompletedProcess:
        returncode = exercises_main(list(args))
        out, err = capfd.readouterr()
        return subprocess.CompletedProcess(["exercises", *args], returncode, out, err)

    return run


def test_list_prints_id_and_title_lines():
    done = exercises("list")
    assert done.returncode == 0, done.stderr
    expected = [f"{e.id}  {e.title}" for e in load_exercises()]
    assert done.stdout.splitlines() == expected


# Starting programs that hang until the exercise's time limit (15 s for dead-worker): checked
# with a shorter limit, still long enough for a busy machine to start the program's pool.
HANG_LIMIT = ("--time-limit", "5")
HANGS = {"dead-worker"}


@pytest.mark.parametrize("exercise", load_exercises(), ids=lambda e: e.id)
def test_starting_program_fails_and_reference_solution_passes(
    exercise, no_children_left, exercises_here
):
    limit = HANG_LIMIT if exercise.id in HANGS else ()
    start = exercises_here("check", *limit, exercise.id, str(exercise.start_path))
    assert start.returncode == 1, start.stdout + start.stderr
    verdict = start.stdout.splitlines()[0]
    assert verdict.startswith("failed: ")
    if exercise.id in START_FAILS_BECAUSE:
        assert START_FAILS_BECAUSE[exercise.id] in verdict

    solution = exercises_here("check", exercise.id, str(exercise.solution_path))
    assert solution.returncode == 0, solution.stdout + solution.stderr
    assert solution.stdout.startswith("passed")
    assert "worker process" in solution.stdout.splitlines()[0]
    assert no_children_left() == []


def test_unknown_exercise_exits_2_with_one_line(exercises_here):
    done = exercises_here("check", "no-such-exercise", __file__)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "unknown exercise 'no-such-exercise'" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("name", ["missing.py", "."])
def test_unreadable_file_exits_2(tmp_path, name, exercises_here):
    done = exercises_here("check", "main-guard", str(tmp_path / name))
    assert done.returncode == 2
    assert "cannot read" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("special", ["pipe", "/dev/zero"])
def test_a_pipe_or_a_device_is_refused_not_read_for_ever(tmp_path, special, exercises_here):
    # A pipe blocked the check until killed; /dev/zero was read until memory ran out.
    path = tmp_path / "program.py"
    if special == "pipe":
        os.mkfifo(path)
    else:
        path = Path(special)
    done = exercises_here("check", "main-guard", str(path))
    assert done.returncode == 2
    assert "cannot read" in done.stderr and "not a regular file" in done.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_program_killed_by_a_signal_is_said_so(tmp_path, exercises_here):
    # It read "exited with a non-zero exit code (exit code -9)".
    program = tmp_path / "killed.py"
    program.write_text("import os, signal\n\nos.kill(os.getpid(), signal.SIGKILL)\n")
    done = exercises_here("check", "main-guard", str(program))
    assert done.returncode == 1
    assert "was killed by signal 9" in done.stdout + done.stderr
    assert "exit code -9" not in done.stdout + done.stderr


def test_missing_arguments_exit_2():
    assert exercises("check", "main-guard").returncode == 2


@pytest.mark.parametrize("seconds", ["0", "-1", "nan", "inf", "601", "soon"])
def test_a_time_limit_outside_0_to_600_seconds_exits_2(seconds, capsys):
    with pytest.raises(SystemExit) as exited:
        exercises_main(["check", "--time-limit", seconds, "main-guard", __file__])
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert "--time-limit" in error and "Traceback" not in error


def test_the_time_limit_option_replaces_the_exercises_own_limit(tmp_path):
    program = tmp_path / "waits.py"
    program.write_text("import time\nprint('started', flush=True)\ntime.sleep(600)\n")
    done = exercises("check", "--time-limit", "3", "main-guard", str(program))
    assert done.returncode == 1, done.stdout + done.stderr
    # The verdict names the limit it used, not the exercise's own 60 s.
    verdict = done.stdout.splitlines()[0]
    assert verdict.startswith("failed: ") and verdict.endswith("(time limit 3 s)"), verdict
    assert "started" in done.stdout


def processes_running(program: Path) -> list[psutil.Process]:
    """Live processes (not zombies) started by a check of `program`, wherever they now hang.

    Every process of a check carries the program's path in its environment (the probe's
    variable), even one orphaned and re-parented away from this test.
    """
    found = []
    for process in psutil.process_iter():
        try:
            if process.status() == psutil.STATUS_ZOMBIE:
                continue
            if process.environ().get("MP_TUTOR_PROBE_FILE") == str(program):
                found.append(process)
        except psutil.Error:
            continue
    return found


# Workers that outlive their program: a Process looping for ever, which (unlike a Pool's
# worker) does not notice that its parent has gone. It sleeps in its loop: a busy one proved
# nothing more and burnt a core for the whole time limit in the "hangs" cases.
LEFT_BEHIND = """
import os, time
from multiprocessing import Process, Queue

def loop(ready):
    ready.put("looping")
    while True:
        time.sleep(0.05)

if __name__ == "__main__":
    ready = Queue()
    Process(target=loop, args=(ready,)).start()
    print(ready.get())
    {end}
"""
PROGRAM_ENDS = {
    "exits": "os._exit(0)  # leaves its worker running, unjoined",
    # Waits (idle) for a line that never comes: runs on past the time limit.
    "hangs": "Queue().get()  # runs on past the time limit",
}


@pytest.mark.parametrize("world", ["native", "windows-like"])
@pytest.mark.parametrize("end", list(PROGRAM_ENDS))
def test_every_process_of_a_checked_program_is_ended(tmp_path, world, end, no_children_left):
    program = tmp_path / "leaves_a_worker.py"
    program.write_text(LEFT_BEHIND.format(end=PROGRAM_ENDS[end]), encoding="utf-8")
    env = dict(os.environ)
    if world == "windows-like":  # no process groups, no killpg: the tree is walked instead
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(WINDOWS_LIKE), env.get("PYTHONPATH")])
        )
    command = ["exercises", "check", *HANG_LIMIT, "dead-worker", str(program)]
    done = subprocess.run(
        [sys.executable, "-m", "tutor", *command],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=ROOT,
        env=env,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    verdict = done.stdout.splitlines()[0]
    if end == "hangs":
        assert verdict.startswith("failed: ") and "time limit" in verdict
    else:  # it ran to its end, but printed no BrokenProcessPool
        assert verdict.startswith("failed: ") and "BrokenProcessPool" in verdict
    assert "looping" in done.stdout  # its worker was running when the check ended it
    assert processes_running(program.resolve()) == []
    assert no_children_left() == []
