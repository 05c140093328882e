"""The Exercises tab in the real window: fail, hint, pass, progress kept across a restart."""

from __future__ import annotations

from PySide6.QtCore import Qt
from window_helpers import click

from tutor.content.exercises import SOLUTION_AFTER_FAILED_CHECKS, ExerciseState, get_exercise

CHECK_TIMEOUT_MS = 90_000


def guarded(source: str) -> str:
    """The learner's fix of main-guard: everything from the pool on goes under the guard."""
    head, tail = source.split("with Pool(2) as pool:", 1)
    body = "with Pool(2) as pool:" + tail
    indented = "\n".join(("    " + line) if line else line for line in body.splitlines())
    return head + 'if __name__ == "__main__":\n' + indented + "\n"


def wait_verdict(qtbot, panel, start: str) -> str:
    qtbot.waitUntil(lambda: panel.verdict.text().startswith(start), timeout=CHECK_TIMEOUT_MS)
    qtbot.waitUntil(lambda: panel.check_button.isEnabled(), timeout=CHECK_TIMEOUT_MS)
    return panel.verdict.text()


def test_an_exercise_from_start_to_solved_survives_a_restart(qtbot, make_window):
    window = make_window()
    window.menus.actions["exercisesAction"].trigger()
    panel = window.exercises_panel
    assert window.current_tab() is panel
    exercise = get_exercise("main-guard")
    assert panel.select("main-guard")
    assert panel.editor.toPlainText() == exercise.start_source
    assert "0 of" in window.course_progress.text().split("Exercises:")[1]
    assert not panel.solution_button.isEnabled()

    # The starting program fails, for the reason the exercise is about.
    click(qtbot, panel.check_button)
    assert not panel.check_button.isEnabled()  # the check runs off the GUI thread...
    click(qtbot, panel.hint_button)  # ...so the window still answers meanwhile
    assert f"Hint 1.** {exercise.hints[0]}" in panel.hints.text()
    verdict = wait_verdict(qtbot, panel, "Not yet")
    assert "bootstrapping-phase RuntimeError" in verdict
    # The reason's inline code shows as code would in plain text: no Markdown backticks.
    assert 'outside the if __name__ == "__main__": guard' in verdict and "`" not in verdict
    assert "RuntimeError" in panel.output.toPlainText()
    assert panel.state_of("main-guard") is ExerciseState.TRIED
    assert "(tried)" in panel.exercise_list.item(0).text()
    assert not panel.explanation.isVisible()

    # The learner's fix passes.
    panel.editor.setFocus()
    panel.editor.setPlainText(guarded(exercise.start_source))
    qtbot.keyClick(panel.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    verdict = wait_verdict(qtbot, panel, "Solved")
    assert "worker process" in verdict
    assert "5133" in panel.output.toPlainText()
    assert panel.explanation.isVisible()
    assert "(solved)" in panel.exercise_list.item(0).text()
    assert "Exercises: 1 of" in window.course_progress.text()
    assert panel.solution_button.isEnabled()  # once solved, comparing is fine
    window.close()

    again = make_window()
    assert "Exercises: 1 of" in again.course_progress.text()
    again.open_exercises("main-guard")
    restored = again.exercises_panel
    assert restored.state_of("main-guard") is ExerciseState.SOLVED
    assert "(solved)" in restored.exercise_list.item(0).text()
    assert restored.editor.toPlainText() == guarded(exercise.start_source)
    assert f"Hint 1.** {exercise.hints[0]}" in restored.hints.text()
    assert restored.explanation.isVisible()


def test_the_solution_is_offered_only_after_failed_checks(qtbot, window):
    window.lesson_panel.view().open_link("tutor:exercise?id=return-dont-share")
    panel = window.exercises_panel
    assert window.current_tab() is panel
    assert panel.current.id == "return-dont-share"
    for tries in range(1, SOLUTION_AFTER_FAILED_CHECKS + 1):
        assert not panel.solution_button.isEnabled()
        click(qtbot, panel.solution_button)
        assert not panel.solution.isVisible()
        click(qtbot, panel.check_button)
        assert "2262" in wait_verdict(qtbot, panel, "Not yet")
        assert window.progress.exercise_record("return-dont-share").failed == tries
    assert panel.solution_button.isEnabled()
    click(qtbot, panel.solution_button)
    assert panel.solution.isVisible()
    assert panel.solution.toPlainText() == get_exercise("return-dont-share").solution_source


def test_closing_the_window_during_a_check_ends_the_program(qtbot, make_window):
    window = make_window()
    window.open_exercises("dead-worker")  # its starting program hangs until the time limit
    panel = window.exercises_panel
    click(qtbot, panel.check_button)
    qtbot.waitUntil(lambda: "Checking" in panel.verdict.text(), timeout=5000)
    window.close()  # the fixture then checks that no process is left
    assert window.progress.exercise_record("dead-worker").checks == 0  # not counted as a try


def test_run_buttons_and_actions_wait_while_an_exercise_is_checked(qtbot, make_window):
    """An exercise check is an experiment too: no run starts beside it, from any control."""
    window = make_window()
    window.open_exercises("dead-worker")  # its starting program hangs until the time limit
    panel = window.exercises_panel
    run_panel = window.run_panel
    actions = [window.menus.actions[a.objectName()] for a in run_panel.run_actions.runs]
    assert all(action.isEnabled() for action in actions)
    click(qtbot, panel.check_button)
    qtbot.waitUntil(lambda: "Checking" in panel.verdict.text(), timeout=5000)
    assert window.experiments.busy
    assert not any(action.isEnabled() for action in actions)
    assert not run_panel.run_processes_button.isEnabled()
    rows = window.results_table.results_model().rowCount()
    qtbot.keyClick(window, Qt.Key_R, Qt.ControlModifier)  # Ctrl+R does nothing meanwhile
    assert not window.controller.busy
    assert window.results_table.results_model().rowCount() == rows
    window.close()  # the fixture then checks that no process is left


def test_a_draft_that_cannot_be_saved_is_kept_and_said(qtbot, make_window, tmp_path):
    """With the exercises folder under a file, switching exercises raised NotADirectoryError
    in the middle of the switch: the list showed exercise 2, the editor still exercise 1, no
    message; the draft would then be lost."""
    window = make_window()
    window.menus.actions["exercisesAction"].trigger()
    panel = window.exercises_panel
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    panel.folder = blocker / "exercises"
    first, second = panel.exercises[0], panel.exercises[1]
    assert panel.select(first.id)
    panel.editor.setPlainText("# my draft\n" + first.start_source)
    panel.editor.document().setModified(True)  # as typing does
    assert panel.select(second.id)
    assert panel.title.text().startswith(f"{second.number}.")
    assert panel.editor.toPlainText() == second.start_source
    assert "could not be saved" in panel.verdict.text()
    assert "kept while the window stays open" in panel.verdict.text()
    assert panel.select(first.id)
    assert panel.editor.toPlainText().startswith("# my draft\n")  # nothing lost
