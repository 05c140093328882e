"""`mp-tutor exercises`: every starting program fails and every reference solution passes.

Each check runs the real command (`python -m tutor exercises check ...`) once per program.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tutor.content.exercises import load_exercises

ROOT = Path(__file__).resolve().parent.parent
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


def test_list_prints_id_and_title_lines():
    done = exercises("list")
    assert done.returncode == 0, done.stderr
    expected = [f"{e.id}  {e.title}" for e in load_exercises()]
    assert done.stdout.splitlines() == expected


@pytest.mark.parametrize("exercise", load_exercises(), ids=lambda e: e.id)
def test_starting_program_fails_and_reference_solution_passes(exercise, no_children_left):
    start = exercises("check", exercise.id, str(exercise.start_path))
    assert start.returncode == 1, start.stdout + start.stderr
    verdict = start.stdout.splitlines()[0]
    assert verdict.startswith("failed: ")
    if exercise.id in START_FAILS_BECAUSE:
        assert START_FAILS_BECAUSE[exercise.id] in verdict

    solution = exercises("check", exercise.id, str(exercise.solution_path))
    assert solution.returncode == 0, solution.stdout + solution.stderr
    assert solution.stdout.startswith("passed")
    assert "worker process" in solution.stdout.splitlines()[0]
    assert no_children_left() == []


def test_unknown_exercise_exits_2_with_one_line():
    done = exercises("check", "no-such-exercise", __file__)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "unknown exercise 'no-such-exercise'" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("name", ["missing.py", "."])
def test_unreadable_file_exits_2(tmp_path, name):
    done = exercises("check", "main-guard", str(tmp_path / name))
    assert done.returncode == 2
    assert "cannot read" in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_arguments_exit_2():
    assert exercises("check", "main-guard").returncode == 2
