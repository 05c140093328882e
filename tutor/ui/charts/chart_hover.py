"""A chart's tooltip for the bar under the mouse, shown as the mouse moves over the plot."""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QToolTip


class ChartHover:
    """Follows the mouse over `chart`'s plot and shows `text_at(x, y)` (data coordinates; ""
    where there is nothing to say) as a tooltip at once; the chart calls `leave()` from its
    leaveEvent. `text` is what was shown last (tests read it: a real tooltip's timing is the
    platform's)."""

    def __init__(self, chart: pg.PlotWidget, text_at: Callable[[float, float], str]) -> None:
        self._chart = chart
        self._text_at = text_at
        self.text = ""
        chart.scene().sigMouseMoved.connect(self._on_mouse_moved)

    def leave(self) -> None:
        """The mouse left the chart."""
        self.text = ""

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        view_box = self._chart.getPlotItem().getViewBox()
        if not view_box.sceneBoundingRect().contains(scene_pos):
            text = ""
        else:
            point = view_box.mapSceneToView(scene_pos)
            text = self._text_at(point.x(), point.y())
        if text == self.text:
            return
        self.text = text
        if text:
            global_pos = self._chart.mapToGlobal(self._chart.mapFromScene(scene_pos))
            QToolTip.showText(global_pos, text, self._chart)
        else:
            QToolTip.hideText()
