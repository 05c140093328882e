"""An example in the console is an experiment too: it and a measured run never overlap.

Drives the real window: a real example program from the lesson's link, real measured runs.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from window_helpers import RUN_TIMEOUT_MS, click, set_spin

from tutor.content.links import example_link
from tutor.ui.panels.console_panel import NO_EXIT_CODE

EXAMPLE_TIMEOUT_MS = 60_000


def run_controls(window):
    """The Run-with-processes button and every run action of the Run menu."""
    panel = window.run_panel
    actions = [window.menus.actions[a.objectName()] for a in panel.run_actions.runs]
    return panel.run_processes_button, actions


def test_run_buttons_and_actions_wait_while_an_example_runs(qtbot, window):
    button, actions = run_controls(window)
    process_action = window.menus.actions["runProcessesAction"]
    assert button.isEnabled() and process_action.isEnabled()
    console = window.console
    with qtbot.waitSignal(console.example_finished, timeout=EXAMPLE_TIMEOUT_MS) as finished:
        window.lesson_panel.view().open_link(example_link("pool_primes"))
        assert console.is_running()
        assert window.experiments.busy
        assert not button.isEnabled() and not process_action.isEnabled()
        assert not any(action.isEnabled() for action in actions)
        assert window.run_panel.cancel_button.isEnabled()
        qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
        assert not window.controller.busy  # Ctrl+R does nothing while the example runs
    assert finished.args == ["pool_primes", 0]
    assert "9,592" in console.output_text()
    assert not window.experiments.busy
    assert button.isEnabled() and process_action.isEnabled()
    assert all(action.isEnabled() for action in actions)
    assert not window.run_panel.cancel_button.isEnabled()


def test_the_run_panels_cancel_stops_a_running_example(qtbot, window):
    console = window.console
    window.lesson_panel.view().open_link(example_link("pool_primes"))
    assert console.is_running()
    with qtbot.waitSignal(console.example_finished, timeout=EXAMPLE_TIMEOUT_MS) as finished:
        click(qtbot, window.run_panel.cancel_button)
    assert finished.args == ["pool_primes", NO_EXIT_CODE]
    assert "Stopped" in console.status_text()
    assert window.run_panel.run_processes_button.isEnabled()


def test_an_example_waits_while_a_measured_run_goes(qtbot, window):
    panel, console = window.run_panel, window.console
    set_spin(qtbot, panel.workload_size, 50_000_000)  # long enough to still be running
    set_spin(qtbot, panel.worker_count, 2)
    started = []
    console.example_started.connect(started.append)
    click(qtbot, panel.run_processes_button)
    assert window.controller.busy
    window.lesson_panel.view().open_link(example_link("pool_primes"))
    assert started == [] and not console.is_running()
    assert "example" in window.statusBar().currentMessage().lower()
    assert not button_enabled_for_examples(window)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        click(qtbot, panel.cancel_button)
    assert button_enabled_for_examples(window)
    with qtbot.waitSignal(console.example_finished, timeout=EXAMPLE_TIMEOUT_MS) as finished:
        window.lesson_panel.view().open_link(example_link("pool_primes"))
        assert started == ["pool_primes"]
    assert finished.args == ["pool_primes", 0]


def button_enabled_for_examples(window) -> bool:
    """Whether the lesson's "Run this example" links start an example now."""
    return window.lesson_panel.examples_enabled()


def test_a_lesson_run_link_waits_while_a_run_goes(qtbot, window):
    """A run link clicked during a run used to set the panel to its own workload, size and
    workers under the run going (whose results then matched none of them), and never ran."""
    panel = window.run_panel
    set_spin(qtbot, panel.workload_size, 200_000)
    set_spin(qtbot, panel.worker_count, 2)
    chosen = (panel.workload_choice.currentData(), 200_000, 2)
    results = []
    window.controller.run_finished.connect(results.append)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        click(qtbot, panel.run_processes_button)
        assert window.experiments.busy
        window.lesson_panel.view().open_link(
            "tutor:run?workload=sleep&size=400&workers=8&mode=threads&start=1"
        )
        assert "still going" in window.statusBar().currentMessage()
        shown = (
            panel.workload_choice.currentData(),
            panel.workload_size.value(),
            panel.worker_count.value(),
        )
        assert shown == chosen  # the settings of the run going, untouched
    assert [r.config.workload for r in results] == [chosen[0], chosen[0]]
