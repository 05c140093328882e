"""Place a plot's items for a new range or size when it changes, not when the plot is painted.

pyqtgraph defers the work a new view range or size brings until the scene is about to be
painted (`GraphicsScene.prepareForPaint`, called from `GraphicsView.paintEvent`): the view box
sets its data-to-screen transform, text items (the core-count labels, the bars' value labels)
move to follow it. Items moved inside a paint are marked for repainting once that paint is
done, so every change of range cost a chart a second paint, and after a run the window's two
charts painted two or three times each in a row (tests/perf/ui_responsiveness.py, issue #15).
Preparing the scene as soon as the range or the view's geometry changes lets the next paint
find everything in place: it is the one paint.
"""

from __future__ import annotations

import pyqtgraph as pg


def prepare_ahead_of_paint(plot: pg.PlotWidget) -> None:
    """From now on, prepare `plot`'s scene for painting (pyqtgraph's `prepareForPaint`) each
    time its view box's range, size or place in the plot changes. Costs a transform and a
    few text items' placement per change; the prepare step inside the paint then finds
    nothing left to do."""
    view_box = plot.getPlotItem().getViewBox()
    scene = plot.scene()

    def prepare(*_: object) -> None:
        # Not while pyqtgraph's close() takes the plot apart, nor before its first paint
        # (which prepares it: ahead of it, the window's start-up would pay twice).
        if view_box.scene() is scene and getattr(plot, "has_painted", True):
            scene.prepareForPaint()

    view_box.sigRangeChanged.connect(prepare)
    view_box.sigResized.connect(prepare)
    view_box.geometryChanged.connect(prepare)
