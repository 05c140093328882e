"""Calibrated default sizes: real probes of the real workloads, and the cached form.

No assertion here is about how fast this machine is: each compares the probe's own prediction
with a real measurement of the size it chose, through CPU time (which other programs on a busy
machine lengthen far less than wall time), within a generous factor.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from tutor.engine import calibration
from tutor.engine.calibration import (
    CALIBRATED_WORKLOADS,
    MAX_TARGET_S,
    MIN_TARGET_S,
    CalibratedOn,
    Calibration,
    calibrate_size,
    measure_pool_startup,
    probe_machine,
    target_seconds,
    workload_cpu_time,
)
from tutor.engine.records import MAX_SIZE
from tutor.engine.workloads import WORKLOADS

SMALL_TARGET_S = 0.25  # keeps the test short; the relation does not depend on the target


@pytest.mark.parametrize("workload", ["primes", "squares", "hashing"])
def test_the_calibrated_size_takes_about_the_time_the_probe_predicted(workload):
    measure = workload_cpu_time(workload)
    chosen = calibrate_size(workload, SMALL_TARGET_S, measure)

    # Rounding to two digits moves the prediction a little off the target, never far.
    assert SMALL_TARGET_S / 1.2 <= chosen.predicted_s <= SMALL_TARGET_S * 1.2
    # A real run of the chosen size costs CPU time (how close it comes to the prediction
    # depends on the machine's clocks and caches, so no ratio is asserted here).
    assert measure(chosen.size) > 0
    # The probe spent only a fraction of what the run it sized will take.
    assert chosen.probe_size < chosen.size
    assert chosen.size == int(float(f"{chosen.size:.2g}"))  # a size a learner can type


def test_a_faster_growing_cost_gives_a_smaller_size_than_linear_extrapolation():
    # Counting primes by trial division costs more per item as N grows: the probe must see it.
    # At the smallest target the window uses: a smaller one refines on sizes too close to fit.
    chosen = calibrate_size("primes", MIN_TARGET_S, workload_cpu_time("primes"))
    linear = chosen.probe_size * MIN_TARGET_S / chosen.probe_cpu_s
    assert chosen.exponent > 1.0
    assert chosen.size < linear


def test_sizes_a_few_percent_apart_do_not_refit_the_exponent():
    """A refining step just past the last doubling (a small target) measured 32,914 items
    after 32,768: the timer's noise then set k to its bound (1.0 or 2.0 for primes, k ≈ 1.3)."""

    def cost(n: int) -> float:  # 1 µs × n**1.5; the refining step (no power of two) reads 5 % low
        exact = 1e-6 * n**1.5
        return exact if n & (n - 1) == 0 else exact * 0.95

    # Doubling stops at 1,024 items (32.8 ms); a tenth of 0.35 s refines to about 1,069.
    chosen = calibrate_size("primes", 0.35, cost)

    assert 1024 < chosen.probe_size < 2 * 1024
    assert chosen.exponent == pytest.approx(1.5)  # the doubling steps' fit, not 0.3 → 1.0


@pytest.mark.parametrize(
    ("target_s", "interfered"),
    [
        (1.5, 1024),  # refined far past 1,024: fitted on 1,024 and the refining step
        (0.35, 512),  # refined just past 1,024: the doubling steps' fit, on 512 and 1,024
    ],
)
def test_a_timing_lengthened_by_another_program_does_not_set_the_exponent(target_s, interfered):
    """Another program on the core only ever lengthens a timing: one such timing of a size the
    exponent is fitted on read k = 1.0 for primes (k ≈ 1.3) beside two busy loops."""
    timed: set[int] = set()

    def cost(n: int) -> float:  # 1 µs × n**1.5; the first timing of `interfered` 1.6× long
        first = n not in timed
        timed.add(n)
        return 1e-6 * n**1.5 * (1.6 if first and n == interfered else 1.0)

    # Doubling stops at 1,024 items (32.8 ms, the first step over 20 ms).
    chosen = calibrate_size("primes", target_s, cost)
    assert chosen.exponent == pytest.approx(1.5)
    assert chosen.size == calibrate_size("primes", target_s, lambda n: 1e-6 * n**1.5).size


