"""Your own function: the editor, and the learner's code run for real in the main window."""

from __future__ import annotations

import pytest
from process_checks import wait_no_children
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontInfo, QPalette, QTextDocument
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton, QSpinBox, QTabWidget
from window_helpers import set_spin

from tutor.content.learner_code import MODULE_PREFIX, starter_source
from tutor.ui.panels.code_editor_panel import CodeEditorPanel, CodeEditorView, learner_code_dir

RUN_TIMEOUT_MS = 90_000


# --- the editor on its own ------------------------------------------------------------------


@pytest.fixture
def editor(qtbot):
    view = CodeEditorView()
    qtbot.addWidget(view)
    view.resize(500, 300)
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.fixture
def panel(qtbot, tmp_path):
    widget = CodeEditorPanel(tmp_path / "learner_code")
    qtbot.addWidget(widget)
    widget.resize(900, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def type_lines(qtbot, editor: QPlainTextEdit, *lines: str) -> None:
    """Replace the editor's text by typing, pressing Enter between lines (auto-indent on)."""
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClick(editor, Qt.Key_Delete)
    for index, line in enumerate(lines):
        if index:
            qtbot.keyClick(editor, Qt.Key_Return)
        qtbot.keyClicks(editor, line)


def test_the_editor_has_line_numbers_that_grow_with_the_text(qtbot, editor):
    editor.setPlainText("a = 1\nb = 2\nc = 3")
    qtbot.waitUntil(lambda: editor.visible_line_numbers()[:3] == [1, 2, 3])
    assert editor.visible_line_numbers() == [1, 2, 3]
    gutter = editor.line_numbers
    assert gutter.isVisible()
    assert gutter.width() == editor.line_number_width() == editor.viewportMargins().left()
    two_digits = editor.line_number_width()
    editor.setPlainText("\n".join(f"x{i} = {i}" for i in range(150)))
    assert editor.line_number_width() > two_digits  # room for "150"
    assert editor.viewportMargins().left() == editor.line_number_width()
    editor.verticalScrollBar().setValue(100)
    assert editor.visible_line_numbers()[0] > 1  # the gutter scrolls with the text
    # The gutter paints its numbers: more than its background colour in the picture.
    image = gutter.grab().toImage()
    colours = {image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}
    assert len(colours) > 2


def formats_of_line(editor: QPlainTextEdit, line: int) -> dict[str, QColor]:
    """Each highlighted piece of text on a line (1-based), with its colour."""
    block = editor.document().findBlockByNumber(line - 1)
    return {
        block.text()[r.start : r.start + r.length]: r.format.foreground().color()
        for r in block.layout().formats()
    }


def test_python_is_highlighted_from_pygments_tokens(qtbot, editor):
    editor.setPlainText('def work(n):\n    # double it\n    return n * 2  # "x"\n')
    block = editor.document().findBlockByNumber(0)
    ranges = block.layout().formats()
    keyword = next(r for r in ranges if r.start == 0)
    assert keyword.length == 3
    assert keyword.format.fontWeight() == QFont.Weight.Bold
    assert "work" in formats_of_line(editor, 1)
    comment = next(iter(editor.document().findBlockByNumber(1).layout().formats()))
    assert comment.format.fontItalic()
    line3 = formats_of_line(editor, 3)
    assert line3["return"] != line3["2"] != line3['# "x"']


def test_a_dark_palette_switches_to_the_dark_colours(qtbot, editor):
    editor.setPlainText("def work(n):\n    return n\n")
    light = formats_of_line(editor, 1)["def"]
    palette = editor.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#202020"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#eeeeee"))
    editor.setPalette(palette)
    assert editor.highlighter.dark
    assert formats_of_line(editor, 1)["def"] != light


def test_opening_a_triple_quoted_string_recolours_the_lines_below(qtbot, editor):
    editor.setPlainText("x = 1\ny = 2\nz = 3\n")
    before = formats_of_line(editor, 3)
    cursor = editor.textCursor()
    cursor.setPosition(0)
    editor.setTextCursor(cursor)
    editor.setFocus()
    qtbot.keyClicks(editor, '"""')
    after = formats_of_line(editor, 3)
    assert after != before
    assert "z = 3" in after  # the whole line is now part of the string


def test_enter_keeps_indentation_tab_indents_and_shift_tab_dedents(qtbot, editor):
    type_lines(qtbot, editor, "def work(n):", "total = n", "if n:")
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.keyClicks(editor, "total += 1")
    assert editor.toPlainText() == "def work(n):\n    total = n\n    if n:\n        total += 1"
    qtbot.keyClick(editor, Qt.Key_Backtab)
    assert editor.toPlainText().endswith("\n    total += 1")
    qtbot.keyClick(editor, Qt.Key_Home)
    qtbot.keyClick(editor, Qt.Key_Tab)
    assert editor.toPlainText().endswith("\n        total += 1")
    qtbot.keyClick(editor, Qt.Key_Z, Qt.ControlModifier)  # one undo takes back the indent
    assert editor.toPlainText().endswith("\n    total += 1")


def test_ctrl_tab_leaves_the_editor(qtbot, panel):
    panel.editor.setFocus()
    qtbot.waitUntil(panel.editor.hasFocus)
    qtbot.keyClick(panel.editor, Qt.Key_Tab, Qt.ControlModifier)
    assert not panel.editor.hasFocus()


def test_the_panel_starts_with_the_example(panel):
    assert panel.source() == starter_source()
    assert panel.findChild(QPlainTextEdit, "codeEditor") is panel.editor
    for name in ("runCustomProcessesButton", "runCustomThreadsButton"):
        assert panel.findChild(QPushButton, name).isEnabled()
    assert panel.findChild(QLabel, "customStatus").text()


def test_a_syntax_error_is_marked_at_its_line_and_nothing_runs(qtbot, panel):
    type_lines(qtbot, panel.editor, "def work(n):", "x = n", "return x *")
    with qtbot.assertNotEmitted(panel.runs_requested):  # the click checks it at once
        qtbot.mouseClick(panel.run_processes_button, Qt.LeftButton)
    status = panel.findChild(QLabel, "customStatus").text()
    assert "Line 3" in status and "SyntaxError" in status and "Nothing ran" in status
    editor = panel.editor
    assert editor.error_line() == 3
    assert editor.textCursor().blockNumber() == 2  # the cursor went to the line
    marks = [s for s in editor.extraSelections() if s.cursor.blockNumber() == 2]
    assert any(s.format.background().color() == QColor("#ffd7d7") for s in marks)
    assert not list((panel.folder).glob(f"{MODULE_PREFIX}*.py"))  # nothing was saved
    qtbot.keyClicks(editor, " 2")  # fixing it clears the mark
    assert editor.error_line() is None


def test_a_missing_work_function_is_reported(qtbot, panel):
    type_lines(qtbot, panel.editor, "def wrk(n):", "return n")
    with qtbot.assertNotEmitted(panel.runs_requested):  # the click checks it at once
        panel.run_threads_button.click()
    assert "work(n)" in panel.status.text()


def test_a_good_function_is_saved_and_asked_for(qtbot, panel):
    panel.set_workers(3)
    panel.set_start_method("spawn")
    assert panel.run_processes_button.text() == "Run with 3 processes"
    assert panel.run_threads_button.text() == "Run with 3 threads"
    type_lines(qtbot, panel.editor, "def work(n):", "return n * 2")
    with qtbot.waitSignal(panel.runs_requested) as signal:
        qtbot.keyClick(panel.editor, Qt.Key_Return, Qt.ControlModifier | Qt.ShiftModifier)
    (config,) = signal.args[0]
    assert config.workload == "custom" and config.mode == "threads" and config.workers == 3
    assert config.time_limit_s == panel.time_limit.value()
    module_name, _, function = config.function.partition(":")
    assert function == "work"
    saved = panel.folder / f"{module_name}.py"
    assert saved.read_text(encoding="utf-8") == "def work(n):\n    return n * 2"


def test_the_draft_is_kept_for_next_time(qtbot, panel, tmp_path):
    type_lines(qtbot, panel.editor, "def work(n):", "return n + 1")
    panel.save_draft()
    again = CodeEditorPanel(panel.folder)
    qtbot.addWidget(again)
    assert again.source() == "def work(n):\n    return n + 1"
    again.restore_example()
    assert again.source() == starter_source()


def test_restoring_the_example_is_undone_with_ctrl_z(qtbot, panel):
    """Issue #19: 'Restore the example' threw the learner's code away without a way back."""
    type_lines(qtbot, panel.editor, "def work(n):", "return n + 1")
    mine = panel.source()
    qtbot.mouseClick(panel.reset_button, Qt.LeftButton)
    assert panel.source() == starter_source()
    assert "Ctrl+Z" in panel.status.text()
    qtbot.keyClick(panel.editor, Qt.Key_Z, Qt.ControlModifier)  # one step takes it all back
    assert panel.source() == mine
    qtbot.keyClick(panel.editor, Qt.Key_Y, Qt.ControlModifier)
    assert panel.source() == starter_source()
    qtbot.mouseClick(panel.reset_button, Qt.LeftButton)  # nothing to replace: no new step
    assert "already" in panel.status.text()
    qtbot.keyClick(panel.editor, Qt.Key_Z, Qt.ControlModifier)
    assert panel.source() == mine


# --- the learner's code, run for real in the main window --------------------------------------


@pytest.fixture
def window(make_window):
    """The shown window (tests/ui/conftest.py) with Your function in front."""
    window = make_window()
    window.show_tab(window.code_panel)
    return window


def run_custom(qtbot, window, button_name: str = "runCustomProcessesButton") -> None:
    button = window.findChild(QPushButton, button_name)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(button, Qt.LeftButton)
        assert not button.isEnabled()
    assert button.isEnabled()


def test_the_panel_is_a_tab_of_the_main_window(qtbot, window):
    tabs = window.findChild(QTabWidget, "bottomTabs")
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    assert "Y&our function" in titles
    tabs.setCurrentIndex(0)
    qtbot.keyClick(window, Qt.Key_O, Qt.AltModifier)  # its mnemonic opens it
    assert window.current_tab() is window.code_panel
    assert window.findChild(QPlainTextEdit, "codeEditor") is window.code_panel.editor
    assert window.code_panel.folder == learner_code_dir()
    run_panel = window.run_panel
    assert window.code_panel.run_processes_button.text() == run_panel.run_processes_button.text()
    set_spin_value = run_panel.worker_count.maximum()
    run_panel.worker_count.setValue(set_spin_value)
    assert window.code_panel.run_threads_button.text() == f"Run with {set_spin_value} threads"


def test_typing_a_function_and_running_it_adds_result_rows(qtbot, window):
    code = window.code_panel
    window.run_panel.worker_count.setValue(2)
    type_lines(qtbot, code.editor, "def work(n):", "return n * 2")
    set_spin(qtbot, code.findChild(QSpinBox, "customSize"), 1000)
    run_custom(qtbot, window)
    rows = window.results_table.rows_as_text()
    assert len(rows) == 2  # the sequential baseline, then 2 processes
    assert "baseline" in rows[0][0]
    assert rows[1][0] == "processes × 2"
    assert "999,000 ✓" in rows[1]  # sum of n * 2 for n < 1000
    status = code.findChild(QLabel, "customStatus").text()
    assert "999,000" in status and "the same as sequential ✓" in status
    assert window.current_tab() is code  # the editor stays in view
    run_custom(qtbot, window, "runCustomThreadsButton")
    rows = window.results_table.rows_as_text()
    # Every batch measures its own baseline beside its runs: never a stale one.
    assert len(rows) == 4 and "baseline" in rows[2][0]
    assert rows[3][0] == "threads × 2" and "999,000 ✓" in rows[3]
    assert window.controller.busy is False


def test_a_raising_function_shows_the_error_with_its_traceback_and_line(qtbot, window):
    code = window.code_panel
    type_lines(qtbot, code.editor, "def work(n):", "if n == 7:", "return 1 / 0")
    qtbot.keyClick(code.editor, Qt.Key_Return)
    qtbot.keyClick(code.editor, Qt.Key_Backtab)
    qtbot.keyClicks(code.editor, "return n")
    set_spin(qtbot, code.size_spin, 100)
    run_custom(qtbot, window)
    status = code.status.text()
    assert "raised an exception at line 3 for n = 7 in" in status  # which n (issue #19)
    assert status.endswith("ZeroDivisionError: division by zero")
    details = code.findChild(QPlainTextEdit, "customDetails")
    assert details.isVisible()
    assert 'File "your code", line 3, in work' in details.toPlainText()
    assert "This was the call for n = 7." in details.toPlainText()
    assert "tutor/engine" not in details.toPlainText()  # only the learner's frames
    assert code.editor.error_line() == 3
    assert window.results_table.row_count() == 0
    assert "ZeroDivisionError" in window.run_panel.error_details.toPlainText()
    assert wait_no_children() == []


def test_a_hanging_function_is_stopped_by_the_time_limit(qtbot, window):
    code = window.code_panel
    # A loop that never ends, idle: spinning would burn a core for the whole limit.
    type_lines(
        qtbot, code.editor, "import time", "", "def work(n):", "while True:", "time.sleep(0.05)"
    )
    set_spin(qtbot, code.size_spin, 100)
    # 5 s, not 1: the limit also counts the helper's start, which a busy machine slows to
    # seconds, and a limit hit before the function was even imported reads differently.
    set_spin(qtbot, code.findChild(QSpinBox, "customTimeLimit"), 5)
    run_custom(qtbot, window)
    status = code.status.text()
    assert "time limit exceeded" in status
    assert "Is there a loop that never ends?" in status
    assert "took too long" in window.run_panel.run_status.text()
    assert "time limit exceeded" in window.run_panel.error_label.text()
    assert wait_no_children() == []
    # The window is still responsive and can run again at once.
    type_lines(qtbot, code.editor, "def work(n):", "return 1")
    run_custom(qtbot, window)
    assert window.results_table.rows_as_text()[-1][3] == "100 ✓"


def test_a_dying_function_is_reported(qtbot, window):
    code = window.code_panel
    type_lines(qtbot, code.editor, "import os", "", "def work(n):", "if n == 7:", "os._exit(3)")
    qtbot.keyClick(code.editor, Qt.Key_Return)
    qtbot.keyClick(code.editor, Qt.Key_Backtab)
    qtbot.keyClicks(code.editor, "return n")
    set_spin(qtbot, code.size_spin, 100)
    run_custom(qtbot, window)
    status = code.status.text()
    assert "died" in status and "exited with code 3" in status  # named once
    assert wait_no_children() == []


def test_an_import_error_in_the_code_is_reported(qtbot, window):
    code = window.code_panel
    type_lines(qtbot, code.editor, "import no_such_module_here", "def work(n):", "return n")
    set_spin(qtbot, code.size_spin, 100)
    run_custom(qtbot, window)
    assert "No module named 'no_such_module_here'" in code.status.text()
    assert "learner_work_" not in code.status.text()


def test_a_run_whose_chunks_all_went_to_one_worker_says_so(qtbot, window):
    # Issue #19: a 2-process run showed one lane and left the learner to guess why.
    code = window.code_panel
    type_lines(qtbot, code.editor, "def work(n):", "return n")
    set_spin(qtbot, code.size_spin, 1)  # one number: one chunk for two workers
    code.set_workers(2)
    run_custom(qtbot, window)
    status = code.status.text()
    assert "Only one worker of 2 got work" in status, status
    assert "only 1 chunk for 2 workers" in status


def test_the_one_lane_note_covers_every_shape():
    from tutor.content.run_wording import single_lane_note

    assert single_lane_note(2, 2, 8) is None  # both lanes: nothing to explain
    assert single_lane_note(1, 1, 8) is None  # one worker asked for
    assert single_lane_note(4, 0, 0) is None  # nothing ran
    note = single_lane_note(4, 1, 8)
    assert note.startswith("Only one worker of 4 got work") and "took all 8 chunks" in note
    assert "shows 3 lanes" in single_lane_note(4, 3, 3) and "only 3 chunks" in single_lane_note(
        4, 3, 3
    )


def test_a_long_error_stays_inside_the_panel(qtbot, window):
    # Issue #19: the traceback pane clipped sideways. Every line must be readable without
    # the pane or the status growing past the panel's right edge.
    window.resize(1024, 640)
    code = window.code_panel
    window.bottom_tabs.setCurrentWidget(code)
    long_word = "x" * 400
    type_lines(qtbot, code.editor, "def work(n):", f"raise ValueError('{long_word}' * 2)")
    set_spin(qtbot, code.size_spin, 10)
    run_custom(qtbot, window)
    details = code.findChild(QPlainTextEdit, "customDetails")
    qtbot.waitUntil(details.isVisible)
    assert long_word in details.toPlainText()
    right_edge = code.mapToGlobal(code.rect().topRight()).x()
    for widget in (details, code.status):
        assert widget.mapToGlobal(widget.rect().topRight()).x() <= right_edge, widget
    # The long line wraps inside the pane: nothing hides past its right side.
    qtbot.waitUntil(lambda: details.horizontalScrollBar().maximum() == 0)


def test_error_messages_keep_the_zoomed_font_size(qtbot, window):
    """Issue #19: at 125 % zoom the red (error) status text was drawn smaller than the text
    around it and than a short good message; every message now uses one font size."""
    window.menus.zoom.set_percent(125)
    code = window.code_panel
    expected = QFontInfo(code.font()).pointSizeF()
    shown = {"start": QFontInfo(code.status.font()).pointSizeF()}
    type_lines(qtbot, code.editor, "def work(n):", "x = n", "return x *")
    qtbot.mouseClick(code.run_processes_button, Qt.LeftButton)
    assert "Nothing ran" in code.status.text()
    shown["error"] = QFontInfo(code.status.font()).pointSizeF()
    red = code.status.palette().color(QPalette.ColorRole.WindowText)
    assert red.red() > 150 and red.green() < 150  # still shown as an error
    code.editor.setPlainText("def wrk(n):\n    return n\n")
    qtbot.mouseClick(code.run_threads_button, Qt.LeftButton)
    assert "work(n)" in code.status.text()
    shown["second error"] = QFontInfo(code.status.font()).pointSizeF()
    for what, size in shown.items():
        assert size == pytest.approx(expected, rel=0.02), what


def test_a_long_message_shows_at_most_four_lines_and_all_of_it_in_the_tooltip(qtbot, window):
    """Issue #19: a long status message (an error, a time limit) took as many lines as it
    had; it now folds to a few lines ending in "…", and the whole text stays reachable."""
    window.menus.zoom.set_percent(125)
    code = window.code_panel
    type_lines(qtbot, code.editor, "def work(n):", 'raise ValueError("far too long " * 60)')
    set_spin(qtbot, code.size_spin, 10)
    run_custom(qtbot, window)
    status = code.status
    assert "ValueError" in status.text() and status.text().count("far too long") >= 30
    size = QFontInfo(status.font()).pointSizeF()  # one font size, as for short messages
    assert size == pytest.approx(QFontInfo(code.font()).pointSizeF(), rel=0.02)
    most = 4 * status.fontMetrics().lineSpacing() + 2 * status.frameWidth() + 4
    qtbot.waitUntil(lambda: 0 < status.height() <= most, timeout=5000)
    assert status.toolTip() == status.text()  # the whole message, on hovering it
    assert status.accessibleDescription() == status.text()  # and for a screen reader


def test_a_long_program_is_read_once_per_edit_not_once_per_line(qtbot, editor, monkeypatch):
    # Colouring read the whole text again for each of its lines: a paste of 20,000 lines
    # held the window for 15 s (quadratic in the lines).
    reads: list[int] = []
    real = QTextDocument.toPlainText

    def counted(document):
        reads.append(1)
        return real(document)

    monkeypatch.setattr(QTextDocument, "toPlainText", counted)
    editor.setPlainText("def work(n):\n    return n\n" + "x = 1\n" * 500)
    qtbot.waitUntil(lambda: editor.document().lastBlock().previous().layout().formats() != [])
    assert len(reads) <= 3  # not ~500
    assert editor.document().findBlockByNumber(300).layout().formats()  # coloured all the same
