"""PySide6's import hook is spared reading our modules (tutor/pyside_source_checks.py says why).

#15: start-up of a returning learner's window.
"""

from __future__ import annotations

import importlib.util

from python_probe import run_probe

from tutor import pyside_source_checks
from tutor.pyside_source_checks import own_qt_modules

EARLY = {"tutor.startup_gc", "tutor.qt_free_imports", "tutor.pyside_source_checks"}

# Which of our modules PySide6's hook read the source of while the window's modules loaded.
PROBE = """
import json, sys
import tutor.startup_gc, tutor.qt_free_imports, tutor.pyside_source_checks  # before PySide6
import PySide6.QtCore
feature = sys.modules["shibokensupport.feature"]
read = []
check = feature._mod_uses_pyside
def counting(module):
    read.append(module.__name__)
    return check(module)
feature._mod_uses_pyside = counting
import tutor.app
table = feature.pyside_feature_dict
ours = sorted(n for n in sys.modules if n.startswith("tutor."))
print(json.dumps({"read": [n for n in read if n.startswith("tutor.")],
                  "noted": {n: table.get(n) for n in ours}}))
"""


def test_the_window_loads_without_pyside6_reading_the_source_of_our_modules():
    found = run_probe(PROBE)
    # Only the modules tutor.app imports before PySide6 (the probe imported them earlier, so
    # the hook meets them before tutor.app could note them; in the app there is no hook yet).
    assert set(found["read"]) <= EARLY, found["read"]
    noted = found["noted"]
    assert noted["tutor.ui.shell.main_window"] == 0  # uses PySide6, as reading it would say
    assert noted["tutor.engine.records"] == -1  # Qt-free, as reading it would say
    assert None not in noted.values(), [n for n, v in noted.items() if v is None]


def test_the_modules_found_on_disk_are_our_qt_modules_by_their_import_names():
    names = own_qt_modules()
    assert "tutor.ui.shell.main_window" in names
    assert "tutor.ui" in names and "tutor.controller" in names  # packages by their own name
    assert not any(n.endswith("__init__") for n in names)
    assert all(importlib.util.find_spec(n) is not None for n in names)


def test_without_pysides_table_nothing_is_noted(monkeypatch):
    monkeypatch.setattr(pyside_source_checks, "_FEATURE_MODULE", "no.such.module")
    assert pyside_source_checks.feature_table() is None
    assert pyside_source_checks.note_known_modules() == 0
