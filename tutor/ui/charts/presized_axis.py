"""An axis that makes room for its tick labels when its range changes, not when it is painted.

pyqtgraph measures an axis's tick labels while painting it (`AxisItem.generateDrawSpecs`) and
only then widens (or narrows) the axis to fit them: the layout changes inside the paint, the
plot is laid out again and painted again, and a chart whose labels changed paints two to five
times in a row. After a run the window's two charts did that together and held its timers for
~50 ms (tests/perf/ui_responsiveness.py, issue #15). Here the labels the next paint will draw
are measured as soon as the range, the length, the ticks or the font change (the same ticks
and strings pyqtgraph computes, measured with the tick font's metrics), and the axis takes its
size then; the first paint finds the room already made. A paint still widens the axis if a
label would not fit (never clipped), but it never narrows it: narrowing happens beforehand.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF

# pyqtgraph measures a label with QPainter.boundingRect in a 100×100 box and keeps 80 % of its
# height (AxisItem.generateDrawSpecs, pyqtgraph 0.14); a pixel more leaves room for rounding.
_BOX = QRectF(0, 0, 100, 100)
_HEIGHT_SHARE = 0.8
_SLACK_PX = 1.0


class PresizedAxis(pg.AxisItem):
    """A pyqtgraph axis sized for its tick labels before it is painted (see the module)."""

    _painted = False  # sized ahead of paints only after the first: start-up stays as it was
    _measured_for: tuple | None = None  # the inputs of the last measurement
    _measured_extent = 0.0

    def setRange(self, mn: float, mx: float) -> None:  # noqa: N802 - pyqtgraph override
        """As pyqtgraph's (the linked view calls it on every range change and resize), then
        the room for the labels this range shows."""
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
        """pyqtgraph's paint; from now on the axis is sized ahead of each paint."""
        self._painted = True
        super().paint(painter, *args)

    def resizeEvent(self, event: object = None) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.fit_text_space()

    def fit_text_space(self) -> None:
        """Size the axis for the tick labels it would draw now (px, across the axis: the
        widest label of a vertical axis, the tallest of a horizontal one). Nothing happens
        before the axis is in a view (its length in pixels is unknown)."""
        if not self._painted:
            return  # its first paint sizes it, as pyqtgraph's do: the window's start pays nothing
        size = self.label_extent()
        if size is not None:
            super()._updateMaxTextSize(size + _SLACK_PX)  # pyqtgraph's own: may narrow too

    def _updateMaxTextSize(self, x: float) -> None:  # noqa: N802 - pyqtgraph override
        """Called by pyqtgraph while painting: only ever widen the axis there (a label that
        does not fit would be dropped); narrowing is `fit_text_space`'s, outside paint."""
        current = self.textWidth if self.orientation in ("left", "right") else self.textHeight
        if x > current:
            super()._updateMaxTextSize(x)

    def label_extent(self) -> float | None:
        """The extent across the axis (px) of the tick labels the next paint would measure, as
        pyqtgraph 0.14's generateDrawSpecs picks them; None when the axis is not in a view,
        is empty, shows no values or has a size set (`setWidth`, `setHeight`)."""
        vertical = self.orientation in ("left", "right")
        fixed = self.fixedWidth if vertical else self.fixedHeight
        if fixed is not None or not self.style["showValues"] or self.label is None:
            return None  # a set size (the lane names' axis), no labels, or closed
        length = self._length_px()
        if not length:
            return None
        font = self.style["tickFont"] or QFont()
        # Range, length and font change together during a resize or a layout pass: the same
        # inputs measure the same labels, so they are measured once.
        key = (
            length,
            tuple(self.range),
            font.key(),
            repr(self._tickLevels),  # a copy: a list changed in place is a change
            self._tickSpacing,
            self.scale * self.autoSIPrefixScale,
            self.style["maxTextLevel"],
        )
        if key == self._measured_for:
            return self._measured_extent
        extent = self._measure_labels(length, vertical, QFontMetricsF(font))
        self._measured_for, self._measured_extent = key, extent
        return extent

    def _measure_labels(self, length: float, vertical: bool, metrics: QFontMetricsF) -> float:
        """The extent across the axis (px) of the labels of the levels a paint keeps."""
        low, high = sorted(self.range)
        levels = self._levels(length)
        along = 0.0  # summed extent of the labels along the axis, over the levels kept
        across = 0.0
        texts = 0
        for index, (values, strings) in enumerate(levels[: self.style["maxTextLevel"] + 1]):
            sizes = [
                metrics.boundingRect(_BOX, Qt.AlignmentFlag.AlignCenter, text)
                for value, text in zip(values, strings, strict=False)
                if _inside(value, low, high)
            ]
            if not sizes:
                continue
            level_along = sum(r.height() * _HEIGHT_SHARE if vertical else r.width() for r in sizes)
            level_across = max(r.width() if vertical else r.height() * _HEIGHT_SHARE for r in sizes)
            if index > 0 and _too_crowded(
                self.style["textFillLimits"], texts, (along + level_along) / length
            ):
                break
            along += level_along
            across = max(across, level_across)
            texts += len(sizes)
        return across

    def _levels(self, length: float) -> list[tuple[list[float], list[str]]]:
        """(values, strings) per tick level, as the next paint would draw them."""
        if self._tickLevels is not None:
            return [([v for v, _s in level], [s for _v, s in level]) for level in self._tickLevels]
        levels = []
        for spacing, values in self.tickValues(self.range[0], self.range[1], length):
            scale = self.autoSIPrefixScale * self.scale
            levels.append((list(values), self.tickStrings(list(values), scale, spacing)))
        return levels

    def _length_px(self) -> float:
        """The axis's length on screen (px), as pyqtgraph measures it when painting (its span
        reaches a pixel past either end); 0 when it is not shown in a view."""
        bounds = self.mapRectFromParent(self.geometry())
        if self.orientation in ("left", "right"):
            ends = (bounds.topLeft() + QPointF(0, -1), bounds.bottomLeft() + QPointF(0, 1))
        else:
            ends = (bounds.topLeft() + QPointF(-1, 0), bounds.topRight() + QPointF(1, 0))
        points = [self.mapToDevice(point) for point in ends]
        if None in points or bounds.isEmpty():
            return 0.0
        return math.hypot(points[1].x() - points[0].x(), points[1].y() - points[0].y())


def _inside(value: float, low: float, high: float) -> bool:
    """Whether a tick at `value` is drawn for the range [low, high] (with rounding room)."""
    room = (high - low) * 1e-9
    return low - room <= value <= high + room


def _too_crowded(limits: list[tuple[int, float]], texts: int, fill: float) -> bool:
    """pyqtgraph's rule for a lower tick level's labels: dropped when so many labels already
    fill that share of the axis (its `textFillLimits` style)."""
    return any(texts >= count and fill >= limit for count, limit in limits)
