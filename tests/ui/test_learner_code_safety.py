"""Your function in the window: nothing the learner's code returns or does breaks it (#14)."""

from __future__ import annotations

import json

import pytest
from process_checks import wait_no_children
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from window_helpers import set_spin

from tutor.app import create_main_window

RUN_TIMEOUT_MS = 90_000


@pytest.fixture
def window(qtbot):
    window = create_main_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_tab(window.code_panel)
    window.run_panel.worker_count.setValue(2)
    yield window
    window.close()
    assert wait_no_children() == []


def run_code(qtbot, window, source: str, size: int = 20, threads: bool = False) -> str:
    """Type `source` in, run it, wait for the batch to end; the panel's status text."""
    code = window.code_panel
    code.set_source(source)
    set_spin(qtbot, code.size_spin, size)
    name = "runCustomThreadsButton" if threads else "runCustomProcessesButton"
    button = window.findChild(QPushButton, name)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(button, Qt.LeftButton)
    qtbot.waitUntil(button.isEnabled, timeout=RUN_TIMEOUT_MS)
    return code.status.text()


def test_a_huge_int_reaches_the_results_table(qtbot, window):
    status = run_code(qtbot, window, "def work(n):\n    return 10 ** 5000\n")
    assert "≈2.0e5001 (5,002 digits)" in status and "the same as sequential ✓" in status
    rows = window.results_table.rows_as_text()
    assert len(rows) == 2
    assert all(row[3] == "≈2.0e5001 (5,002 digits) ✓" for row in rows)
    assert wait_no_children() == []


def test_an_overflowing_total_is_not_blamed_on_the_learner(qtbot, window):
    status = run_code(qtbot, window, "def work(n):\n    return 1e308 if n < 2 else 0.0\n")
    assert "raised" not in status
    assert "is inf" in status
    assert window.results_table.rows_as_text()[-1][3] == "inf ✓"


def test_nan_matches_its_baseline_and_exports_as_strict_json(qtbot, window, tmp_path):
    run_code(qtbot, window, "def work(n):\n    return float('nan')\n", threads=True)
    rows = window.results_table.rows_as_text()
    assert [row[3] for row in rows] == ["nan ✓", "nan ✓"]
    assert window.menus.export.export_json(tmp_path / "runs.json")  # File → Export as JSON
    text = (tmp_path / "runs.json").read_text(encoding="utf-8")
    runs = json.loads(text, parse_constant=pytest.fail)["runs"]
    assert [run["result"] for run in runs] == ["nan", "nan"]


def test_a_fraction_is_shown_exactly(qtbot, window):
    run_code(
        qtbot, window, "from fractions import Fraction\ndef work(n):\n    return Fraction(1, 3)\n"
    )
    assert window.results_table.rows_as_text()[-1][3] == "20/3 ✓"


def test_a_non_number_is_refused_at_its_line(qtbot, window):
    status = run_code(qtbot, window, "def work(n):\n    x = [n]\n    return x\n")
    assert "must return a number, but it returned a list at line 3" in status
    assert window.code_panel.editor.error_line() == 3
    assert window.results_table.row_count() == 0
