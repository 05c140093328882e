"""Whether a palette is dark: the one test every widget uses to pick its colours.

Low in the UI's layers (widgets) so panels, dialogs, charts and the shell's theme can all ask.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

ERROR_TEXT = {False: "#b71c1c", True: "#ff8a80"}  # dark red on light, light red on dark


def is_dark(palette: QPalette) -> bool:
    """Whether text is drawn on a dark background: the Base colour's lightness below half."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def show_as_error(widget: QWidget, error: bool) -> None:
    """Draw `widget`'s text in the error red (readable on light and dark), or as usual.

    Through the palette, not a style sheet: a style sheet gave a label the application's font,
    so error messages were drawn smaller than the zoomed text around them. An empty QPalette
    with one role set inherits every other role from the parent.
    """
    palette = QPalette()
    if error:
        colour = QColor(ERROR_TEXT[is_dark(widget.palette())])
        palette.setColor(QPalette.ColorRole.WindowText, colour)
    widget.setPalette(palette)
