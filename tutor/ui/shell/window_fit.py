"""The window's own layout rules: splitter handles one can see, Run buttons that stay in view,
and a zoom that can be undone.

- Handles. Fusion draws a splitter handle as a few faint dots on the window colour: learners did
  not find the one over *Where the time goes*. Every splitter of the window (tabs built later
  too) gets a handle of HANDLE_PX in the palette's Mid colour with a grip, Highlight under the
  mouse.
- Run buttons. The run panel scrolls when it is cramped; dragging a splitter took its height
  until the Run buttons left the view. Its scroll area keeps at least the height down to the
  bottom of the Run buttons (all their rows, wrapped at 200 %), as long as the charts and tabs
  keep their own minimum heights; where not even the buttons fit, the panel scrolls and keeps
  at most half the column, so that the tab in front is not a strip of a few lines.
- Width. Made narrow (1024 px), the lesson lends the run panel the width its rows need; grown
  again, the lesson gets back the share it had before (unless the learner dragged the handle).
- Zoom. After a zoom the right-hand splitter is re-divided for the bigger text; coming back to
  100 % puts back the sizes it had there, and the lesson keeps the place one was reading.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QPainter, QPalette, QTextCursor
from PySide6.QtWidgets import QMainWindow, QScrollArea, QSplitter, QSplitterHandle, QWidget

from tutor.ui.shell.lazy_page import LazyPage

HANDLE_PX = 6
SMALLEST_WINDOW = (1024, 640)  # px: everything stays usable from this size up
_BUTTON_MARGIN_PX = 6  # under the Run buttons, so their frame shows whole


class WindowFit(QObject):
    """Applies the rules above to `window` (a MainWindow: run_panel, right_splitter, menus)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._sizes_at_100: list[int] | None = None
        self._window_width: int | None = None  # as last shown: a change is a resize by hand
        # The lesson's share of the width (0…1) before it lent the run panel width in a narrow
        # window (None: it lent nothing); given back when the window grows again.
        self._lesson_share: float | None = None
        window.main_splitter.splitterMoved.connect(self._on_main_splitter_moved)
        self._painted: set[int] = set()
        self._fit_pending = False  # keep_run_buttons_in_view is due at the next turn
        self.show_handles()
        for page in window.findChildren(LazyPage):
            page.built.connect(self.show_handles)  # a tab's own splitters, once it is built
        self._run_area = self._scroll_area_of(window.run_panel)
        for watched in (window, window.run_panel):
            watched.installEventFilter(self)
        # The lesson's text position at the top left before a zoom, and its height in the view.
        self._reading: tuple[int, int] | None = None
        window.menus.zoom.zoom_about_to_change.connect(self._on_zoom_about_to_change)
        window.menus.zoom.zoom_changed.connect(self._on_zoom_changed)

    # ----------------------------------------------------------------- handles
    def show_handles(self, *_: object) -> None:
        """Every splitter of the window: a wider handle, painted so that one sees it.

        (Painted here rather than with a style sheet: a style sheet on the window stops the
        zoom's fonts and the dark palette from reaching its widgets.)
        """
        for splitter in self._window.findChildren(QSplitter):
            splitter.setHandleWidth(HANDLE_PX)
            for index in range(1, splitter.count()):
                handle = splitter.handle(index)
                if id(handle) not in self._painted:
                    self._painted.add(id(handle))
                    handle.setAttribute(Qt.WidgetAttribute.WA_Hover)
                    handle.installEventFilter(self)

    @staticmethod
    def _paint_handle(handle: QSplitterHandle) -> None:
        """The palette's Mid colour (Highlight under the mouse) with a grip of three dots."""
        palette = handle.palette()
        painter = QPainter(handle)
        hover = handle.underMouse()
        painter.fillRect(
            handle.rect(),
            palette.color(QPalette.ColorRole.Highlight if hover else QPalette.ColorRole.Mid),
        )
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(QPalette.ColorRole.WindowText))
        centre = QPointF(handle.rect().center())
        along = QPointF(6, 0) if handle.orientation() == Qt.Orientation.Vertical else QPointF(0, 6)
        for step in (-1, 0, 1):
            painter.drawEllipse(centre + along * step, 1.3, 1.3)
        painter.end()

    # ----------------------------------------------------------------- Run buttons in view
    def keep_run_buttons_in_view(self) -> None:
        """Give the run panel's scroll area the height down to the Run buttons' bottom edge,
        less whatever the other parts of the column need for their own minimum."""
        area = self._run_area
        if area is None:
            return
        window = self._window
        panel = window.run_panel
        # Else down to the run's status line under the progress bar; at least the Run buttons,
        # all their rows: zoomed in they wrap, and the second row needed a scroll (#19).
        lowest = max(
            (b for b in panel.button_row() if b.isVisibleTo(panel)),
            key=lambda b: b.mapTo(panel, QPoint(0, b.height())).y(),
            default=panel.run_processes_button,
        )
        edges = [
            widget.mapTo(panel, QPoint(0, widget.height())).y() + _BUTTON_MARGIN_PX
            for widget in (panel.run_status, lowest)
            if widget.isVisibleTo(panel)
        ]
        layout = panel.layout()
        if layout is not None and layout.hasHeightForWidth():  # best of all: the whole panel
            edges.insert(0, layout.totalHeightForWidth(panel.width()))
        splitter = window.right_splitter
        others = sum(
            splitter.widget(i).minimumSizeHint().height() for i in range(1, splitter.count())
        )
        # Measured against the smallest window supported, so that a minimum set in a large
        # window never stops it from being made that small again.
        # Zoomed in, the window may not be that small any more (it was made bigger for it).
        percent = window.menus.zoom.percent()
        smallest = max(
            SMALLEST_WINDOW[1], min(window.height(), SMALLEST_WINDOW[1] * percent // 100)
        )
        chrome = window.height() - splitter.height()
        room = smallest - chrome - others - splitter.handleWidth() * (splitter.count() - 1)
        frame = 2 * area.frameWidth()
        if area.horizontalScrollBar().isVisible():  # a narrow panel: its scroll bar covers
            frame += area.horizontalScrollBar().height()
        fitting = [edge + frame for edge in edges if edge + frame <= room]
        # Not even the Run buttons fit (200 % in a 1024×640 window): the panel scrolls anyway,
        # so it keeps at most half the column, and the tab in front is not left a strip of a
        # few lines (the Exercises page got 58 px).
        wanted = fitting[0] if fitting else min(room, splitter.height() // 2)
        height = max(0, min(wanted, room))
        if area.minimumHeight() != height:
            area.setMinimumHeight(height)
            if area.height() < height:  # a splitter keeps its sizes: give it the room now
                sizes = splitter.sizes()
                sizes[1] = max(0, sizes[1] - (height - sizes[0]))
                sizes[0] = height
                splitter.setSizes(sizes)

    def _give_run_panel_its_width(self) -> None:
        """When the window is made narrower, the lesson gives up width (down to its own
        minimum) so that the run panel's rows are not cut off on the right; when it grows
        again, the lesson first gets back what it lent, then lends what the new width needs."""
        window = self._window
        main = window.main_splitter
        area = self._run_area
        if area is None or main.count() != 2:
            return
        lesson, right = main.sizes()
        if self._lesson_share is not None:  # the split as it was before the lesson lent
            total = lesson + right
            lesson = round(total * self._lesson_share)
            lesson, right = lesson, total - lesson
            self._lesson_share = None
            main.setSizes([lesson, right])
        scrollbar = area.verticalScrollBar().sizeHint().width()
        frame = scrollbar + 2 * area.frameWidth()
        spare = lesson - window.lesson_panel.minimumSizeHint().width()
        # Its preferred width: two settings a line (narrower, it reflows to one a line, taller).
        need = window.run_panel.sizeHint().width() + frame
        if right < need and spare > 0:
            shift = min(need - right, spare)
            self._lesson_share = lesson / (lesson + right)
            main.setSizes([lesson - shift, right + shift])

    def _on_main_splitter_moved(self, *_: object) -> None:
        self._lesson_share = None  # the learner's split from now on: nothing to give back

    def _split_saved(self) -> bool:
        settings = getattr(self._window, "settings", None)
        return settings is not None and settings.contains("window/mainSplitter")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if isinstance(watched, QSplitterHandle):
            if event.type() == QEvent.Type.Paint:
                self._paint_handle(watched)
                return True
            if event.type() in (QEvent.Type.HoverEnter, QEvent.Type.HoverLeave):
                watched.update()
            return False
        if watched is self._window and event.type() == QEvent.Type.Show:
            if self._window_width is None and not self._split_saved():
                # A first start in a small window (1024 px): the default split would cut the
                # run panel's rows; a split the learner saved is theirs and stays.
                QTimer.singleShot(0, self._give_run_panel_its_width)
            self._window_width = self._window.width()
        if watched is self._window and event.type() == QEvent.Type.Resize:
            width = self._window.width()
            if self._window_width is not None and width != self._window_width:
                # Once the splitter has its new width (it is resized after this event).
                QTimer.singleShot(0, self._give_run_panel_its_width)
                self._window_width = width
        if event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest, QEvent.Type.Show):
            self._fit_when_settled()
        return False

    def _fit_when_settled(self) -> None:
        """keep_run_buttons_in_view once the layout settled: at the next turn of the event loop,
        once for all the events before it (showing the window sent seven, each a full fit)."""
        if not self._fit_pending:
            self._fit_pending = True
            QTimer.singleShot(0, self, self._fit_now)

    def _fit_now(self) -> None:
        self._fit_pending = False
        self.keep_run_buttons_in_view()

    # ----------------------------------------------------------------- zoom and back
    def _on_zoom_about_to_change(self, percent: int) -> None:
        """Note the 100 % sizes before leaving 100 %, and the lesson's reading place: the text
        position at the top left of its view."""
        if percent == 100:
            self._sizes_at_100 = self._window.right_splitter.sizes()
        view = self._window.lesson_panel.view()
        if self._reading is None:  # several steps in a row: the place from before the first
            cursor = view.cursorForPosition(QPoint(4, 4))
            self._reading = (cursor.position(), view.cursorRect(cursor).top())

    def _on_zoom_changed(self, percent: int) -> None:
        """Back at 100 %: the sizes it had there; at any zoom, the place one was reading."""
        if percent == 100 and self._sizes_at_100 is not None:
            self._window.right_splitter.setSizes(self._sizes_at_100)
            self._sizes_at_100 = None
        self.keep_run_buttons_in_view()  # may move the lesson's edge: before the place
        QTimer.singleShot(0, self._restore_reading_place)  # once the lesson reflowed

    def _restore_reading_place(self) -> None:
        if self._reading is None:
            return
        view = self._window.lesson_panel.view()
        cursor = QTextCursor(view.document())
        position, top = self._reading
        cursor.setPosition(min(position, view.document().characterCount() - 1))
        bar = view.verticalScrollBar()
        bar.setValue(bar.value() + view.cursorRect(cursor).top() - top)
        self._reading = None

    @staticmethod
    def _scroll_area_of(widget: QWidget) -> QScrollArea | None:
        parent = widget.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        return parent
