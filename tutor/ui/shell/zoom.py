"""One zoom for the whole window: lesson, run panel, charts, tables and the window's dialogs.

Fonts propagate from a window to its widgets, so scaling the window's font scales every widget
that did not pick a font of its own; the charts restyle on the FontChange that follows. Widgets
that did pick one (the monospace editor and console) keep their own face and are scaled from the
size they chose. The lesson has its own zoom (with Ctrl+wheel): this drives it, and a zoom made
there is taken over for the whole window. The level is remembered in the settings.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QFrame, QScrollArea, QWidget

from tutor.ui.panels.lesson_view import LessonPanel, LessonView
from tutor.ui.panels.zoom_levels import clamp_zoom, next_zoom_level

SETTINGS_KEY = "view/zoom"
_BASE_SIZE = "tutorZoomBasePointSize"  # dynamic property: a widget's own, unzoomed font size


def scroll_when_cramped(widget: QWidget, object_name: str) -> QScrollArea:
    """`widget` in a frameless scroll area: at 200 % a panel of controls no longer fits a
    1280×800 screen, and without it the window would grow past the screen instead."""
    area = QScrollArea(objectName=object_name)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setWidget(widget)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes straight to the controls
    return area


class WindowZoom(QObject):
    """Zoom levels as in the lesson (50 % … 300 %); 100 % is the application's font size."""

    zoom_changed = Signal(int)  # percent
    zoom_about_to_change = Signal(int)  # the percent still in place, before a change

    def __init__(self, window: QWidget, lesson: LessonPanel, settings: QSettings) -> None:
        super().__init__(window)
        self._window = window
        self._lesson = lesson
        self._settings = settings
        base = QFont(window.font())
        self._base_point_size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
        self._percent = 100
        lesson.zoom_changed.connect(self._on_lesson_zoom_changed)
        window.installEventFilter(self)
        try:
            saved = int(settings.value(SETTINGS_KEY, 100))
        except (TypeError, ValueError):
            saved = 100
        if saved != 100:
            self.set_percent(saved)

    # ----------------------------------------------------------------- public API
    def percent(self) -> int:
        return self._percent

    def set_percent(self, percent: int) -> None:
        percent = clamp_zoom(percent)
        if percent == self._percent:
            return
        self.zoom_about_to_change.emit(self._percent)
        self._percent = percent
        self._apply(self._window)
        for dialog in self._window.findChildren(QDialog):
            self._apply(dialog)
        self._lesson.set_zoom_percent(percent)
        self._settings.setValue(SETTINGS_KEY, percent)
        self.zoom_changed.emit(percent)

    def refresh(self) -> None:
        """Zoom widgets added since the zoom was set (a tab built on first need)."""
        if self._percent != 100:
            self._apply(self._window)

    def zoom_in(self) -> None:
        self.set_percent(next_zoom_level(self._percent, up=True))

    def zoom_out(self) -> None:
        self.set_percent(next_zoom_level(self._percent, up=False))

    def reset(self) -> None:
        self.set_percent(100)

    # ----------------------------------------------------------------- internals
    def _scaled(self, point_size: float) -> float:
        return point_size * self._percent / 100

    def _apply(self, top: QWidget) -> None:
        """Scale one window's font and the fonts its widgets set for themselves."""
        font = QFont(top.font())
        font.setPointSizeF(self._scaled(self._base_point_size))
        top.setFont(font)
        for widget in top.findChildren(QWidget):
            if widget.window() is not top or isinstance(widget, LessonView):
                continue  # another window (handled on its own), or the lesson's own zoom
            base = widget.property(_BASE_SIZE)
            if base is None:
                if not self._has_own_size(widget):
                    continue
                base = widget.font().pointSizeF()
                if base <= 0:
                    continue
                widget.setProperty(_BASE_SIZE, base)
            own = QFont(widget.font())
            own.setPointSizeF(self._scaled(float(base)))
            widget.setFont(own)

    @staticmethod
    def _has_own_size(widget: QWidget) -> bool:
        parent = widget.parentWidget()
        if parent is None or not widget.testAttribute(Qt.WidgetAttribute.WA_SetFont):
            return False
        return widget.font().pointSizeF() != parent.font().pointSizeF()

    def _on_lesson_zoom_changed(self, percent: int) -> None:
        self.set_percent(percent)  # Ctrl+wheel over the lesson zooms the whole window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            watched is self._window
            and event.type() == QEvent.Type.ChildPolished
            and self._percent != 100
        ):
            child = event.child()
            if isinstance(child, QDialog):  # a dialog about to be shown for the first time
                self._apply(child)
        return False
