"""Predict, then measure, as a state machine, without a window."""

from __future__ import annotations

from tutor.engine.records import RunConfig, RunResult
from tutor.models.prediction_plan import PredictionTracker, prediction_target

SEQUENTIAL = RunConfig("primes", 1000, "sequential", 1)
TWO = RunConfig("primes", 1000, "processes", 2)
FOUR = RunConfig("primes", 1000, "processes", 4)
THREADS = RunConfig("primes", 1000, "threads", 4)


def result_of(config: RunConfig, speedup: float | None) -> RunResult:
    """A finished run `speedup` times faster than its baseline (None: no baseline)."""
    return RunResult(
        config=config,
        answer=0,
        wall_s=1.0,
        startup_s=0.0,
        compute_s=1.0,
        chunks=(),
        chunk_count=1,
        baseline_s=speedup,
    )


def test_the_guess_is_about_the_top_process_run_else_the_last_parallel_one():
    assert prediction_target([SEQUENTIAL, TWO, FOUR, THREADS]) == FOUR
    assert prediction_target([SEQUENTIAL, THREADS]) == THREADS
    assert prediction_target([SEQUENTIAL]) is None


def test_no_guess_or_nothing_parallel_shows_nothing():
    tracker = PredictionTracker()
    assert tracker.runs_requested(0.0, [FOUR]) is None
    assert tracker.runs_requested(2.0, [SEQUENTIAL]) is None
    assert tracker.pending is None


def test_the_guess_waits_for_its_run_and_is_then_compared():
    tracker = PredictionTracker()
    assert "measuring" in tracker.runs_requested(3.0, [TWO, FOUR])
    assert tracker.run_finished(result_of(TWO, 1.9)) is None  # not the predicted run
    text = tracker.run_finished(result_of(FOUR, 3.0))
    assert text.startswith("You predicted 3×, measured 3.00×")
    assert tracker.pending is None
    assert tracker.run_finished(result_of(FOUR, 3.0)) is None  # compared once


def test_without_a_baseline_the_guess_cannot_be_compared():
    tracker = PredictionTracker()
    tracker.runs_requested(2.0, [FOUR])
    assert "no sequential run" in tracker.run_finished(result_of(FOUR, None))


def test_a_failed_or_cancelled_batch_says_so_once():
    tracker = PredictionTracker()
    tracker.runs_requested(1.5, [FOUR])
    assert "was cancelled" in tracker.batch_stopped("was cancelled")
    assert tracker.batch_stopped("failed") is None
