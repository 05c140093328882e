"""The base class of the tutor's charts and the helpers that fit a pyqtgraph plot to its widget.

`ChartView` follows the application's palette (light or dark) and font (zoom); `set_plot_title`
and `fit_legend_columns` keep a title and a legend inside the widget as it resizes.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import QGraphicsItem, QWidget

from tutor.ui.charts.edge_axis import EdgeLabelAxis
from tutor.ui.charts.paint_ahead import prepare_ahead_of_paint
from tutor.ui.charts.presized_axis import PresizedAxis


def style_plot(plot: pg.PlotWidget) -> None:
    """Colour a plot from the widget's palette and size its text from the widget's font.

    pyqtgraph draws with its own fixed colours and point sizes; this makes a plot follow the
    application's theme (light or dark) and font size (e.g. a 200 % font for low vision).
    Call again on a FontChange or PaletteChange event.
    """
    palette = plot.palette()
    foreground = palette.color(QPalette.ColorRole.Text)
    plot.setBackground(palette.color(QPalette.ColorRole.Base))
    font = QFont(plot.font())
    size = css_size(font)
    item = plot.getPlotItem()
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.enableAutoSIPrefix(False)  # "(x0.001)" beside seconds puzzles more than it helps
        # Turning it off still works out a scale from the range shown: after a zoom or a theme
        # change, 0.2 s read "200" on an axis labelled in seconds. No scaling at all.
        axis.autoSIPrefixScale = 1.0
        axis.labelUnitPrefix = ""
        axis.setPen(foreground)
        axis.setTextPen(foreground)
        axis.setTickFont(font)
        if axis.labelText:
            axis.setLabel(axis.labelText, color=foreground.name(), **{"font-size": size})
    title = item.titleLabel
    title.setAttr("color", foreground.name())
    title.setAttr("size", size)
    keep_right_margin(plot)
    set_plot_title(plot, plot.property(FULL_TITLE) or title.text)


def keep_right_margin(plot: pg.PlotWidget) -> None:
    """Room right of the plot, from the font: the last x tick label is centred on the axis's
    end, so half of it (and the frame) sticks out; a fixed 10 px cut "1.0" at 200 % zoom."""
    metrics = QFontMetricsF(plot.font())
    right = max(12, math.ceil(metrics.horizontalAdvance("00.00") / 2) + 6)
    layout = plot.getPlotItem().layout
    left, top, old, bottom = layout.getContentsMargins()
    if old != right:
        layout.setContentsMargins(left, top, right, bottom)


FULL_TITLE = "fullTitle"  # the plot's title before eliding (a Qt property of the widget)


class ChartView(pg.PlotWidget):
    """Base of the tutor's charts: styled from the widget's palette and font (again on each
    change), title and legend fitted to the chart as it resizes.

    A subclass sets `_styled = True` at the end of its __init__ and styles itself in
    `_apply_style` (style_plot and its own items).
    """

    _legend: pg.LegendItem | None = None  # set by add_legend_row
    _styled = False  # True once the subclass is built: no restyling during PlotWidget.__init__
    has_painted = False  # True after the chart's first paint
    # The accessible description (a subclass's summary_text()) changed to this text.
    description_changed = Signal(str)

    def __init__(
        self, object_name: str, accessible_name: str, parent: QWidget | None = None
    ) -> None:
        """`object_name`: what tests and styles find the chart by; `accessible_name`: what a
        screen reader calls it (every chart has both)."""
        # No pyqtgraph context menu on any chart: not building one spares every chart's
        # construction (two are in the window's first frame) a menu of a dozen widgets.
        # Its end labels drawn whole ("1,024" went missing at the chunk-size axis's end).
        bottom = EdgeLabelAxis("bottom")
        # Both axes make room for new tick labels before a paint, not during it (a chart
        # painted up to five times in a row after a run: presized_axis).
        left = PresizedAxis("left")
        axes = {"bottom": bottom, "left": left}
        super().__init__(parent, enableMenu=False, axisItems=axes)
        # pyqtgraph's hidden top and right axes follow the view too, and with their automatic
        # SI prefix on, every range change and resize set their (never shown) titles again.
        for hidden in ("top", "right"):
            self.getPlotItem().getAxis(hidden).enableAutoSIPrefix(False)
        self.setObjectName(object_name)
        self.setAccessibleName(accessible_name)
        # PlotWidget.__init__ copies PlotItem.clear onto the instance, which would shadow the
        # charts' own clear() (and remove every item from the plot): drop the copy.
        vars(self).pop("clear", None)
        # Ours, all of them: no pyqtgraph context menu and no auto-range "A" button (the charts
        # fit themselves); whether the mouse may pan stays each chart's choice.
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        prepare_ahead_of_paint(self)  # one paint per change, not two (paint_ahead)

    def summary_text(self) -> str:
        """The chart in words (a subclass says what it shows); its accessible description."""
        return self.accessibleDescription()

    def describe(self) -> None:
        """Make the accessible description the chart's summary now (if it changed)."""
        if not self.is_open():
            return  # closed meanwhile (a late timer): nothing left to describe
        text = self.summary_text()
        if text != self.accessibleDescription():
            self.setAccessibleDescription(text)
            self.description_changed.emit(text)

    def _apply_style(self) -> None:
        style_plot(self)

    def restyle(self) -> None:
        """Follow a new palette (light or dark theme) or font (zoom)."""
        self._apply_style()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        restyle = event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange)
        if restyle and self._styled:
            self.restyle()

    def add_legend_row(self) -> pg.LegendItem:
        """A legend in its own row under the x axis, across the whole plot: it never covers
        the data (inside the plot it hid the processes curve after a sweep)."""
        item = self.getPlotItem()
        self._legend = LayoutLegend(colCount=2, horSpacing=8)
        item.layout.addItem(self._legend, 4, 0, 1, 3)
        item.layout.setAlignment(self._legend, Qt.AlignmentFlag.AlignHCenter)
        # Room on the right for the last tick label and the plot's frame: the chart sits at
        # the window's (or an exported picture's) edge.
        keep_right_margin(self)
        return self._legend

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """QGraphicsView's 480 px preferred height made a page holding a chart ask its scroll
        area for that much (a layout's height-for-width sums preferred heights), and the
        page's summary and charts scrolled out of view in a short tab: prefer the least that
        shows title, axes, legend and some data (see fit_legend_columns)."""
        hint = super().sizeHint()
        return QSize(hint.width(), max(self.minimumHeight(), 3 * MIN_PLOT_HEIGHT))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        self.has_painted = True  # from now on prepared ahead of each paint (paint_ahead)
        super().paintEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if not self.is_open():
            return
        refit_plot_title(self)
        self._fit_legend()
        central = self.centralWidget
        if central is not None and central.geometry().width() > self.width():
            # The plot was clamped to the minimum width of its title and legend as they were
            # before they were shortened to this width: lay it out again at the widget's width,
            # or its right edge (title, last tick) stays cut off.
            central.updateGeometry()
            central.setGeometry(QRectF(self.rect()))

    def _fit_legend(self) -> None:
        """Fit the legend to the chart's new size (a legend row under the plot; a chart whose
        legend sits elsewhere fits it its own way)."""
        if self._legend is not None:
            fit_legend_columns(self, self._legend)

    def close(self) -> bool:
        """Stop this chart's timers first: pyqtgraph's close() deletes the plot's items at once,
        and a held-back redraw (e.g. `RedrawThrottle`) firing later would touch deleted items."""
        for timer in self.findChildren(QTimer):
            timer.stop()
        return super().close()

    def is_open(self) -> bool:
        """False once pyqtgraph's close() began taking the plot apart (it resizes on the way)."""
        return not getattr(self, "closed", False) and self.getPlotItem() is not None


