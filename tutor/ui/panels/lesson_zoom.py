"""Zooming the lesson's text: Ctrl+wheel and the zoom steps, keeping the reading position."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont

from tutor.ui.panels.zoom_levels import clamp_zoom, next_zoom_level
from tutor.ui.widgets.text_position import scroll_text_to


class LessonZoom:
    """Mixin for LessonView (before QTextBrowser in its bases). The view calls `_init_zoom()`
    in its constructor and declares the `zoom_changed(int)` signal (percent)."""

    def _init_zoom(self) -> None:
        self._base_point_size = self.font().pointSizeF()
        if self._base_point_size <= 0:
            self._base_point_size = 10.0
        self._zoom = 100

    def zoom_percent(self) -> int:
        return self._zoom

    def set_zoom_percent(self, percent: int) -> None:
        """Zoom the lesson (prose and code) to about this percentage of the normal size."""
        percent = clamp_zoom(percent)
        if percent == self._zoom:
            return
        anchor = self.cursorForPosition(QPoint(4, 4)).position()
        self._zoom = percent
        font = QFont(self.font())
        font.setPointSizeF(self._base_point_size * percent / 100)
        self.setFont(font)
        scroll_text_to(self, anchor)
        self.zoom_changed.emit(percent)

    def zoom_in_step(self) -> None:
        self.set_zoom_percent(next_zoom_level(self._zoom, up=True))

    def zoom_out_step(self) -> None:
        self.set_zoom_percent(next_zoom_level(self._zoom, up=False))

    def reset_zoom(self) -> None:
        self.set_zoom_percent(100)

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta > 0:
                self.zoom_in_step()
            elif delta < 0:
                self.zoom_out_step()
            event.accept()
            return
        super().wheelEvent(event)
