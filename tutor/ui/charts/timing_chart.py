"""Time (or speedup) against number of workers: one series per parallel mode, plus the ideal.

Presentation only: the chart is fed finished `RunResult` records and never runs anything itself.
"""

from __future__ import annotations

from typing import overload

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPaintDevice, QPalette
from PySide6.QtWidgets import QWidget

from tutor.analysis.amdahl import AmdahlFit, fit_advice, fit_sweep, format_fraction
from tutor.engine.modes import PROCESS_MODES
from tutor.engine.records import PARALLEL_MODES, RunResult
from tutor.ui.charts.chart_base import (
    FULL_TITLE,
    READABLE_PLOT_HEIGHT,
    ChartView,
    css_size,
    set_plot_title,
    settle_layout,
    show_legend,
    style_plot,
)
from tutor.ui.charts.core_markers import CoreMarkers
from tutor.ui.charts.styles import AMDAHL_COLOR, IDEAL_COLOR, MODE_STYLES, style_of
from tutor.ui.charts.timing_summary import timing_summary
from tutor.ui.widgets.run_notes import amdahl_note

METRICS: tuple[str, ...] = ("time", "speedup")
AMDAHL_MODES: tuple[str, ...] = PROCESS_MODES  # whose speedups Amdahl's law fits

_AXIS_LABELS = {
    "time": ("wall time (s)", "Wall time against number of workers"),
    "speedup": ("speedup (×)", "Speedup against number of workers"),
}


def _known(count: int | None) -> int | None:
    """A core count, or None when it is unknown (None, 0 or negative)."""
    return count if count and count > 0 else None


