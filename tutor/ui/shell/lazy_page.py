"""A tab page built on first need: when it is shown, or when code asks for its content.

The window's experiment tabs cost ~60 ms of imports and charts to build; most learners open
them later, if at all. A LazyPage keeps its tab in the tab bar from the start and builds the
real panel when the tab first shows, when the window asks for the panel, or when idle.

The panel sits in its own scroll area: the tab bar above it never scrolls away (the whole tab
widget in one scroll area made the mouse wheel over the results table scroll the tabs out of
view, as soon as the table itself had nothing left to scroll).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

PanelT = TypeVar("PanelT", bound=QWidget)


class LazyPage(QWidget, Generic[PanelT]):
    """Holds one panel that `build` makes the first time it is needed."""

    built = Signal(QWidget)  # the panel, once, right after it was made

    def __init__(self, build: Callable[[], PanelT], object_name: str) -> None:
        super().__init__(objectName=object_name)
        self._build = build
        self._panel: PanelT | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def is_built(self) -> bool:
        return self._panel is not None

    def panel(self) -> PanelT:
        """The panel, built now if it was not yet."""
        if self._panel is None:
            self._panel = self._build()
            area = QScrollArea(objectName=f"{self.objectName()}Scroll")
            area.setFrameShape(QFrame.Shape.NoFrame)
            area.setWidgetResizable(True)
            area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes straight to the controls
            area.setWidget(self._panel)
            self.layout().addWidget(area)
            self.built.emit(self._panel)
        return self._panel

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        self.panel()
        super().showEvent(event)
