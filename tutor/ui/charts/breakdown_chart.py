"""Where the time of each process run went: one stacked horizontal bar per finished run.

Presentation only: the split is computed by `tutor.analysis.breakdown.time_breakdown` from the
chunk timings the run measured; this view draws it. One `BarGraphItem` per segment kind holds
the bars of every run, so a redraw never creates items per run (only one text label each).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPalette
from PySide6.QtWidgets import QWidget

from tutor.analysis.breakdown import SEGMENTS, TimeBreakdown, time_breakdown
from tutor.engine.records import RunResult
from tutor.ui.charts.chart_base import (
    MIN_PLOT_HEIGHT,
    ChartView,
    LayoutLegend,
    format_seconds,
    set_plot_title,
    style_plot,
)
from tutor.ui.charts.chart_hover import ChartHover
from tutor.ui.widgets.run_notes import segment_label

MAX_BARS = 6  # the most recent process runs; older ones scroll off
BAR_HEIGHT = 0.66
# Text lines of height each bar's row keeps at least: every bar gets its title on the axis and
# its "0.24 s" beside it, and neither touches the next row (six bars had three titles, #19).
ROW_LINES = 1.6
MIN_BAR_PX = 20  # the longest bar keeps at least this many pixels beside its value label


@dataclass(frozen=True)
class SegmentStyle:
    label: str  # in tooltips and the spoken summary
    short: str  # in the legend
    color: str


# Okabe-Ito colours of clearly different lightness, always stacked in the legend's order
# (start-up, transfer, compute, other), so position tells them apart as well as colour.
SEGMENT_STYLES: dict[str, SegmentStyle] = {
    "startup": SegmentStyle("pool start-up", "start-up", "#E69F00"),
    "transfer": SegmentStyle("pickling & transfer", "pickling & transfer", "#CC79A7"),
    "compute": SegmentStyle("compute", "compute", "#0072B2"),
    "other": SegmentStyle("other (waiting, shut-down)", "other", "#BBBBBB"),
}
SEGMENT_TIPS = {
    "startup": "until each worker process had started and received its first task",
    "transfer": "tasks and results pickled, sent through pipes and unpickled, between chunks",
    "compute": "CPU time inside the chunks: the work itself",
    # Process runs only (each process has its own GIL): the wait is for a core, not the GIL.
    "other": "waiting for a free core, for the slowest worker, and shut-down",
}


def run_title(result: RunResult) -> str:
    """Short label of a run for the bar's axis, e.g. "Pool × 2 · 37 chunks"."""
    api = {"processes": "Pool", "executor": "Executor"}.get(result.config.mode, result.config.mode)
    return f"{api} × {result.config.workers} · {result.chunk_count:,} chunks"


def breakdown_text(breakdown: TimeBreakdown, result: RunResult | None = None) -> str:
    """E.g. "start-up 0.08 s (40%), pickling & transfer 0.01 s (5%), ..."; with the run's
    `result`, an I/O-bound run's "other" is named as the waiting it mostly is."""
    parts = []
    for name, seconds, share in zip(
        SEGMENTS, breakdown.as_tuple(), breakdown.shares(), strict=True
    ):
        label = SEGMENT_STYLES[name].label
        label = label if result is None else segment_label(result, name, label)
        parts.append(f"{label} {format_seconds(seconds)} ({share:.0%})")
    return ", ".join(parts)


