"""One owner of "an experiment is running": every controller that runs one reports here.

The run controller, the comparison under other Pythons, the exercise checks and the console
running an example program each know only their own work. Panels and their actions ask one
question, "may a new experiment start?", so this coordinator watches them all and emits
`busy_changed` once when the answer changes: a panel that disables its actions on it disables
them in every menu at once (the menus only add the panels' own actions).
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, Signal, SignalInstance


class BusyReporter(Protocol):
    """A controller that says whether its work is going and signals each change."""

    busy_changed: SignalInstance

    @property
    def busy(self) -> bool: ...


class BusyCoordinator(QObject):
    """Whether any tracked controller is busy; `busy_changed(bool)` on every change of that."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._owners: list[BusyReporter] = []
        self._busy = False

    @property
    def busy(self) -> bool:
        return self._busy

    def track(self, owner: BusyReporter) -> None:
        """Count `owner` from now on (a controller built on first need joins mid-session)."""
        if owner in self._owners:
            return
        self._owners.append(owner)
        owner.busy_changed.connect(self._on_owner_busy_changed)
        self._on_owner_busy_changed()

    def busy_besides(self, owner: BusyReporter) -> bool:
        """Whether a controller other than `owner` is busy (e.g. to grey out one panel's
        button while another panel's experiment runs)."""
        return any(o.busy for o in self._owners if o is not owner)

    def _on_owner_busy_changed(self, *_: object) -> None:
        busy = any(owner.busy for owner in self._owners)
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)
