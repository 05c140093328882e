"""A returning learner's saved theme is in place before the window is built: no restyling."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QWidget

from tutor.app import create_main_window
from tutor.ui.persistence.settings_store import SETTINGS_FILE_NAME
from tutor.ui.shell.theme import is_dark


@pytest.fixture(autouse=True)
def restore_the_palette():
    yield
    QApplication.setPalette(QPalette())


class PaletteSpy(QObject):
    """Widgets told that the application palette changed (each then restyles itself)."""

    def __init__(self) -> None:
        super().__init__()
        self.told: list[QWidget] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.ApplicationPaletteChange and isinstance(watched, QWidget):
            self.told.append(watched)
        return False


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_the_saved_theme_is_set_before_any_widget_of_the_window_exists(
    qtbot, isolated_settings, theme
):
    (isolated_settings / SETTINGS_FILE_NAME).write_text(f"[view]\ntheme={theme}\n")
    spy = PaletteSpy()
    app = QApplication.instance()
    app.installEventFilter(spy)
    try:
        window = create_main_window()
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
    finally:
        app.removeEventFilter(spy)
    restyled = [w for w in spy.told if w is window or window.isAncestorOf(w)]
    assert restyled == []
    assert is_dark(app.palette()) == (theme == "dark")
    base = window.timing_chart.backgroundBrush().color().lightness()
    assert (base < 80) if theme == "dark" else (base > 200)
    assert window.menus.theme.theme() == theme
