"""Progress: sections read and quiz results survive reopening the settings."""

from __future__ import annotations

from datetime import date

import pytest

from tutor.ui.persistence.progress_store import ProgressStore
from tutor.ui.persistence.settings_store import open_settings


def reopened_store() -> ProgressStore:
    settings, message = open_settings()
    assert message is None
    return ProgressStore(settings)


def test_sections_read_persist():
    store = reopened_store()
    assert store.sections_read() == set()
    assert store.mark_section_read("Why threads do not help")
    assert not store.mark_section_read("Why threads do not help")
    assert store.mark_section_read("Pool.map, ✓ in order")
    assert store.is_section_read("Pool.map, ✓ in order")

    again = reopened_store()
    assert again.sections_read() == {"Why threads do not help", "Pool.map, ✓ in order"}
    again.clear_sections_read()
    assert reopened_store().sections_read() == set()


def test_a_single_section_is_still_a_set_after_reopening():
    reopened_store().mark_section_read("Only one")
    assert reopened_store().sections_read() == {"Only one"}


def test_quiz_best_score_attempts_and_date():
    store = reopened_store()
    assert store.best_score() is None
    assert store.best_total() is None
    assert store.attempts() == 0
    assert store.best_date() is None

    assert store.record_quiz_attempt(2, 4)  # first attempt is always a new best
    assert not store.record_quiz_attempt(1, 4)
    assert not store.record_quiz_attempt(2, 4)  # a tie is not a new best
    assert store.record_quiz_attempt(4, 4)

    again = reopened_store()
    assert again.best_score() == 4
    assert again.best_total() == 4
    assert again.attempts() == 4
    assert again.best_date() == date.today()


def test_impossible_scores_are_refused():
    store = reopened_store()
    with pytest.raises(ValueError):
        store.record_quiz_attempt(5, 4)
    with pytest.raises(ValueError):
        store.record_quiz_attempt(0, 0)
    assert store.attempts() == 0


def test_garbage_values_read_as_nothing():
    settings, _ = open_settings()
    settings.setValue("progress/sections_read", "{not json")
    settings.setValue("quiz/attempts", "many")
    settings.sync()
    store = ProgressStore(settings)
    assert store.sections_read() == set()
    assert store.attempts() == 0


# A second window is a second process with its own copy of the settings: it must add to what
# the first one saved, not write its older copy over it (#19: sections read jumped 4 → 10).
_OTHER_WINDOW = """
import sys
from PySide6.QtCore import QCoreApplication
from tutor.ui.persistence.progress_store import ProgressStore
from tutor.ui.persistence.settings_store import open_settings
app = QCoreApplication([])
settings, _ = open_settings()
store = ProgressStore(settings)
for title in sys.argv[1:-1]:
    store.mark_section_read(title)
store.record_exercise_check(sys.argv[-1], True)
"""


def other_window_marks(*titles: str, exercise: str) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _OTHER_WINDOW, *titles, exercise],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def test_two_processes_on_one_settings_file_merge_their_progress():
    first = reopened_store()  # this window's copy, read before the other one saves
    assert first.mark_section_read("one")
    first.record_exercise_check("first-exercise", False)
    assert first.sections_read() == {"one"}
    other_window_marks("two", "three", exercise="other-exercise")
    assert first.mark_section_read("four")  # not an overwrite with {"one", "four"}
    first.record_exercise_check("first-exercise", True)
    for store in (first, reopened_store()):
        assert store.sections_read() == {"one", "two", "three", "four"}
        records = store.exercise_records()
        assert records["other-exercise"].solved and records["first-exercise"].checks == 2
