"""Help → Keyboard shortcuts: every key the window answers to, listed from its real actions."""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

# Keys that belong to widgets rather than to menu actions.
WIDGET_KEYS: tuple[tuple[str, str], ...] = (
    ("Tab / Shift+Tab", "Move to the next / previous control (charts included)"),
    ("Alt + underlined letter", "Go to the control or tab whose label has that letter"),
    ("Space / Enter", "Press the focused button"),
    ("Up / Down, Page Up / Page Down", "Move through the lesson, change a number, move in a list"),
    ("Tab / Shift+Tab in the lesson", "Next / previous link from where you are reading"),
    ("Enter on a lesson link", "Follow the link (set up or start the run, run the example)"),
    ("H / Shift+H in the lesson", "Next / previous heading"),
    ("Enter in the lesson outline", "Jump to the selected section"),
    ("Ctrl+wheel over the lesson", "Zoom the window, like Ctrl++ and Ctrl+-"),
    ("Esc", "Close a dialog"),
)


def _plain(text: str) -> str:
    """Menu text without mnemonics and the trailing ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(".…")


def _keys_text(keys: Sequence[QKeySequence]) -> str:
    return " or ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)


def _where(shortcut: QShortcut) -> str:
    """Where a widget's own shortcut works: its whatsThis, or its widget's name."""
    if shortcut.whatsThis():
        return shortcut.whatsThis()
    widget = shortcut.parent()
    name = ""
    if widget is not None:
        name = (
            widget.accessibleName()
            or re.sub(r"(?<=[a-z])(?=[A-Z])", " ", widget.objectName()).lower()
        )
    return f"A key of the {name}" if name else "A key of one of the panels"


def shortcut_rows(
    actions: Sequence[QAction], shortcuts: Sequence[QShortcut] = ()
) -> list[tuple[str, str, str]]:
    """(keys, what they do, more detail): the actions with a shortcut, widgets' own keys, and
    the general keys."""
    rows: list[tuple[str, str, str]] = []
    for action in actions:
        keys = [k for k in action.shortcuts() if not k.isEmpty()]
        if keys:
            rows.append((_keys_text(keys), _plain(action.text()), action.statusTip()))
    grouped: dict[tuple[int, str], list[QKeySequence]] = {}
    for shortcut in shortcuts:
        if shortcut.isEnabled() and not shortcut.key().isEmpty():
            grouped.setdefault((id(shortcut.parent()), _where(shortcut)), []).append(shortcut.key())
    rows.extend((_keys_text(keys), where, "") for (_id, where), keys in grouped.items())
    rows.extend((keys, what, "") for keys, what in WIDGET_KEYS)
    return rows


class ShortcutsDialog(QDialog):
    """A two-column, read-only table: keys, and what they do."""

    def __init__(
        self,
        actions: Sequence[QAction],
        shortcuts: Sequence[QShortcut] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        self.setAttribute(Qt.WidgetAttribute.WA_WindowPropagation)  # the window's font (zoom)

        intro = QLabel(
            "Everything in the tutor works from the keyboard. Menu keys work wherever the focus "
            "is in the main window."
        )
        intro.setWordWrap(True)

        rows = shortcut_rows(actions, shortcuts)
        self.table = QTableWidget(len(rows), 2, objectName="shortcutsTable")
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Keys", "What they do"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        for row, (keys, what, detail) in enumerate(rows):
            for column, text in enumerate((keys, what)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{keys}: {what}")
                if detail:
                    item.setToolTip(detail)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.setObjectName("shortcutsButtons")
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close the list of shortcuts")

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        width = self.fontMetrics().horizontalAdvance("m") * 60
        self.resize(max(560, width), max(420, self.fontMetrics().height() * 26))

    def rows(self) -> list[tuple[str, str]]:
        return [
            (self.table.item(r, 0).text(), self.table.item(r, 1).text())
            for r in range(self.table.rowCount())
        ]
