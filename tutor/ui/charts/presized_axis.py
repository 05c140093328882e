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

The linked view calls `setRange` on every change of either of its ranges and on every resize,
and the charts set their ticks and font again on each refresh, often to what they were: a
picture built for the same range, size, ticks and grid span, and not dropped by pyqtgraph since
(it sets `picture` to None for anything else that changes what is drawn), is kept instead of
built again (a quarter of the builds in the layout and window tests were such repeats).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QFont, QPainter, QPicture


class PresizedAxis(pg.AxisItem):
    """A pyqtgraph axis sized for its tick labels before it is painted (see the module)."""

    _painted = False  # built ahead of paints only after the first: start-up stays as it was
    _building = False  # True while the picture is built outside a paint
    _built: QPicture | None = None  # the last picture built, here or by a paint
    _built_for: tuple[object, ...] | None = None  # what `_built` was built for (`_build_key`)
    _sized_for_font: str | None = None  # QFont.key() of the tick font the labels' room is for

    def setRange(self, mn: float, mx: float) -> None:  # noqa: N802 - pyqtgraph override
        """As pyqtgraph's (the linked view calls it on every range change and resize), then
        the picture and the room for the labels this range shows."""
        kept = self._kept_picture()
        super().setRange(mn, mx)
        self.fit_text_space(kept)

    def setTicks(self, ticks: list[list[tuple[float, str]]] | None) -> None:  # noqa: N802
        kept = self._kept_picture()
        super().setTicks(ticks)
        self.fit_text_space(kept)

    def setTickSpacing(self, *args: object, **kwargs: object) -> None:  # noqa: N802
        kept = self._kept_picture()
        super().setTickSpacing(*args, **kwargs)
        self.fit_text_space(kept)

    def setTickFont(self, font: QFont | None) -> None:  # noqa: N802 - pyqtgraph override
        kept = self._kept_picture()
        super().setTickFont(font)
        self.fit_text_space(kept)

    def paint(self, painter: object, *args: object) -> None:
        """pyqtgraph's paint; from now on the axis is built ahead of each paint."""
        self._painted = True
        building = self.picture is None
        key = self._build_key() if building else None
        super().paint(painter, *args)
        if building:
            self._built, self._built_for = self.picture, key

    def resizeEvent(self, event: object = None) -> None:  # noqa: N802 - Qt override
        kept = self._kept_picture()
        super().resizeEvent(event)
        self.fit_text_space(kept)

    def fit_text_space(self, kept: QPicture | None = None) -> None:
        """Build the picture the next paint would (pyqtgraph's `generateDrawSpecs` picks the
        labels and sizes the axis for them), unless the axis has not been painted yet (its
        first paint does it, as pyqtgraph's do: the window's start pays nothing) or is not in
        a view. `kept`: the picture the axis had before the change being handled, put back if
        it was built for what the axis now shows (`_build_key`)."""
        if not self._painted or self.linkedView() is None:
            return
        key = self._build_key()
        if kept is not None and key == self._built_for:
            self.picture = kept
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
            self._built, self._built_for = picture, key

    def _kept_picture(self) -> QPicture | None:
        """The current picture, if it is the last one built (pyqtgraph has not dropped it)."""
        picture = self.picture
        return picture if picture is not None and picture is self._built else None

    def _build_key(self) -> tuple[object, ...]:
        """What the picture is built from, beyond what pyqtgraph drops it for: the range, the
        axis's size, the ticks, their spacing and font and, with a grid, the view's rectangle
        its lines span (axis coordinates). Copies, so that a list changed in place differs."""
        view = self.linkedView()
        span = None
        if self.grid is not False and view is not None:
            span = view.mapRectToItem(self, view.boundingRect())
        ticks = self._tickLevels
        levels = None if ticks is None else tuple(tuple(level) for level in ticks)
        spacing = None if self._tickSpacing is None else tuple(self._tickSpacing)
        font = self.style["tickFont"]
        font = None if font is None else QFont(font)
        return (self.range[0], self.range[1], self.size(), span, levels, spacing, font)

    def _updateMaxTextSize(self, x: float) -> None:  # noqa: N802 - pyqtgraph override
        """Called by generateDrawSpecs with the room (px) the labels need: the axis widens
        for them at once (inside a paint too: a label that does not fit would be dropped),
        but narrows only for a new tick font, while the picture is built ahead.

        Held otherwise: the labels' width comes and goes with the runs shown ("2" and
        "0.0125" s), and each change resized the plot, a relayout that held the window's
        timers at a run's start and end (tests/perf/ui_responsiveness.py)."""
        current = self.textWidth if self.orientation in ("left", "right") else self.textHeight
        font = self.style["tickFont"]
        font_key = None if font is None else font.key()
        refit = self._building and font_key != self._sized_for_font
        if refit or x > current:
            self._sized_for_font = font_key
            super()._updateMaxTextSize(x)
