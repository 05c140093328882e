"""The window loads its Qt-free modules before PySide6 (tutor/qt_free_imports.py says why)."""

from __future__ import annotations

from python_probe import run_probe

QT_FREE = ("tutor.engine", "tutor.content", "tutor.models", "tutor.analysis")

# The order modules were first imported in is sys.modules' order (a dict keeps insertion order).
PROBE = """
import json, sys
import tutor.{module}
names = list(sys.modules)
print(json.dumps({{"names": names, "qt": [n for n in names if n.split(".")[0] == "PySide6"]}}))
"""


def _import_order(module: str) -> dict[str, list[str]]:
    return run_probe(PROBE.format(module=module))


def test_the_windows_qt_free_modules_load_before_pyside6():
    order = _import_order("app")
    names = order["names"]
    assert "PySide6" in names, "tutor.app should load Qt"
    after_qt = names[names.index("PySide6") :]
    late = [n for n in after_qt if n.startswith(tuple(p + "." for p in QT_FREE)) or n in QT_FREE]
    assert late == [], (
        f"tutor.app loads these Qt-free modules after PySide6, where PySide6's import hook reads "
        f"their source; import them (or a module importing them) in tutor/qt_free_imports.py: "
        f"{late}"
    )
    # numpy, which the charts need, comes before Qt too (through the analysis layer).
    assert names.index("numpy") < names.index("PySide6")


def test_the_early_imports_load_no_qt():
    order = _import_order("qt_free_imports")
    assert order["qt"] == []
    assert any(n.startswith("tutor.engine.") for n in order["names"])
