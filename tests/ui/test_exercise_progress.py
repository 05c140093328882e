"""Exercise progress is kept with the rest of the learner's progress, and survives bad data."""

from __future__ import annotations

from tutor.ui.persistence.progress_store import ExerciseRecord, ProgressStore
from tutor.ui.persistence.settings_store import open_settings


def reopened_store() -> ProgressStore:
    settings, message = open_settings()
    assert message is None
    return ProgressStore(settings)


def test_checks_hints_and_solved_persist():
    store = reopened_store()
    assert store.exercise_record("main-guard") == ExerciseRecord()
    store.record_exercise_check("main-guard", passed=False)
    store.record_hint_shown("main-guard", 2)
    store.record_hint_shown("main-guard", 1)  # hiding is not a thing: the count stays 2
    store.record_exercise_check("main-guard", passed=True)
    store.record_exercise_check("main-guard", passed=False)  # solved stays solved
    store.record_exercise_check("dead-worker", passed=False)

    again = reopened_store()
    assert again.exercise_record("main-guard") == ExerciseRecord(
        checks=3, failed=2, hints_shown=2, solved=True
    )
    assert again.exercise_records()["dead-worker"] == ExerciseRecord(checks=1, failed=1)
    assert again.sections_read() == set()  # the other progress is untouched


def test_a_hand_edited_entry_starts_that_exercise_afresh():
    settings, _ = open_settings()
    settings.setValue(
        "exercises/progress",
        '{"main-guard": {"checks": "lots"}, "dead-worker": {"checks": 2, "solved": true}}',
    )
    settings.sync()
    store = reopened_store()
    assert "main-guard" not in store.exercise_records()
    assert store.exercise_record("dead-worker") == ExerciseRecord(checks=2, solved=True)
    settings.setValue("exercises/progress", "not json")
    settings.sync()
    assert reopened_store().exercise_records() == {}
