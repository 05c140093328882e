"""Time against items per chunk (log axis): the per-task overhead made visible.

Presentation only: fed finished `RunResult` records of a chunk-size sweep, it plots each run's
wall time and the part of it that went to pickling and transfer (analysis.breakdown).
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from tutor.analysis.breakdown import CHUNK_SIZES, time_breakdown
from tutor.engine.records import RunResult
from tutor.ui.charts.breakdown_chart import SEGMENT_STYLES
from tutor.ui.charts.chart_base import ChartView, format_seconds, set_plot_title, style_plot
from tutor.ui.charts.styles import MODE_STYLES

WALL_COLOR = MODE_STYLES["processes"].color
TRANSFER_COLOR = SEGMENT_STYLES["transfer"].color


class ChunkSizeChartView(ChartView):
    """Wall time and pickling/transfer time against chunk size, one point per run."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("chunkSizeChart", "Time against chunk size", parent)
        self._points: dict[int, RunResult] = {}
        self._transfer: dict[int, float] = {}

        item = self.getPlotItem()
        item.setMouseEnabled(x=False, y=False)
        item.showGrid(x=True, y=True, alpha=0.25)
        item.setLogMode(x=True, y=False)
        item.setLabel("bottom", "items per chunk (log scale)")
        item.setLabel("left", "seconds")
        # In a row under the axis: inside the plot it covered the small chunks' points (#19).
        self._legend = self.add_legend_row()
        self._wall = pg.PlotDataItem(
            [],
            [],
            pen=pg.mkPen(WALL_COLOR, width=2.5),
            symbol="o",
            symbolSize=10,
            symbolBrush=pg.mkBrush(WALL_COLOR),
            symbolPen=pg.mkPen(WALL_COLOR),
            name="wall time",
        )
        self._transfer_series = pg.PlotDataItem(
            [],
            [],
            pen=pg.mkPen(TRANSFER_COLOR, width=2, style=Qt.PenStyle.DashLine),
            symbol="t",
            symbolSize=10,
            symbolBrush=pg.mkBrush(TRANSFER_COLOR),
            symbolPen=pg.mkPen(TRANSFER_COLOR),
            name="pickling & transfer",
        )
        item.addItem(self._wall)
        item.addItem(self._transfer_series)
        set_plot_title(self, "Time against chunk size")
        self._apply_style()
        self._styled = True
        self._redraw()

    # ----------------------------------------------------------------- public API
    def add_point(self, size: int, result: RunResult) -> None:
        """Plot the run done at `size` items per chunk (a second run at that size replaces it)."""
        self._points[size] = result
        self._transfer[size] = time_breakdown(result).transfer_s
        self._redraw()

    def clear(self) -> None:
        self._points.clear()
        self._transfer.clear()
        self._redraw()

    def points(self) -> list[tuple[int, float]]:
        """(items per chunk, wall seconds), by chunk size."""
        return [(size, self._points[size].wall_s) for size in sorted(self._points)]

    def transfer_points(self) -> list[tuple[int, float]]:
        """(items per chunk, pickling & transfer seconds), by chunk size."""
        return [(size, self._transfer[size]) for size in sorted(self._transfer)]

    def summary_text(self) -> str:
        if not self._points:
            return (
                "Time against chunk size. No sweep yet: press Try chunk sizes to run the same "
                "work cut into chunks of 1 to 1024 items."
            )
        described = ", ".join(
            f"{size} item{'' if size == 1 else 's'} per chunk {format_seconds(wall)} "
            f"(transfer {format_seconds(self._transfer[size])})"
            for size, wall in self.points()
        )
        fastest = min(self.points(), key=lambda p: p[1])
        return f"Time against chunk size: {described}. Fastest at {fastest[0]} items per chunk."

    # ----------------------------------------------------------------- internals
    def _redraw(self) -> None:
        wall = self.points()
        transfer = self.transfer_points()
        self._wall.setData([p[0] for p in wall], [p[1] for p in wall])
        self._transfer_series.setData([p[0] for p in transfer], [p[1] for p in transfer])
        sizes = sorted(set(CHUNK_SIZES) | set(self._points))
        axis = self.getPlotItem().getAxis("bottom")
        axis.setTicks([[(math.log10(s), f"{s:,}") for s in sizes], []])
        item = self.getPlotItem()
        item.setXRange(math.log10(sizes[0]) - 0.25, math.log10(sizes[-1]) + 0.25, padding=0)
        top = max([p[1] for p in wall] + [p[1] for p in transfer], default=1.0)
        item.setYRange(0, top * 1.15 if top > 0 else 1.0, padding=0)
        self.describe()

    def _apply_style(self) -> None:
        style_plot(self)
        palette = self.palette()
        background = QColor(palette.color(QPalette.ColorRole.Base))
        background.setAlpha(220)
        self._legend.setLabelTextColor(palette.color(QPalette.ColorRole.Text))
        self._legend.setBrush(background)
        self._legend.setLabelTextSize(f"{max(self.font().pointSizeF(), 1.0):.1f}pt")
        # Re-add so the new text colour and size apply to existing entries.
        self._legend.clear()
        self._legend.addItem(self._wall, "wall time")
        self._legend.addItem(self._transfer_series, "pickling & transfer")
