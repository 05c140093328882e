"""The timing chart in words: what a screen reader says of it (also its accessible description).

Apart from the chart's drawing so that the sentences read in one place; the chart passes what
it shows.
"""

from __future__ import annotations

from collections.abc import Mapping

from tutor.analysis.amdahl import AmdahlFit, format_fraction
from tutor.ui.charts.chart_base import format_seconds
from tutor.ui.charts.styles import style_of


def format_metric_value(metric: str, value: float) -> str:
    """A point's value as the chart's `metric` ("time": seconds, "speedup": ×) reads it."""
    return format_seconds(value) if metric == "time" else f"{value:.2f}×"


def timing_summary(
    metric: str,
    baseline_s: float | None,
    series: Mapping[str, list[tuple[int, float]]],
    has_ideal: bool,
    cores: tuple[int | None, int | None],
    fit: AmdahlFit | None,
) -> str:
    """The chart in sentences.

    `metric`: "time" (wall seconds) or "speedup"; `baseline_s`: the sequential run's wall time
    (s), None before one; `series`: (workers, value) points per mode, in drawing order;
    `has_ideal`: the ideal line is drawn; `cores`: (logical CPUs, physical cores), None where
    unknown; `fit`: Amdahl's law fitted to the process speedups, if drawn.
    """
    unit = "wall time" if metric == "time" else "speedup over sequential"
    parts = [f"Chart of {unit} against number of workers."]
    if baseline_s is not None:
        parts.append(f"Sequential baseline: {format_seconds(baseline_s)}.")
    for mode, points in series.items():
        if not points:
            continue
        described = ", ".join(
            f"{n} worker{'' if n == 1 else 's'} {format_metric_value(metric, v)}" for n, v in points
        )
        parts.append(f"{style_of(mode).spoken}: {described}.")
    if len(parts) == 1 + (baseline_s is not None):
        parts.append("No parallel runs yet.")
    if has_ideal:
        if metric == "time":
            parts.append("Ideal line: the baseline divided by the number of workers.")
        else:
            parts.append("Ideal line: speedup equal to the number of workers.")
    logical, physical = cores
    if logical is not None:
        parts.append(f"This machine has {logical} CPU cores.")
        if physical is not None and physical != logical:
            parts.append(
                f"They are logical CPUs on {physical} physical cores: "
                "the others are hardware threads sharing a core."
            )
    if fit is not None:
        predictions = ", ".join(
            f"{speedup:.1f}× on {n} cores" for n, speedup in fit.predictions().items()
        )
        parts.append(
            f"Amdahl's law fitted to the process speedups: serial fraction "
            f"{format_fraction(fit.serial_fraction)}, predicting {predictions}."
        )
    return " ".join(parts)
