"""An axis that makes room for its tick labels when its range changes, not when it is painted.

pyqtgraph works out an axis's tick labels while painting it (`AxisItem.paint` builds a
picture with `generateDrawSpecs`) and only then widens (or narrows) the axis to fit them: the
layout changes inside the paint, the plot is laid out again and painted again, and a chart
whose labels changed paints two to five times in a row. After a run the window's two charts
did that together and held its timers for ~50 ms (tests/perf/ui_responsiveness.py, issue #15).
Here the same picture is built, by pyqtgraph's own code, as soon as the range, the length, the
ticks or the font change: the axis takes its size then, and the next paint only plays the
picture (it builds it again only if something made it stale meanwhile). A paint still widens
the axis if a label would not fit (never clipped), but it never narrows it.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QFont, QPainter, QPicture


class PresizedAxis(pg.AxisItem):
    """A pyqtgraph axis sized for its tick labels before it is painted (see the module)."""

    _painted = False  # built ahead of paints only after the first: start-up stays as it was
    _building = False  # True while the picture is built outside a paint

    def setRange(self, mn: float, mx: float) -> None:  # noqa: N802 - pyqtgraph override
        """As pyqtgraph's (the linked view calls it on every range change and resize), then
        the picture and the room for the labels this range shows."""
        super().setRange(mn, mx)
        self.fit_text_space()

    def setTicks(self, ticks: list[list[tuple[float, str]]] | None) -> None:  # noqa: N802
        super().setTicks(ticks)
        self.fit_text_space()

    def setTickSpacing(self, *args: object, **kwargs: object) -> None:  # noqa: N802
        super().setTickSpacing(*args, **kwargs)
        self.fit_text_space()

    def setTickFont(self, font: QFont | None) -> None:  # noqa: N802 - pyqtgraph override
        super().setTickFont(font)
        self.fit_text_space()

    def paint(self, painter: object, *args: object) -> None:
        """pyqtgraph's paint; from now on the axis is built ahead of each paint."""
        self._painted = True
        super().paint(painter, *args)

    def resizeEvent(self, event: object = None) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.fit_text_space()

    def fit_text_space(self) -> None:
        """Build the picture the next paint would (pyqtgraph's `generateDrawSpecs` picks the
        labels and sizes the axis for them), unless the axis has not been painted yet (its
        first paint does it, as pyqtgraph's do: the window's start pays nothing) or is not in
        a view."""
        if not self._painted or self.linkedView() is None:
            return
        geometry = self.geometry()
        picture = QPicture()
        painter = QPainter(picture)
        self._building = True
        try:
            if self.style["tickFont"]:
                painter.setFont(self.style["tickFont"])
            specs = self.generateDrawSpecs(painter)
            if specs is not None:
                self.drawPicture(painter, *specs)
        finally:
            self._building = False
            painter.end()
        # Kept for the paint only while the axis still has the geometry it was built for (a
        # new size comes with a resizeEvent, which builds again).
        if self.geometry() == geometry:
            self.picture = picture

    def _updateMaxTextSize(self, x: float) -> None:  # noqa: N802 - pyqtgraph override
        """Called by generateDrawSpecs: any change while the picture is built ahead, only
        widening inside a paint (a label that does not fit would be dropped)."""
        current = self.textWidth if self.orientation in ("left", "right") else self.textHeight
        if self._building or x > current:
            super()._updateMaxTextSize(x)
