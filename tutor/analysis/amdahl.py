"""Amdahl's law fitted to measured speedups: how much of the run behaved as if it were serial.

With a serial fraction s, N workers can at best reach speedup(N) = 1 / (s + (1 - s) / N):
the serial part takes as long as ever, the rest is shared out. Given the speedups a sweep
measured, `fit_serial_fraction` finds the s whose curve lies closest to them (least squares on
the speedups), and the fit predicts what more cores would bring.

Pure Python and Qt-free: the timing chart draws the curve, tests feed synthetic data.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

# Search over s in [0, 1]: a coarse grid, a finer grid around its best point, then a
# golden-section refinement. Cost: (GRID_STEPS + 2 * FINE_STEPS) error sums over the points, so a
# long sweep re-fitted after every run stays cheap (a 2,000-point grid took 0.5 s at 100 points).
GRID_STEPS = 200
FINE_STEPS = 20
TOLERANCE = 1e-10
PREDICT_FOR: tuple[int, ...] = (8, 64)
# Two points (1 and N workers) fix s exactly whatever the noise: a curve through two points
# says nothing about how well the law fits. From three worker counts on, the RMS error of
# the fit is a real check (issue #13: a 2-point fit claimed s ≈ 100 % from one noisy run).
MIN_WORKER_COUNTS = 3
_GOLDEN = (math.sqrt(5) - 1) / 2


def amdahl_speedup(serial_fraction: float, workers: float) -> float:
    """Amdahl's best speedup on `workers` workers when `serial_fraction` of the work is serial."""
    if workers <= 0:
        raise ValueError(f"workers must be more than 0, got {workers}")
    if not 0.0 <= serial_fraction <= 1.0:
        raise ValueError(f"the serial fraction must be between 0 and 1, got {serial_fraction}")
    return 1.0 / (serial_fraction + (1.0 - serial_fraction) / workers)


@dataclass(frozen=True)
class AmdahlFit:
    """The serial fraction that fits the measured (workers, speedup) points best."""

    serial_fraction: float
    points: tuple[tuple[int, float], ...]  # the (workers, measured speedup) that were fitted
    rms_error: float  # root-mean-square distance of the points from the curve, in ×

    @property
    def parallel_fraction(self) -> float:
        return 1.0 - self.serial_fraction

    @property
    def max_speedup(self) -> float:
        """The ceiling no number of workers can pass: 1 / s (infinite when s is 0)."""
        return math.inf if self.serial_fraction <= 0 else 1.0 / self.serial_fraction

    @property
    def workers_fitted(self) -> tuple[int, ...]:
        return tuple(sorted({n for n, _ in self.points}))

    def speedup(self, workers: float) -> float:
        """The speedup this fit predicts for `workers` workers."""
        return amdahl_speedup(self.serial_fraction, workers)

    def predictions(self, workers: Iterable[int] = PREDICT_FOR) -> dict[int, float]:
        return {n: self.speedup(n) for n in workers}

    def curve(self, last: float, first: float = 1.0, steps: int = 200) -> list[tuple[float, float]]:
        """Points of the fitted curve from `first` to `last` workers, for drawing."""
        if last <= first:
            return [(first, self.speedup(first))]
        width = (last - first) / steps
        return [(first + i * width, self.speedup(first + i * width)) for i in range(steps + 1)]


def _squared_error(serial_fraction: float, points: list[tuple[int, float]]) -> float:
    return sum((speedup - amdahl_speedup(serial_fraction, n)) ** 2 for n, speedup in points)


