"""Saying what just happened to a learner who cannot see the screen.

Two channels, so that every screen reader gets at least one:

- an accessibility *announcement* (`QAccessibleAnnouncementEvent`, Qt 6.8 and later): Orca,
  NVDA and VoiceOver speak it at once, wherever the focus is;
- the main window's status bar, whose message is its accessible name: a status line that
  stays, for a screen reader's read-the-status-bar command (NVDA: Insert+End) or a later look.

What is said is up to the callers: runs (tutor.ui.panels.run_announcer) once per batch, the
quiz its score, the lesson the link or heading reached.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QMainWindow, QWidget

try:  # Qt 6.8 and later; older builds still get the status line
    from PySide6.QtGui import QAccessibleAnnouncementEvent
except ImportError:  # pragma: no cover - depends on the installed PySide6
    QAccessibleAnnouncementEvent = None

# Polite sentences wait this long: a newer one in the meantime replaces the older one.
POLITE_DELAY_MS = 150


def send_announcement(source: QObject, text: str, urgent: bool = False) -> bool:
    """Ask assistive technology to speak `text` now, on behalf of `source` (a widget or window).

    Returns False where this Qt has no announcement event (before 6.8); nothing is raised.
    """
    if QAccessibleAnnouncementEvent is None or not text:
        return False
    event = QAccessibleAnnouncementEvent(source, text)
    politeness = QAccessible.AnnouncementPoliteness
    event.setPoliteness(politeness.Assertive if urgent else politeness.Polite)
    QAccessible.updateAccessibility(event)
    return True


class Announcer(QObject):
    """The window's voice: announces a sentence and shows it as the status bar's message.

    `announced(text)` is emitted when a sentence goes out (after `POLITE_DELAY_MS` for polite
    ones; at once for urgent ones, which also drop a polite sentence still waiting).
    """

    announced = Signal(str)

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("announcer")
        self._window = window
        self._pending: tuple[str, QObject, bool] | None = None
        self._history: list[str] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(POLITE_DELAY_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def announce(
        self, text: str, urgent: bool = False, source: QObject | None = None, show: bool = True
    ) -> None:
        """Say `text` (one or two plain sentences); `urgent` for errors; `show` False keeps it
        out of the status bar (where the caret went, say: nothing to read again later)."""
        text = " ".join(text.split())
        if not text:
            return
        source = source or self._window
        if urgent:
            self._timer.stop()
            self._pending = None
            self._send(text, source, urgent=True, show=show)
        else:
            self._pending = (text, source, show)
            self._timer.start()

    def history(self) -> list[str]:
        """Every sentence announced so far, oldest first."""
        return list(self._history)

    def _on_timer_timeout(self) -> None:
        if self._pending is not None:
            text, source, show = self._pending
            self._pending = None
            self._send(text, source, urgent=False, show=show)

    def _send(self, text: str, source: QObject, urgent: bool, show: bool) -> None:
        if show:
            self._window.statusBar().showMessage(text)
        send_announcement(source, text, urgent)
        self._history.append(text)
        self.announced.emit(text)


def announcer_of(widget: QWidget) -> Announcer | None:
    """The Announcer of the main window `widget` belongs to (dialogs included), if any."""
    current: QObject | None = widget
    while current is not None:
        found = current.findChild(Announcer, "announcer", Qt.FindChildOption.FindDirectChildrenOnly)
        if found is not None:
            return found
        current = current.parent()
    return None


def announce(widget: QWidget, text: str, urgent: bool = False, show: bool = True) -> None:
    """Announce on behalf of `widget`: through its window's Announcer (see `show` there), or
    directly."""
    announcer = announcer_of(widget)
    if announcer is not None:
        announcer.announce(text, urgent, source=widget, show=show)
    else:
        send_announcement(widget, text, urgent)
