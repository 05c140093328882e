"""Whether a palette is dark: the one test every widget uses to pick its colours.

Low in the UI's layers (widgets) so panels, dialogs, charts and the shell's theme can all ask.
"""

from __future__ import annotations

from PySide6.QtGui import QPalette


def is_dark(palette: QPalette) -> bool:
    """Whether text is drawn on a dark background: the Base colour's lightness below half."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128
