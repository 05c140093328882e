"""Issue #19: words a new learner reads in the window say each thing once, and say it right."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tutor.engine.start_methods import plain_python_start_method
from tutor.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from tutor.ui.panels.console_panel import ConsolePanel

SECTIONS_READ = re.compile(r"\b\d+ of \d+ sections\b")


@pytest.mark.shared_window
def test_the_count_of_sections_read_is_shown_once(qtbot, window):
    """'Lesson: 1 of 10 sections read' sat right above 'Read 1 of 10 sections'."""
    assert window.lesson_panel.isVisible()
    shown = [
        label.text()
        for label in window.findChildren(QLabel)
        if label.isVisibleTo(window) and SECTIONS_READ.search(label.text())
    ]
    assert len(shown) == 1, shown
    assert re.match(r"Lesson: \d+ of \d+ sections read", shown[0]), shown


@pytest.mark.shared_window
def test_f1_describes_what_every_key_does(qtbot, window):
    # The tabs with keys of their own are built when first needed (or when idle): now.
    assert window.code_panel is not None and window.exercises_panel is not None
    view = window.findChild(object, "lessonView")
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F1)
    dialog = window.findChild(ShortcutsDialog, "shortcutsDialog")
    qtbot.waitUntil(dialog.isVisible, timeout=10_000)
    rows = dialog.rows()
    vague = [(keys, what) for keys, what in rows if what.startswith("A key of") or not what]
    assert vague == []
    ctrl_enter = [what for keys, what in rows if "Ctrl+Return" in keys.split(" or ")]
    assert any("your function" in what.lower() for what in ctrl_enter), ctrl_enter
    assert any("check your program" in what.lower() for what in ctrl_enter), ctrl_enter
    threads = [what for keys, what in rows if "Ctrl+Shift+Return" in keys.split(" or ")]
    assert threads and "threads" in threads[0]
    dialog.close()


def test_plain_python_start_method_is_what_a_plain_python_uses():
    printed = subprocess.run(
        [sys.executable, "-c", "import multiprocessing as m; print(m.get_start_method())"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.strip()
    assert plain_python_start_method() == printed


def test_the_console_names_the_start_method_its_examples_print(qtbot, tmp_path):
    """The console said nothing while an example printed 'fork' and the status bar 'spawn'."""
    from test_console_panel import ScriptExample

    path = tmp_path / "which_method.py"
    path.write_text(
        textwrap.dedent(
            """
            import multiprocessing
            if __name__ == "__main__":
                print("method", multiprocessing.get_start_method(), flush=True)
            """
        ),
        encoding="utf-8",
    )
    panel = ConsolePanel()
    qtbot.addWidget(panel)
    panel.show()
    note = panel.findChild(QLabel, "consoleNote")
    assert note.isVisible() and "ordinary Python scripts" in note.text()
    with qtbot.waitSignal(panel.example_finished, timeout=60_000):
        panel.run_example(ScriptExample("which_method", "Which method", path))
    printed = re.search(r"^method (\w+)$", panel.output_text(), re.MULTILINE).group(1)
    assert f"which is {printed} here" in note.text()
    panel.shutdown()


def test_f1_lists_the_keys_of_tabs_not_built_yet(qtbot, window):
    """F1 pressed at once, before the window has built its experiment tabs, still lists the
    keys those tabs bring (the list was made once, from the tabs that existed then)."""
    assert not all(page.is_built for page in window._lazy_pages)
    dialog = window.menus.show_shortcuts()
    whats = [what.lower() for _keys, what in dialog.rows()]
    assert any("check your program" in what for what in whats), whats
    assert any("your function" in what for what in whats), whats
    # Opening it again reads the keys afresh and shows one dialog, not a second one.
    rows = dialog.rows()
    dialog.close()
    again = window.menus.show_shortcuts()
    qtbot.waitUntil(lambda: len(window.findChildren(ShortcutsDialog)) == 1, timeout=10_000)
    assert again.rows() == rows
