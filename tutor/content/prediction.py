"""Predict, then measure: compare the learner's guessed speedup with the measured one. Qt-free."""

from __future__ import annotations

from dataclasses import dataclass

SPOT_ON = 0.05  # within 5% counts as a good guess


def format_factor(value: float) -> str:
    """1.8 → "1.8×", 2.0 → "2×", 1.75 → "1.75×": the learner's own number, without noise."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text}×"


@dataclass(frozen=True)
class PredictionComparison:
    predicted: float
    measured: float
    mode: str  # the run's mode: "threads", "processes", "executor", ...
    workers: int

    @property
    def relative_error(self) -> float:
        """(measured − predicted) / predicted: +0.07 means measured 7% above the guess."""
        return self.measured / self.predicted - 1.0

    @property
    def close(self) -> bool:
        return abs(self.relative_error) <= SPOT_ON

    def verdict(self) -> str:
        error = self.relative_error
        percent = round(abs(error) * 100)
        if percent == 0:
            return "spot on"
        where = "above" if error > 0 else "below"
        return f"{percent}% {where} your guess"

    def text(self) -> str:
        return (
            f"You predicted {format_factor(self.predicted)}, measured "
            f"{self.measured:.2f}× — {self.verdict()}."
        )

    def hint(self) -> str:
        """One sentence on why the guess was off, when the lesson has an answer."""
        if self.close:
            return "Well judged."
        if self.mode == "threads" and self.predicted > 1.2 and self.measured < 1.2:
            return (
                "CPU-bound threads take turns holding the GIL, so extra threads add no speed "
                "(unless the work waits on I/O, runs in C code that releases the GIL, or "
                "Python is free-threaded)."
            )
        if self.mode == "threads" and self.predicted < 1.2 <= self.measured:
            return (
                "These threads did run side by side: the work waits on I/O or runs in C code "
                "that releases the GIL (like hashing), or this Python is free-threaded."
            )
        if self.measured < self.predicted and self.predicted > self.workers:
            return f"More than {self.workers}× would need more than {self.workers} workers."
        if self.measured < self.predicted:
            return (
                "Starting processes, pickling the work and sharing the cores with other "
                "programs all cost time; a bigger N hides more of the start-up."
            )
        return "Faster than you thought: the workers had the cores to themselves."


def compare_prediction(
    predicted: float | None, measured: float | None, mode: str, workers: int
) -> PredictionComparison | None:
    """None when there was no prediction (0 or None) or nothing was measured."""
    if not predicted or predicted <= 0 or measured is None:
        return None
    return PredictionComparison(float(predicted), float(measured), mode, workers)
