"""Predict, then measure, as a small state machine the run panel shows. Qt-free.

idle ──runs requested with a guess──▶ waiting(guess, the run it is about)
waiting ──that run finished──▶ idle, with the guess compared to the measurement
waiting ──the batch failed or was cancelled──▶ idle, saying so
Each step returns the sentence to show, or None (hide it / leave it as it is, as documented).
"""

from __future__ import annotations

from dataclasses import dataclass

from tutor.content.prediction import compare_prediction, format_factor
from tutor.engine.records import RunConfig, RunResult


@dataclass(frozen=True)
class PendingPrediction:
    predicted: float  # the guessed speedup, × sequential
    target: RunConfig  # the run the guess is about


def prediction_target(configs: list[RunConfig]) -> RunConfig | None:
    """The run a guess is about: the batch's process run with the most workers, else its
    last parallel run; None when the batch is only sequential."""
    parallel = [c for c in configs if c.mode != "sequential"]
    if not parallel:
        return None
    processes = [c for c in parallel if c.uses_processes]
    return max(processes, key=lambda c: c.workers) if processes else parallel[-1]


class PredictionTracker:
    """Holds at most one pending guess and words each step of predict-then-measure."""

    def __init__(self) -> None:
        self.pending: PendingPrediction | None = None

    def runs_requested(self, predicted: float, configs: list[RunConfig]) -> str | None:
        """A batch was asked for with `predicted` (0: no guess). The sentence to show while
        it runs, or None: nothing to show (no guess, or nothing parallel to guess about)."""
        target = prediction_target(configs)
        if not predicted or target is None:
            self.pending = None
            return None
        self.pending = PendingPrediction(predicted, target)
        return f"You predicted {format_factor(predicted)} for {target.label()}; measuring…"

    def run_finished(self, result: RunResult) -> str | None:
        """A run finished: the comparison when it is the predicted run; else None (no change)."""
        pending = self.pending
        if pending is None or result.config != pending.target:
            return None
        self.pending = None
        target = pending.target
        comparison = compare_prediction(
            pending.predicted, result.speedup, target.mode, target.workers
        )
        if comparison is None:
            return (
                f"You predicted {format_factor(pending.predicted)}; there was no sequential run "
                "to measure the speedup against."
            )
        return f"{comparison.text()} {comparison.hint()}"

    def batch_stopped(self, how: str) -> str | None:
        """The batch ended early (`how`: "failed", "was cancelled") before the predicted run
        finished: the sentence saying so, or None when no guess was pending."""
        pending, self.pending = self.pending, None
        if pending is None:
            return None
        return (
            f"You predicted {format_factor(pending.predicted)}, but the run {how}: "
            "run it again to compare."
        )
