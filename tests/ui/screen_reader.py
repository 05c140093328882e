"""What a screen reader gets from a window, read through Qt's accessibility interface.

No screen reader is needed: Orca (AT-SPI), NVDA (UI Automation) and VoiceOver (NSAccessibility)
all read the same QAccessibleInterface tree that `QAccessible.queryAccessibleInterface` gives.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QLabel,
    QMenuBar,
    QTabBar,
    QTabWidget,
    QWidget,
)


@dataclass(frozen=True)
class Seen:
    """One object of the accessible tree, as a screen reader meets it."""

    name: str
    description: str
    role: QAccessible.Role
    widget: QWidget | None  # None for parts of a control (a tab, a list row)
    focusable: bool

    @property
    def class_names(self) -> set[str]:
        if self.widget is None:
            return set()
        return {type(self.widget).__name__, self.widget.metaObject().className()}

    def __str__(self) -> str:
        kind = type(self.widget).__name__ if self.widget is not None else self.role.name
        where = self.widget.objectName() if self.widget is not None else ""
        return f"{kind} {where!r} name={self.name!r}"


def walk(interface: QAccessibleInterface | None) -> Iterator[Seen]:
    """Every object under `interface` (itself included), children in their accessible order."""
    if interface is None or not interface.isValid():
        return
    state = interface.state()
    if state.invisible:
        return
    obj = interface.object()
    yield Seen(
        name=interface.text(QAccessible.Text.Name).strip(),
        description=interface.text(QAccessible.Text.Description).strip(),
        role=interface.role(),
        widget=obj if isinstance(obj, QWidget) else None,
        focusable=bool(state.focusable),
    )
    for index in range(interface.childCount()):
        yield from walk(interface.child(index))


def tree(top: QWidget) -> list[Seen]:
    return list(walk(QAccessible.queryAccessibleInterface(top)))


def focusable_widgets(top: QWidget) -> list[Seen]:
    """The widgets a screen reader can land on (the parts of a control are read with it, and
    a widget with a focus proxy hands the focus to that proxy, as a chart's plot area does)."""
    return [
        seen
        for seen in tree(top)
        if seen.focusable and seen.widget is not None and seen.widget.focusProxy() is None
    ]


def naming_faults(top: QWidget) -> list[str]:
    """Focusable widgets with no name, their class name as name, or a name another one shares
    with the same description (a listener cannot tell them apart)."""
    faults: list[str] = []
    by_name: dict[str, list[Seen]] = {}
    for seen in focusable_widgets(top):
        if not seen.name or seen.name in seen.class_names:
            faults.append(f"unnamed: {seen}")
        else:
            by_name.setdefault(seen.name, []).append(seen)
    for _name, same in by_name.items():
        descriptions = [seen.description for seen in same]
        if len(set(descriptions)) < len(descriptions):
            faults.append("same name and description: " + ", ".join(map(str, same)))
    return faults


def every_tab(window: QWidget) -> Iterator[str]:
    """Each page of every tab widget in turn (a hidden page is not in the accessible tree)."""
    for tabs in window.findChildren(QTabWidget):
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            QApplication.processEvents()
            yield f"{tabs.objectName()}:{tabs.tabText(index)}"


def mnemonic(text: str) -> str | None:
    """The letter after a single '&' (Alt + that letter), lower case; None without one."""
    index = 0
    while True:
        index = text.find("&", index)
        if index < 0 or index + 1 >= len(text):
            return None
        if text[index + 1] == "&":
            index += 2
            continue
        return text[index + 1].lower()


def mnemonics(window: QWidget) -> dict[str, list[str]]:
    """Alt+letter → what it goes to, for every control of `window` itself that is on screen
    (a hidden tab's controls do not answer; dialogs are windows of their own; menus' entries
    only compete within their menu)."""
    found: dict[str, list[str]] = {}

    def add(text: str, owner: str) -> None:
        letter = mnemonic(text)
        if letter is not None:
            found.setdefault(letter, []).append(f"{owner} {text!r}")

    for widget in window.findChildren(QWidget):
        if widget.window() is not window or not widget.isVisible():
            continue
        if isinstance(widget, QLabel) and widget.buddy() is not None:
            add(widget.text(), "label")
        elif isinstance(widget, QAbstractButton):
            add(widget.text(), type(widget).__name__)
        elif isinstance(widget, QGroupBox):
            add(widget.title(), "group")
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                add(widget.tabText(index), "tab")
        elif isinstance(widget, QMenuBar):
            for action in widget.actions():
                add(action.text(), "menu")
    return found
