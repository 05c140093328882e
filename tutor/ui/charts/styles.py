"""How each run mode is drawn, the same in every chart (colour, symbol, line style), and the
hatched texture of waiting time.

One table (`MODE_STYLES`) keyed by mode name; the timing, timeline, chunk-size and interpreter
charts all read it, so a mode looks the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPixmap


@dataclass(frozen=True)
class SeriesStyle:
    """How one mode is drawn: colour, symbol and line style, so it is never colour alone."""

    label: str  # legend text
    spoken: str  # name used in the plain-language summary
    color: str
    symbol: str
    line: Qt.PenStyle


# Okabe-Ito colours (distinguishable with the common colour-vision deficiencies), each paired with
# its own symbol and line style. Shared with the timeline chart so a mode looks the same in both.
MODE_STYLES: dict[str, SeriesStyle] = {
    "threads": SeriesStyle("threads", "Threads", "#D55E00", "t", Qt.PenStyle.DotLine),
    "processes": SeriesStyle(
        "processes (Pool)", "Processes", "#0072B2", "o", Qt.PenStyle.SolidLine
    ),
    "executor": SeriesStyle(
        "ProcessPoolExecutor", "ProcessPoolExecutor", "#009E73", "s", Qt.PenStyle.DashDotLine
    ),
    "sequential": SeriesStyle("sequential", "Sequential", "#555555", "d", Qt.PenStyle.SolidLine),
    "asyncio": SeriesStyle("asyncio", "asyncio", "#CC79A7", "star", Qt.PenStyle.DashDotDotLine),
    "cluster": SeriesStyle("Dask cluster", "Dask cluster", "#56B4E9", "h", Qt.PenStyle.DashLine),
    "loky": SeriesStyle("joblib (loky)", "joblib's loky", "#A6761D", "p", Qt.PenStyle.DashLine),
}
# A mode without an entry above still draws (tests/ui/test_run_modes_ui.py fails on it).
_UNSTYLED = SeriesStyle("other", "Other", "#7F7F7F", "x", Qt.PenStyle.DotLine)


def style_of(mode: str) -> SeriesStyle:
    """The style of a mode's series: MODE_STYLES' entry, or a plain grey one."""
    return MODE_STYLES.get(mode) or replace(_UNSTYLED, label=mode, spoken=mode)


IDEAL_COLOR = "#7F7F7F"
# The fitted curve (no symbols: a model, not a measurement). Violet: the earlier orange
# (#E69F00) was hard to tell from the threads vermilion; this keeps >= 3:1 contrast on the light
# and the dark background and stays clear of every mode colour.
AMDAHL_COLOR = "#7B61FF"


def hatch_brush(color: QColor, background: QColor) -> QBrush:
    """Light tint of `color` with diagonal lines: the "waiting" texture."""
    size = 8
    pixmap = QPixmap(size, size)
    tint = QColor(color)
    tint.setAlphaF(0.22)
    pixmap.fill(background)
    painter = QPainter(pixmap)
    painter.fillRect(0, 0, size, size, tint)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    line = QColor(color)
    line.setAlphaF(0.75)
    painter.setPen(QPen(line, 1.2))
    painter.drawLine(QPointF(0, size), QPointF(size, 0))
    painter.drawLine(QPointF(-1, 1), QPointF(1, -1))
    painter.drawLine(QPointF(size - 1, size + 1), QPointF(size + 1, size - 1))
    painter.end()
    return QBrush(pixmap)
