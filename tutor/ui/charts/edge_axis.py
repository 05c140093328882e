"""A bottom axis whose first and last tick labels are drawn even when they reach past its ends.

pyqtgraph drops every tick label whose box is not wholly inside the axis's bounding rectangle.
A label is centred on its tick, so one near either end of the axis sticks out by up to half its
width; with a grid on (most of our charts) that rectangle is the axis and the plot only, no
margin at all, and the chunk-size chart lost its "1,024" label in a 1024×640 window (#19). The
plot keeps room right of the axis for exactly that half label (`keep_right_margin`), so the
label may use it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontMetricsF

from tutor.ui.charts.presized_axis import PresizedAxis

# The widest tick label we draw, for the room it may take past an end: "1,024", "00.00".
_WIDE_LABEL = "00.000"


class EdgeLabelAxis(PresizedAxis):
    """A horizontal axis ("bottom" or "top") letting its end labels reach half a wide label
    (in its tick font, px) past each end of the axis, where they are drawn whole; sized for
    its labels before it is painted (`PresizedAxis`)."""

    def edge_margin(self) -> float:
        """Px a tick label may reach past either end of the axis."""
        font = self.style.get("tickFont") or QFont()
        return math.ceil(QFontMetricsF(font).horizontalAdvance(_WIDE_LABEL) / 2) + 2

    def boundingRect(self) -> QRectF:  # noqa: N802 - pyqtgraph override
        rect = super().boundingRect()
        if self.orientation in ("bottom", "top"):
            margin = self.edge_margin()
            rect = rect.adjusted(-margin, 0, margin, 0)
        return rect
