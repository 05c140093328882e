"""Amdahl's law: the curve, the least-squares fit of the serial fraction, and the core counts."""

from __future__ import annotations

import math
import random

import pytest

from tutor.analysis.amdahl import (
    AmdahlFit,
    amdahl_speedup,
    fit_advice,
    fit_serial_fraction,
    fit_sweep,
    format_fraction,
    goodness_words,
)
from tutor.engine.machine import CoreCounts, core_counts, physical_core_count


def synthetic(serial: float, workers=range(1, 9)) -> list[tuple[int, float]]:
    return [(n, amdahl_speedup(serial, n)) for n in workers]


def test_the_law_itself():
    assert amdahl_speedup(0.0, 8) == pytest.approx(8.0)
    assert amdahl_speedup(1.0, 8) == pytest.approx(1.0)
    assert amdahl_speedup(0.1, 4) == pytest.approx(1 / (0.1 + 0.9 / 4))  # ≈ 3.08×
    assert amdahl_speedup(0.25, 1) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        amdahl_speedup(1.5, 2)
    with pytest.raises(ValueError):
        amdahl_speedup(0.1, 0)


@pytest.mark.parametrize("serial", [0.0, 0.013, 0.05, 0.1, 0.3372, 0.8, 1.0])
def test_exact_data_gives_back_its_serial_fraction(serial):
    fit = fit_serial_fraction(synthetic(serial))
    assert fit.serial_fraction == pytest.approx(serial, abs=1e-7)
    assert fit.rms_error == pytest.approx(0.0, abs=1e-6)
    assert fit.workers_fitted == tuple(range(1, 9))


def test_two_worker_counts_are_enough():
    fit = fit_serial_fraction(synthetic(0.2, [1, 2]))
    assert fit.serial_fraction == pytest.approx(0.2, abs=1e-7)


def test_noisy_data_lands_near_the_truth_and_minimises_the_squared_error():
    rng = random.Random(6)
    points = [(n, s * (1 + rng.uniform(-0.04, 0.04))) for n, s in synthetic(0.07, range(1, 13))]
    fit = fit_serial_fraction(points)
    assert fit.serial_fraction == pytest.approx(0.07, abs=0.02)

    def sse(serial: float) -> float:
        return sum((s - amdahl_speedup(serial, n)) ** 2 for n, s in points)

    best = sse(fit.serial_fraction)
    for nearby in (fit.serial_fraction - 1e-4, fit.serial_fraction + 1e-4, 0.0, 0.5, 1.0):
        if 0 <= nearby <= 1:
            assert best <= sse(nearby) + 1e-12
    assert fit.rms_error == pytest.approx(math.sqrt(best / len(points)))


def test_better_than_ideal_clamps_to_zero_and_slower_than_sequential_to_one():
    assert fit_serial_fraction([(1, 1.0), (2, 2.3), (4, 4.6)]).serial_fraction == 0.0
    assert fit_serial_fraction([(1, 0.9), (2, 0.7), (4, 0.6)]).serial_fraction == 1.0


def test_predictions_and_the_ceiling():
    fit = fit_serial_fraction(synthetic(0.1))
    predictions = fit.predictions()
    assert set(predictions) == {8, 64}
    assert predictions[8] == pytest.approx(1 / (0.1 + 0.9 / 8))  # ≈ 4.71×
    assert predictions[64] == pytest.approx(1 / (0.1 + 0.9 / 64))  # ≈ 8.77×
    assert fit.max_speedup == pytest.approx(10.0)
    assert fit.parallel_fraction == pytest.approx(0.9)
    assert AmdahlFit(0.0, ((2, 2.0),), 0.0).max_speedup == math.inf


def test_the_curve_runs_from_one_worker_to_the_last():
    fit = fit_serial_fraction(synthetic(0.25))
    curve = fit.curve(6.0)
    assert curve[0] == (1.0, pytest.approx(1.0))
    assert curve[-1] == (pytest.approx(6.0), pytest.approx(amdahl_speedup(0.25, 6)))
    ys = [y for _, y in curve]
    assert ys == sorted(ys)  # more workers never predict less speed
    assert fit.curve(1.0) == [(1.0, pytest.approx(1.0))]


@pytest.mark.parametrize(
    "points",
    [[], [(1, 1.0)], [(1, 0.9), (1, 1.0)]],
    ids=["empty", "one-point", "only-one-worker"],
)
def test_too_little_data_is_refused(points):
    with pytest.raises(ValueError, match="more than 1 worker"):
        fit_serial_fraction(points)
    assert fit_sweep(points) is None


