"""Light and dark: follow the system's colour scheme, or the learner's choice.

Qt (6.5+) reports the system's scheme as `QStyleHints.colorScheme()` and most platform styles
switch their palette with it. Where the style does not (an older Windows style, a Linux desktop
without a platform theme), a dark system scheme would leave a light window: then, and when the
learner picks "Dark" or "Light" in View → Appearance, the application palette is set here. Every
widget then gets a PaletteChange: the charts re-colour themselves, the lesson re-renders its code
with the dark Pygments style, the editor and console switch their highlighting.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from tutor.ui.widgets.palette_tone import is_dark

THEMES: tuple[tuple[str, str], ...] = (
    ("system", "Follow the &system"),
    ("light", "&Light"),
    ("dark", "&Dark"),
)
SETTINGS_KEY = "view/theme"


def dark_palette() -> QPalette:
    """A dark palette with readable contrast (text ≥ 7:1 on its background)."""
    window = QColor("#2b2b2b")
    base = QColor("#1e1e1e")
    text = QColor("#e8e8e8")
    disabled = QColor("#8a8a8a")
    highlight = QColor("#2f6fb3")
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor("#262626"),
        QPalette.ColorRole.ToolTipBase: QColor("#333333"),
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: QColor("#a0a0a0"),
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor("#353535"),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor("#ff6b6b"),
        QPalette.ColorRole.Light: QColor("#4a4a4a"),
        QPalette.ColorRole.Midlight: QColor("#3e3e3e"),
        QPalette.ColorRole.Mid: QColor("#303030"),
        QPalette.ColorRole.Dark: QColor("#151515"),
        QPalette.ColorRole.Shadow: QColor("#000000"),
        QPalette.ColorRole.Highlight: highlight,
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Link: QColor("#7fb8ff"),
        QPalette.ColorRole.LinkVisited: QColor("#c9a0ff"),
    }
    for role, colour in roles.items():
        palette.setColor(role, colour)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Highlight, QColor("#444444"))
    return palette


def light_palette() -> QPalette:
    """The Fusion style's light palette (the same on every platform)."""
    fusion = QStyleFactory.create("Fusion")
    return fusion.standardPalette() if fusion is not None else QPalette()


def system_scheme() -> Qt.ColorScheme:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() if hasattr(hints, "colorScheme") else Qt.ColorScheme.Unknown


def saved_theme(settings: QSettings) -> str:
    """The theme the settings name ("system", "light" or "dark"); "system" if none or unknown."""
    theme = settings.value(SETTINGS_KEY, "system")
    return theme if isinstance(theme, str) and theme in dict(THEMES) else "system"


def apply_saved_theme(settings: QSettings) -> None:
    """Put the saved theme's palette on the application before the window is built.

    Changing the application palette afterwards restyles every widget and chart of the
    finished window (a returning dark-theme learner's first paint took ~1.3x longer);
    the window's own ThemeController then finds the palette already in place.
    """
    ThemeController.apply_theme(saved_theme(settings))


class ThemeController(QObject):
    """Applies "system", "light" or "dark" to the application; remembers the choice."""

    theme_changed = Signal(str)

    def __init__(self, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._theme = saved_theme(settings)
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._on_color_scheme_changed)

    def theme(self) -> str:
        return self._theme

    def set_theme(self, theme: str) -> None:
        if theme not in dict(THEMES):
            raise ValueError(f"theme must be one of {[t for t, _ in THEMES]}, not {theme!r}")
        self._theme = theme
        self._settings.setValue(SETTINGS_KEY, theme)
        self.apply()
        self.theme_changed.emit(theme)

    def apply(self) -> None:
        self.apply_theme(self._theme)

    @classmethod
    def apply_theme(cls, theme: str) -> None:
        """Set the application's palette (and Qt's colour scheme hint) for `theme`."""
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return
        cls._request_scheme(theme)
        if theme == "dark":
            cls._set_palette(app, dark_palette())
        elif theme == "light":
            cls._set_palette(app, light_palette())
        else:
            app.setPalette(QPalette())  # back to the platform's own palette
            if system_scheme() == Qt.ColorScheme.Dark and not is_dark(app.palette()):
                cls._set_palette(app, dark_palette())  # the style did not follow: help it

    def _on_color_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._theme == "system":
            self.apply()

    @staticmethod
    def _request_scheme(theme: str) -> None:
        """Tell Qt (6.8+) which scheme we want, so native parts (title bars) match."""
        hints = QGuiApplication.styleHints()
        try:
            if theme == "system":
                if hasattr(hints, "unsetColorScheme"):
                    hints.unsetColorScheme()
            elif hasattr(hints, "setColorScheme"):
                scheme = Qt.ColorScheme.Dark if theme == "dark" else Qt.ColorScheme.Light
                hints.setColorScheme(scheme)
        except (AttributeError, RuntimeError, TypeError):
            pass

    @staticmethod
    def _set_palette(app: QApplication, palette: QPalette) -> None:
        # The classic Windows style draws native light controls whatever the palette says.
        if app.style().name().lower() == "windowsvista":
            app.setStyle("Fusion")
        if app.palette() == palette:
            return  # already in place (see apply_saved_theme): no restyling of every widget
        app.setPalette(palette)
