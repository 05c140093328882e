"""Bars filled with a hatch whose lines keep their size on screen however the view is scaled.

A pattern brush is drawn in the painter's coordinates, which for a plot item are data
coordinates: zoomed out, its lines would be stretched into blurs. The chunk timeline used to
undo the data-to-device scaling in the brush whenever the view's transform changed, through
`setOpts(brush=...)`; but `BarGraphItem.setOpts` re-prepares every bar, and the transform
changes on every redraw of a growing run (its x range grows): a 2,000-bar timeline spent
10-40 ms of the GUI thread per change doing it again (measured with
tests/perf/ui_responsiveness.py). Here the brush gets the inverse of the painter's transform
at paint time instead: nothing is re-prepared, and the hatch is always in device pixels.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QPainter


class HatchedBarsItem(pg.BarGraphItem):
    """A `BarGraphItem` with one pen and a hatch brush kept in screen pixels (`set_hatch`)."""

    def __init__(self, **opts: object) -> None:
        super().__init__(**opts)
        self._hatch = QBrush()

    def set_hatch(self, hatch: QBrush) -> None:
        """Fill the bars with `hatch` (its pattern in device pixels); repaints, re-prepares
        nothing."""
        self._hatch = QBrush(hatch)
        self.update()

    def hatch(self) -> QBrush:
        """The hatch brush as set (without a transform)."""
        return QBrush(self._hatch)

    def paint(self, painter: QPainter, *args: object) -> None:  # pyqtgraph's override
        # pyqtgraph's prepared rectangles (BarGraphItem._rectarray in pyqtgraph 0.14); a
        # version without them paints as pyqtgraph does, its hatch then in data coordinates.
        rects = getattr(self, "_rectarray", None)
        if (
            self._hatch.style() == Qt.BrushStyle.NoBrush
            or self.opts["pens"] is not None
            or rects is None
        ):
            super().paint(painter, *args)
            return
        brush = QBrush(self._hatch)
        inverse, invertible = painter.transform().inverted()
        if invertible:
            brush.setTransform(inverse)
        painter.setPen(pg.mkPen(self.opts["pen"]))
        painter.setBrush(brush)
        painter.drawRects(*rects.drawargs())  # all bars in one call, as pyqtgraph does
