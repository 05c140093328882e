"""Small helpers that make widgets read well to a screen reader (Orca, NVDA, VoiceOver).

- `DescribedLabel`: a label with a fixed accessible name that says what it is ("Quiz score")
  whose changing text is its accessible description ("Score: 3/4 — best 3/4"): a screen
  reader says both. (A fixed name alone hides the text: Qt reports the name instead of it.)
- `follow_layout_order`: the accessible order (and the Tab order of the children) follows the
  on-screen order after a layout was rearranged.
- `EnterPressesButtons`: Enter and Return press the focused push or tool button in a main
  window, as Space does (in dialogs Qt does it already through auto-default buttons).
- `FocusKeeper`: a button that disables itself while its work runs hands the focus to the
  button beside it (its Cancel), and gets it back afterwards, instead of Qt's next control in
  the Tab chain.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QTextDocumentFragment
from PySide6.QtGui import Qt as GuiQt  # the GUI module's Qt namespace has mightBeRichText
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLayout,
    QPushButton,
    QToolButton,
    QWidget,
)
from shiboken6 import isValid


def plain_text(text: str, rich: bool | None = None) -> str:
    """`text` without markup, whitespace collapsed. `rich` True reads it as HTML, None guesses
    as QLabel's automatic format does."""
    if rich or (rich is None and GuiQt.mightBeRichText(text)):
        text = QTextDocumentFragment.fromHtml(text).toPlainText()
    return " ".join(text.split())


def label_text(label: QLabel) -> str:
    """The text a label shows, without markup."""
    rich = {Qt.TextFormat.RichText: True, Qt.TextFormat.PlainText: False}
    return plain_text(label.text(), rich.get(label.textFormat()))


class DescribedLabel(QLabel):
    """A QLabel whose accessible name is fixed (`name`) and whose text is its description."""

    def __init__(self, name: str, text: str = "", parent: QWidget | None = None, **kwargs) -> None:
        super().__init__(parent, **kwargs)
        self.setAccessibleName(name)
        self.setText(text)

    def setTextFormat(self, text_format: Qt.TextFormat) -> None:  # noqa: N802 - Qt override
        super().setTextFormat(text_format)
        self.setAccessibleDescription(label_text(self))

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setText(text)
        self.setAccessibleDescription(label_text(self))

    def clear(self) -> None:
        super().clear()
        self.setAccessibleDescription("")


def _layout_widgets(layout: QLayout) -> list[QWidget]:
    widgets: list[QWidget] = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item.widget() is not None:
            widgets.append(item.widget())
        elif item.layout() is not None:
            widgets.extend(_layout_widgets(item.layout()))
    return widgets


def follow_layout_order(widget: QWidget) -> list[QWidget]:
    """Reorder `widget`'s child widgets as its layout shows them (top to bottom).

    Qt lists a widget's accessible children in the order the child widgets were created; after
    a layout moved them (e.g. shuffled quiz options) a screen reader would read the old order.
    Raising each child in layout order rewrites that list. Returns the children in their order.
    """
    layout = widget.layout()
    if layout is None:
        return []
    ordered = [child for child in _layout_widgets(layout) if child.parentWidget() is widget]
    for child in ordered:
        child.raise_()
    return ordered


class EnterPressesButtons(QObject):
    """Installed on a window: Enter or Return on a focused push or tool button clicks it.

    Key presses a button ignores travel up to its window, where this filter sees them; the
    window's other keys are left alone.
    """

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            watched is self._window
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            focused = self._window.focusWidget()
            if (
                isinstance(focused, QPushButton | QToolButton)
                and focused.isEnabled()
                and focused.isVisible()
            ):
                focused.animateClick()
                return True
        return super().eventFilter(watched, event)


class FocusKeeper(QObject):
    """Keeps the keyboard focus near the button the learner pressed while its work runs.

    A focused button that disables itself (a Run button while its run goes) loses the focus,
    and Qt hands it to the next control in the Tab chain: a screen reader then announces some
    unrelated control (the chart's combo box). Instead, the focus goes to the next enabled
    button beside the pressed one (its Cancel, once enabled), and back to the pressed button
    when that is enabled again, unless the learner has moved the focus meanwhile.
    """

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._pressed: QAbstractButton | None = None
        self._holder: QWidget | None = None  # where the focus waits for the pressed button
        QApplication.instance().focusChanged.connect(self._on_focus_changed)

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if old is None or not isValid(old) or not isValid(self._window):
            return
        if old.window() is not self._window:
            return
        if self._pressed is not None and old is self._holder:
            if old.isEnabled():
                self._forget()  # the learner moved on: leave the focus where they put it
            else:
                self._holder = new  # the holder was disabled too: wait wherever Qt put it
            return
        if isinstance(old, QAbstractButton) and not old.isEnabled():
            self._forget()
            self._pressed, self._holder = old, new
            old.installEventFilter(self)
            QTimer.singleShot(0, self._hold_beside)

    def _hold_beside(self) -> None:
        """After the button's panel has finished enabling and disabling: a button beside it."""
        pressed = self._pressed
        if (
            pressed is None
            or not isValid(pressed)
            or QApplication.focusWidget() is not self._holder
        ):
            return
        panel = pressed.parentWidget()
        widget = pressed.nextInFocusChain()
        while widget is not None and widget is not pressed:
            if (
                isinstance(widget, QAbstractButton)
                and panel is not None
                and panel.isAncestorOf(widget)
                and widget.isEnabled()
                and widget.isVisible()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            ):
                self._holder = widget
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return
            widget = widget.nextInFocusChain()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            watched is self._pressed
            and event.type() == QEvent.Type.EnabledChange
            and self._pressed.isEnabled()
        ):
            pressed, holder = self._pressed, self._holder
            self._forget()
            focused = QApplication.focusWidget()
            if focused is None or focused is holder:
                pressed.setFocus(Qt.FocusReason.OtherFocusReason)
        return super().eventFilter(watched, event)

    def _forget(self) -> None:
        if self._pressed is not None and isValid(self._pressed):
            self._pressed.removeEventFilter(self)
        self._pressed = self._holder = None
