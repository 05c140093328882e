"""Predict, then measure: the comparison the run panel shows after a run."""

from __future__ import annotations

import pytest

from tutor.content.prediction import compare_prediction, format_factor


@pytest.mark.parametrize(
    ("value", "text"), [(1.8, "1.8×"), (2.0, "2×"), (1.75, "1.75×"), (0.5, "0.5×"), (12, "12×")]
)
def test_a_guess_is_shown_as_the_learner_typed_it(value, text):
    assert format_factor(value) == text


def test_no_prediction_or_no_measurement_gives_nothing():
    assert compare_prediction(None, 1.9, "processes", 2) is None
    assert compare_prediction(0.0, 1.9, "processes", 2) is None
    assert compare_prediction(1.8, None, "processes", 2) is None


def test_measured_above_the_guess():
    comparison = compare_prediction(1.8, 1.93, "processes", 2)
    assert comparison is not None
    assert comparison.relative_error == pytest.approx(0.0722, abs=1e-3)
    assert comparison.text() == "You predicted 1.8×, measured 1.93× — 7% above your guess."


def test_measured_below_the_guess():
    comparison = compare_prediction(2.0, 1.5, "processes", 2)
    assert comparison.verdict() == "25% below your guess"
    assert not comparison.close
    assert "start" in comparison.hint().lower()


def test_a_close_guess_is_praised_and_an_exact_one_is_spot_on():
    assert compare_prediction(2.0, 1.95, "processes", 2).hint() == "Well judged."
    assert compare_prediction(2.0, 2.001, "processes", 2).verdict() == "spot on"


def test_a_hopeful_thread_guess_gets_the_gil_explained():
    hint = compare_prediction(3.0, 0.95, "threads", 4).hint()
    assert "GIL" in hint


def test_threads_that_scale_get_a_reason():
    # Hashing releases the GIL: the hint says why, not "the cores were free".
    hint = compare_prediction(1.0, 1.8, "threads", 2).hint()
    assert "releases the GIL" in hint
    assert "free-threaded" in hint


def test_a_guess_beyond_the_worker_count_is_pointed_out():
    hint = compare_prediction(6.0, 1.9, "processes", 2).hint()
    assert "more than 2 workers" in hint