class LayoutLegend(pg.LegendItem):
    """A legend placed by the plot's layout (a row under the axis, a column beside the plot).

    pyqtgraph's legend is made to float over the data: it ignores the view's transformations
    (so a PNG export, which draws the scene scaled, got a tiny legend beside large axes), and on
    every change of its entries it moves itself to (0, 0), the top left of the chart, where it
    covered the title until the layout happened to place it again (a new run's legend). This one
    scales with the chart and stays where the layout put it.
    """

    def __init__(self, **options: object) -> None:
        super().__init__(**options)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, False)

    def updateSize(self) -> None:  # noqa: N802 - pyqtgraph override
        place = self.pos()
        super().updateSize()
        self.setPos(place)
        self.updateGeometry()  # the layout re-places it with its new size


def set_plot_title(plot: pg.PlotWidget, text: str) -> None:
    """Set the title, sizing its row from the font (pyqtgraph fixes it at 30 px, which clips).

    A title wider than the plot is shortened with "…": pyqtgraph would instead widen the whole
    plot past its widget and cut off its right edge (at 200 % zoom in a narrow window).
    """
    item = plot.getPlotItem()
    plot.setProperty(FULL_TITLE, text)
    metrics = QFontMetricsF(plot.font())
    item.setTitle(_elided_title(plot, text, metrics))  # also applies style_plot's colour, size
    height = int(metrics.height() * 1.5) + 6
    item.titleLabel.setMaximumHeight(height)
    item.layout.setRowFixedHeight(0, height)
    settle_layout(plot)


