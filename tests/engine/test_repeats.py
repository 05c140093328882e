"""Repeated, interleaved runs: medians, spread, fresh baselines, impossible numbers explained."""

from __future__ import annotations

import statistics
from dataclasses import replace

import pytest

from tutor.engine.records import RunConfig, RunResult
from tutor.engine.repeats import (
    AUTO_BUDGET_S,
    AUTO_MAX_REPEATS,
    MAX_REPEATS,
    RepeatPolicy,
    combine,
    impossible_flags,
    judge,
    measured_run,
    run_rounds,
    size_advice,
)

SEQUENTIAL = RunConfig("primes", 30_000, "sequential", 1)
THREADS = RunConfig("primes", 30_000, "threads", 2)


@pytest.mark.parametrize("count", [0, -1, MAX_REPEATS + 1])
def test_a_repeat_count_out_of_range_is_refused(count):
    with pytest.raises(ValueError, match=f"between 1 and {MAX_REPEATS}"):
        RepeatPolicy(count)


def test_automatic_repeats_short_runs_and_runs_long_ones_once():
    auto = RepeatPolicy(None)
    assert auto.wants_more(0, 0.0)
    assert auto.wants_more(1, 0.1) and auto.wants_more(AUTO_MAX_REPEATS - 1, 0.4)
    assert not auto.wants_more(AUTO_MAX_REPEATS, 0.5)  # five short runs are enough
    assert not auto.wants_more(1, AUTO_BUDGET_S + 0.5)  # one long run is enough
    assert not auto.wants_more(3, AUTO_BUDGET_S)  # the time budget is spent
    assert RepeatPolicy(3).wants_more(2, 100.0) and not RepeatPolicy(3).wants_more(3, 0.0)


def test_rounds_interleave_the_baseline_and_divide_medians():
    order: list[str] = []

    def run_one(config: RunConfig) -> RunResult:
        order.append(config.mode)
        return measured_run(config)

    streamed: list[RunResult] = []
    baseline, threads = run_rounds([SEQUENTIAL, THREADS], RepeatPolicy(3), run_one, streamed.append)
    assert order == ["sequential", "threads"] * 3  # A B A B A B, not A A A B B B
    assert streamed == [baseline, threads]
    for result in (baseline, threads):
        assert len(result.repeats) == 3
        assert result.wall_s == statistics.median(result.repeats)
        assert result.spread == pytest.approx(
            (max(result.repeats) - min(result.repeats)) / result.wall_s
        )
        assert result.reliability is not None
        assert result.answer == 3_245
    assert threads.baseline_s == baseline.wall_s
    assert threads.speedup == pytest.approx(baseline.wall_s / threads.wall_s)
    data = threads.to_json()
    assert data["repeats"] == list(threads.repeats) and data["wall_s"] == threads.wall_s
    assert data["reliability"]["verdict"] in ("ok", "noisy")
    assert 0.0 <= data["reliability"]["other_cpu_fraction"] <= 1.0


def test_a_single_run_streams_each_result_as_it_finishes():
    seen: list[str] = []
    streamed: list[str] = []

    def run_one(config: RunConfig) -> RunResult:
        seen.append(f"ran {config.mode}")
        return measured_run(config)

    def on_result(result: RunResult) -> None:
        seen.append(f"finished {result.config.mode}")
        streamed.append(result.config.mode)

    run_rounds([SEQUENTIAL, THREADS], RepeatPolicy(1), run_one, on_result)
    assert seen == ["ran sequential", "finished sequential", "ran threads", "finished threads"]


def test_one_repeat_is_the_run_itself_measured_once():
    """--repeat 1 reports the very run that was measured: no second run, nothing recomputed."""
    ran: list[RunResult] = []

    def run_one(config: RunConfig) -> RunResult:
        ran.append(measured_run(config))
        return ran[-1]

    [result] = run_rounds([RunConfig("primes", 30_000, "processes", 2)], RepeatPolicy(1), run_one)
    assert len(ran) == 1
    assert result.wall_s == ran[0].wall_s and result.chunks == ran[0].chunks
    assert result.reliability is not None
    assert replace(result, reliability=None) == replace(ran[0], repeats=(ran[0].wall_s,))


def test_a_stopped_run_stops_the_rounds():
    calls: list[RunConfig] = []

    def run_one(config: RunConfig) -> RunResult | None:
        calls.append(config)
        return None

    assert run_rounds([SEQUENTIAL, THREADS], RepeatPolicy(5), run_one) is None
    assert calls == [SEQUENTIAL]


def test_combine_keeps_the_chunks_of_the_repeat_nearest_the_median():
    runs = [measured_run(THREADS) for _ in range(3)]
    combined = combine(runs)
    nearest = min(runs, key=lambda r: abs(r.wall_s - combined.wall_s))
    assert combined.chunks == nearest.chunks
    assert combined.cpu_share.capacity_s == pytest.approx(sum(r.cpu_share.capacity_s for r in runs))
    with pytest.raises(ValueError):
        combine([])


def _against(result: RunResult, baseline_s: float) -> RunResult:
    """A measured result compared with a baseline of the given length (as a busy machine
    that slowed the sequential run would give)."""
    return replace(result, baseline_s=baseline_s, baseline_answer=result.answer)


