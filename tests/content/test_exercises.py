"""The exercises load from resources/, and the three the issue names are exactly as asked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tutor.content.exercises import (
    SOLUTION_AFTER_FAILED_CHECKS,
    ExerciseState,
    exercise_ids,
    exercise_state,
    get_exercise,
    load_exercises,
    parse_exercise,
    solution_offered,
)
from tutor.engine.exercise_check import FailureKind
from tutor.resources import resource_path


def test_there_are_at_least_six_exercises_with_distinct_ids():
    exercises = load_exercises()
    assert len(exercises) >= 6
    assert len({e.id for e in exercises}) == len(exercises)
    assert [e.number for e in exercises] == sorted(e.number for e in exercises)


@pytest.mark.parametrize(
    ("exercise_id", "printed"),
    [
        ("main-guard", ("5133",)),
        ("picklable-function", ("332833500",)),
        ("return-dont-share", ("2262",)),
    ],
)
def test_the_named_exercises_expect_the_named_numbers(exercise_id, printed):
    exercise = get_exercise(exercise_id)
    assert exercise.must_print == printed
    assert exercise.needs_workers


@pytest.mark.parametrize("exercise", load_exercises(), ids=lambda e: e.id)
def test_every_exercise_is_complete(exercise):
    assert len(exercise.hints) >= 2
    assert exercise.task and exercise.explanation and exercise.title
    assert exercise.start_source != exercise.solution_source
    compile(exercise.start_source, str(exercise.start_path), "exec")
    compile(exercise.solution_source, str(exercise.solution_path), "exec")
    for kind, text in exercise.reasons:
        assert FailureKind(kind).value == kind and text


def test_reason_kinds_are_the_checker_failure_kinds():
    from tutor.content.exercises import REASON_KINDS

    assert set(REASON_KINDS) == {kind.value for kind in FailureKind}


def test_unknown_exercise_is_a_key_error():
    with pytest.raises(KeyError):
        get_exercise("no-such-exercise")


def test_a_malformed_file_names_the_key_at_fault(tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "x"\nnumber = 1\ntitle = "t"\nhints = []\n', encoding="utf-8")
    with pytest.raises(ValueError, match="hints"):
        parse_exercise(bad)


def test_an_id_that_is_not_the_files_name_is_refused(tmp_path: Path):
    shipped = resource_path("exercises", "main-guard.toml")
    for program in shipped.parent.glob("main-guard.*.py"):
        shutil.copy(program, tmp_path)
    renamed = tmp_path / "guard.toml"  # the id inside stays "main-guard"
    renamed.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ValueError, match="'id' must be the file's name"):
        parse_exercise(renamed)
    assert parse_exercise(Path(shutil.copy(shipped, tmp_path))).id == "main-guard"


def test_the_ids_from_the_file_names_are_the_exercises_ids():
    assert exercise_ids() == tuple(sorted(exercise.id for exercise in load_exercises()))


def test_states_and_when_the_solution_is_offered():
    assert exercise_state(0, False) is ExerciseState.NOT_STARTED
    assert exercise_state(2, False) is ExerciseState.TRIED
    assert exercise_state(2, True) is ExerciseState.SOLVED
    assert not solution_offered(SOLUTION_AFTER_FAILED_CHECKS - 1, False)
    assert solution_offered(SOLUTION_AFTER_FAILED_CHECKS, False)
    assert solution_offered(0, True)


def test_exercise_links_parse_and_the_lesson_links_real_exercises():
    import re

    from tutor.content.lesson import load_lesson
    from tutor.content.links import parse_exercise_link

    assert parse_exercise_link("tutor:exercise?id=main-guard") == "main-guard"
    assert parse_exercise_link("tutor:exercise") == ""
    assert parse_exercise_link("tutor:example?id=x") is None
    with pytest.raises(ValueError, match="only id"):
        parse_exercise_link("tutor:exercise?id=a&size=2")
    text = "\n".join(getattr(s, "markdown", "") for s in load_lesson().segments)
    links = re.findall(r"\((tutor:exercise[^)\s]*)\)", text)
    assert links, "the lesson links to at least one exercise"
    for link in links:
        get_exercise(parse_exercise_link(link))
