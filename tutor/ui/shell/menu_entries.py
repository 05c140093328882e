"""What the fixed menu entries say: text, keys and tip, one row per action, by object name.

Kept as data apart from `menus.py` (which connects each entry to what it does), so the words and
keys of the whole menu bar read in one place, as Help → Keyboard shortcuts lists them. Entries
made in a loop (chart metric, focus moves, appearance) build their words where they loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtGui import QKeySequence

Keys = str | QKeySequence.StandardKey | Sequence[str | QKeySequence.StandardKey] | None


@dataclass(frozen=True)
class MenuEntry:
    """One action's words: `text` with its & mnemonic, `keys` (a portable key, a standard key,
    or several), and `tip`, shown in the status bar and as the tooltip."""

    text: str
    keys: Keys = None
    tip: str = ""


StandardKey = QKeySequence.StandardKey

MENU_ENTRIES: dict[str, MenuEntry] = {
    # File
    "saveReportAction": MenuEntry(
        "Save &report…",
        "Ctrl+Shift+S",
        "Save the results, both charts (PNG and SVG) and the machine facts in a new folder",
    ),
    "exportCsvAction": MenuEntry(
        "Export results as &CSV…", "Ctrl+E", "Save the results table as a CSV file"
    ),
    "exportJsonAction": MenuEntry(
        "Export results as &JSON…",
        "Ctrl+Shift+E",
        "Save every run with its chunk timings and the machine facts as JSON",
    ),
    "quitAction": MenuEntry(
        "&Quit",
        [StandardKey.Quit, "Ctrl+Q"],
        "Close the tutor (while a run is going it asks first, then stops the run)",
    ),
    # View
    "zoomInAction": MenuEntry(
        "Zoom &in",
        [StandardKey.ZoomIn, "Ctrl++", "Ctrl+="],
        "Larger text in the lesson, the run panel, the charts and the tables",
    ),
    "zoomOutAction": MenuEntry(
        "Zoom &out", [StandardKey.ZoomOut, "Ctrl+-"], "Smaller text everywhere"
    ),
    "zoomResetAction": MenuEntry("&Normal size", "Ctrl+0", "Text at 100 %"),
    # Run
    "exercisesAction": MenuEntry(
        "Practise with e&xercises…",
        tip="Fix small programs; each fix is checked by really running it under spawn",
    ),
    # Help
    "quizAction": MenuEntry("Take the &quiz…", "Ctrl+K", "Four questions on what you learned"),
    "nextSectionAction": MenuEntry(
        "&Next section", "Ctrl+Down", "Scroll the lesson to the next section"
    ),
    "previousSectionAction": MenuEntry(
        "&Previous section", "Ctrl+Up", "Scroll the lesson to the previous section"
    ),
    "shortcutsAction": MenuEntry(
        "&Keyboard shortcuts…", [StandardKey.HelpContents, "F1"], "This list of keys"
    ),
}
