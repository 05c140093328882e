"""The layers hold: nothing below the UI loads Qt, and the import-linter contracts pass."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FIXTURES = ROOT / "tests" / "engine" / "fixtures"
QT = ("PySide6", "shiboken6", "pyqtgraph")

PROBE = f"""
import importlib, json, pkgutil, sys
import tutor.engine, tutor.__main__, tutor.cli
names = ["tutor.engine.runners", "tutor.engine.helper_process", "tutor.cli", "tutor.__main__"]
for package in ("tutor.engine", "tutor.content", "tutor.analysis"):
    try:
        module = importlib.import_module(package)
    except ModuleNotFoundError:
        continue
    names += [package] + [m.name for m in pkgutil.walk_packages(module.__path__, package + ".")]
for name in names:
    importlib.import_module(name)
print(json.dumps({{
    "imported": sorted(set(names)),
    "qt": sorted(m for m in sys.modules if m.split(".")[0] in {QT!r}),
}}))
"""


def test_engine_content_cli_and_entry_point_load_no_qt():
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert "tutor.engine.runners" in report["imported"]
    assert "tutor.engine.helper_process" in report["imported"]
    assert report["qt"] == []


def test_workers_started_through_the_installed_script_load_no_qt():
    """Spawned workers re-import the launching script and its entry-point module (landmine)."""
    script = BIN / "mp-tutor"
    if not script.exists():
        pytest.skip("mp-tutor is not installed next to this Python")
    env = {**os.environ, "PYTHONPATH": str(FIXTURES)}
    done = subprocess.run(
        [
            str(script),
            "bench",
            "--workload",
            "custom",
            "--function",
            "engine_work:qt_modules_loaded",
            "--size",
            "40",
            "--chunks",
            "40",
            "--mode",
            "processes,executor",
            "--workers",
            "2",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert [r["result"] for r in results] == [0, 0]
    for result in results:
        assert len({c["worker"] for c in result["chunks"]}) == 2  # both workers were asked


def test_import_linter_contracts_pass():
    lint_imports = BIN / "lint-imports"
    if not lint_imports.exists():
        pytest.skip("lint-imports is not installed next to this Python")
    done = subprocess.run(
        [str(lint_imports)], capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "broken" not in done.stdout.lower().replace("0 broken", "")


LAYER_PROBE = """
import importlib, json, pkgutil, sys
names = []
for package in ("tutor.controller", "tutor.models"):
    module = importlib.import_module(package)
    names += [package] + [m.name for m in pkgutil.walk_packages(module.__path__, package + ".")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"imported": sorted(names), "modules": sorted(sys.modules)}))
"""


def test_the_controller_and_the_models_load_no_widgets():
    """The controller is Qt without widgets; the models are plain Python (fresh process)."""
    done = subprocess.run(
        [sys.executable, "-c", LAYER_PROBE], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    imported = set(report["imported"])
    for module in ("busy", "run_controller", "interpreter_runs", "exercise_checks"):
        assert f"tutor.controller.{module}" in imported
    assert {"tutor.models.run_settings", "tutor.models.run_plans"} <= imported
    assert "PySide6.QtCore" in report["modules"]  # the controller is Qt, so the probe is real
    assert "PySide6.QtWidgets" not in report["modules"]
    assert "pyqtgraph" not in report["modules"]


def test_the_models_load_no_qt_at_all():
    probe = (
        "import importlib, json, pkgutil, sys, tutor.models as m\n"
        "for i in pkgutil.walk_packages(m.__path__, 'tutor.models.'):\n"
        "    importlib.import_module(i.name)\n"
        f"print(json.dumps(sorted(n for n in sys.modules if n.split('.')[0] in {QT!r})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
