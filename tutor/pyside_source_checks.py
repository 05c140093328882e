"""Spare PySide6's import hook from reading the source of modules whose answer we know.

Once PySide6 is imported, every `import` statement in the process passes through its hook
(shibokensupport's `feature_imported`, there for the opt-in `from __feature__ import
snake_case`): the first time it meets a module it reads the module's whole source
(`inspect.getsource`) to see whether the text mentions PySide6, and notes the module as 0
("uses PySide6, no feature chosen") or -1 ("ignore") in its `pyside_feature_dict`. Measured
(PySide6 6.11, Python 3.11, the project's 2-core machine): the window's own ~120 modules cost
~85-100 ms of CPU to import, ~15 ms of it these readings (tests/perf/ui_responsiveness.py
measures start-up).

For our own modules and for every module loaded before PySide6 the answer is known without
reading anything, so it is noted beforehand: 0 for the modules of the window (tutor.app,
tutor.ui, tutor.controller), -1 for the others (PySide6's own are left to it). Neither value
changes what a module sees of Qt: no module of ours chooses a feature, and one that did would
have its choice noted by PySide6 over ours. Where PySide6 keeps no such table (another
version), this does nothing and every module is read as before.

The modules imported after PySide6 that are not ours (pyqtgraph's ~150, and what they import)
are still checked, but by reading the file's bytes (`fast_source_check`): the same answer, as
Python source is in an ASCII-compatible encoding, for a fraction of the cost. Through `inspect`
(the line cache, the encoding cookie, the split into lines) those checks took ~35 ms of the
window's start on the 2-core host, ~28 ms of it pyqtgraph's modules; read as bytes, ~3 ms.

No Qt import here: `tutor.app` calls `note_known_modules()` and `fast_source_check()` right
after importing PySide6.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from types import ModuleType

_FEATURE_MODULE = "shibokensupport.feature"  # where PySide6 keeps its __feature__ support
USES_PYSIDE = 0  # PySide6's value for a module that uses it and chose no feature
IGNORED = -1  # PySide6's value for a module that does not use it
_QT_PACKAGES = ("tutor.ui", "tutor.controller")  # ours that use Qt (and tutor.app)
_PYSIDE_OWN = ("PySide6", "shiboken6", "shibokensupport", "signature_bootstrap")  # left to it
_SOURCE_ROOT = Path(__file__).resolve().parent.parent  # the folder holding the tutor package


def feature_table() -> dict[str, int] | None:
    """PySide6's table {module name: feature choice}, or None where it keeps none."""
    table = getattr(sys.modules.get(_FEATURE_MODULE), "pyside_feature_dict", None)
    return table if isinstance(table, dict) else None


def own_qt_modules() -> list[str]:
    """Dotted names of our modules that use Qt, found on disk (none where there are no
    sources, e.g. a frozen bundle; PySide6 cannot read a source there either)."""
    names = ["tutor.app"]
    for package in _QT_PACKAGES:
        top = _SOURCE_ROOT.joinpath(*package.split("."))
        for folder, dirs, files in os.walk(top):
            dirs[:] = [d for d in dirs if not d.startswith(("_", "."))]
            for file in files:
                if file.endswith(".py"):
                    path = Path(folder, file).relative_to(_SOURCE_ROOT).with_suffix("")
                    parts = path.parts[:-1] if path.name == "__init__" else path.parts
                    names.append(".".join(parts))
    return names


def note_known_modules() -> int:
    """Note our Qt modules and every module loaded so far in PySide6's table (see above); a
    module it has noted already keeps its value. Returns how many were noted."""
    table = feature_table()
    if table is None:
        return 0
    noted = 0
    for name in own_qt_modules():
        if name not in table:
            table[name] = USES_PYSIDE
            noted += 1
    for name in list(sys.modules):
        if name not in table and not name.startswith(_PYSIDE_OWN):
            table[name] = IGNORED
            noted += 1
    return noted


def fast_source_check() -> bool:
    """Make PySide6's check of each newly imported module ("does its source mention PySide6?")
    read the module's file as bytes instead of its source through `inspect` (see above).
    Modules without a .py file, or whose file cannot be read, get PySide6's own check. Returns
    False (and changes nothing) where PySide6 has no such check (another version) or it was
    made fast already."""
    feature = sys.modules.get(_FEATURE_MODULE)
    check = getattr(feature, "_mod_uses_pyside", None)
    if not callable(check) or hasattr(check, "__wrapped__"):
        return False

    @functools.wraps(check)
    def mod_uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return check(module)

    feature._mod_uses_pyside = mod_uses_pyside  # looked up at each call: the hook's global
    return True