def refit_plot_title(plot: pg.PlotWidget) -> None:
    """After a resize: the title (as `set_plot_title` last set it) shortened to the new width.

    Nothing is set when the shortened text stays the same: setting it re-renders the label and
    lays the plot out again, and a chart is resized several times before the window's first
    frame (the font, and so the title's row, only change through `set_plot_title`).
    """
    text = plot.property(FULL_TITLE)
    if not text:
        return
    item = plot.getPlotItem()
    if _elided_title(plot, text, QFontMetricsF(plot.font())) != item.titleLabel.text:
        set_plot_title(plot, text)


def _elided_title(plot: pg.PlotWidget, text: str, metrics: QFontMetricsF) -> str:
    item = plot.getPlotItem()
    left_axis = item.getAxis("left")
    margin_left, _top, margin_right, _bottom = item.layout.getContentsMargins()
    axis = left_axis.width() if left_axis.isVisible() else 0
    room = plot.width() - axis - margin_left - margin_right - 12
    return metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(room, 40.0))


MIN_PLOT_HEIGHT = 56  # px of data area a chart keeps under its title, beside its legend
# px of data area the main window's wall-time/speedup and timeline charts keep: with 56 px the
# plot was a 40-100 px strip at 1024×640 and ~60 px at 1280×800 after one run (issue #19).
# Below it the charts' area scrolls and the tabs under it give up their extra rows.
READABLE_PLOT_HEIGHT = 120


def show_legend(
    plot: pg.PlotWidget,
    legend: pg.LegendItem,
    entries: list[tuple[pg.GraphicsObject, str]],
    text_color: QColor,
    text_size: str,
    most: int = 2,
    settle: bool = True,
) -> None:
    """Show `entries` ((plot item, text) pairs, in order) in `legend`, its labels in
    `text_color` and `text_size` (CSS, e.g. "9.0pt"), in as many columns as fit (`most`).
    `settle=False` leaves the plot's layout to the caller (`settle_layout`, after its other
    changes: one layout for all of them).

    When the legend already lists the same items in the same style, only the texts that differ
    are set again: rebuilding makes new labels and relayouts the plot (~10-20 ms of the GUI
    thread, at every run's start and end), while a run only rewords an entry.
    """
    restyled = (QColor(legend.opts["labelTextColor"]), legend.opts["labelTextSize"]) != (
        QColor(text_color),
        text_size,
    )
    legend.setLabelTextColor(text_color)
    legend.setLabelTextSize(text_size)
    if not restyled and [sample.item for sample, _label in legend.items] == [
        item for item, _text in entries
    ]:
        for (_sample, label), (_item, text) in zip(legend.items, entries, strict=True):
            if label.text != text:
                label.setText(text)
    else:
        legend.clear()
        for item, text in entries:
            legend.addItem(item, text)
    fit_legend_columns(plot, legend, most)
    if settle:
        settle_layout(plot)


def settle_layout(plot: pg.PlotWidget) -> None:
    """Lay the plot (and its legend, if it has one) out now, after a change of its title,
    legend, axes or ranges. Left to Qt, the layout waits for a posted request that the window
    handles after its next paint: the chart was then painted, laid out and painted again
    (issue #15). A layout already up to date costs nothing, and a hidden plot is laid out
    when shown. Relaying out can resize an axis for new tick labels (presized_axis) and so
    ask for another pass: at most three."""
    if not plot.isVisible():
        return
    item = plot.getPlotItem()
    legend = getattr(plot, "_legend", None)
    if legend is None:
        legend = item.legend
    for _ in range(3):
        if legend is not None:
            legend.layout.activate()
        if item.layout.isActivated() and (legend is None or legend.layout.isActivated()):
            return
        item.layout.activate()


