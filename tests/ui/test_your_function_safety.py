"""Your function in the window: nothing the learner's code returns or does breaks it (#14)."""

from __future__ import annotations

import json
import re
import sys

import psutil
import pytest
from process_checks import wait_no_children
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit, QPushButton, QSpinBox
from window_helpers import set_spin

RUN_TIMEOUT_MS = 90_000


@pytest.fixture
def window(make_window):
    """The shown window (tests/ui/conftest.py) with Your function in front, on 2 workers."""
    window = make_window()
    window.show_tab(window.code_panel)
    window.run_panel.worker_count.setValue(2)
    return window


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
    assert re.search(
        r"work\(\) returned a list \(\[\d+\]\) for n = \d+ \(line 3\): it must", status
    )
    assert window.code_panel.editor.error_line() == 3
    assert window.results_table.row_count() == 0


@pytest.mark.parametrize(
    ("source", "returned"),
    [
        ("def work(n):\n    return None\n", "work() returned None for n = 0 (line 2)"),
        ("def work(n):\n    return 'seven'\n", "work() returned a str ('seven') for n = 0"),
    ],
)
def test_a_non_number_is_not_called_an_exception(qtbot, window, source, returned):
    # A learner's work(n) that returns None raised nothing: no "raised an exception", no
    # tutor class path, no traceback through the tutor's worker, in any part of the window.
    status = run_code(qtbot, window, source, threads=True)
    shown = [
        status,
        window.code_panel.details.toPlainText(),
        window.run_panel.run_status.text(),
        window.run_panel.error_label.text(),
        window.run_panel.error_details.toPlainText(),
        window.statusBar().currentMessage(),
    ]
    assert returned in status and "it must return a number" in status
    for text in shown:
        assert "raised" not in text and "tutor." not in text and "Traceback" not in text, text
    assert "returned something that is not a number" in window.run_panel.run_status.text()
    assert window.code_panel.editor.error_line() == 2


def test_a_megabyte_message_leaves_the_window_responsive(qtbot, window):
    status = run_code(qtbot, window, "def work(n):\n    raise ValueError('x' * 1_000_000)\n")
    assert "ValueError: xxx" in status and len(status) < 1_000
    details = window.code_panel.details.toPlainText()
    assert 'File "your code", line 2, in work' in details and len(details) < 30_000
    assert len(window.run_panel.error_label.text()) < 1_000
    assert len(window.run_panel.error_details.toPlainText()) < 30_000


def test_a_pool_at_import_is_explained_not_timed_out(qtbot, window):
    source = "from multiprocessing import Pool\n\ndef work(n):\n    return n\n\npool = Pool(2)\n"
    status = run_code(qtbot, window, source)
    assert "your code starts a process while it is being imported, at line 6 (`pool = " in status
    assert "learner_work_" not in status  # the saved module's generated name means nothing
    assert 'if __name__ == "__main__":' in status
    assert "loop that never ends" not in status
    assert window.results_table.row_count() == 0


def test_a_non_daemon_thread_at_import_does_not_stop_the_results(qtbot, window):
    source = (
        "import threading\n"
        "threading.Thread(target=threading.Event().wait).start()\n\n"
        "def work(n):\n    return n\n"
    )
    run_code(qtbot, window, source)
    assert [row[3] for row in window.results_table.rows_as_text()] == ["190 ✓", "190 ✓"]


LEAVES_A_CHILD = """\
import os, subprocess, time

def work(n):
    if n == 0:
        with open({path!r}, "w") as file:
            file.write(str(subprocess.Popen(["sleep", "600"]).pid))
    while True:
        time.sleep(0.01)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="uses the sleep command")
@pytest.mark.parametrize("stop", ["time limit", "cancel"])
def test_stopping_a_run_ends_the_learners_own_children(qtbot, window, tmp_path, stop):
    pid_file = tmp_path / "child.pid"
    code = window.code_panel
    code.set_source(LEAVES_A_CHILD.format(path=str(pid_file)))
    set_spin(qtbot, code.size_spin, 20)
    if stop == "time limit":
        set_spin(qtbot, code.findChild(QSpinBox, "customTimeLimit"), 2)
    button = window.findChild(QPushButton, "runCustomThreadsButton")
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(button, Qt.LeftButton)
        qtbot.waitUntil(lambda: bool(pid_file.exists() and pid_file.read_text()), timeout=60_000)
        child = psutil.Process(int(pid_file.read_text()))
        if stop == "cancel":
            qtbot.mouseClick(window.run_panel.cancel_button, Qt.LeftButton)
    gone, alive = psutil.wait_procs([child], timeout=10)
    assert alive == []
    assert wait_no_children() == []


@pytest.mark.parametrize("threads", [False, True])
def test_print_in_work_is_shown_in_the_panel(qtbot, window, threads):
    source = "def work(n):\n    print(f'item {n} done')\n    return n\n"
    run_code(qtbot, window, source, threads=threads)
    output = window.findChild(QPlainTextEdit, "customOutput")
    assert output.isVisible()
    text = output.toPlainText()
    # Both runs (the sequential baseline in the helper, then the workers or threads) print.
    assert text.count("item 19 done") == 2 and text.count("item 0 done") == 2


def test_a_flood_of_output_is_bounded(qtbot, window):
    source = "def work(n):\n    print('y' * 10_000)\n    return n\n"
    run_code(qtbot, window, source, size=200)
    text = window.findChild(QPlainTextEdit, "customOutput").toPlainText()
    assert "more characters of output left out" in text
    assert len(text) < 200_000
    assert [row[3] for row in window.results_table.rows_as_text()] == ["19,900 ✓"] * 2


def test_a_module_that_never_finishes_importing_is_named_as_such(qtbot, window):
    code = window.code_panel
    set_spin(qtbot, code.findChild(QSpinBox, "customTimeLimit"), 2)
    # Its top level loops for ever (asleep, so as not to burn a core for the whole limit).
    source = "import time\n\nwhile True:\n    time.sleep(0.05)\n\ndef work(n):\n    return n\n"
    status = run_code(qtbot, window, source)
    assert "while importing your code" in status and "top level" in status
    assert "learner_work_" not in status
    assert "loop that never ends" not in status
    assert wait_no_children() == []
