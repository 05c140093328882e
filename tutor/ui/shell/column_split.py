"""How the right-hand column is shared: run panel, charts, and the tabs under them.

Fixed splitter sizes left the charts too short for their legends (the chart area scrolled and
hid the legend's second row) and the results table two to four rows at 1280×800. Until the
learner drags a handle (or a split was saved), the column is divided from what its parts need:
the run panel its height (WindowFit keeps it down to the Run buttons), the charts their whole
content (title, axes, legend, the warning and the Amdahl line), the tabs at least TABLE_ROWS
rows of results; what is left over goes 3 : 2 to the charts and the tabs. Re-divided when the
window is resized or the charts' content changes (a warning appears); a dragged handle ends it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QMainWindow, QScrollArea, QTableView, QTabWidget

TABLE_ROWS = 6  # results rows the tabs show by default, where the window has the height
CHARTS_SHARE_WHEN_SHORT = 0.6  # of the height left after the run panel, when not all fits


class ColumnSplit(QObject):
    """Divides `window.right_splitter` (run panel's scroll area, charts' scroll area, bottom
    tabs) as above; `window` also has `bottom_tabs`, `results_table` and `settings`."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        splitter = window.right_splitter
        settings = getattr(window, "settings", None)
        self._chosen = settings is not None and settings.contains("window/runSplitter")
        self._pending = False
        splitter.splitterMoved.connect(self._on_splitter_moved)
        self._charts = splitter.widget(1)
        assert isinstance(self._charts, QScrollArea)
        for watched in (window, self._charts.widget()):
            watched.installEventFilter(self)

    def learner_chose(self) -> bool:
        """True once the split is the learner's (dragged now, or saved before)."""
        return self._chosen

    def charts_need(self) -> int:
        """Height (px) the charts' scroll area needs to show all of its content unscrolled."""
        content = self._charts.widget()
        width = self._charts.viewport().width()
        layout = content.layout()
        if layout is not None and layout.hasHeightForWidth():
            need = layout.totalHeightForWidth(width)
        else:
            need = content.minimumSizeHint().height()
        return max(need, content.minimumSizeHint().height()) + 2 * self._charts.frameWidth()

    def tabs_need(self, rows: int = TABLE_ROWS) -> int:
        """Height (px) of the bottom tabs when the results table shows `rows` whole rows."""
        tabs: QTabWidget = self._window.bottom_tabs
        table: QTableView = self._window.results_table
        row = table.verticalHeader().defaultSectionSize()
        header = table.horizontalHeader().sizeHint().height()
        scrollbar = table.horizontalScrollBar().sizeHint().height()
        page_frame = tabs.height() - tabs.tabBar().height() - tabs.currentWidget().height()
        return (
            tabs.tabBar().sizeHint().height()
            + max(page_frame, 2)
            + header
            + scrollbar
            + 2 * table.frameWidth()
            + rows * row
            + 2
        )

    def divide(self) -> None:
        """Share the column as the module says (nothing once the learner chose a split)."""
        self._pending = False
        if self._chosen or not self._window.isVisible():
            return
        splitter = self._window.right_splitter
        sizes = splitter.sizes()
        run = max(splitter.widget(0).minimumHeight(), splitter.widget(0).minimumSizeHint().height())
        left = sum(sizes) - run
        if left <= 0:
            return
        charts, tabs = self.charts_need(), self.tabs_need()
        if charts + tabs <= left:
            extra = left - charts - tabs
            charts += extra * 3 // 5
        else:  # not all fits: the charts scroll, the tabs keep a few rows
            charts = min(charts, max(left - tabs, int(left * CHARTS_SHARE_WHEN_SHORT)))
        wanted = [run, charts, left - charts]
        if wanted != sizes:
            splitter.setSizes(wanted)

    def _on_splitter_moved(self, *_: object) -> None:
        self._chosen = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            not self._chosen
            and not self._pending
            and event.type()
            in (
                QEvent.Type.Show,
                QEvent.Type.Resize,
                QEvent.Type.LayoutRequest,
            )
        ):
            self._pending = True
            # After WindowFit has set the run panel's height and the layouts have settled.
            QTimer.singleShot(0, self.divide)
        return False
