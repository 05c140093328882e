"""A tab page built on first need: when it is shown, or when code asks for its content.

The window's experiment tabs cost ~60 ms of imports and charts to build; most learners open
them later, if at all. A LazyPage keeps its tab in the tab bar from the start and builds the
real panel when the tab first shows, when the window asks for the panel, or when idle.

Built when idle, a page is built in small steps, one per event-loop turn (`build_step`): a
whole tab in one go held the event loop ~100 ms, longer than a learner's click may wait. So
`build` may be a generator function: each `yield` ends a step (an import, one chart), and
its `return` gives the panel. Asked for at once (`panel()`, or the tab shown), the remaining
steps run together.

The panel sits in its own scroll area: the tab bar above it never scrolls away (the whole tab
widget in one scroll area made the mouse wheel over the results table scroll the tabs out of
view, as soon as the table itself had nothing left to scroll).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Generator
from importlib import import_module
from typing import Generic, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

PanelT = TypeVar("PanelT", bound=QWidget)

# A panel's build in steps: yields between steps, returns the panel.
BuildSteps = Generator[None, None, PanelT]


def import_steps(*modules: str) -> Generator[None, None, None]:
    """Import each module (dotted name) in a step of its own: `yield from` it in a build."""
    for module in modules:
        import_module(module)
        yield


class LazyPage(QWidget, Generic[PanelT]):
    """Holds one panel that `build` makes the first time it is needed.

    `build` returns the panel, or is a generator function whose steps make it (see above).
    """

    built = Signal(QWidget)  # the panel, once, right after it was made

    def __init__(
        self, build: Callable[[], PanelT] | Callable[[], BuildSteps], object_name: str
    ) -> None:
        super().__init__(objectName=object_name)
        self._build = build
        self._steps: BuildSteps | None = None  # a build begun in steps, not yet finished
        self._made: PanelT | None = None  # made, not yet placed in the page
        self._panel: PanelT | None = None  # placed in the page
        self._announced = False  # `built` emitted
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def is_built(self) -> bool:
        return self._panel is not None

    @property
    def build_begun(self) -> bool:
        """Whether any step of the build has run (True from the first step on)."""
        return self._steps is not None or self._made is not None or self._panel is not None

    def build_step(self) -> bool:
        """Do the next small step of the build; True once the panel is built (nothing left).

        Steps: each of `build`'s own (or all of it, when it is a plain function), then placing
        the panel in its scroll area, then announcing it (`built`): each a turn of its own.
        """
        if self._announced:
            return True
        if self._panel is not None:
            self._announced = True
            self.built.emit(self._panel)
            return True
        if self._made is not None:
            self._place(self._made)
        elif self._steps is None and not inspect.isgeneratorfunction(self._build):
            self._made = self._build()  # type: ignore[assignment]
        else:
            if self._steps is None:
                self._steps = self._build()  # type: ignore[assignment]
            try:
                next(self._steps)  # type: ignore[arg-type]
            except StopIteration as finished:
                self._steps = None
                self._made = finished.value
        return False

    def panel(self) -> PanelT:
        """The panel, built now (every step left) if it was not yet."""
        while not self.build_step():
            pass
        assert self._panel is not None
        return self._panel

    def _place(self, panel: PanelT) -> None:
        area = QScrollArea(objectName=f"{self.objectName()}Scroll")
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidgetResizable(True)
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes straight to the controls
        area.setWidget(panel)
        self.layout().addWidget(area)
        self._panel, self._made = panel, None

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        self.panel()
        super().showEvent(event)