def fit_legend_columns(plot: pg.PlotWidget, legend: pg.LegendItem, most: int = 2) -> None:
    """As many legend columns (up to `most`) as fit under the plot, and room left for data.

    A legend in a row of the plot's layout that is wider than the plot widens the whole plot
    past its widget, and its right edge (axis, curves, legend) is cut off: at 200 % zoom, or
    with a long entry such as the Amdahl fit, fewer columns keep everything in view. The taller
    legend then takes height from the data, so the chart asks for MIN_PLOT_HEIGHT more than its
    title, axes and legend (the window's other panels scroll instead); a chart's own
    `least_plot_height` (px) replaces MIN_PLOT_HEIGHT where it has one.
    """
    left, _top, right, _bottom = plot.getPlotItem().layout.getContentsMargins()
    room = plot.width() - left - right - 10  # the legend's row spans the plot, less margins
    wrap_legend_labels(legend, None)
    for columns in range(max(1, min(most, len(legend.items))), 0, -1):
        legend.setColumnCount(columns)
        if legend.layout.effectiveSizeHint(Qt.SizeHint.MinimumSize).width() <= room:
            break
    else:  # one column is still too wide (200 % zoom, a narrow chart): wrap the long labels
        wrap_legend_labels(legend, room)
    # Summed by hand: the plot's own layout has not taken in the legend's new shape yet.
    item = plot.getPlotItem()
    title = item.titleLabel.maximumHeight() if item.titleLabel.isVisible() else 0
    legend_height = held_legend_height(
        legend, room, legend.layout.effectiveSizeHint(Qt.SizeHint.MinimumSize).height()
    )
    legend.setMinimumHeight(legend_height)  # else the plot's layout squeezes the last row
    axis_height = item.getAxis("bottom").height()
    least = getattr(plot, "least_plot_height", MIN_PLOT_HEIGHT)
    needed = int(title + axis_height + legend_height) + least + 12
    if plot.minimumHeight() != needed:
        plot.setMinimumHeight(needed)


HELD_HEIGHT = "heldLegendHeight"  # (room px, text size, height px): a legend's held height


def held_legend_height(legend: pg.LegendItem, room: float, height: float) -> float:
    """The legend's height (px): the most its entries needed since the chart's width (`room`,
    px) or the legend's text size last changed, at least `height` (what they need now).

    Entries come and go with runs (a new baseline empties the timing chart, its runs fill it
    again). A legend that shrank and grew with them resized the plot each time, and the
    relayout and axes it brings held the window's timers for 20-40 ms at a run's start and
    end (tests/perf/ui_responsiveness.py). Held, the plot stays where it is.
    """
    key = (room, legend.opts["labelTextSize"])
    held = legend.property(HELD_HEIGHT)
    if held is not None and tuple(held[:2]) == key:
        height = max(height, held[2])
    legend.setProperty(HELD_HEIGHT, (*key, height))
    return height


def wrap_legend_labels(legend: pg.LegendItem, room: float | None) -> None:
    """Wrap each label to the width `room` (px) leaves beside its sample; None: one line.

    Labels never get less than 40 px of text width (a long word then takes its own width).
    """
    changed = False
    for sample, label in legend.items:
        width = -1.0 if room is None else max(40.0, room - sample.boundingRect().width() - 24)
        if label.item.textWidth() != width:
            label.item.setTextWidth(width)
            label.updateMin()
            changed = True
    if changed:
        legend.updateSize()


def css_size(font: QFont) -> str:
    """A font's size as pyqtgraph's text items take it: "9.0pt" or "12px"."""
    if font.pointSizeF() > 0:
        return f"{font.pointSizeF():.1f}pt"
    return f"{font.pixelSize()}px"


def format_seconds(seconds: float) -> str:
    """Three significant figures: 0.0123 s, 1.23 s, 12.3 s."""
    return f"{seconds:.3g} s"
