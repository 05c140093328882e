"""The window's status bar: one home for its messages, shortened with "…" to the room there is.

QStatusBar paints a message cut off at its edge, mid-word, with no sign that more was there (a
saved report's path, a lesson link's note). Here every message, whoever sends it
(`showMessage`, or a menu action's status tip), goes to one `ElidedLabel`: it shows as much as
fits, ending in "…", and its tooltip holds the whole text; `currentMessage()` is the whole text.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QResizeEvent, QStatusTipEvent
from PySide6.QtWidgets import QSizePolicy, QStatusBar, QWidget

from tutor.ui.widgets.elided_label import ElidedLabel

MESSAGE_SHARE = 0.4  # of the bar's width kept for messages: permanent widgets shrink first


class MessageStatusBar(QStatusBar):
    """A QStatusBar whose messages show in an eliding label (objectName ``statusMessage``).

    `showMessage(text, timeout_ms)` and `clearMessage()` keep QStatusBar's meaning (a timeout
    of 0 keeps the message until the next one) and emit `messageChanged`; permanent widgets
    (`addPermanentWidget`) stay on the right as before.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.message_label = ElidedLabel(objectName="statusMessage")
        self.message_label.setAccessibleName("Status message")
        # Takes what the permanent widgets leave, and at least MESSAGE_SHARE of the width.
        self.message_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.addWidget(self.message_label, 1)
        self._message = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clearMessage)
        self._watched: QWidget | None = None

    def showMessage(self, message: str, timeout: int = 0) -> None:  # noqa: N802 - Qt API
        """Show `message` (all of it in the tooltip when shortened) for `timeout` ms (0: until
        the next message)."""
        self._timer.stop()
        if timeout > 0:
            self._timer.start(timeout)
        self._set(message)

    def clearMessage(self) -> None:  # noqa: N802 - Qt API
        self._timer.stop()
        self._set("")

    def currentMessage(self) -> str:  # noqa: N802 - Qt API
        """The whole message shown now ("" when none), however much of it fits."""
        return self._message

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.message_label.setMinimumWidth(int(self.width() * MESSAGE_SHARE))

    def watch_status_tips(self, window: QWidget) -> None:
        """Route `window`'s status tips (menu actions under the mouse) here: QMainWindow would
        hand them to QStatusBar's own painting, past this label."""
        if self._watched is not None:
            self._watched.removeEventFilter(self)
        self._watched = window
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # PySide hands a filter the event's own class: a status tip comes as QStatusTipEvent.
        if watched is self._watched and isinstance(event, QStatusTipEvent):
            self.showMessage(event.tip())
            return True
        return False

    def _set(self, message: str) -> None:
        if message == self._message:
            return
        self._message = message
        self.message_label.setText(message)
        # What assistive technology reads as the bar's name (Qt's own reads its own message).
        self.setAccessibleName(message)
        self.messageChanged.emit(message)