def fit_serial_fraction(points: Iterable[tuple[int, float]]) -> AmdahlFit:
    """Least-squares fit of s in speedup(N) = 1 / (s + (1 - s) / N), with s in [0, 1].

    Needs at least one point with more than one worker (speedup(1) is 1 whatever s is).
    Speedups above N (better than ideal) pull s to 0; speedups below 1 pull it to 1.
    """
    data = [(int(n), float(speedup)) for n, speedup in points]
    if any(n < 1 for n, _ in data):
        raise ValueError("every point needs at least one worker")
    if any(not math.isfinite(speedup) for _, speedup in data):
        raise ValueError("every speedup must be a finite number")
    if not any(n > 1 for n, _ in data):
        raise ValueError("fitting Amdahl's law needs a speedup measured with more than 1 worker")

    # The error is smooth in s but need not have a single minimum: search a grid, then narrow
    # down around the best grid point with a golden-section search.
    grid = [i / GRID_STEPS for i in range(GRID_STEPS + 1)]
    best = min(grid, key=lambda s: _squared_error(s, data))
    step = 1 / (GRID_STEPS * FINE_STEPS)
    fine = [best + i * step for i in range(-FINE_STEPS, FINE_STEPS + 1)]
    best = min((s for s in fine if 0.0 <= s <= 1.0), key=lambda s: _squared_error(s, data))
    low, high = max(0.0, best - step), min(1.0, best + step)
    a = high - _GOLDEN * (high - low)
    b = low + _GOLDEN * (high - low)
    error_a, error_b = _squared_error(a, data), _squared_error(b, data)
    while high - low > TOLERANCE:
        if error_a <= error_b:
            high, b, error_b = b, a, error_a
            a = high - _GOLDEN * (high - low)
            error_a = _squared_error(a, data)
        else:
            low, a, error_a = a, b, error_b
            b = low + _GOLDEN * (high - low)
            error_b = _squared_error(b, data)
    candidates = [best, (low + high) / 2, 0.0, 1.0]
    serial = min(candidates, key=lambda s: _squared_error(s, data))
    rms = math.sqrt(_squared_error(serial, data) / len(data))
    return AmdahlFit(serial, tuple(sorted(data)), rms)


def fit_sweep(
    points: Iterable[tuple[int, float | None]], max_workers: int | None = None
) -> AmdahlFit | None:
    """The fit for a sweep's measured speedups, or None when they cannot support one.

    Points with more workers than `max_workers` (the machine's cores) are left out: past the
    core count, workers share cores and the speedup flattens for that reason, not because of
    serial work. A fit needs at least two worker counts, one of them above 1.
    """
    usable = [
        (n, speedup)
        for n, speedup in points
        if speedup is not None and math.isfinite(speedup) and speedup > 0
        if max_workers is None or n <= max_workers
    ]
    counts = {n for n, _ in usable}
    if len(counts) < MIN_WORKER_COUNTS or max(counts) < 2:
        return None
    return fit_serial_fraction(usable)


def fit_advice(points: Iterable[tuple[int, float | None]], max_workers: int | None) -> str | None:
    """Why there is no fit yet and how to get one, in plain words; None when no process run
    has a speedup at all (nothing to say yet)."""
    counts = sorted(
        {
            n
            for n, speedup in points
            if speedup is not None and math.isfinite(speedup)
            if max_workers is None or n <= max_workers
        }
    )
    if not counts:
        return None
    have = ", ".join(map(str, counts))
    text = (
        f"No Amdahl fit yet: it needs speedups at {MIN_WORKER_COUNTS} or more worker counts "
        f"(you have {have}), because any curve passes through two points."
    )
    if max_workers is not None and max_workers < MIN_WORKER_COUNTS:
        return (
            f"{text} This machine has {max_workers} core{'s' if max_workers != 1 else ''}, "
            "and runs with more workers than cores share cores, so it cannot measure enough "
            "points for an honest fit."
        )
    top = max_workers if max_workers is not None else max(MIN_WORKER_COUNTS, counts[-1])
    return f"{text} Run a sweep up to {top} workers to get them."


def goodness_words(fit: AmdahlFit) -> str:
    """How well the curve fits the points, in words: the RMS distance in ×."""
    return f"the curve passes within ±{fit.rms_error:.2f}× of your points (RMS)"


def format_fraction(fraction: float) -> str:
    """0.0412 -> "4.1 %"; small and large fractions keep a useful number of digits."""
    percent = fraction * 100
    if percent == 0:
        return "0 %"
    if percent < 0.1:
        return f"{percent:.2f} %"
    return f"{percent:.1f} %"