def test_the_fit_follows_a_known_cost_curve_exactly():
    calls: list[int] = []

    def cost(n: int) -> float:  # a deterministic cost model: 1 µs × n**1.5
        calls.append(n)
        return 1e-6 * n**1.5

    chosen = calibrate_size("primes", 1.5, cost)
    assert chosen.exponent == pytest.approx(1.5)
    assert cost(chosen.size) == pytest.approx(1.5, rel=0.05)  # only the 2-digit rounding
    # The probe never measures more than a fraction of the target.
    assert max(1e-6 * n**1.5 for n in calls[:-1]) <= 0.2


def test_a_target_of_zero_is_refused():
    with pytest.raises(ValueError, match="target_s"):
        calibrate_size("squares", 0.0, workload_cpu_time("squares"))


def test_the_target_keeps_pool_start_up_small_within_one_to_two_seconds():
    assert target_seconds(None) == pytest.approx((MIN_TARGET_S + MAX_TARGET_S) / 2)
    assert target_seconds(0.01) == MIN_TARGET_S
    assert target_seconds(0.15) == pytest.approx(1.5)  # start-up is a tenth of the run
    assert target_seconds(5.0) == MAX_TARGET_S
    assert target_seconds(float("nan")) == target_seconds(None)
    previous = 0.0
    for startup in (0.0, 0.05, 0.1, 0.12, 0.18, 0.3, 1.0):
        target = target_seconds(startup)
        assert previous <= target
        previous = target


def test_pool_start_up_is_measured_by_a_real_run_and_leaves_no_process(no_children_left):
    startup = measure_pool_startup(workers=1)
    assert startup > 0
    assert no_children_left(5.0) == []


def test_a_probe_of_the_machine_covers_the_cpu_bound_workloads_and_round_trips():
    probed = probe_machine(["squares"], measure_startup=False)
    assert probed.target_s == target_seconds(None)
    assert probed.size_for("squares") is not None
    assert probed.size_for("sleep") is None
    assert probed.holds_for(CalibratedOn.current())
    assert Calibration.from_json(probed.to_json()) == probed
    assert "sleep" not in CALIBRATED_WORKLOADS
    assert set(CALIBRATED_WORKLOADS) <= set(WORKLOADS)


def test_a_calibration_from_another_python_or_machine_does_not_hold():
    facts = CalibratedOn.current()
    probed = Calibration(facts, 1.5, 0.1, ())
    assert probed.holds_for(facts)
    for change in (
        {"python": "CPython 0.0.1"},
        {"logical_cpus": facts.logical_cpus + 1},
        {"cpu_model": facts.cpu_model + " (another)"},
    ):
        assert not probed.holds_for(dataclasses.replace(facts, **change))
    assert not dataclasses.replace(probed, version=calibration.FORMAT_VERSION + 1).holds_for(facts)


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "not json",
        "[]",
        '{"facts": {}}',
        json.dumps({"version": 1, "target_s": 1.5, "pool_startup_s": None, "sizes": []}),
    ],
)
def test_an_unreadable_cache_reads_as_none(text):
    assert Calibration.from_json(text) is None


def test_a_cache_with_an_impossible_size_reads_as_none():
    good = Calibration(
        CalibratedOn.current(),
        1.5,
        None,
        (calibration.WorkloadSize("squares", 1000, 0.01, 1.0, 150_000, 1.5),),
    )
    assert Calibration.from_json(good.to_json()) == good
    for size in (0, MAX_SIZE * 10, -5):
        data = json.loads(good.to_json())
        data["sizes"][0]["size"] = size
        assert Calibration.from_json(json.dumps(data)) is None
