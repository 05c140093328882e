"""The practice exercises: fix-the-program tasks loaded from resources/exercises/*.toml.

Each TOML file describes one exercise (id, number, title, task, hints, explanation, the file
names of its starting program and reference solution) and, under `[check]`, what a passing
program does: `must_print` (texts its output must contain), `needs_workers` (its own functions
must run in worker processes), `time_limit_s`, and `[check.reasons]`, the exercise's own words
for a failure kind (keys: the values of tutor.engine.exercise_check.FailureKind).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path

from tutor.resources import resource_path

# The reference solution is offered after this many failed checks, never before.
SOLUTION_AFTER_FAILED_CHECKS = 3
REASON_KINDS: tuple[str, ...] = (
    "bootstrap",
    "pickling",
    "timeout",
    "broken_pool",
    "raised",
    "exit_code",
    "wrong_output",
    "no_workers",
    "cancelled",
)
MAX_TIME_LIMIT_S = 600.0


class ExerciseState(Enum):
    """Where the learner stands with one exercise."""

    NOT_STARTED = "not started"
    TRIED = "tried"
    SOLVED = "solved"


@dataclass(frozen=True)
class Exercise:
    """One exercise. Sources are the programs' text; paths point into resources/exercises."""

    id: str
    number: int
    title: str
    task: str
    hints: tuple[str, ...]
    explanation: str
    start_path: Path
    solution_path: Path
    must_print: tuple[str, ...]
    needs_workers: bool
    time_limit_s: float
    reasons: tuple[tuple[str, str], ...]  # (failure kind, the exercise's words for it)

    @property
    def start_source(self) -> str:
        return self.start_path.read_text(encoding="utf-8")

    @property
    def solution_source(self) -> str:
        return self.solution_path.read_text(encoding="utf-8")


def _text(data: dict, key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: {key!r} must be a non-empty string")
    return " ".join(value.split())  # the TOML's line breaks are for the editor, not the reader


def parse_exercise(path: Path) -> Exercise:
    """Read one exercise file; ValueError naming the file and the key at fault."""
    where = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{where}: not valid TOML: {exc}") from None
    number = data.get("number")
    if not isinstance(number, int) or number < 1:
        raise ValueError(f"{where}: 'number' must be a positive whole number")
    hints = data.get("hints")
    if not isinstance(hints, list) or not hints or not all(isinstance(h, str) for h in hints):
        raise ValueError(f"{where}: 'hints' must be a non-empty list of strings")
    programs = {}
    for key in ("start", "solution"):
        program = path.parent / _text(data, key, where)
        if not program.is_file():
            raise ValueError(f"{where}: {key} program {program.name} is missing")
        programs[key] = program
    check = data.get("check")
    if not isinstance(check, dict):
        raise ValueError(f"{where}: the [check] table is missing")
    must_print = check.get("must_print")
    if not isinstance(must_print, list) or not all(isinstance(t, str) and t for t in must_print):
        raise ValueError(f"{where}: check.must_print must be a list of non-empty strings")
    limit = check.get("time_limit_s", 60)
    if not isinstance(limit, int | float) or not 0 < limit <= MAX_TIME_LIMIT_S:
        raise ValueError(f"{where}: check.time_limit_s must be between 0 and {MAX_TIME_LIMIT_S:g}")
    reasons = check.get("reasons", {})
    unknown = sorted(set(reasons) - set(REASON_KINDS))
    if unknown:
        raise ValueError(f"{where}: unknown check.reasons {', '.join(unknown)}")
    exercise_id = _text(data, "id", where)
    if exercise_id != path.stem:  # what exercise_ids() relies on
        raise ValueError(f"{where}: 'id' must be the file's name without .toml ({path.stem!r})")
    return Exercise(
        id=exercise_id,
        number=number,
        title=_text(data, "title", where),
        task=_text(data, "task", where),
        hints=tuple(" ".join(h.split()) for h in hints),
        explanation=_text(data, "explanation", where),
        start_path=programs["start"],
        solution_path=programs["solution"],
        must_print=tuple(must_print),
        needs_workers=bool(check.get("needs_workers", True)),
        time_limit_s=float(limit),
        reasons=tuple((kind, _text(reasons, kind, where)) for kind in sorted(reasons)),
    )


def _exercise_files() -> list[Path]:
    """The shipped exercise files, sorted by name."""
    return sorted(resource_path("exercises").glob("*.toml"))


def exercise_ids() -> tuple[str, ...]:
    """The shipped exercises' ids, sorted, from their files' names alone (none is read).

    What the course-progress line counts while the window is built: reading the six files was
    ~4 ms of the window's first frame on a slow machine. `parse_exercise` holds each file's id
    to its name."""
    return tuple(path.stem for path in _exercise_files())


@cache
def load_exercises() -> tuple[Exercise, ...]:
    """Every exercise, in the order of their numbers.

    Raises ValueError for a malformed file or a repeated id or number.
    """
    exercises = sorted(
        (parse_exercise(path) for path in _exercise_files()),
        key=lambda exercise: exercise.number,
    )
    for attribute in ("id", "number"):
        values = [getattr(exercise, attribute) for exercise in exercises]
        repeated = sorted({str(v) for v in values if values.count(v) > 1})
        if repeated:
            raise ValueError(f"exercises: {attribute} used twice: {', '.join(repeated)}")
    return tuple(exercises)


def get_exercise(exercise_id: str) -> Exercise:
    """The exercise with this id; KeyError when there is none."""
    for exercise in load_exercises():
        if exercise.id == exercise_id:
            return exercise
    raise KeyError(exercise_id)


def exercise_state(tries: int, solved: bool) -> ExerciseState:
    """The state shown in the list, from the saved count of checks and whether one passed."""
    if solved:
        return ExerciseState.SOLVED
    return ExerciseState.TRIED if tries > 0 else ExerciseState.NOT_STARTED


def solution_offered(failed_checks: int, solved: bool) -> bool:
    """Whether the reference solution may be shown: after a few failed checks, or once solved."""
    return solved or failed_checks >= SOLUTION_AFTER_FAILED_CHECKS
