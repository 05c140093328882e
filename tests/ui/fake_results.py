"""Run results made up for chart tests: a chart only reads the mode, N, times and baseline."""

from __future__ import annotations

from tutor.engine.records import RunConfig, RunResult


def chart_result(mode: str, workers: int, wall_s: float, baseline_s: float | None) -> RunResult:
    """primes ≤ 100,000 (9,592) on `workers`, taking `wall_s`; baseline None: no speedup."""
    return RunResult(
        config=RunConfig(workload="primes", size=100_000, mode=mode, workers=workers),
        answer=9592,
        wall_s=wall_s,
        startup_s=0.1,
        compute_s=wall_s - 0.1,
        chunks=(),
        chunk_count=8,
        baseline_s=baseline_s,
        baseline_answer=9592 if baseline_s is not None else None,
    )
