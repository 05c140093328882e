"""The busy-machine detector: a real CPU hog makes a run noisy; the verdict logic in detail."""

from __future__ import annotations

import os
import sys

import pytest
from cpu_hog import cpu_hogs

from tutor.engine import reliability
from tutor.engine.records import RunConfig
from tutor.engine.reliability import (
    OTHER_CPU_THRESHOLD,
    SPREAD_THRESHOLD,
    CpuMeter,
    CpuShare,
    Verdict,
    assess,
)
from tutor.engine.repeats import judge, measured_run

# ~0.3–1 s of trial division: long enough for the counters' 10 ms ticks.
CONFIG = RunConfig("primes", 400_000, "sequential", 1)


def test_a_run_beside_a_cpu_hog_is_noisy_and_says_why():
    with cpu_hogs():
        result = judge(measured_run(CONFIG))
    assert result.answer == 33_860
    assert result.cpu_share.method == "psutil"
    assert result.cpu_share.fraction > OTHER_CPU_THRESHOLD
    assert result.reliability.verdict is Verdict.NOISY
    assert result.reliability.other_cpu_fraction == result.cpu_share.fraction
    assert any("other programs used" in r for r in result.reliability.reasons)


@pytest.mark.parametrize("mode", ["processes", "threads"])
def test_a_parallel_run_beside_a_hog_is_noisy_too(mode):
    """The run's own workers are not counted as other programs; the hog is."""
    with cpu_hogs():
        result = judge(measured_run(RunConfig("primes", 400_000, mode, 2)))
    assert result.reliability.noisy
    assert result.cpu_share.fraction > OTHER_CPU_THRESHOLD


def test_without_psutil_linux_reads_proc_stat_and_still_sees_the_hog(monkeypatch):
    if not os.path.exists("/proc/stat"):
        pytest.skip("no /proc/stat here")
    with monkeypatch.context() as patch, cpu_hogs():
        patch.setitem(sys.modules, "psutil", None)  # import psutil → ImportError
        result = judge(measured_run(CONFIG))
    assert result.cpu_share.method == "proc-stat"
    assert result.reliability.noisy
    assert result.cpu_share.fraction > OTHER_CPU_THRESHOLD


def test_load_average_is_the_last_resort(monkeypatch):
    if not hasattr(os, "getloadavg"):
        pytest.skip("no load average on this OS")
    monkeypatch.setattr(reliability, "_busy_cpu_s", lambda: None)  # as on a system without both
    share = CpuMeter().start().stop()
    assert share.method == "loadavg"
    assert 0.0 <= share.fraction <= 1.0


def test_no_method_at_all_gives_no_verdict_from_cpu_share(monkeypatch):
    monkeypatch.setattr(reliability, "_busy_cpu_s", lambda: None)
    monkeypatch.delattr(os, "getloadavg", raising=False)
    share = CpuMeter().start().stop()
    assert share.method == "unknown" and share.fraction is None
    verdict = assess(share.fraction, spread=None)
    assert verdict.verdict is Verdict.OK and verdict.to_json()["other_cpu_fraction"] is None


def test_stop_before_start_is_an_error():
    with pytest.raises(RuntimeError):
        CpuMeter().stop()


@pytest.mark.parametrize(
    ("fraction", "spread", "noisy", "words"),
    [
        (0.43, 0.01, True, "other programs used 43% of your CPU"),
        (OTHER_CPU_THRESHOLD, 0.0, False, ""),  # at the threshold: still ok
        (0.02, 0.27, True, "the repeats differed by 27%"),
        (0.02, SPREAD_THRESHOLD, False, ""),
        (None, None, False, ""),
    ],
)
def test_the_verdict_from_given_measurements(fraction, spread, noisy, words):
    verdict = assess(fraction, spread)
    assert verdict.noisy is noisy
    assert (words in " ".join(verdict.reasons)) if words else verdict.reasons == ()
    data = verdict.to_json()
    assert data["verdict"] == ("noisy" if noisy else "ok")
    assert data["reasons"] == list(verdict.reasons)


def test_shares_of_several_repeats_add_up_their_seconds():
    merged = CpuShare.merged([CpuShare(1.0, 4.0, "psutil"), CpuShare(0.0, 4.0, "psutil")])
    assert merged.fraction == pytest.approx(0.125) and merged.method == "psutil"
    unknown = CpuShare.merged([CpuShare(1.0, 4.0, "psutil"), CpuShare(None, 4.0, "unknown")])
    assert unknown.fraction is None
    assert CpuShare.merged([]) is None
