"""PySide6's import hook is spared reading our modules, and reads the others' files as bytes
(tutor/pyside_source_checks.py says why).

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


# Every module the window loads: the fast check against PySide6's own (kept as __wrapped__),
# and how often PySide6's hook went through inspect for a module's source meanwhile.
BYTES_PROBE = """
import inspect, json, sys
import tutor.pyside_source_checks as checks
through_inspect = []  # (module, had a .py file)
get_source = inspect.getsource
def counting(obj):
    path = str(getattr(obj, "__file__", ""))
    through_inspect.append((getattr(obj, "__name__", "?"), path.endswith(".py")))
    return get_source(obj)
inspect.getsource = counting
before_it = set()  # the modules loaded when tutor.app made the check fast
make_fast = checks.fast_source_check
def snapshot():
    before_it.update(sys.modules)
    return make_fast()
checks.fast_source_check = snapshot
from tutor.app import _application, create_main_window
app = _application()
window = create_main_window()
inspect.getsource = get_source
check = sys.modules["shibokensupport.feature"]._mod_uses_pyside
modules = [m for m in list(sys.modules.values()) if str(getattr(m, "__file__", "")).endswith(".py")]
print(json.dumps({
    "read_after_it": [n for n, has_source in through_inspect if has_source and n not in before_it],
    "read_before_it": [n for n, has_source in through_inspect if n in before_it],
    "compared": len(modules),
    "differ": [m.__name__ for m in modules if check(m) != check.__wrapped__(m)],
    "pyqtgraph_uses": check(sys.modules["pyqtgraph.Qt"]),
}))
"""


def test_the_hook_reads_files_as_bytes_and_gets_pysides_own_answers(isolated_settings):
    found = run_probe(BYTES_PROBE)
    # pyqtgraph's ~150 modules and their imports went through inspect: ~35 ms of the start.
    assert found["read_after_it"] == []
    assert "PySide6.QtCore" in found["read_before_it"]  # the probe sees what PySide6 reads
    assert found["compared"] > 300  # the standard library's, numpy's, pyqtgraph's and ours
    assert found["differ"] == []
    assert found["pyqtgraph_uses"] is True  # its Qt shim names PySide6


def test_the_fast_check_is_made_once_and_only_where_pyside6_has_its_own(monkeypatch):
    pyside_source_checks.fast_source_check()  # made here, unless tutor.app made it already
    assert pyside_source_checks.fast_source_check() is False
    monkeypatch.setattr(pyside_source_checks, "_FEATURE_MODULE", "no.such.module")
    assert pyside_source_checks.fast_source_check() is False


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
