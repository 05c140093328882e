"""Settings that cannot stop the app: bad values, a read-only file, progress that cannot be saved.

Every case writes a real INI file and opens the real window on it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QPushButton
from test_main_window import answer_quiz
from window_helpers import click, let_the_event_loop_turn

from tutor.engine.records import MAX_SIZE
from tutor.models.run_settings import RunSettingsModel
from tutor.ui.panels.run_panel import RunPanel, max_workers_allowed
from tutor.ui.persistence.saved_settings import read_run_settings
from tutor.ui.persistence.settings_store import SETTINGS_FILE_NAME, open_settings


def write_ini(folder, text: str) -> None:
    (folder / SETTINGS_FILE_NAME).write_text(text, encoding="utf-8")


def warnings_of(window) -> list[QMessageBox]:
    return [
        box for box in window.findChildren(QMessageBox) if box.objectName() == "settingsWarning"
    ]


@pytest.fixture
def read_only():
    """Makes a file read-only in a way that also stops root (who ignores mode bits)."""
    undo = []

    def make(path) -> None:
        if sys.platform == "win32" or os.geteuid() != 0:
            path.chmod(0o444)
            undo.append(lambda: path.chmod(0o644))
            return
        chattr = shutil.which("chattr")
        done = chattr and subprocess.run([chattr, "+i", str(path)], capture_output=True)
        if not done or done.returncode != 0:
            pytest.skip(
                "running as root where chattr +i is unavailable: cannot make a file read-only"
            )
        undo.append(lambda: subprocess.run([chattr, "-i", str(path)], check=True))

    yield make
    for step in undo:
        step()


@pytest.mark.parametrize(
    ("line", "attribute", "expected", "words"),
    [
        ("size=99999999999999999999", "workload_size", MAX_SIZE, "workload size"),
        ("size=" + "9" * 5000, "workload_size", MAX_SIZE, "workload size"),
        ("size=-7", "workload_size", 0, "workload size"),
        ("workers=4294967296", "worker_count", max_workers_allowed(), "worker count"),
        ("workers=0", "worker_count", 1, "worker count"),
        ("chunks=2147483648", "chunk_count", 100_000, "chunk count"),
        ("chunks=-2147483649", "chunk_count", 0, "chunk count"),
    ],
)
def test_a_number_beyond_its_widget_is_clamped_with_a_notice(
    qtbot, make_window, isolated_settings, line, attribute, expected, words
):
    write_ini(isolated_settings, f"[run]\nworkload=squares\n{line}\n")
    window = make_window()
    assert getattr(window.run_panel, attribute).value() == expected
    assert window.run_panel.workload_choice.currentData() == "squares"  # the good value is kept
    qtbot.waitUntil(lambda: len(warnings_of(window)) == 1, timeout=10_000)
    text = warnings_of(window)[0].text()
    assert words in text and f"{expected:,}" in text
    assert not list(isolated_settings.glob("*.corrupt-*"))


def test_values_that_are_not_numbers_or_choices_are_dropped_and_named(qtbot, isolated_settings):
    write_ini(
        isolated_settings,
        "[run]\nworkload=bitcoin\nsize=12.5\nworkers=four\nstartMethod=teleport\n"
        "chunks=@Variant(\\0\\0\\0\\x7f\\0\\0\\0\\x18)\nprocessApi=threads\ndaskScheduler=a, b\n",
    )
    settings, message = open_settings()
    assert message is None  # a plain INI file: its values are checked one by one, not reset
    panel = RunPanel(RunSettingsModel(("spawn", "forkserver")))
    qtbot.addWidget(panel)
    before = panel.state()
    saved, notices = read_run_settings(settings, panel.run_settings)
    assert saved.panel == before
    assert saved.dask_scheduler == ""
    joined = " ".join(notices)
    for words in ("workload", "workload size", "worker count", "start method"):
        assert f"saved {words} (" in joined
    assert "saved chunk count could not be read" in joined  # a value Qt cannot decode
    assert "process API" in joined and "scheduler" in joined
    assert len(notices) == 7


def test_good_saved_values_are_used_without_a_notice(qtbot, make_window, isolated_settings):
    write_ini(
        isolated_settings,
        "[run]\nworkload=squares\nsize=+000123456\nworkers=3\nstartMethod=spawn\nchunks=40\n"
        "processApi=executor\ndaskScheduler= tls://10.0.0.5:8786 \n",
    )
    window = make_window()
    panel = window.run_panel
    assert (panel.workload_size.value(), panel.worker_count.value()) == (123_456, 3)
    assert panel.chunk_count.value() == 40 and panel.process_mode() == "executor"
    assert panel.scheduler_address.text() == "tls://10.0.0.5:8786"
    let_the_event_loop_turn(qtbot)  # a notice would be queued for the first turn
    assert warnings_of(window) == []


def test_a_read_only_settings_file_is_used_and_reported_once(
    qtbot, make_window, isolated_settings, read_only
):
    path = isolated_settings / SETTINGS_FILE_NAME
    write_ini(
        isolated_settings,
        '[run]\nworkload=squares\nsize=4242\n[progress]\nsections_read="[\\"Why threads\\"]"\n'
        "[quiz]\nbest_score=3\nbest_total=4\nattempts=1\n",
    )
    original = path.read_bytes()
    read_only(path)

    window = make_window()

    assert window.run_panel.workload_size.value() == 4242
    assert "best 3/4" in window.course_progress.text()
    assert window.progress.sections_read() == {"Why threads"}
    assert not list(isolated_settings.glob("*.corrupt-*"))
    qtbot.waitUntil(lambda: len(warnings_of(window)) == 1, timeout=10_000)
    assert "cannot be saved" in warnings_of(window)[0].text()

    click(qtbot, window.findChild(QPushButton, "quizButton"))
    answer_quiz(qtbot, window.findChild(QDialog, "QuizDialog"), right=True)
    assert "4/4" in window.findChild(QDialog, "QuizDialog").findChild(QLabel, "quizScore").text()
    assert len(warnings_of(window)) == 1  # said once, not again at the failed save
    assert path.read_bytes() == original


def test_a_failed_progress_save_is_reported_once_in_the_window(
    qtbot, make_window, isolated_settings
):
    window = make_window()
    let_the_event_loop_turn(qtbot)
    assert warnings_of(window) == []
    # The config folder turns into a file while the tutor runs: no save can succeed now.
    shutil.rmtree(isolated_settings)
    isolated_settings.write_text("not a folder")

    click(qtbot, window.findChild(QPushButton, "quizButton"))
    answer_quiz(qtbot, window.findChild(QDialog, "QuizDialog"), right=True)

    qtbot.waitUntil(lambda: len(warnings_of(window)) == 1, timeout=10_000)
    assert "cannot be saved" in warnings_of(window)[0].text()
    assert "cannot be saved" in window.statusBar().currentMessage()
    window.progress.mark_section_read("Another section")
    let_the_event_loop_turn(qtbot)
    assert len(warnings_of(window)) == 1


def test_a_config_folder_that_is_a_file_is_reported_at_start(
    qtbot, make_window, tmp_path, monkeypatch
):
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setenv("MP_TUTOR_CONFIG_DIR", str(blocker))
    window = make_window()
    qtbot.waitUntil(lambda: len(warnings_of(window)) == 1, timeout=10_000)
    assert "cannot be saved" in warnings_of(window)[0].text()
    window.progress.mark_section_read("A section")
    let_the_event_loop_turn(qtbot)
    assert len(warnings_of(window)) == 1