class BreakdownChartView(ChartView):
    """Stacked horizontal bars: start-up, pickling & transfer, compute, other; one per run."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "breakdownChart", "Where the time goes: one stacked bar per process run", parent
        )
        self._runs: list[tuple[RunResult, TimeBreakdown]] = []
        self._labels: list[pg.TextItem] = []

        item = self.getPlotItem()
        item.setMouseEnabled(x=False, y=False)
        item.setLabel("bottom", "seconds (average worker)")
        item.getViewBox().invertY(True)  # newest run at the bottom, oldest on top
        item.showGrid(x=True, y=False, alpha=0.25)
        self._bars = {name: pg.BarGraphItem(x0=[], x1=[], y0=[], y1=[]) for name in SEGMENTS}
        for bars in self._bars.values():
            item.addItem(bars)
        self._legend = LayoutLegend(colCount=4, horSpacing=10)
        item.layout.addItem(self._legend, 4, 0, 1, 3)  # under the axis, full width
        item.layout.setAlignment(self._legend, Qt.AlignmentFlag.AlignHCenter)
        self._samples = {name: pg.BarGraphItem(x0=[], x1=[], y0=[], y1=[]) for name in SEGMENTS}
        self._hover = ChartHover(self, lambda _x, y: self.tooltip_at(y))
        item.getViewBox().sigResized.connect(self._on_view_resized)
        set_plot_title(self, "Where the time goes")
        self._apply_style()
        self._styled = True
        self._redraw()

    # ----------------------------------------------------------------- public API
    def add_result(self, result: RunResult) -> bool:
        """Add a bar for a finished process run; other modes are ignored (False)."""
        if not result.config.uses_processes:
            return False
        self._runs.append((result, time_breakdown(result)))
        del self._runs[:-MAX_BARS]
        self._redraw()
        return True

    def clear(self) -> None:
        self._runs.clear()
        self._redraw()

    def bar_count(self) -> int:
        """Number of runs drawn (one stacked bar each)."""
        return len(self._runs)

    def breakdowns(self) -> list[tuple[str, TimeBreakdown]]:
        """(run title, breakdown) of every bar, top to bottom."""
        return [(run_title(result), breakdown) for result, breakdown in self._runs]

    def segment_rects(self, name: str) -> list[tuple[float, float, float, float]]:
        """(x0, y0, x1, y1) of the drawn pieces of one segment kind, in data coordinates."""
        opts = self._bars[name].opts
        return [
            (float(a), float(b), float(c), float(d))
            for a, b, c, d in zip(opts["x0"], opts["y0"], opts["x1"], opts["y1"], strict=True)
        ]

    def tooltip_at(self, y: float) -> str:
        """Tooltip for the bar at data row `y`; empty between bars."""
        row = round(y)
        if not 0 <= row < len(self._runs) or abs(y - row) > BAR_HEIGHT / 2:
            return ""
        result, breakdown = self._runs[row]
        config = result.config
        lines = [
            f"{run_title(result)} — {config.workload} N={config.size:,}",
            f"wall {format_seconds(result.wall_s)}, averaged over {config.workers} workers:",
        ]
        for name, seconds, share in zip(
            SEGMENTS, breakdown.as_tuple(), breakdown.shares(), strict=True
        ):
            label = segment_label(result, name, SEGMENT_STYLES[name].label)
            lines.append(f"  {label}: {format_seconds(seconds)} ({share:.0%})")
        return "\n".join(lines)

    def hover_text(self) -> str:
        return self._hover.text

    def summary_text(self) -> str:
        """The chart in words, for screen readers (also the accessible description)."""
        if not self._runs:
            return "Where the time goes. No process runs yet: run with processes to see a bar."
        parts = ["Where the time goes, averaged over each run's workers."]
        for result, breakdown in self._runs:
            parts.append(
                f"{run_title(result)}, wall {format_seconds(result.wall_s)}: "
                f"{breakdown_text(breakdown, result)}."
            )
        return " ".join(parts)

    # ----------------------------------------------------------------- Qt overrides
    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        self._hover.leave()
        super().leaveEvent(event)

    # ----------------------------------------------------------------- internals
    def _redraw(self) -> None:
        count = len(self._runs)
        parts = np.array([b.as_tuple() for _r, b in self._runs], dtype=float).reshape(count, 4)
        starts = np.cumsum(parts, axis=1) - parts
        rows = np.arange(count, dtype=float)
        for column, name in enumerate(SEGMENTS):
            self._bars[name].setOpts(
                x0=starts[:, column],
                x1=starts[:, column] + parts[:, column],
                y0=rows - BAR_HEIGHT / 2,
                y1=rows + BAR_HEIGHT / 2,
            )
        item = self.getPlotItem()
        for label in self._labels:
            item.removeItem(label)
        self._labels.clear()
        color = self.palette().color(QPalette.ColorRole.Text)
        for row, (result, _breakdown) in enumerate(self._runs):
            label = pg.TextItem(f" {format_seconds(result.wall_s)}", color=color, anchor=(0, 0.5))
            label.setFont(self.font())
            # After the bar's end: the average worker's parts can add up past the wall time.
            label.setPos(self._bar_end(row), row)
            item.addItem(label, ignoreBounds=True)
            self._labels.append(label)
        titles = [run_title(result) for result, _b in self._runs]
        self._update_ticks()
        axis = item.getAxis("left")
        metrics = QFontMetricsF(self.font())
        widest = max((metrics.horizontalAdvance(t) for t in titles), default=0)
        axis.setWidth(int(widest + metrics.averageCharWidth() * 2 + 10))
        self._fit_x_range()
        item.setYRange(-0.6, max(count, 1) - 0.4, padding=0)
        self._fit_legend()
        self.describe()

    def _bar_end(self, row: int) -> float:
        """Where the row's label starts (s): after its bar, or its wall time if further."""
        result, breakdown = self._runs[row]
        return max(result.wall_s, sum(breakdown.as_tuple()))

    def _fit_x_range(self) -> None:
        """Seconds across the plot so that every value label ends inside it: the pixels after
        a bar's end are the plot's width times (1 - end / range), so the range is
        end × width / (width - label width) for the tightest row (a fixed 22 % cut "0.243 s")."""
        if "_labels" not in self.__dict__:
            return  # the view resized in PlotWidget.__init__, before there is anything to fit
        width = self.getPlotItem().getViewBox().width()
        right = max((self._bar_end(row) for row in range(len(self._runs))), default=1.0) or 1.0
        right *= 1.05
        for row, label in enumerate(self._labels):
            end = self._bar_end(row)
            text = label.boundingRect().width() + 4
            if width > text + MIN_BAR_PX:
                right = max(right, end * width / (width - text))
            else:  # a plot narrower than its label (a tiny window at 200 %): a sliver of bar
                right = max(right, end * 10)
        self.getPlotItem().setXRange(0.0, right, padding=0)

    def _fit_legend(self) -> None:
        """The legend under the axis, and height for a line of text per bar (ROW_LINES)."""
        super()._fit_legend()
        runs = self.__dict__.get("_runs", ())  # a resize in PlotWidget.__init__ comes first
        line = QFontMetricsF(self.font()).height()
        rows = math.ceil(max(len(runs), 1) * line * ROW_LINES)
        if rows > MIN_PLOT_HEIGHT:  # fit_legend_columns kept MIN_PLOT_HEIGHT for the bars
            self.setMinimumHeight(self.minimumHeight() - MIN_PLOT_HEIGHT + rows)

    def _on_view_resized(self, *_: object) -> None:
        self._update_ticks()
        self._fit_x_range()

    def _update_ticks(self, *_: object) -> None:
        """Label every bar that has room for a line of text; in a short chart, every k-th."""
        titles = [run_title(result) for result, _b in self._runs]
        line = QFontMetricsF(self.font()).height()
        height = self.getPlotItem().getViewBox().height()
        step = 1
        if titles and height > 0:
            step = max(1, math.ceil(line / (height / len(titles))))
        ticks = [
            (row, title) for row, title in enumerate(titles) if (len(titles) - 1 - row) % step == 0
        ]
        self.getPlotItem().getAxis("left").setTicks([ticks, []])

    def restyle(self) -> None:
        super().restyle()
        self._redraw()

    def _apply_style(self) -> None:
        style_plot(self)
        palette = self.palette()
        for name in SEGMENTS:
            color = QColor(SEGMENT_STYLES[name].color)
            pen = pg.mkPen(palette.color(QPalette.ColorRole.Base), width=1)
            self._bars[name].setOpts(brush=pg.mkBrush(color), pen=pen)
            self._samples[name].setOpts(brush=pg.mkBrush(color), pen=pen)
        legend = self._legend
        legend.clear()
        legend.setLabelTextColor(palette.color(QPalette.ColorRole.Text))
        legend.setLabelTextSize(f"{max(self.font().pointSizeF(), 1.0):.1f}pt")
        legend.setPen(pg.mkPen(None))
        for name in SEGMENTS:
            legend.addItem(self._samples[name], SEGMENT_STYLES[name].short)