def test_bad_points_are_refused():
    with pytest.raises(ValueError):
        fit_serial_fraction([(0, 1.0), (2, 1.5)])
    with pytest.raises(ValueError):
        fit_serial_fraction([(1, 1.0), (2, math.nan)])


def test_a_sweep_fit_needs_three_worker_counts_and_skips_oversubscribed_runs():
    assert fit_sweep([(2, 1.8)]) is None  # one worker count only
    assert fit_sweep([(1, 0.95), (2, None)]) is None  # no baseline, no speedup
    # Two counts fix s exactly, noise and all: a 1-point "fit" of s ≈ 100 % from one bad run.
    assert fit_sweep([(1, 1.0), (2, 0.5)]) is None
    points = [(1, 1.0), (2, 1.9), (3, 2.7), (4, 3.3), (5, 2.0)]  # a 4-core machine, swept to 5
    fit = fit_sweep(points, max_workers=4)
    assert fit is not None and fit.workers_fitted == (1, 2, 3, 4)
    assert fit_sweep(points, max_workers=2) is None  # only 1 and 2 are usable
    assert fit_sweep(points).workers_fitted == (1, 2, 3, 4, 5)


def test_without_a_fit_the_advice_says_how_to_get_one():
    assert fit_advice([], 4) is None
    assert fit_advice([(2, None)], 4) is None
    text = fit_advice([(1, 1.0), (2, 1.9)], 4)
    assert "3 or more worker counts (you have 1, 2)" in text
    assert "Run a sweep up to 4 workers" in text
    small = fit_advice([(1, 1.0), (2, 1.9), (3, 1.8)], 2)
    assert "(you have 1, 2)" in small and "This machine has 2 cores" in small


def test_the_goodness_of_fit_is_put_in_words():
    fit = fit_serial_fraction([(1, 1.0), (2, 1.8), (4, 3.2)])
    assert (
        goodness_words(fit) == f"the curve passes within ±{fit.rms_error:.2f}× of your points (RMS)"
    )
    exact = fit_serial_fraction(synthetic(0.1, (1, 2, 4)))
    assert goodness_words(exact).startswith("the curve passes within ±0.00×")


def test_format_fraction():
    assert format_fraction(0.0412) == "4.1 %"
    assert format_fraction(0.0004) == "0.04 %"
    assert format_fraction(0.0) == "0 %"
    assert format_fraction(1.0) == "100.0 %"


# --- physical against logical cores --------------------------------------------------------


def fake_sysfs(root, cpus: dict[int, tuple[int, int] | None], offline=()) -> None:
    """cpus: number -> (package, core), or None for a CPU without topology (offline)."""
    for number, where in cpus.items():
        cpu = root / f"cpu{number}"
        cpu.mkdir(parents=True)
        if number in offline:
            (cpu / "online").write_text("0\n")
        elif number:
            (cpu / "online").write_text("1\n")
        if where is not None:
            (cpu / "topology").mkdir()
            (cpu / "topology" / "physical_package_id").write_text(f"{where[0]}\n")
            (cpu / "topology" / "core_id").write_text(f"{where[1]}\n")
    (root / "cpufreq").mkdir()  # not a CPU
    (root / "cpuidle").mkdir()


def test_hyperthreads_share_a_core(tmp_path):
    # 8 logical CPUs: two packages of two cores, two threads per core.
    fake_sysfs(tmp_path, {i: (i // 4, (i % 4) // 2) for i in range(8)})
    assert physical_core_count(tmp_path) == 4


def test_one_thread_per_core_and_offline_cpus(tmp_path):
    fake_sysfs(tmp_path, {0: (0, 0), 1: (0, 1), 2: (0, 2), 3: None}, offline={2})
    assert physical_core_count(tmp_path) == 2


def test_no_topology_means_unknown(tmp_path):
    assert physical_core_count(tmp_path) is None
    assert physical_core_count(tmp_path / "missing") is None


def test_core_counts_of_this_machine():
    counts = core_counts()
    assert counts.logical >= 1
    assert counts.physical is None or 1 <= counts.physical <= counts.logical
    assert counts.fit_limit == (counts.physical or counts.logical)


def test_core_counts_flags_a_difference():
    assert CoreCounts(8, 4).differ and CoreCounts(8, 4).fit_limit == 4
    assert not CoreCounts(2, 2).differ
    assert not CoreCounts(4, None).differ and CoreCounts(4, None).fit_limit == 4