class TimingChartView(ChartView):
    """Wall time or speedup against workers, threads vs processes vs executor, with the ideal."""

    least_plot_height = READABLE_PLOT_HEIGHT  # the main window's charts stay readable

    amdahl_fit_changed = Signal(object)  # AmdahlFit | None, after the process points changed
    amdahl_advice_changed = Signal(object)  # str | None: how to get a fit while there is none

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        core_count: int | None = None,
        physical_core_count: int | None = None,
    ) -> None:
        """`core_count` and `physical_core_count` (logical CPUs, physical cores; None for
        unknown): the same as `set_core_count` and `set_physical_core_count` afterwards, but
        the chart is drawn once instead of three times (its first frame comes sooner)."""
        super().__init__(
            "timingChart", "Timing chart: time or speedup against number of workers", parent
        )
        self._metric = "time"
        self._core_count = _known(core_count)
        self._baseline: RunResult | None = None
        self._results: dict[str, dict[int, RunResult]] = {mode: {} for mode in PARALLEL_MODES}
        self._shown: set[str] = set()
        self._drawn: dict[str, list[tuple[int, float]]] = {}  # each series's data as last set
        self._physical_cores = _known(physical_core_count)
        self._amdahl_fit: AmdahlFit | None = None

        item = self.getPlotItem()
        item.showGrid(x=True, y=True, alpha=0.25)
        item.setLabel("bottom", "workers (N)")
        legend = self.add_legend_row()
        # Where pyqtgraph looks for a plot's legend. Its entries are `_rebuild_legend`'s alone:
        # no series has a pyqtgraph name, so PlotItem.addItem adds none (an entry added there,
        # in the plot's half of a refresh, re-laid the plot out once more).
        item.legend = legend

        # A mode's series is made when it first has points (_series_of): six empty ones
        # cost the window's first frame a few ms.
        self._series: dict[str, pg.PlotDataItem] = {}
        self._ideal = pg.PlotDataItem(
            [], [], pen=pg.mkPen(IDEAL_COLOR, width=2, style=Qt.PenStyle.DashLine)
        )
        # The logical CPUs and (where they differ) the physical cores, labelled above the data.
        self._markers = CoreMarkers(item)
        self._core_line, self._physical_line = self._markers.logical, self._markers.physical
        item.addItem(self._ideal)
        # The sequential baseline T₁ as a point at N = 1 (speedup 1 by definition).
        sequential = MODE_STYLES["sequential"]
        self._baseline_point = pg.PlotDataItem(
            [],
            [],
            pen=None,
            symbol=sequential.symbol,
            symbolSize=12,
            symbolBrush=pg.mkBrush(sequential.color),
            symbolPen=pg.mkPen(sequential.color),
        )
        # Amdahl's law fitted to the process speedups (speedup view only).
        self._amdahl = pg.PlotDataItem([], [], pen=pg.mkPen(AMDAHL_COLOR, width=2.5))
        for extra in (self._baseline_point, self._amdahl):
            item.addItem(extra)
        self._y_max = 1.0
        # The labels' band is so many pixels: a share of the plot's height, kept as it resizes.
        item.getViewBox().sigResized.connect(self._fit_ranges)

        self._refresh()
        self._apply_style()
        self._styled = True

    # ----------------------------------------------------------------- public API
    @overload
    def metric(self) -> str: ...

    @overload
    def metric(self, device_metric: QPaintDevice.PaintDeviceMetric) -> int: ...

    def metric(self, device_metric: QPaintDevice.PaintDeviceMetric | None = None) -> str | int:
        """The plotted metric, "time" or "speedup". With an argument, the Qt query the name
        shadows (QWidget.metric, called while painting: pixel ratio, DPI), passed on."""
        if device_metric is not None:
            return super().metric(device_metric)
        return self._metric

    def set_metric(self, metric: str) -> None:
        """Plot wall time ("time") or speedup against the sequential baseline ("speedup")."""
        if metric not in METRICS:
            raise ValueError(f"metric must be one of {METRICS}, not {metric!r}")
        if metric != self._metric:
            self._metric = metric
            self._refresh()

    def set_core_count(self, count: int | None) -> None:
        """Mark the machine's CPU core count with a labelled vertical line."""
        self._core_count = _known(count)
        self._refresh()

    def core_count(self) -> int | None:
        return self._core_count

    def core_marker_position(self) -> float | None:
        """x of the core-count marker, or None when it is hidden."""
        return float(self._core_line.value()) if self._core_line.isVisible() else None

    def set_physical_core_count(self, count: int | None) -> None:
        """Mark the physical cores too, where they differ from the logical CPU count."""
        self._physical_cores = _known(count)
        self._refresh()

    def physical_marker_position(self) -> float | None:
        """x of the physical-core marker, or None when it is hidden (same as logical, unknown)."""
        return float(self._physical_line.value()) if self._physical_line.isVisible() else None

    def amdahl_fit(self) -> AmdahlFit | None:
        """Amdahl's law fitted to the process speedups, once 2 worker counts have one."""
        return self._amdahl_fit

    def amdahl_points(self) -> list[tuple[float, float]]:
        """The fitted curve as drawn: in the speedup view only, from 1 to the widest x shown."""
        if self._amdahl_fit is None or self._metric != "speedup":
            return []
        return self._amdahl_fit.curve(float(self._x_max()))

    def add_result(self, result: RunResult, refresh: bool = True) -> None:
        """Sequential results set the baseline T₁; parallel ones add or replace a point.

        `refresh=False`: only remember it; the caller calls `refresh()` later (drawing the
        chart, its fit and legend is the costly part: once for several results).
        """
        mode = result.config.mode
        if mode == "sequential":
            self._baseline = result
        elif mode in self._results:
            self._results[mode][result.config.workers] = result
        else:
            return
        if refresh:
            self._refresh()

    def clear(self, refresh: bool = True) -> None:
        """Forget every result (the core count stays); `refresh=False` as in `add_result`."""
        self._baseline = None
        for points in self._results.values():
            points.clear()
        if refresh:
            self._refresh()

    def refresh(self) -> None:
        """Draw the results remembered so far (after `add_result(..., refresh=False)`)."""
        self._refresh()

    def baseline_s(self) -> float | None:
        return self._baseline.wall_s if self._baseline is not None else None

    def series_points(self, mode: str) -> list[tuple[int, float]]:
        """(workers, value) for one mode in the current metric, sorted by workers; the
        sequential baseline is one point at N = 1 (speedup 1)."""
        if mode == "sequential":
            baseline = self._baseline
            if baseline is None:
                return []
            return [(1, baseline.wall_s if self._metric == "time" else 1.0)]
        points: list[tuple[int, float]] = []
        for workers, result in sorted(self._results.get(mode, {}).items()):
            value = self._value(result)
            if value is not None:
                points.append((workers, value))
        return points

    def ideal_points(self) -> list[tuple[int, float]]:
        """Perfect scaling: T₁/N (time) or N (speedup), for N from 1 to the widest x shown."""
        has_data = self._baseline is not None or any(self._results.values())
        if not has_data and self._core_count is None:
            return []
        last = self._x_max()
        if self._metric == "time":
            if self._baseline is None:
                return []
            t1 = self._baseline.wall_s
            return [(n, t1 / n) for n in range(1, last + 1)]
        return [(n, float(n)) for n in range(1, last + 1)]

    def shown_modes(self) -> list[str]:
        """Modes currently drawn (a mode appears once it has a point)."""
        return [mode for mode in PARALLEL_MODES if mode in self._shown]

    def summary_text(self) -> str:
        """The chart in words, for screen readers (also the accessible description)."""
        baseline = self._baseline.wall_s if self._baseline is not None else None
        series = {mode: self.series_points(mode) for mode in PARALLEL_MODES}
        cores = (self._core_count, self._physical_cores)
        fit = self._amdahl_fit
        return timing_summary(self._metric, baseline, series, bool(self.ideal_points()), cores, fit)

    # ----------------------------------------------------------------- internals
    def _value(self, result: RunResult) -> float | None:
        return result.wall_s if self._metric == "time" else result.speedup

    def _x_max(self) -> int:
        workers = [n for points in self._results.values() for n in points]
        return max([1, *workers, self._core_count or 1])

    def refresh_plot(self) -> None:
        """The first half of `refresh`: the series, the ideal line and the ranges."""
        self._refresh_plot()

    def refresh_summary(self) -> None:
        """The second half of `refresh`: the Amdahl fit (and its advice line), the legend and
        the description. A half each per event-loop turn keeps a turn short: the advice line
        showing or hiding re-lays out the charts (~15 ms) and a new legend entry rebuilds the
        legend (~10 ms), on top of the plot's own ~15 ms (tests/perf/ui_responsiveness.py)."""
        self._refresh_summary()

    def _refresh(self) -> None:
        self._refresh_plot()
        self._refresh_summary()

    def _refresh_plot(self) -> None:
        item = self.getPlotItem()
        y_label, title = _AXIS_LABELS[self._metric]
        if item.getAxis("left").labelText != y_label:
            item.setLabel("left", y_label)
        if self.property(FULL_TITLE) != title:  # not the label's text: it may be shortened
            set_plot_title(self, title)

        self._shown.clear()
        y_values: list[float] = []
        for mode in PARALLEL_MODES:
            points = self.series_points(mode)
            if not points and mode not in self._series:
                continue  # never plotted
            series = self._series_of(mode)
            if points != self._drawn.get(mode):  # unchanged series are not set again
                series.setData([p[0] for p in points], [p[1] for p in points])
                self._drawn[mode] = points
            y_values += [p[1] for p in points]
            if points:
                self._shown.add(mode)
                if series.scene() is None:
                    item.addItem(series)  # and kept, empty when it has no points

        ideal = self.ideal_points()
        self._ideal.setData([p[0] for p in ideal], [p[1] for p in ideal])
        y_values += [p[1] for p in ideal]

        self._markers.show(self._core_count, self._physical_cores)
        baseline = self.series_points("sequential")
        self._baseline_point.setData([p[0] for p in baseline], [p[1] for p in baseline])
        y_values += [p[1] for p in baseline]

        x_max = self._x_max()
        step = next(s for s in (1, 2, 4, 8, 16, 32, 64, 128, 256, 512) if x_max / s <= 16)
        item.getAxis("bottom").setTickSpacing(levels=[(step, 0.0)])
        self._y_max = max(y_values, default=1.0)
        self._fit_ranges()
        settle_layout(self)  # the axes' new sizes, before the next paint (chart_base)

    def _refresh_summary(self) -> None:
        changed, advice = self._update_amdahl()
        if self._legend_entries() != [name for _item, name in self._wanted_legend_entries()]:
            self._rebuild_legend(settle=False)
        # The line under the charts last: showing it lays the window out at once, and a legend
        # changed after that resized the chart a second time.
        self.amdahl_advice_changed.emit(advice)
        if changed:
            self.amdahl_fit_changed.emit(self._amdahl_fit)
        settle_layout(self)  # the new legend with the chart's new height, in one go
        self.describe()

    def _series_of(self, mode: str) -> pg.PlotDataItem:
        series = self._series.get(mode)
        if series is None:
            style = style_of(mode)
            series = self._series[mode] = pg.PlotDataItem(
                [],
                [],
                pen=pg.mkPen(style.color, width=2.5, style=style.line),
                symbol=style.symbol,
                symbolSize=11,
                symbolBrush=pg.mkBrush(style.color),
                symbolPen=pg.mkPen(style.color),
            )
        return series

    def _fit_ranges(self, *_: object) -> None:
        """x from 0.5 to the widest N; y from 0 to the highest value, and above it a band
        that only the core-count labels use."""
        item = self.getPlotItem()
        item.setXRange(0.5, self._x_max() + 0.5, padding=0)
        top = self._y_max if self._y_max > 0 else 1.0
        self._markers.place_labels()
        item.setYRange(0, top / (1.0 - self._markers.headroom()), padding=0)

    def _apply_style(self) -> None:
        style_plot(self)
        self._markers.restyle(self.palette(), self.font())
        self._rebuild_legend()
        self._fit_ranges()

    def _ideal_name(self) -> str:
        return "ideal: T₁ ÷ N" if self._metric == "time" else "ideal: speedup = N"

    def _legend_entries(self) -> list[str]:
        return [label.text for _sample, label in self._legend.items]

    def _wanted_legend_entries(self) -> list[tuple[pg.PlotDataItem, str]]:
        entries = [(self._baseline_point, "sequential (T₁)")] if self._baseline else []
        entries += [
            (self._series[mode], style_of(mode).label)
            for mode in PARALLEL_MODES
            if mode in self._shown
        ]
        if self.ideal_points():
            entries.append((self._ideal, self._ideal_name()))
        if self.amdahl_points() and self._amdahl_fit is not None:
            s = format_fraction(self._amdahl_fit.serial_fraction)
            entries.append((self._amdahl, f"Amdahl fit: serial {s}"))
        return entries

    def _update_amdahl(self) -> tuple[bool, str | None]:
        """Refit Amdahl's law to the process speedups; draw it in the speedup view. Returns
        whether the fit changed and, without one, the advice on how to get one (or None)."""
        fit = None
        limit = self._physical_cores or self._core_count
        swept = [r for mode in AMDAHL_MODES for r in self._results.get(mode, {}).values()]
        io_note = amdahl_note(swept)  # an I/O-bound sweep: no fit, and the line says why
        fitted_modes = AMDAHL_MODES if io_note is None else ()
        for mode in fitted_modes:  # the process API with the most usable points wins
            points = [(n, r.speedup) for n, r in self._results.get(mode, {}).items()]
            candidate = fit_sweep(points, limit)
            if candidate is not None and (fit is None or len(candidate.points) > len(fit.points)):
                fit = candidate
        changed = fit != self._amdahl_fit
        self._amdahl_fit = fit
        advice = None
        if fit is None:
            points = [
                (n, r.speedup)
                for mode in AMDAHL_MODES
                for n, r in self._results.get(mode, {}).items()
            ]
            advice = io_note or fit_advice(points, limit)
        curve = self.amdahl_points()
        self._amdahl.setData([p[0] for p in curve], [p[1] for p in curve])
        self._amdahl.setVisible(bool(curve))
        return changed, advice

    def _rebuild_legend(self, settle: bool = True) -> None:
        """Legend entries in a fixed order: modes shown, then the ideal line."""
        text = self.palette().color(QPalette.ColorRole.Text)
        entries = self._wanted_legend_entries()
        show_legend(self, self._legend, entries, text, css_size(self.font()), 3, settle)
