"""Speedup against workers for threads and processes, one pair of curves per interpreter.

Presentation only: fed the `RunResult` records a comparison brought back. Colour and symbol
say the mode (as in the timing chart); the line style says the interpreter.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from tutor.engine.interpreters import COMPARISON_MODES, InterpreterInfo
from tutor.engine.records import RunResult
from tutor.ui.charts.chart_base import (
    ChartView,
    LayoutLegend,
    set_plot_title,
    style_plot,
    wrap_legend_labels,
)
from tutor.ui.charts.styles import IDEAL_COLOR, style_of

IDEAL_NAME = "ideal: speedup = N"
MIN_PLOT_WIDTH = 80  # px of data area the chart keeps beside its legend
_LEGEND_SPACING = 10  # px between a legend sample and its label
LINE_STYLES = (
    Qt.PenStyle.SolidLine,
    Qt.PenStyle.DashLine,
    Qt.PenStyle.DotLine,
    Qt.PenStyle.DashDotLine,
    Qt.PenStyle.DashDotDotLine,
)


def series_name(info: InterpreterInfo, mode: str) -> str:
    """Legend text, e.g. "3.13.1t (GIL off) threads" or "3.11.7 (this one) processes"."""
    notes = []
    if info.gil_off:
        notes.append("GIL off")
    if info.is_current:
        notes.append("this one")
    note = f" ({', '.join(notes)})" if notes else ""
    return f"{info.short_label}{note} {mode}"


class InterpreterChartView(ChartView):
    """Speedup over each interpreter's own sequential run, against number of workers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "interpreterChart", "Speedup against workers under each interpreter", parent
        )
        self._interpreters: list[InterpreterInfo] = []
        self._points: dict[str, dict[int, RunResult]] = {}
        self._series: dict[str, pg.PlotDataItem] = {}

        item = self.getPlotItem()
        item.showGrid(x=True, y=True, alpha=0.25)
        item.setLabel("bottom", "workers (N)")
        item.setLabel("left", "speedup (×)")
        # The legend has its own column right of the plot: curves often end top right.
        self._legend = LayoutLegend(verSpacing=-4, horSpacing=_LEGEND_SPACING)
        item.layout.addItem(self._legend, 2, 3)
        item.layout.setAlignment(self._legend, Qt.AlignmentFlag.AlignTop)
        # Only as tall as its entries: stretched to the plot's height, its rows spread apart
        # and each swatch sank below its label (the first, a lone "---" beside the plot).
        self._legend.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._ideal = pg.PlotDataItem(
            [],
            [],
            pen=pg.mkPen(IDEAL_COLOR, width=1.5, style=Qt.PenStyle.DashLine),
            name=IDEAL_NAME,
        )
        item.addItem(self._ideal)
        # The title spans plot and legend: over the plot's column alone, its width (as long
        # as the chart is wide, less the axis) pushed the legend past the chart's right edge.
        item.layout.removeItem(item.titleLabel)
        item.layout.addItem(item.titleLabel, 0, 1, 1, 3)
        set_plot_title(self, "Threads and processes under each Python")
        self._apply_style()
        self._styled = True
        self._refresh()

    # ----------------------------------------------------------------- public API
    def add_results(self, info: InterpreterInfo, results: tuple[RunResult, ...]) -> None:
        """Add the threads/processes runs of one comparison step (sequential sets nothing)."""
        index = self._index_of(info)
        for result in results:
            mode = result.config.mode
            if mode not in COMPARISON_MODES or result.speedup is None:
                continue
            name = series_name(info, mode)
            if name not in self._series:
                style = style_of(mode)
                line = LINE_STYLES[index % len(LINE_STYLES)]
                color = QColor(style.color)
                if index % 2:
                    color = color.darker(135)
                self._series[name] = pg.PlotDataItem(
                    [],
                    [],
                    pen=pg.mkPen(color, width=2.5, style=line),
                    symbol=style.symbol,
                    symbolSize=10,
                    symbolBrush=pg.mkBrush(color),
                    symbolPen=pg.mkPen(color),
                    name=name,
                )
                self.getPlotItem().addItem(self._series[name])
                self._legend.addItem(self._series[name], name)
                self._fit_legend()
                self._points[name] = {}
            self._points[name][result.config.workers] = result
        self._refresh()

    def clear(self) -> None:
        item = self.getPlotItem()
        for series in self._series.values():
            item.removeItem(series)
            self._legend.removeItem(series)
        self._series.clear()
        self._points.clear()
        self._interpreters.clear()
        self._refresh()

    def series_names(self) -> list[str]:
        return list(self._series)

    def series_points(self, name: str) -> list[tuple[int, float]]:
        """(workers, speedup) of one series, by workers."""
        return [
            (workers, result.speedup or 0.0)
            for workers, result in sorted(self._points.get(name, {}).items())
        ]

    def interpreters(self) -> list[InterpreterInfo]:
        return list(self._interpreters)

    def summary_text(self) -> str:
        if not self._series:
            return (
                "Threads and processes under each Python. Nothing measured yet: choose an "
                "interpreter and run the comparison."
            )
        parts = ["Speedup over each interpreter's own sequential run, against workers."]
        for name in self._series:
            points = ", ".join(f"{n} → {s:.2f}×" for n, s in self.series_points(name))
            parts.append(f"{name}: {points}.")
        return " ".join(parts)

    # ----------------------------------------------------------------- internals
    def _index_of(self, info: InterpreterInfo) -> int:
        for index, known in enumerate(self._interpreters):
            if known.path == info.path:
                return index
        self._interpreters.append(info)
        return len(self._interpreters) - 1

    def _refresh(self) -> None:
        y_max = 1.0
        x_max = 1
        for name, series in self._series.items():
            points = self.series_points(name)
            series.setData([p[0] for p in points], [p[1] for p in points])
            y_max = max([y_max, *(p[1] for p in points)])
            x_max = max([x_max, *(p[0] for p in points)])
        self._ideal.setData(list(range(1, x_max + 1)), [float(n) for n in range(1, x_max + 1)])
        y_max = max(y_max, float(x_max))
        item = self.getPlotItem()
        item.setXRange(0.5, x_max + 0.5, padding=0)
        item.setYRange(0, y_max * 1.1, padding=0)
        item.getAxis("bottom").setTickSpacing(levels=[(1 if x_max <= 16 else 4, 0.0)])
        self.describe()

    def _apply_style(self) -> None:
        style_plot(self)
        palette = self.palette()
        legend = self._legend
        legend.setLabelTextColor(palette.color(QPalette.ColorRole.Text))
        legend.setPen(pg.mkPen(None))
        legend.setLabelTextSize(f"{max(self.font().pointSizeF(), 1.0):.1f}pt")
        legend.clear()
        legend.addItem(self._ideal, IDEAL_NAME)
        for name, series in self._series.items():
            legend.addItem(series, name)
        self._fit_legend()

    def _fit_legend(self) -> None:
        """Each entry whole in the legend's column: on one line where the chart has the
        width, else wrapped to the width left beside MIN_PLOT_WIDTH px of plot. The chart asks
        for at least the width of a plot and a wrapped legend, so that its layout never grows
        past the widget, which cut the legend's right edge off (its page scrolls instead)."""
        legend = self._legend
        item = self.getPlotItem()
        if legend is None or item is None:
            return
        # The title (shortened to the chart's width) spans plot and legend: its text's width
        # as the minimum of those columns kept the plot's column wide and the legend past the
        # chart's right edge.
        item.titleLabel.setMinimumWidth(0)
        left, _top, right, _bottom = item.layout.getContentsMargins()
        axis = item.getAxis("left")
        axis_width = axis.width() if axis.isVisible() else 0
        beside = left + right + axis_width + MIN_PLOT_WIDTH + 12  # all but the legend
        # wrap_legend_labels leaves 24 px beside a sample, more than the layout's spacing.
        samples = max((s.boundingRect().width() for s, _label in legend.items), default=0)
        metrics = QFontMetricsF(self.font())
        words = [w for _s, label in legend.items for w in label.text.split()]
        longest = max((metrics.horizontalAdvance(w) for w in words), default=0.0)
        # A label wrapped at its longest word (its text document keeps a 4 px margin each side).
        least_room = samples + 24 + longest + 2 * 4 + 4
        wrap_legend_labels(legend, None)
        room = self.width() - beside
        if legend.layout.effectiveSizeHint(Qt.SizeHint.MinimumSize).width() > room:
            wrap_legend_labels(legend, max(room, least_room))
        # The view set the plot's geometry before the labels were wrapped: a geometry below
        # the plot's minimum of then is widened to it, past the widget. Set it again.
        if item.geometry() != self.range:
            item.setGeometry(self.range)
        least = int(beside + least_room) + 1
        if self.minimumWidth() != least:
            self.setMinimumWidth(least)
        # As tall as title, legend and x axis: a wrapped legend (200 % zoom) ran off the bottom.
        title = item.titleLabel.maximumHeight() if item.titleLabel.isVisible() else 0
        legend_height = legend.layout.effectiveSizeHint(Qt.SizeHint.MinimumSize).height()
        tall = int(title + legend_height + item.getAxis("bottom").height()) + 16
        if self.minimumHeight() != tall:
            self.setMinimumHeight(tall)
