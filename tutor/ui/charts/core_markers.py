"""The machine's core counts as labelled vertical lines on a chart, labels clear of the data.

A label on the line used to sit at the bottom of the plot, where the ideal time curve and the
markers of a sweep run through it ("2 cores" crossed out). The labels now hang from the top of
the plot, and the chart keeps a band above its highest value (`headroom`) that only the labels
use: a curve or a marker can never reach them.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPalette

from tutor.ui.charts.styles import IDEAL_COLOR

_LABEL_GAP_PX = 4.0  # between two stacked labels, and between the labels and the data below
_MARKER_PX = 7.0  # half a data marker (symbolSize 11-12): a marker at the top reaches this high


class CoreMarkers:
    """Two vertical lines, at the logical CPU count and (where it differs) the physical core
    count, each labelled ("8 logical" / "4 physical", or just "2 cores")."""

    def __init__(self, item: pg.PlotItem) -> None:
        self._item = item
        self.logical = self._line(Qt.PenStyle.DotLine)
        self.physical = self._line(Qt.PenStyle.DashDotLine)

    def _line(self, style: Qt.PenStyle) -> pg.InfiniteLine:
        line = pg.InfiniteLine(
            angle=90,
            movable=False,
            pen=pg.mkPen(IDEAL_COLOR, width=1.5, style=style),
            label="",
            # Text left of the line, its top right corner at the point: hanging from the top.
            labelOpts={"position": 1.0, "anchors": [(1.0, 0.0), (1.0, 0.0)]},
        )
        line.setVisible(False)
        self._item.addItem(line, ignoreBounds=True)
        return line

    def show(self, logical: int | None, physical: int | None) -> None:
        """Mark `logical` CPUs and `physical` cores (None: unknown, no line)."""
        differs = physical is not None and logical is not None and physical != logical
        if logical is not None:
            text = (
                f"{logical} logical" if differs else f"{logical} core{'' if logical == 1 else 's'}"
            )
            _place(self.logical, logical, text)
        self.logical.setVisible(logical is not None)
        if differs:
            _place(self.physical, physical, f"{physical} physical")
        self.physical.setVisible(differs)
        self.place_labels()

    def restyle(self, palette: QPalette, font: object) -> None:
        """Label colours on a backdrop of the plot's background, in the chart's font."""
        fill = QColor(palette.color(QPalette.ColorRole.Base))
        fill.setAlpha(200)
        for line in (self.logical, self.physical):
            line.label.setColor(palette.color(QPalette.ColorRole.Text))
            line.label.fill = pg.mkBrush(fill)
            line.label.setFont(font)
        self.place_labels()

    def headroom(self) -> float:
        """The share (0…0.6) of the plot's height above the data to keep for the labels."""
        rows = sum(line.isVisible() for line in (self.logical, self.physical))
        height = self._item.getViewBox().height()
        if rows == 0 or height <= 0:
            return 0.1
        need = rows * (self._label_height() + _LABEL_GAP_PX) + _LABEL_GAP_PX + _MARKER_PX
        return min(0.6, max(0.1, need / height))

    def label_rects(self) -> list[pg.QtCore.QRectF]:
        """Scene rectangles of the labels shown (for checking they stay clear of the data)."""
        return [
            line.label.textItem.sceneBoundingRect()
            for line in (self.logical, self.physical)
            if line.isVisible()
        ]

    def _label_height(self) -> float:
        text = self.logical.label.textItem  # its box has margins around the font's height
        return max(QFontMetricsF(text.font()).height() + 4, text.boundingRect().height())

    def place_labels(self) -> None:
        """Hang the labels from the top of the plot (again after it resized), the physical
        one a row below the logical one: both lines may be close."""
        height = self._item.getViewBox().height()
        if height <= 0:
            return
        row = (self._label_height() + _LABEL_GAP_PX) / height
        self.logical.label.setPosition(1.0 - _LABEL_GAP_PX / height)
        self.physical.label.setPosition(max(0.0, 1.0 - _LABEL_GAP_PX / height - row))


def _place(line: pg.InfiniteLine, value: int, text: str) -> None:
    line.setValue(value)
    line.label.setFormat(text)
    line.label.setText(text)  # setFormat skips the update while the line is hidden