@pytest.fixture(scope="module")
def measured() -> dict[str, RunResult]:
    return {
        "threads": measured_run(THREADS),
        "one process": measured_run(RunConfig("primes", 30_000, "processes", 1)),
        "two processes": measured_run(RunConfig("primes", 30_000, "processes", 2)),
        "sleep threads": measured_run(RunConfig("sleep", 40, "threads", 2)),
        "hashing threads": measured_run(RunConfig("hashing", 200, "threads", 2)),
    }


def test_impossible_numbers_are_flagged_with_their_likely_cause(measured):
    threads = _against(measured["threads"], measured["threads"].wall_s * 1.6)
    (flag,) = impossible_flags(threads)
    assert "threads came out 1.60×" in flag and "GIL" in flag
    one = _against(measured["one process"], measured["one process"].wall_s * 1.3)
    (flag,) = impossible_flags(one)
    assert "one worker came out 1.30×" in flag
    two = _against(measured["two processes"], measured["two processes"].wall_s * 2.5)
    (flag,) = impossible_flags(two)
    assert "efficiency 125%" in flag and "turbo" in flag
    verdict = judge(two).reliability
    assert verdict.noisy and flag in verdict.reasons


def test_plausible_numbers_raise_no_flag(measured):
    assert (
        impossible_flags(
            _against(measured["two processes"], measured["two processes"].wall_s * 1.8)
        )
        == ()
    )
    assert impossible_flags(_against(measured["threads"], measured["threads"].wall_s * 0.9)) == ()
    # Waiting work: threads overlap their sleeps, so faster than sequential is right.
    assert (
        impossible_flags(
            _against(measured["sleep threads"], measured["sleep threads"].wall_s * 1.9)
        )
        == ()
    )
    assert impossible_flags(measured["threads"]) == ()  # no baseline, nothing to compare
    # hashlib lets go of the GIL while it hashes: two threads nearly halving the time is the
    # lesson's point there, not an impossible number.
    hashing = _against(measured["hashing threads"], measured["hashing threads"].wall_s * 1.84)
    assert impossible_flags(hashing) == ()


def test_the_baseline_repeats_only_while_a_run_compared_with_it_does():
    """Automatic: a long compared run (here 3 s) runs once, so its baseline runs once too;
    no tail of baseline-only rounds after it (the window would end on a baseline)."""
    order: list[str] = []

    def run_one(config: RunConfig) -> RunResult:
        order.append(config.mode)
        result = measured_run(config)
        # the measured run, as long as a big one would be
        return replace(result, wall_s=3.0) if config.mode == "threads" else result

    run_rounds([SEQUENTIAL, THREADS], RepeatPolicy(None), run_one)
    assert order == ["sequential", "threads"]


def test_a_size_too_small_for_a_speedup_is_named_with_a_better_one():
    measured = judge(measured_run(RunConfig("primes", 2_000, "sequential", 1)))
    # The advice reads only the sequential time. A real run of 303 primes takes milliseconds,
    # but on a crowded machine it could take longer: a set time keeps this test off the clock.
    small = replace(measured, wall_s=0.004)
    note = size_advice(small)
    assert note.startswith("N=2,000 is too small to show a speedup on this machine")
    suggested = int(note.split("Try N ≈ ")[1].split(" ")[0].replace(",", ""))
    assert suggested == 750_000  # 1.5 s at 2 µs an item
    compared = replace(small, config=replace(small.config, mode="processes", workers=2),
                       baseline_s=small.wall_s, wall_s=small.wall_s * 3)  # fmt: skip
    assert size_advice(compared).startswith("N=2,000 is too small")
    assert size_advice(replace(small, wall_s=1.2)) is None  # a 1.2 s sequential run is fine
    assert size_advice(replace(compared, baseline_s=None)) is None  # nothing to judge by


def small_batch(mode: str, baseline_s: float = 0.05) -> RunResult:
    """A run of `mode` on primes N=2,000 whose sequential baseline took `baseline_s`."""
    config = RunConfig("primes", 2_000, mode, 2)
    return RunResult(config, 303, baseline_s / 1.5, 0.0, 0.0, (), 1, baseline_s=baseline_s)


def test_threads_and_coroutines_are_never_told_the_size_is_too_small():
    # Threads and asyncio start in microseconds, and on waiting work they speed up at any
    # size: a note about starting worker processes contradicted the speedup they showed.
    assert size_advice(small_batch("threads")) is None
    assert size_advice(small_batch("asyncio")) is None
    assert size_advice(small_batch("processes")) is not None
    assert size_advice(small_batch("executor")) is not None


def test_the_machines_default_size_is_suggested_when_it_is_larger():
    # Scaled from a run of a few milliseconds, the suggestion was mostly fixed costs: 15-100x
    # too small. The workload's default N here is calibrated for a 1-2 s sequential run.
    note = size_advice(small_batch("processes"), default_size=1_200_000)
    assert note.endswith("Try N ≈ 1,200,000, this machine's default for it (about 1–2 s).")
    scaled = size_advice(small_batch("processes"), default_size=1_000)  # smaller than N
    assert "Try N ≈ 60,000 (about 1.5 s sequentially here)." in scaled
