"""How the right-hand column is shared: run panel, charts, and the tabs under them.

Fixed splitter sizes left the charts too short for their legends (the chart area scrolled and
hid the legend's second row) and the results table two to four rows at 1280×800. Until the
learner drags a handle (or a split was saved), the column is divided from what its parts need:
the run panel its height (WindowFit keeps it down to the Run buttons), the charts their whole
content (title, axes, legend, the warning and the Amdahl line), the tabs at least TABLE_ROWS
rows of results; what is left over goes 3 : 2 to the charts and the tabs. Where both do not
fit, the charts stay whole as long as the tabs keep TABLE_ROWS_LEAST rows (a legend cut at its
second row, or the Amdahl line half shown, said nothing; a table scrolls). With an experiment
tab in front (Start methods, Where the time goes, …) that tab's whole page comes first: its
summary and charts show unscrolled, and the charts above scroll instead. Re-divided when the
window is resized, another tab comes to the front or a part's content changes (a warning
appears; for the charts' content at once, before their area shows a scroll bar that the
division would take away again); a dragged handle ends it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QMainWindow, QScrollArea, QTableView, QTabWidget, QWidget

TABLE_ROWS = 6  # results rows the tabs show by default, where the window has the height
TABLE_ROWS_LEAST = 3  # rows the tabs keep when the charts' whole content needs the others
CHARTS_SHARE_WHEN_SHORT = 0.6  # of the height left after the run panel, when not all fits
CHARTS_SHARE_LEAST = 0.3  # of that height, kept by the charts for an experiment tab in front


class ColumnSplit(QObject):
    """Divides `window.right_splitter` (run panel's scroll area, charts' scroll area, bottom
    tabs) as above; `window` also has `bottom_tabs`, `results_table` and `settings`.

    `fit_run_panel` gives the run panel's area its height (its minimum, WindowFit's job); each
    division calls it first. Divided before it while the window was first shown, the column
    gave the charts a height they lost at once, and they were laid out three times, not two."""

    def __init__(self, window: QMainWindow, fit_run_panel: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._fit_run_panel = fit_run_panel
        splitter = window.right_splitter
        settings = getattr(window, "settings", None)
        self._chosen = settings is not None and settings.contains("window/runSplitter")
        self._pending = False
        splitter.splitterMoved.connect(self._on_splitter_moved)
        self._charts = splitter.widget(1)
        assert isinstance(self._charts, QScrollArea)
        # The run panel's area too: it grows when a verdict or an error shows under the
        # status (WindowFit), and the charts below were left cut until the next resize.
        for watched in (window, self._charts.widget(), splitter.widget(0)):
            watched.installEventFilter(self)
        self._watched_pages: set[int] = set()
        window.bottom_tabs.currentChanged.connect(self._on_tab_changed)

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

    def page_need(self) -> int:
        """Height (px) of the bottom tabs showing the whole page in front, unscrolled."""
        tabs: QTabWidget = self._window.bottom_tabs
        page = tabs.currentWidget()
        area = page if isinstance(page, QScrollArea) else page.findChild(QScrollArea)
        if area is None or area.widget() is None:
            return 0
        panel = area.widget()
        layout = panel.layout()
        need = panel.minimumSizeHint().height()
        if layout is not None and layout.hasHeightForWidth():
            need = max(need, layout.totalHeightForWidth(area.viewport().width()))
        page_frame = tabs.height() - tabs.tabBar().height() - area.viewport().height()
        return tabs.tabBar().sizeHint().height() + max(page_frame, 2) + need + 2

    def divide(self) -> None:
        """Share the column as the module says (nothing once the learner chose a split)."""
        self._pending = False
        if self._chosen or not self._window.isVisible():
            return
        self._fit_run_panel()
        splitter = self._window.right_splitter
        sizes = splitter.sizes()
        run = max(splitter.widget(0).minimumHeight(), splitter.widget(0).minimumSizeHint().height())
        left = sum(sizes) - run
        if left <= 0:
            return
        charts, tabs = self.charts_need(), self.tabs_need()
        in_front = self._window.bottom_tabs.currentWidget()
        experiment = in_front is not self._window.results_table
        if experiment:
            self._watch_page(in_front)
            tabs = max(tabs, self.page_need())
        if charts + tabs <= left:
            extra = left - charts - tabs
            charts += extra * 3 // 5
        elif experiment:  # the tab in front shows whole; the charts above scroll
            charts = max(left - tabs, int(left * CHARTS_SHARE_LEAST))
        elif charts + self.tabs_need(self._least_rows()) <= left:
            # The charts whole (legend rows, the Amdahl line) before the table's last rows:
            # at 1280×800 a two-row legend or the Amdahl line was cut for a sixth row.
            pass
        else:  # not all fits: the charts scroll, the tabs keep a few rows
            charts = min(charts, max(left - tabs, int(left * CHARTS_SHARE_WHEN_SHORT)))
        wanted = [run, charts, left - charts]
        if wanted != sizes:
            splitter.setSizes(wanted)

    def _least_rows(self) -> int:
        """Rows the tabs keep when the charts need the others: TABLE_ROWS_LEAST, or fewer while
        the table has fewer (two runs and a prediction's verdict left the legend cut for an
        empty third row)."""
        rows = self._window.results_table.model().rowCount()
        return max(1, min(TABLE_ROWS_LEAST, rows))

    def _watch_page(self, page: QWidget) -> None:
        """Re-divide when the page's panel changes its size (a summary arrives)."""
        area = page if isinstance(page, QScrollArea) else page.findChild(QScrollArea)
        panel = area.widget() if area is not None else None
        if panel is not None and id(panel) not in self._watched_pages:
            self._watched_pages.add(id(panel))
            panel.installEventFilter(self)

    def _on_tab_changed(self, _index: int) -> None:
        self._schedule()

    def _schedule(self) -> None:
        if not self._chosen and not self._pending:
            self._pending = True
            # After WindowFit has set the run panel's height and the layouts have settled.
            QTimer.singleShot(0, self.divide)

    def _on_splitter_moved(self, *_: object) -> None:
        self._chosen = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind == QEvent.Type.LayoutRequest and watched is self._charts.widget():
            self.divide()  # before the charts' area shows a scroll bar for their new content
        elif kind in (QEvent.Type.Show, QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            self._schedule()
        return False
